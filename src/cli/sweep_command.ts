/**
 * Flags of `tools/untied_sweep.ts` (the C11 sweep, `src/experiments/untied_sweep.ts`): parsed
 * into {@linkcode UntiedSweepOptions}; a bad flag or value is a `UsageError` naming it.
 *
 * @module
 */

import type { Target } from "../model/task.ts";
import { resolveUntiedSweep, type UntiedSweepOptions } from "../experiments/untied_sweep.ts";
import { type FlagTable, parseFlags, UsageError } from "./options.ts";

/** Flags of `tools/untied_sweep.ts`. */
export const UNTIED_SWEEP_FLAGS: FlagTable = {
  prompts: { kind: "integer", default: 2000 },
  "test-prompts": { kind: "integer", default: 20000, min: 2 },
  steps: { kind: "integer", default: 2500 },
  depths: { kind: "text", default: "1,2,3,4,6,8" },
  dim1: { kind: "integer", default: 2 },
  dim2: { kind: "integer", default: 2, min: 0 },
  seed: { kind: "integer", default: 0, min: 0 },
  layerwise: { kind: "boolean" },
  "from-shared": { kind: "boolean" },
  "tied-start": { kind: "boolean" },
  context: { kind: "context", default: Infinity },
  target: { kind: "choice", choices: ["bayes", "label"], default: "bayes" },
  scales: { kind: "text", default: "0.3" },
  seeds: { kind: "text" },
};

/** Usage of `tools/untied_sweep.ts`. */
export const UNTIED_SWEEP_HELP = `Usage: deno run -A tools/untied_sweep.ts [options]
  --prompts N          training prompts (default 2000)
  --test-prompts N     test prompts (default 20000)
  --steps N            most training iterations per start (default 2500)
  --depths LIST        comma-separated depths T (default 1,2,3,4,6,8)
  --dim1 N --dim2 N    d1 and d2 (default 2 and 2)
  --seed N             prompt seed (default 0)
  --layerwise          lca-full-layerwise instead of lca-full
  --from-shared        layerwise: also start from the best shared solution
  --tied-start         also start at the trained tied model, unperturbed
  --context L          training context L_tr, a positive integer or "inf" (default inf)
  --target T           bayes (default) or label (the paper's l_{N,L_tr} with a finite L_tr)
  --scales LIST        scales of the random starts (default 0.3)
  --seeds LIST         seeds of the random starts (default seed + 1)`;

function parseList(
  name: string,
  text: string,
  check: (item: string, value: number) => boolean,
  what: string,
): number[] {
  const items = text.split(",");
  return items.map((item) => {
    const trimmed = item.trim();
    const value = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed) ? Number(trimmed) : NaN;
    if (!check(trimmed, value)) {
      throw new UsageError(
        `--${name} must be a comma-separated list of ${what}, got ${JSON.stringify(text)}`,
      );
    }
    return value;
  });
}

const isPositiveInteger = (_: string, v: number) => Number.isSafeInteger(v) && v > 0;
const isNonNegativeInteger = (_: string, v: number) => Number.isSafeInteger(v) && v >= 0;

/**
 * Parses the arguments of `tools/untied_sweep.ts` into sweep options (`undefined` for
 * `--help`); a bad value is a `UsageError` (or TypeError/RangeError) naming the flag.
 */
export function parseUntiedSweepArgs(args: readonly string[]): UntiedSweepOptions | undefined {
  const { values, given } = parseFlags("untied_sweep", args, UNTIED_SWEEP_FLAGS);
  if (values.help) return undefined;
  if (given.has("from-shared") && !values.layerwise) {
    throw new UsageError("--from-shared applies with --layerwise only, got it without");
  }
  const seed = values.seed as number;
  const options: UntiedSweepOptions = {
    depths: parseList("depths", values.depths as string, isPositiveInteger, "positive integers"),
    prompts: values.prompts as number,
    testPrompts: values["test-prompts"] as number,
    steps: values.steps as number,
    d1: values.dim1 as number,
    d2: values.dim2 as number,
    seed,
    layerwise: values.layerwise as boolean,
    context: values.context as number,
    target: values.target as Target,
    scales: parseList(
      "scales",
      values.scales as string,
      (_, v) => Number.isFinite(v) && v > 0,
      "numbers > 0",
    ),
    seeds: values.seeds === undefined ? [seed + 1] : parseList(
      "seeds",
      values.seeds as string,
      isNonNegativeInteger,
      "non-negative integers",
    ),
    fromShared: values["from-shared"] as boolean,
    tiedStart: values["tied-start"] as boolean,
  };
  resolveUntiedSweep(options);
  return options;
}
