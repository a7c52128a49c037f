/**
 * Mutation testing with StrykerJS (`npm:@stryker-mutator/core@8`, run through npx; version 8
 * because 9+ needs Node >= 22). Stryker's "command" test runner runs, per mutant, `deno test`
 * on the test files that exercise the mutated module, found by name and by import, never by
 * a hand-kept table (see {@linkcode testsOf}):
 *
 *   deno task mutation src/model/risk.ts            # its tests: risk_test.ts and importers
 *   deno task mutation --unit src/model/losses.ts   # only the test beside it (losses_test.ts)
 *
 * The model modules run in the hot loops of training and sampling, and Stryker's
 * instrumentation (every expression behind a mutant switch) makes those loops 20-50x slower,
 * so proofs that train take minutes per mutant: `--unit` keeps a run to the module's own
 * unit tests.
 *
 * Reports go to mutation-out/<module>.json (Stryker's JSON schema) and the summary line
 * of each run to mutation-out/summary.txt. Not part of CI (CPU-heavy).
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  allSourceFiles,
  type ImportGraph,
  importGraph,
  REPO_ROOT,
} from "../testkit/source_tree.ts";

/**
 * The test files of `module` (a repository-relative path): the test beside it,
 * `<name>_test.ts`, then (unless `unitOnly`) every test file of the tree that imports the
 * module directly or through test-only helpers (`testkit/`), props and proofs included,
 * sorted.
 */
export async function testsOf(module: string, unitOnly = false): Promise<string[]> {
  const files = await allSourceFiles();
  if (!files.includes(module) || module.endsWith("_test.ts")) {
    throw new RangeError(`module must be a source file of the tree, got ${module}`);
  }
  const beside = module.replace(/\.ts$/, "_test.ts");
  const tests = files.includes(beside) ? [beside] : [];
  if (!unitOnly) {
    const graph = await importGraph(files, REPO_ROOT);
    for (const test of files.filter((f) => f.endsWith("_test.ts") && f !== beside)) {
      if (reachesThroughTestkit(graph, test, module)) tests.push(test);
    }
  }
  if (tests.length === 0) throw new RangeError(`no test file exercises ${module}`);
  return [beside, ...tests.filter((t) => t !== beside).sort()].filter((t) => tests.includes(t));
}

/** Whether `test` imports `module`, directly or through files of `testkit/`. */
function reachesThroughTestkit(graph: ImportGraph, test: string, module: string): boolean {
  const seen = new Set<string>([test]);
  const queue = [test];
  while (queue.length > 0) {
    for (const target of graph.get(queue.shift()!) ?? []) {
      if (target === module) return true;
      if (target.startsWith("testkit/") && !seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  return false;
}

if (import.meta.main) await main();

async function main(): Promise<void> {
  const { values, positionals: modules } = parseArgs({
    args: Deno.args,
    options: { unit: { type: "boolean", default: false } },
    allowPositionals: true,
  });
  if (modules.length === 0) {
    console.error("usage: deno task mutation [--unit] <module.ts> [...]");
    Deno.exit(2);
  }
  await Deno.mkdir("mutation-out", { recursive: true });
  let failed = 0;
  for (const module of modules) {
    let tests: string[];
    try {
      tests = await testsOf(module, values.unit);
    } catch (error) {
      console.error(error instanceof Error ? error.message : String(error));
      Deno.exit(2);
    }
    if (!await runStryker(module, tests)) failed++;
  }
  Deno.exit(failed === 0 ? 0 : 1);
}

/** One Stryker run on `module` with `tests`; true when Stryker exits 0. */
async function runStryker(module: string, tests: string[]): Promise<boolean> {
  const base = JSON.parse(await Deno.readTextFile("stryker.config.json"));
  const name = module.replaceAll("/", "_").replace(/\.ts$/, "");
  const config = {
    ...base,
    mutate: [module],
    commandRunner: {
      // --fail-fast: a mutant is killed by the first failing test, so killed mutants do not
      // run the remaining tests.
      command: `FC_SEED=20261123 ${Deno.execPath()} test -A --no-check --quiet --fail-fast ${
        tests.join(" ")
      }`,
    },
    jsonReporter: { fileName: `mutation-out/${name}.json` },
  };
  delete config.$schema;
  delete config._comment;
  const path = `mutation-out/${name}.stryker.json`;
  await Deno.writeTextFile(path, JSON.stringify(config, null, 2));
  console.error(`[mutation] ${module}: deno test ${tests.join(" ")}`);
  const started = performance.now();
  const text = await streamStryker(path, `mutation-out/${name}.txt`);
  const score = /All files\s*\|\s*([\d.]+)/.exec(text.output)?.[1] ?? "n/a";
  const line = `${new Date().toISOString()} ${module}: mutation score ${score}% ` +
    `(${((performance.now() - started) / 1000).toFixed(0)} s, exit ${text.code})`;
  console.log(line);
  await Deno.writeTextFile("mutation-out/summary.txt", line + "\n", { append: true });
  return text.code === 0;
}

/**
 * Runs Stryker on a config file. Its stdout (progress lines, then the clear-text report) is
 * written to `logPath` as it comes, so a long run can be followed with `tail -f`.
 */
async function streamStryker(
  config: string,
  logPath: string,
): Promise<{ output: string; code: number }> {
  const child = new Deno.Command("npx", {
    args: ["-y", "-p", "@stryker-mutator/core@8", "stryker", "run", config],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const file = await Deno.open(logPath, { write: true, create: true, truncate: true });
  let output = "";
  const decoder = new TextDecoder();
  for await (const chunk of child.stdout) {
    output += decoder.decode(chunk, { stream: true });
    await file.write(chunk);
  }
  file.close();
  return { output, code: (await child.status).code };
}
