import assert from "node:assert/strict";
import {
  bareDenoCommands,
  commitHashes,
  forbiddenPhrases,
  hygieneProblems,
  lineCount,
  MAX_README_LINES,
  runsBareDeno,
} from "./docs_hygiene.ts";
import { NOT_OURS } from "./docs_generate.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

async function git(args: string[]): Promise<string> {
  const out = await new Deno.Command("git", { args, cwd: ROOT, stdout: "piped" }).output();
  return new TextDecoder().decode(out.stdout).trim();
}

Deno.test("README and docs: at most 200 README lines, no log phrase, no commit hash, no bare deno", async () => {
  assert.deepEqual(await hygieneProblems(ROOT, NOT_OURS), []);
});

Deno.test("control: a long README, log phrases, a commit hash and bare deno commands are found", async () => {
  assert.ok(lineCount("x\n".repeat(MAX_README_LINES + 1)) > MAX_README_LINES);
  assert.equal(lineCount("x\n".repeat(MAX_README_LINES)), MAX_README_LINES);
  const phrases = forbiddenPhrases(
    "f.md",
    "At stop 12 we did it.\nSee issue #13, issue 4.\nOne session.\n",
  );
  assert.deepEqual(phrases.map((f) => [f.line, f.found]), [
    [1, "stop 12"],
    [2, "issue #13"],
    [2, "issue 4"],
    [3, "session"],
  ]);
  assert.deepEqual(forbiddenPhrases("f.md", "The descent stopped after 18 steps; non-stop."), []);
  const head = await git(["rev-parse", "HEAD"]);
  const text = `Measured at ${
    head.slice(0, 7)
  } and ${head}; not a hash: 1234567890abcdef1234 or 3.1415926.`;
  const hashes = await commitHashes(ROOT, [{ file: "f.md", text }]);
  assert.deepEqual(hashes.map((h) => h.found), [head.slice(0, 7), head]);
});

Deno.test("bare deno commands: in code blocks and inline code, after prompts, env vars and &&", () => {
  const text = [
    "Run `deno task test` or `npx -y deno@2.9.6 task test`.",
    "```sh",
    "npx -y deno@2.9.6 task verify",
    "$ deno run -A mod.ts",
    "FC_SEED=1 deno test",
    "cd x && deno fmt",
    "echo deno is fine here",
    "```",
    "The file `deno.json` and `deno.lock`.",
  ].join("\n");
  assert.deepEqual(bareDenoCommands("f.md", text).map((f) => f.line), [1, 4, 5, 6]);
  assert.ok(runsBareDeno("deno"));
  assert.ok(!runsBareDeno("npx -y deno@2.9.6 run -A mod.ts"));
  assert.ok(!runsBareDeno("denote"));
});
