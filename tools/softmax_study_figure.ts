/**
 * Writes docs/figures/fig12_softmax_study.svg (with its .json and .csv data), the figure of
 * claim C13's finite-context study, drawn from the committed record
 * docs/records/softmax-study.json (`tools/softmax_study_record.ts`) by
 * `src/figures/fig12_softmax_study.ts`; nothing is measured again.
 *
 *   npx -y deno@2.9.6 run -A tools/softmax_study_figure.ts
 *
 * @module
 */

import { softmaxStudyFigure } from "../src/figures/fig12_softmax_study.ts";
import { writeFigure } from "../src/figures/figure_files.ts";
import type { SoftmaxStudy } from "../src/training/softmax_study.ts";

/** The command that draws the figure. */
export const SOFTMAX_FIGURE_COMMAND = "npx -y deno@2.9.6 run -A tools/softmax_study_figure.ts";

/** The record the figure is drawn from, as a file URL. */
export const SOFTMAX_RECORD_URL = new URL("../docs/records/softmax-study.json", import.meta.url);

/** Where the figure's files go, as a file URL. */
export const SOFTMAX_FIGURE_DIR = new URL("../docs/figures/", import.meta.url);

/**
 * The figure's files (name -> text: the .svg, .json and .csv) drawn from a record's text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SOFTMAX_RECORD_URL, softmaxFigureFiles } from "./softmax_study_figure.ts";
 * const files = await softmaxFigureFiles(Deno.readTextFileSync(SOFTMAX_RECORD_URL));
 * assert.ok(files.get("fig12_softmax_study.svg")!.startsWith("<svg"));
 * ```
 */
export async function softmaxFigureFiles(recordText: string): Promise<Map<string, string>> {
  const record = JSON.parse(recordText) as { name: string; commit: string; data: SoftmaxStudy };
  if (record.name !== "softmax-study") throw new Error(`not the softmax-study record`);
  const files = new Map<string, string>();
  const def = softmaxStudyFigure(record.data);
  await writeFigure(
    def,
    { record: "docs/records/softmax-study.json", recordCommit: record.commit },
    (name, text) => Promise.resolve(void files.set(name, text)),
  );
  return files;
}

if (import.meta.main) {
  const files = await softmaxFigureFiles(await Deno.readTextFile(SOFTMAX_RECORD_URL));
  for (const [name, text] of files) {
    await Deno.writeTextFile(new URL(name, SOFTMAX_FIGURE_DIR), text);
    console.log(`wrote docs/figures/${name}`);
  }
}
