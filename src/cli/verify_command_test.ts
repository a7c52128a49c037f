/**
 * `verify`'s flags (--claims, --path) and its three outputs (table, --markdown,
 * --verbose) through `main`, on claim C7 (a fraction of a second).
 */
import assert from "node:assert/strict";
import { captureIo } from "../../testkit/cli_capture.ts";
import { main } from "./main.ts";
import { UsageError } from "./options.ts";
import { claimIds, replayPaths } from "./verify_command.ts";

const capture = () => captureIo({ columns: 100 });

Deno.test("--claims: trimmed, upper-cased, repeats dropped; --path: PART=PATH, each part once", () => {
  assert.deepEqual(claimIds(" c7 ,C1,c7"), ["C7", "C1"]);
  assert.equal(claimIds(undefined), undefined);
  assert.throws(() => claimIds("C1,,C2"), UsageError);
  assert.deepEqual(replayPaths(["bound=3:1:0", " gap = 2 "]), { bound: "3:1:0", gap: "2" });
  assert.deepEqual(replayPaths(undefined), {});
  assert.throws(() => replayPaths(["bound=3:1:0", "bound=1"]), /--path names part "bound" twice/);
  assert.throws(() => replayPaths(["bound=x"]), /--path must be PART=PATH/);
});

Deno.test("verify prints the table, --markdown or --verbose, each with the summary line", async () => {
  const outputs: [string[], RegExp][] = [
    [[], /^claim +title +verdict +most telling figure +seconds\n/],
    [["--markdown"], /^\| claim \| theorem \| part: measured \| target \| margin \| verdict \|/],
    [["--verbose"], /^C7 alpha\* from the support \(.*\): holds in \d+\.\d s\n {2}statement: /],
  ];
  for (const [extra, pattern] of outputs) {
    const io = capture();
    assert.equal(await main(["verify", "--claims", "C7", "--jobs", "1", ...extra], io), 0);
    const text = io.out.join("\n");
    assert.match(text, pattern, extra.join(" "));
    assert.match(io.out.at(-1)!, /^1\/1 claims hold \(quick, seed 0, backend cpu, \d+\.\d s\)$/);
  }
});

Deno.test("verify --path warns of a part that matched nothing, and still checks the claim", async () => {
  const io = capture();
  assert.equal(await main(["verify", "--claims", "C7", "--path", "nosuch=1:2"], io), 0);
  assert.ok(io.err.includes("warning: --path nosuch=... matched no part of the claims that ran"));
});
