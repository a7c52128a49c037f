/**
 * `sweep <study>` through `main`: bad flags and unknown studies are one line on stderr with
 * exit code 2; a tiny untied sweep prints the experiment's rows, one JSON line per depth, or
 * with --json one record whose replay gives the same rows.
 *
 * @module
 */

import assert from "node:assert/strict";
import { captureIo } from "../../testkit/cli_capture.ts";
import { main } from "./main.ts";
import { replayArgs } from "./options.ts";
import { STUDIES, sweepHelp } from "./sweep_command.ts";
import { sweepRowJson } from "./sweep_study.ts";
import { untiedSweep } from "../experiments/untied_sweep.ts";

const capture = () => captureIo();

const TINY = ["--prompts", "40", "--test-prompts", "20", "--steps", "5", "--depths", "1,2"];
const TINY_DIMS = [...TINY, "--dim1", "1", "--dim2", "1", "--scales", "0.3"];

Deno.test("sweep: bad flags and studies are one stderr line naming them, exit code 2", async (t) => {
  const cases: [string[], string][] = [
    [["sweep"], "sweep needs a study: one of untied (see: sweep --help)"],
    [["sweep", "softmax"], 'sweep study must be one of untied, got "softmax"'],
    [["sweep", "untied", "--depths", "1,0"], "--depths must be a comma-separated list"],
    [["sweep", "untied", "--context", "-3"], '--context must be a positive integer or "inf"'],
    [["sweep", "untied", "--target", "labels"], "--target must be one of bayes, label"],
    [["sweep", "untied", "--from-shared"], "--from-shared applies with --layerwise only"],
    [["sweep", "untied", "--test-prompts", "1"], "--test-prompts must be an integer >= 2, got 1"],
    [["sweep", "untied", "--prompts", "5e9"], "--prompts must be at most 4294967295"],
    [["sweep", "untied", "--seeds", "a"], "--seeds must be a comma-separated list"],
    [["sweep", "untied", "--steps", "10", "--steps", "11"], "--steps is given twice"],
    [["sweep", "untied", "--bogus"], "unknown option --bogus for sweep untied"],
    [["sweep", "untied", "extra"], 'sweep untied takes no positional arguments, got "extra"'],
  ];
  for (const [args, fragment] of cases) {
    await t.step(args.join(" "), async () => {
      const io = capture();
      assert.equal(await main(args, io), 2);
      assert.equal(io.err.length, 1, io.err.join("\n"));
      assert.ok(io.err[0].startsWith("error: "), io.err[0]);
      assert.ok(
        io.err[0].includes(fragment),
        `expected ${JSON.stringify(fragment)} in ${io.err[0]}`,
      );
      assert.deepEqual(io.out, []);
    });
  }
  // Control: the same flags with valid values run (here only --help, which does no work).
  const io = capture();
  assert.equal(await main(["sweep", "untied", "--depths", "1,2", "--help"], io), 0);
});

Deno.test("sweep --help lists every study of the registry; sweep untied --help its flags", async () => {
  const io = capture();
  assert.equal(await main(["sweep", "--help"], io), 0);
  assert.equal(io.out.join("\n"), sweepHelp());
  for (const name of Object.keys(STUDIES)) assert.match(sweepHelp(), new RegExp(`\n  ${name} `));
  const untied = capture();
  assert.equal(await main(["sweep", "untied", "--help"], untied), 0);
  for (const flag of Object.keys(STUDIES.untied.flags)) {
    assert.match(untied.out.join("\n"), new RegExp(`--${flag}\\b`));
  }
});

Deno.test("sweep untied: one JSON line per depth, the experiment's rows (inf for an infinite context)", async () => {
  const io = capture();
  assert.equal(await main(["sweep", "untied", ...TINY_DIMS], io), 0, io.err.join("\n"));
  const rows = untiedSweep({
    depths: [1, 2],
    prompts: 40,
    testPrompts: 20,
    steps: 5,
    d1: 1,
    d2: 1,
    seed: 0,
    scales: [0.3],
    seeds: [1],
  });
  assert.deepEqual(io.out, rows.map(sweepRowJson));
  assert.equal(JSON.parse(io.out[0]).context, "inf");
  assert.deepEqual(io.err, []);
});

Deno.test("sweep untied --json: one record with the rows; its replay gives the same rows", async () => {
  const io = capture();
  const args = ["sweep", "untied", ...TINY_DIMS, "--layerwise", "--context", "20", "--json"];
  assert.equal(await main(args, io), 0, io.err.join("\n"));
  const record = JSON.parse(io.out.join("\n"));
  assert.equal(record.schema, "icl-verify/sweep/1");
  assert.equal(record.command, "sweep");
  assert.equal(record.study, "untied");
  assert.equal(record.rows.length, 2);
  assert.equal(record.rows[0].untied.beta, null, "B is unused at depth 1 (layerwise): null");
  assert.equal(record.config.context, 20);
  assert.match(
    record.replay,
    /^npx -y deno@\d+\.\d+\.\d+ run -A mod\.ts sweep untied --prompts 40 .* --json$/,
  );
  assert.deepEqual(io.err, [], "no progress lines: standard error is not a terminal");
  const again = capture();
  assert.equal(await main(replayArgs(record.replay), again), 0);
  const replayed = JSON.parse(again.out.join("\n"));
  assert.deepEqual(replayed.rows, record.rows);
  assert.deepEqual(replayed.config, record.config);
});
