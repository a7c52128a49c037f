/**
 * The flags of `tools/untied_sweep.ts`: every option reaches the sweep options, and a bad
 * value is a `UsageError` naming its flag (the tool prints it and exits with code 2).
 *
 * @module
 */

import assert from "node:assert/strict";
import { UsageError } from "./options.ts";
import { parseUntiedSweepArgs } from "./sweep_command.ts";

Deno.test("untied_sweep flags: flags are parsed and validated, naming the flag", () => {
  assert.deepEqual(
    parseUntiedSweepArgs([
      "--layerwise",
      "--context",
      "100",
      "--target",
      "label",
      "--scales",
      "0.3,1",
      "--seeds",
      "1,2",
      "--depths",
      "1,12",
    ]),
    {
      depths: [1, 12],
      prompts: 2000,
      testPrompts: 20000,
      steps: 2500,
      d1: 2,
      d2: 2,
      seed: 0,
      layerwise: true,
      context: 100,
      target: "label",
      scales: [0.3, 1],
      seeds: [1, 2],
      fromShared: false,
      tiedStart: false,
    },
  );
  assert.equal(parseUntiedSweepArgs([])!.context, Infinity);
  assert.deepEqual(parseUntiedSweepArgs([])!.seeds, [1]);
  assert.equal(parseUntiedSweepArgs(["--help"]), undefined);
  assert.equal(parseUntiedSweepArgs(["--tied-start"])!.tiedStart, true);
  for (
    const [args, message] of [
      [["--depths", "1,0"], /--depths/],
      [["--context", "-3"], /--context/],
      [["--target", "labels"], /--target must be one of bayes, label/],
      [["--scales", "0"], /--scales/],
      [["--seeds", "a"], /--seeds/],
      [["--from-shared"], /--from-shared/],
      [["--layerwise", "yes"], /positional/],
    ] as const
  ) {
    assert.throws(() => parseUntiedSweepArgs(args), (e: Error) => {
      assert.ok(e instanceof UsageError);
      assert.match(e.message, message);
      return true;
    });
  }
  // Control: the same flags with valid values pass.
  assert.equal(parseUntiedSweepArgs(["--depths", "1,2", "--context", "inf"])!.context, Infinity);
});
