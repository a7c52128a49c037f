/**
 * The flags of `sweep untied`: every option reaches the sweep options and the resolved
 * configuration, and a bad value is a `UsageError` naming its flag (exit code 2).
 *
 * @module
 */

import assert from "node:assert/strict";
import { UsageError } from "./options.ts";
import { parseUntiedArgs, UNTIED_STUDY } from "./untied_study.ts";

const parseUntiedSweepArgs = (args: readonly string[]) => parseUntiedArgs(args)?.options;

Deno.test("sweep untied flags: flags are parsed and validated, naming the flag", () => {
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
      sampler: "auto",
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
      [["--prompts", "5000000000"], /--prompts must be at most 4294967295/],
      [
        ["--prompts", "300000000", "--test-prompts", "2"],
        /--prompts 3e8 and --test-prompts 2 need about .* GiB/,
      ],
      [["--dim1", "0"], /--dim1 must be a positive integer, got 0/],
      [["--bogus"], /unknown option --bogus for sweep untied \(see: sweep untied --help\)/],
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

Deno.test("sweep untied: the resolved configuration has every flag, lists as typed, defaults filled in", () => {
  const parsed = parseUntiedArgs(["--depths", "1, 2", "--scales", "0.3,1", "--json"])!;
  assert.equal(parsed.json, true);
  assert.deepEqual(parsed.config, {
    prompts: 2000,
    "test-prompts": 20000,
    steps: 2500,
    depths: "1,2",
    dim1: 2,
    dim2: 2,
    seed: 0,
    layerwise: false,
    "from-shared": false,
    "tied-start": false,
    context: Infinity,
    target: "bayes",
    sampler: "auto",
    scales: "0.3,1",
    seeds: "1",
  });
  assert.deepEqual(Object.keys(parsed.config), Object.keys(UNTIED_STUDY.flags));
  assert.equal(UNTIED_STUDY.prepare(["--help"]), undefined);
  assert.equal(UNTIED_STUDY.prepare(["--seed", "4"])?.config.seeds, "5");
});

Deno.test("sweep untied --sampler: exact is the library's wishart sampler; a bad value names --sampler", () => {
  assert.equal(parseUntiedArgs([])!.options.sampler, "auto");
  const exact = parseUntiedArgs(["--sampler", "exact", "--context", "50"])!;
  assert.equal(exact.options.sampler, "wishart");
  assert.equal(exact.config.sampler, "exact");
  assert.equal(parseUntiedArgs(["--sampler", "tokens"])!.options.sampler, "tokens");
  // Control: a value outside the choices is a usage error naming the flag.
  assert.throws(
    () => parseUntiedArgs(["--sampler", "wishart"]),
    (e: Error) => e instanceof UsageError && /--sampler/.test(e.message),
  );
});
