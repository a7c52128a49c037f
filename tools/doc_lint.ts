/**
 * `deno doc --lint` over the public entry points (mod.ts and the subpath exports of
 * deno.json). The testing and claims entry points expose fast-check's
 * `Arbitrary` (users compose their own arbitraries with it), and deno's doc
 * linter then also lints fast-check's own declaration file, which has
 * undocumented members. This script fails on every diagnostic located in this
 * repository and reports, without failing, those located in a third-party
 * package's files.
 *
 * It then checks that every JSDoc `@example` in `mod.ts` and `src/` asserts its result
 * (`tools/example_assertions.ts`): an example that only prints, with the expected value in a
 * comment, is an error.
 *
 * Usage: deno run -A tools/doc_lint.ts
 *
 * @module
 */

import { uncheckedExamples } from "./example_assertions.ts";
import { allSourceFiles, REPO_ROOT } from "../testkit/source_tree.ts";

/** Every `@example` of mod.ts and src/ that does not assert its result, as "file:line title: why". */
async function examplesThatDoNotCheck(): Promise<string[]> {
  const problems: string[] = [];
  for (const file of await allSourceFiles()) {
    if (!(file === "mod.ts" || file.startsWith("src/")) || file.endsWith("_test.ts")) continue;
    const text = await Deno.readTextFile(new URL(file, REPO_ROOT));
    for (const example of uncheckedExamples(text)) {
      problems.push(`${file}:${example.line} @example ${example.title}: ${example.reason}`);
    }
  }
  return problems;
}

const config = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));
const entries = Object.values(config.exports as Record<string, string>);
const out = await new Deno.Command(Deno.execPath(), {
  args: ["doc", "--lint", ...entries],
  cwd: new URL("..", import.meta.url).pathname,
  env: { NO_COLOR: "1" },
  stdout: "piped",
  stderr: "piped",
}).output();
const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
const ours: string[] = [];
let theirs = 0;
const blocks = text.split(/\n(?=error\[)/);
for (const block of blocks) {
  if (!block.startsWith("error[")) continue;
  const location = block.match(/-->\s+(\S+)/)?.[1] ?? "";
  if (location.includes("/node_modules/") || location.includes("/registry.npmjs.org/")) theirs++;
  else ours.push(block.split("\n").slice(0, 2).join("  "));
}
console.log(`deno doc --lint ${entries.join(" ")}`);
if (theirs > 0) console.log(`${theirs} diagnostics in third-party declaration files (not ours)`);
if (ours.length > 0) {
  console.log(ours.join("\n"));
  console.log(`${ours.length} documentation lint errors in this repository`);
  Deno.exit(1);
}
if (!out.success && theirs === 0) {
  console.log(text);
  Deno.exit(1);
}
console.log("no documentation lint errors in this repository");
const unchecked = await examplesThatDoNotCheck();
if (unchecked.length > 0) {
  console.log(unchecked.join("\n"));
  console.log(`${unchecked.length} examples do not assert their result`);
  Deno.exit(1);
}
console.log("every @example asserts its result");
