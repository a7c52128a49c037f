/**
 * Options of the C11 sweep (untied against tied LCA over depths T): what each means, their
 * validation (a TypeError or RangeError naming the value) and their defaults.
 *
 * @module
 */

import type { SpikeLaw } from "../model/law.ts";
import {
  requireTarget,
  STATISTICS_SAMPLERS,
  type StatisticsSampler,
  type Target,
} from "../model/task.ts";
import {
  describeValue,
  requireChoice,
  requireKnownKeys,
  requireNonNegativeInteger,
  requirePositive,
  requirePositiveInteger,
} from "../validation/errors.ts";

/** Options of the C11 sweep (`untiedSweep` in `untied_sweep.ts`). */
export interface UntiedSweepOptions {
  /** Depths T. */
  depths: number[];
  /** Training prompts N. */
  prompts: number;
  /** Test prompts. */
  testPrompts: number;
  /** Most training iterations per start (a cap: Levenberg-Marquardt stops on its certificate). */
  steps: number;
  /** Spiked coordinates d1. */
  d1: number;
  /** Unspiked coordinates d2 (d = d1 + d2). */
  d2: number;
  /** Seed of the prompts (training stream 0, test stream 1). */
  seed: number;
  /** Law of the spike strength (default: the default law of `docs/model.md`). */
  law?: SpikeLaw;
  /** Label noise sigma (default 0.1). */
  sigma?: number;
  /** Train `lca-full-layerwise` instead of `lca-full` (default false). */
  layerwise?: boolean;
  /** Training context L_tr: a positive integer or Infinity (default: exact statistics). */
  context?: number;
  /** Training target: "bayes" (default) or "label" (the noisy y_q of l_{N,L_tr}). */
  target?: Target;
  /**
   * Statistics sampler of the finite contexts (`SampleOptions.sampler`): `auto` (default: the
   * exact sampler for d + 2 <= L), `wishart` or `tokens`.
   */
  sampler?: StatisticsSampler;
  /** Scales of the random starts (default [0.3]). */
  scales?: number[];
  /** Seeds of the random starts (default [seed + 1]); every scale with every seed. */
  seeds?: number[];
  /** Layerwise only: also start from the best shared solution repeated over the layers. */
  fromShared?: boolean;
  /**
   * Also start exactly at the tied model trained on the same loss (no perturbation; default
   * false): descent from there ends at a training loss no higher than the tied model's.
   */
  tiedStart?: boolean;
}

const SWEEP_KEYS = [
  "depths",
  "prompts",
  "testPrompts",
  "steps",
  "d1",
  "d2",
  "seed",
  "law",
  "sigma",
  "layerwise",
  "context",
  "target",
  "sampler",
  "scales",
  "seeds",
  "fromShared",
  "tiedStart",
];

/** Validated sweep options with the defaults filled in (law and sigma stay optional). */
export type ResolvedUntiedSweep =
  & Required<Omit<UntiedSweepOptions, "law" | "sigma">>
  & Pick<UntiedSweepOptions, "law" | "sigma">;

function requireList(name: string, value: unknown): unknown[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new TypeError(`${name} must be a non-empty array, got ${describeValue(value)}`);
  }
  return value;
}

/** Validates sweep options (TypeError/RangeError naming the value) and fills in the defaults. */
export function resolveUntiedSweep(o: UntiedSweepOptions): ResolvedUntiedSweep {
  requireKnownKeys("options", o, SWEEP_KEYS);
  if (o === undefined) throw new TypeError("options must be an options object, got undefined");
  const seed = requireNonNegativeInteger("seed", o.seed);
  const layerwise = o.layerwise ?? false;
  if (typeof layerwise !== "boolean") {
    throw new TypeError(`layerwise must be a boolean, got ${describeValue(layerwise)}`);
  }
  const fromShared = o.fromShared ?? false;
  if (typeof fromShared !== "boolean") {
    throw new TypeError(`fromShared must be a boolean, got ${describeValue(fromShared)}`);
  }
  const tiedStart = o.tiedStart ?? false;
  if (typeof tiedStart !== "boolean") {
    throw new TypeError(`tiedStart must be a boolean, got ${describeValue(tiedStart)}`);
  }
  if (fromShared && !layerwise) {
    throw new RangeError("fromShared must be false unless layerwise is true, got true");
  }
  const context = o.context === undefined || o.context === Infinity
    ? Infinity
    : requirePositiveInteger("context", o.context);
  const testPrompts = requirePositiveInteger("testPrompts", o.testPrompts);
  if (testPrompts < 2) {
    throw new RangeError(`testPrompts must be at least 2 (a standard error), got ${testPrompts}`);
  }
  return {
    depths: requireList("depths", o.depths).map((v, i) =>
      requirePositiveInteger(`depths[${i}]`, v)
    ),
    prompts: requirePositiveInteger("prompts", o.prompts),
    testPrompts,
    steps: requirePositiveInteger("steps", o.steps),
    d1: requirePositiveInteger("d1", o.d1),
    d2: requireNonNegativeInteger("d2", o.d2),
    seed,
    ...(o.law === undefined ? {} : { law: o.law }),
    ...(o.sigma === undefined ? {} : { sigma: o.sigma }),
    layerwise,
    context,
    target: requireTarget(o.target ?? "bayes"),
    sampler: requireChoice("sampler", o.sampler ?? "auto", STATISTICS_SAMPLERS),
    scales: requireList("scales", o.scales ?? [0.3]).map((v, i) =>
      requirePositive(`scales[${i}]`, v)
    ),
    seeds: requireList("seeds", o.seeds ?? [seed + 1]).map((v, i) =>
      requireNonNegativeInteger(`seeds[${i}]`, v)
    ),
    fromShared,
    tiedStart,
  };
}
