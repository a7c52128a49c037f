/**
 * The C11 sweep as a program (README, "Beyond the paper"): untied against tied LCA over
 * depths, one JSON row per depth (`src/experiments/untied_sweep.ts`; Infinity is written "inf").
 *
 *   deno run -A tools/untied_sweep.ts [--prompts 2000] [--test-prompts 20000] [--steps 2500]
 *     [--depths 1,2,3,4,6,8] [--dim1 2] [--dim2 2] [--seed 0] [--layerwise [--from-shared]]
 *     [--tied-start] [--context inf|L] [--target bayes|label] [--scales 0.3,...] [--seeds 1,...]
 *
 * A bad flag or value prints one line to stderr and exits with code 2.
 *
 * @module
 */

import { untiedSweep, type UntiedSweepOptions } from "../src/experiments/untied_sweep.ts";
import { parseUntiedSweepArgs, UNTIED_SWEEP_HELP } from "../src/cli/sweep_command.ts";

let options: UntiedSweepOptions | undefined;
try {
  options = parseUntiedSweepArgs(Deno.args);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  Deno.exit(2);
}
if (options === undefined) {
  console.log(UNTIED_SWEEP_HELP);
} else {
  untiedSweep(
    options,
    (row) => console.log(JSON.stringify(row, (_, v) => (v === Infinity ? "inf" : v))),
  );
}
