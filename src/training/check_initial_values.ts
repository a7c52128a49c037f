/**
 * The initial values a training run may be given, by model: the tied models take scalars
 * (`alphaInit`, `betaInit`; `sca` and `sca-centred` also `tauInit`), the per-layer models
 * lists of `depth` numbers (`alphasInit` for the schedules and `sca-layerwise`, `betasInit`
 * for lca2-schedule and `sca-layerwise`, `tausInit` for `sca-layerwise`). Temperatures must
 * be > 0. Each misuse is a RangeError naming the option.
 *
 * @module
 */

import { describeValue, requireNumbers, requirePositive } from "../validation/errors.ts";
import { isSoftmaxModel } from "../model/softmax_models.ts";

/** The initial-value options of a training run (a part of `TrainOptions`). */
export interface InitialValueOptions {
  /**
   * Initial alpha (lca1 default 0; lca2 default alpha*(beta_0); deep-lsa default 0; sca and
   * sca-centred default: the tied LCA optimum on the training prompts, `fit_softmax.ts`).
   */
  alphaInit?: number;
  /** Initial beta for lca2 (default -1/(1 + m_hi)), deep-lsa (default 0), sca, sca-centred. */
  betaInit?: number;
  /** sca and sca-centred: the initial softmax temperature tau > 0 (default 1/sqrt(d)). */
  tauInit?: number;
  /**
   * lca-schedule and lca2-schedule: the initial step of each layer, `depth` numbers (default:
   * the Chebyshev schedule of the support, largest step first; `fit_schedule.ts`);
   * sca-layerwise.
   */
  alphasInit?: readonly number[];
  /** lca2-schedule: the initial beta_t of each layer (default beta_t = -alpha_t); sca-layerwise. */
  betasInit?: readonly number[];
  /** sca-layerwise: the initial tau_t > 0 of each layer (default 1/sqrt(d) in every layer). */
  tausInit?: readonly number[];
}

/** The per-layer lists each per-layer model takes. */
const LISTS: Readonly<Record<string, string>> = {
  "lca-schedule": "alphasInit",
  "lca2-schedule": "alphasInit, betasInit",
  "sca-layerwise": "alphasInit, betasInit, tausInit",
};

/** Which models take each per-layer list. */
const LIST_MODELS = [
  ["alphasInit", ["lca-schedule", "lca2-schedule", "sca-layerwise"]],
  ["betasInit", ["lca2-schedule", "sca-layerwise"]],
  ["tausInit", ["sca-layerwise"]],
] as const;

/** "a", "a and b", "a, b and c". */
function listOf(names: readonly string[]): string {
  return names.length < 2
    ? names.join("")
    : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/**
 * Checks the initial values of a run of `model` at `depth` layers: scalars only for the tied
 * models (`tauInit` only for sca and sca-centred, > 0), per-layer lists of `depth` finite
 * numbers only for the models that take them (tau_t > 0).
 *
 * @example A temperature list for sca-layerwise, not for lca2-schedule
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkInitialValues } from "./check_initial_values.ts";
 * checkInitialValues("sca-layerwise", 2, { tausInit: [0.5, 0.5] });
 * assert.throws(
 *   () => checkInitialValues("lca2-schedule", 2, { tausInit: [0.5, 0.5] }),
 *   /^RangeError: tausInit applies to sca-layerwise only/,
 * );
 * assert.throws(() => checkInitialValues("sca", 2, { tauInit: 0 }), /^RangeError: tauInit/);
 * ```
 */
export function checkInitialValues(
  model: string,
  depth: number,
  options: InitialValueOptions,
): void {
  const lists = LISTS[model];
  for (const name of ["alphaInit", "betaInit", "tauInit"] as const) {
    if (lists !== undefined && options[name] !== undefined) {
      throw new RangeError(
        `${name} does not apply to model ${model} (per-layer initial values: ${lists}), ` +
          `got ${describeValue(options[name])}`,
      );
    }
  }
  if (options.tauInit !== undefined) {
    if (!isSoftmaxModel(model)) {
      throw new RangeError(
        `tauInit applies to sca and sca-centred only, got ${
          describeValue(options.tauInit)
        } for model ${model}`,
      );
    }
    requirePositive("tauInit", options.tauInit);
  }
  for (const [name, models] of LIST_MODELS) {
    const value = options[name];
    if (value === undefined) continue;
    if (!(models as readonly string[]).includes(model)) {
      throw new RangeError(
        `${name} applies to ${listOf(models)} only, got ${describeValue(value)} for model ${model}`,
      );
    }
    requireNumbers(name, value, depth);
    if (name === "tausInit" && !value.every((tau) => tau > 0)) {
      throw new RangeError(`tausInit must hold temperatures > 0, got ${describeValue(value)}`);
    }
  }
}
