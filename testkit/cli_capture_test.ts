import assert from "node:assert/strict";
import { captureIo, runCliProcess } from "./cli_capture.ts";

Deno.test("captureIo collects both channels and takes extra channels", () => {
  const io = captureIo({ columns: 80 });
  io.stdout("a");
  io.stderr("b");
  assert.deepEqual([io.out, io.err, io.columns], [["a"], ["b"], 80]);
});

Deno.test("runCliProcess returns the exit code and streams of the real process", async () => {
  const ok = await runCliProcess(["--version"]);
  assert.equal(ok.code, 0);
  assert.match(ok.stdout, /icl-verify/);
  // Control: a usage error exits 2 with one line on stderr.
  const bad = await runCliProcess(["no-such-command"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /no-such-command/);
});
