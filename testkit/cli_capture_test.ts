import assert from "node:assert/strict";
import { captureIo, type CliMain, mainJson, quietIo, runCliProcess } from "./cli_capture.ts";

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

Deno.test("quietIo drops progress lines; mainJson parses stdout after exit code 0", async () => {
  const io = quietIo();
  io.progress!("sampling");
  assert.deepEqual([io.out, io.err], [[], []]);
  const fake = (code: number): CliMain => (args, channels) => {
    channels.stdout(JSON.stringify({ args }));
    channels.stderr("why");
    return Promise.resolve(code);
  };
  assert.deepEqual(await mainJson(fake(0), ["x", "--json"]), { args: ["x", "--json"] });
  // Control: another exit code fails, with standard error as the message.
  await assert.rejects(() => mainJson(fake(2), ["x"]), /why/);
});

Deno.test("runCliProcess passes deno flags after -A", async () => {
  const flagged = await runCliProcess(["--version"], { denoFlags: ["--no-lock"] });
  assert.equal(flagged.code, 0, flagged.stderr);
  assert.match(flagged.stdout, /icl-verify/);
  // Control: a flag deno does not know makes the run fail before the CLI starts.
  const bogus = await runCliProcess(["--version"], { denoFlags: ["--no-such-deno-flag"] });
  assert.notEqual(bogus.code, 0);
  assert.doesNotMatch(bogus.stdout, /icl-verify/);
});
