/** Progress bars: none off a terminal; ETAs read as time. */
import assert from "node:assert/strict";
import { runCliProcess } from "../../testkit/cli_capture.ts";
import { Writable } from "node:stream";
import { formatEta, NO_BAR, StderrStream, terminalProgress } from "./progress.ts";

Deno.test("progress: nothing is drawn when stderr is not a terminal; ETAs read as time", () => {
  assert.equal(terminalProgress(false)("sampling", 10), NO_BAR);
  assert.equal(formatEta(NaN), "?");
  assert.equal(formatEta(Infinity), "?");
  assert.equal(formatEta(12.4), "12s");
  assert.equal(formatEta(185), "3m05s");
  assert.equal(formatEta(3720), "1h02m");
});

Deno.test("StderrStream: a terminal-like Node stream that writes at once and calls back", () => {
  const stream = new StderrStream(77);
  assert.ok(stream instanceof Writable);
  assert.equal(stream.isTTY, true);
  assert.equal(stream.columns, 77);
  const calls: string[] = [];
  assert.equal(stream.write("", () => calls.push("callback")), true);
  assert.equal(stream.write(new Uint8Array(0), "utf8", () => calls.push("with encoding")), true);
  assert.deepEqual(calls, ["callback", "with encoding"]);
});

Deno.test("nothing on stderr when it is piped: train, sweep and verify --json succeed quietly", async () => {
  const runs = [
    ["train", "--model", "lca1", "--prompts", "60", "--test-prompts", "20", "--steps", "5"],
    ["sweep", "untied", "--prompts", "40", "--test-prompts", "20", "--steps", "3", "--depths", "1"],
    ["verify", "--claims", "C3,C7", "--jobs", "2"],
  ];
  for (const args of runs) {
    const out = await runCliProcess([...args, "--json"]);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stderr, "", `${args[0]}: stderr is empty`);
    assert.ok(JSON.parse(out.stdout).replay, "the record is printed");
  }
});

Deno.test("progress notes go to a terminal's stderr only (control: on a terminal they appear)", async () => {
  const { main } = await import("./main.ts");
  for (const stderrIsTerminal of [false, true]) {
    const err: string[] = [];
    const io = { stdout: () => {}, stderr: (t: string) => err.push(t), stderrIsTerminal };
    assert.equal(await main(["verify", "--claims", "C7", "--jobs", "1"], io), 0);
    assert.equal(err.some((line) => line.startsWith("backend cpu")), stderrIsTerminal);
  }
});
