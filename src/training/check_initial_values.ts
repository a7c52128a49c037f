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
  /** Initial alpha of a tied model. */
  alphaInit?: number;
  /** Initial beta of a tied model. */
  betaInit?: number;
  /** Initial softmax temperature of sca and sca-centred. */
  tauInit?: number;
  /** Per-layer initial alpha_t. */
  alphasInit?: readonly number[];
  /** Per-layer initial beta_t. */
  betasInit?: readonly number[];
  /** Per-layer initial tau_t (sca-layerwise). */
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
