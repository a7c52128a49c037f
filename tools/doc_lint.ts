/**
 * `deno doc --lint` over the public entry points (mod.ts and the subpath exports of
 * deno.json). The testing and claims entry points expose fast-check's
 * `Arbitrary` (users compose their own arbitraries with it), and deno's doc
 * linter then also lints fast-check's own declaration file, which has
 * undocumented members. This script fails on every diagnostic located in this
 * repository and reports, without failing, those located in a third-party
 * package's files.
 *
 * Usage: deno run -A tools/doc_lint.ts
 *
 * @module
 */

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
