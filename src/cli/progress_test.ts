/** Progress bars: none off a terminal; ETAs read as time. */
import assert from "node:assert/strict";
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
