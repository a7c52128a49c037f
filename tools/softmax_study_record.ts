/**
 * Writes docs/records/softmax-study.json, the finite-context measurement of claim C13
 * (`src/training/softmax_study.ts`): per test context L_te in {16, 32, 64, 128, 256} and depth
 * T in {1, 2, 4, 8}, trained `sca`, `sca-centred` and `lca2` (N = 500 prompts of context L_te,
 * a budget of 1000 descent steps, Bayes target) and the optimal schedule of C12, each by its excess over
 * Bayes on 2000 fresh test prompts.
 *
 *   npx -y deno@2.9.6 run -A tools/softmax_study_record.ts
 *
 * @module
 */

import { softmaxStudy, type SoftmaxStudyOptions } from "../src/training/softmax_study.ts";

/** The command that makes the record. */
export const SOFTMAX_STUDY_COMMAND = "npx -y deno@2.9.6 run -A tools/softmax_study_record.ts";

/** The sizes of the record (the study's defaults, stated). */
export const SOFTMAX_STUDY_SIZES: SoftmaxStudyOptions = {
  contexts: [16, 32, 64, 128, 256],
  depths: [1, 2, 4, 8],
  prompts: 500,
  testPrompts: 2000,
  steps: 1000,
  seed: 0,
};

async function git(args: string[]): Promise<string> {
  const out = await new Deno.Command("git", { args, stdout: "piped" }).output();
  return new TextDecoder().decode(out.stdout).trim();
}

/** The record around the study's data (`commit` = `git rev-parse HEAD`). */
export async function softmaxStudyRecord(
  options: SoftmaxStudyOptions = SOFTMAX_STUDY_SIZES,
): Promise<Record<string, unknown>> {
  const start = performance.now();
  const data = softmaxStudy(options);
  const wallSeconds = Math.round((performance.now() - start) / 10) / 100;
  const mine = ["src/training/softmax_study.ts", "tools/softmax_study_record.ts"];
  const dirty = (await git(["status", "--porcelain", "--", ...mine])) !== "";
  return {
    schema: "icl-verify/docs-record/1",
    name: "softmax-study",
    command: SOFTMAX_STUDY_COMMAND,
    commit: await git(["rev-parse", "HEAD"]),
    source: dirty
      ? "the working tree on top of the commit (the study modules were not yet committed)"
      : "the working tree of the commit",
    created: new Date().toISOString(),
    wallSeconds,
    host: `${navigator.hardwareConcurrency} CPU cores, shared with other jobs`,
    data,
  };
}

if (import.meta.main) {
  const record = await softmaxStudyRecord({
    ...SOFTMAX_STUDY_SIZES,
    onProgress: (m) => console.error(m),
  });
  const path = new URL("../docs/records/softmax-study.json", import.meta.url);
  await Deno.writeTextFile(path, JSON.stringify(record, null, 2) + "\n");
  console.log(`wrote docs/records/softmax-study.json (${record.wallSeconds} s)`);
}
