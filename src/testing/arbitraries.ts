/**
 * fast-check arbitraries for users' own properties, built by composition in the
 * style of fast-check itself: every arbitrary takes an optional constraints
 * object whose fields are documented with their defaults, values shrink towards
 * the simplest case (the lower end of each range, the uniform law, depth 1), and
 * everything drawn is a plain, validated value of this toolkit's types.
 *
 * @module
 */

import fc from "npm:fast-check@^4";
import type { Arbitrary } from "npm:fast-check@^4";
import type { SpikeLaw } from "../model/law.ts";
import type { DeepLsaParameters, LcaParameters, LsaParameters } from "../model/models.ts";
import type { SampleOptions } from "../model/task.ts";

/** Constraints of {@linkcode supports}. */
export interface SupportConstraints {
  /** Smallest lower end m_lo (default 0). */
  minLow?: number;
  /** Largest lower end m_lo (default 3). */
  maxLow?: number;
  /** Smallest width m_hi - m_lo (default 0.25). */
  minWidth?: number;
  /** Largest width m_hi - m_lo (default 6). */
  maxWidth?: number;
}

/** Constraints of {@linkcode spikeLaws}. */
export interface SpikeLawConstraints extends SupportConstraints {
  /** Law families to draw from (default `["uniform", "beta"]`; add `"point"` for point masses). */
  kinds?: readonly ("uniform" | "beta" | "point")[];
  /** Smallest Beta shape parameter (default 0.5). */
  minShape?: number;
  /** Largest Beta shape parameter (default 5). */
  maxShape?: number;
}

/** Constraints of {@linkcode tasks}. */
export interface TaskConstraints extends SpikeLawConstraints {
  /** Smallest modality dimension d1 and d2 (default 1). */
  minModalityDim?: number;
  /** Largest modality dimension d1 and d2 (default 4). */
  maxModalityDim?: number;
  /** Largest label noise sigma; sigma is drawn in [0, maxSigma] (default 0.5). */
  maxSigma?: number;
}

/** Constraints of {@linkcode sampleOptions}. */
export interface SampleConstraints extends TaskConstraints {
  /** Smallest number of prompts (default 1). */
  minPrompts?: number;
  /** Largest number of prompts (default 16). */
  maxPrompts?: number;
  /** Smallest context length L (default 1). */
  minContext?: number;
  /** Largest context length L (default 64). */
  maxContext?: number;
  /** Also draw `context: Infinity` (exact task statistics) (default false). */
  infiniteContext?: boolean;
}

/** Constraints of {@linkcode lcaParameters} and {@linkcode deepLsaParameters}. */
export interface LayerConstraints {
  /** Smallest depth T (default 1). */
  minDepth?: number;
  /** Largest depth T (default 10). */
  maxDepth?: number;
  /** Largest |alpha| and |beta| (default 1). */
  maxMagnitude?: number;
  /** Tie beta = -alpha, the one-parameter model (default false). */
  tied?: boolean;
}

/** Constraints of {@linkcode sizes}. */
export interface SizeConstraints {
  /** Largest number of prompts N (default 256; smallest is 1). */
  maxPrompts?: number;
  /** Largest context length L (default 256; smallest is 1). */
  maxContext?: number;
  /** Largest depth T (default 20; smallest is 1). */
  maxDepth?: number;
}

/** Draws sizes for the tests of one toolkit: prompts, context and depth. */
export interface Sizes {
  /** Number of prompts N. */
  prompts: number;
  /** Context length L. */
  context: number;
  /** Depth T. */
  depth: number;
}

function finite(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new RangeError(`${name} must be a finite number, got ${String(v)}`);
  }
  return v;
}

function ordered(minName: string, min: number, maxName: string, max: number): void {
  if (min > max) throw new RangeError(`${minName} must be at most ${maxName}, got ${min} > ${max}`);
}

function integer(name: string, value: number | undefined, fallback: number, least = 0): number {
  const v = value ?? fallback;
  if (!Number.isSafeInteger(v) || v < least) {
    throw new RangeError(`${name} must be an integer >= ${least}, got ${String(v)}`);
  }
  return v;
}

/** A number on a grid of 1/1000 in [min, max] (shrinks towards min). */
function grid(min: number, max: number): Arbitrary<number> {
  const lo = Math.ceil(min * 1000), hi = Math.floor(max * 1000);
  if (lo > hi) return fc.constant(min);
  return fc.integer({ min: lo, max: hi }).map((v) => v / 1000);
}

/**
 * A support [low, high] of the spike strength s = |m|^2, on a 1/1000 grid.
 *
 * @example Draw supports
 * ```ts
 * import assert from "node:assert/strict";
 * import fc from "npm:fast-check@^4";
 * import { supports } from "./arbitraries.ts";
 * for (const support of fc.sample(supports({ maxLow: 1 }), { seed: 1, numRuns: 20 })) {
 *   assert.ok(support.low <= 1 && support.high > support.low);
 * }
 * ```
 */
export function supports(
  constraints: SupportConstraints = {},
): Arbitrary<{ low: number; high: number }> {
  const minLow = finite("minLow", constraints.minLow, 0);
  const maxLow = finite("maxLow", constraints.maxLow, 3);
  const minWidth = finite("minWidth", constraints.minWidth, 0.25);
  const maxWidth = finite("maxWidth", constraints.maxWidth, 6);
  if (minLow < 0) throw new RangeError(`minLow must be non-negative, got ${minLow}`);
  if (minWidth <= 0) throw new RangeError(`minWidth must be positive, got ${minWidth}`);
  ordered("minLow", minLow, "maxLow", maxLow);
  ordered("minWidth", minWidth, "maxWidth", maxWidth);
  return fc.record({ low: grid(minLow, maxLow), width: grid(minWidth, maxWidth) })
    .map(({ low, width }) => ({ low, high: Math.round((low + width) * 1000) / 1000 }))
    .filter(({ low, high }) => high > low);
}

/**
 * A law of the spike strength: uniform, a rescaled Beta(a, b), or (when asked
 * for) a point mass inside the support range.
 *
 * @example Draw laws, point masses included
 * ```ts
 * import assert from "node:assert/strict";
 * import fc from "npm:fast-check@^4";
 * import { spikeLaws } from "./arbitraries.ts";
 * const laws = fc.sample(spikeLaws({ kinds: ["uniform", "point"] }), { seed: 3, numRuns: 20 });
 * assert.ok(laws.every((law) => law.kind === "uniform" || law.kind === "point"));
 * ```
 */
export function spikeLaws(constraints: SpikeLawConstraints = {}): Arbitrary<SpikeLaw> {
  const kinds = constraints.kinds ?? ["uniform", "beta"];
  if (!Array.isArray(kinds) || kinds.length === 0) {
    throw new RangeError(`kinds must be a non-empty list of uniform, beta, point`);
  }
  for (const kind of kinds) {
    if (kind !== "uniform" && kind !== "beta" && kind !== "point") {
      throw new RangeError(`kinds must hold uniform, beta or point, got ${JSON.stringify(kind)}`);
    }
  }
  const minShape = finite("minShape", constraints.minShape, 0.5);
  const maxShape = finite("maxShape", constraints.maxShape, 5);
  if (minShape <= 0) throw new RangeError(`minShape must be positive, got ${minShape}`);
  ordered("minShape", minShape, "maxShape", maxShape);
  const support = supports(constraints);
  const shape = fc.integer({ min: Math.ceil(minShape * 100), max: Math.floor(maxShape * 100) })
    .map((v) => v / 100);
  const options: Arbitrary<SpikeLaw>[] = [];
  for (const kind of new Set(kinds)) {
    if (kind === "uniform") {
      options.push(support.map((s): SpikeLaw => ({ kind: "uniform", ...s })));
    } else if (kind === "beta") {
      options.push(
        fc.tuple(support, shape, shape).map(([s, a, b]): SpikeLaw => ({
          kind: "beta",
          a,
          b,
          ...s,
        })),
      );
    } else {
      const high = finite("maxLow", constraints.maxLow, 3) +
        finite("maxWidth", constraints.maxWidth, 6);
      options.push(
        grid(finite("minLow", constraints.minLow, 0), high).map((value): SpikeLaw => ({
          kind: "point",
          value,
        })),
      );
    }
  }
  return options.length === 1 ? options[0] : fc.oneof(...options);
}

/**
 * Task settings (the `TaskOptions` of sampling and training): a law, the two
 * modality dimensions and the label noise.
 *
 * @example Sample prompts of drawn tasks
 * ```ts
 * import fc from "npm:fast-check@^4";
 * import { tasks } from "./arbitraries.ts";
 * import { samplePromptStatistics } from "../model/prompt_statistics.ts";
 * fc.assert(fc.property(tasks({ maxModalityDim: 2 }), (task) => {
 *   const stats = samplePromptStatistics({ ...task, prompts: 2, context: 8, seed: 0 });
 *   return stats.task.dim === task.d1 + task.d2;
 * }), { seed: 1, numRuns: 10 });
 * ```
 */
export function tasks(
  constraints: TaskConstraints = {},
): Arbitrary<{ law: SpikeLaw; d1: number; d2: number; sigma: number }> {
  const minDim = integer("minModalityDim", constraints.minModalityDim, 1, 1);
  const maxDim = integer("maxModalityDim", constraints.maxModalityDim, 4, 1);
  ordered("minModalityDim", minDim, "maxModalityDim", maxDim);
  const maxSigma = finite("maxSigma", constraints.maxSigma, 0.5);
  if (maxSigma < 0) throw new RangeError(`maxSigma must be non-negative, got ${maxSigma}`);
  return fc.record({
    law: spikeLaws(constraints),
    d1: fc.integer({ min: minDim, max: maxDim }),
    d2: fc.integer({ min: minDim, max: maxDim }),
    sigma: grid(0, maxSigma),
  });
}

/**
 * Complete sampling options (task, prompts, context, seed and stream) for
 * `samplePromptStatistics`, `samplePromptBatch` or a backend.
 *
 * @example Token-level and exact statistics agree on the dimension
 * ```ts
 * import fc from "npm:fast-check@^4";
 * import { sampleOptions } from "./arbitraries.ts";
 * import { samplePromptBatch } from "../model/task.ts";
 * fc.assert(fc.property(sampleOptions({ maxPrompts: 4, maxContext: 16 }), (options) => {
 *   const batch = samplePromptBatch(options);
 *   return batch.x.length === options.prompts * options.context * batch.task.dim;
 * }), { seed: 2, numRuns: 10 });
 * ```
 */
export function sampleOptions(constraints: SampleConstraints = {}): Arbitrary<SampleOptions> {
  const minPrompts = integer("minPrompts", constraints.minPrompts, 1, 1);
  const maxPrompts = integer("maxPrompts", constraints.maxPrompts, 16, 1);
  const minContext = integer("minContext", constraints.minContext, 1, 1);
  const maxContext = integer("maxContext", constraints.maxContext, 64, 1);
  ordered("minPrompts", minPrompts, "maxPrompts", maxPrompts);
  ordered("minContext", minContext, "maxContext", maxContext);
  const context = fc.integer({ min: minContext, max: maxContext });
  return fc.record({
    task: tasks(constraints),
    prompts: fc.integer({ min: minPrompts, max: maxPrompts }),
    context: constraints.infiniteContext ? fc.oneof(context, fc.constant(Infinity)) : context,
    seed: fc.nat({ max: 0xffffffff }),
    stream: fc.nat({ max: 0xffffffff }),
  }).map(({ task, ...rest }): SampleOptions => ({ ...task, ...rest }));
}

/**
 * LCA parameters (alpha, beta, depth T): two-parameter by default, or tied
 * (beta = -alpha).
 *
 * @example One-parameter LCA parameters
 * ```ts
 * import assert from "node:assert/strict";
 * import fc from "npm:fast-check@^4";
 * import { lcaParameters } from "./arbitraries.ts";
 * for (const p of fc.sample(lcaParameters({ tied: true, maxDepth: 5 }), { seed: 4, numRuns: 20 })) {
 *   assert.ok(p.beta === -p.alpha && p.depth >= 1 && p.depth <= 5);
 * }
 * ```
 */
export function lcaParameters(constraints: LayerConstraints = {}): Arbitrary<LcaParameters> {
  const minDepth = integer("minDepth", constraints.minDepth, 1, 1);
  const maxDepth = integer("maxDepth", constraints.maxDepth, 10, 1);
  ordered("minDepth", minDepth, "maxDepth", maxDepth);
  const magnitude = finite("maxMagnitude", constraints.maxMagnitude, 1);
  if (magnitude <= 0) throw new RangeError(`maxMagnitude must be positive, got ${magnitude}`);
  const value = fc.double({ min: -magnitude, max: magnitude, noNaN: true, noDefaultInfinity: true })
    .map((v) => v === 0 ? 0 : v); // no -0
  const depth = fc.integer({ min: minDepth, max: maxDepth });
  return constraints.tied
    ? fc.record({ alpha: value, depth }).map(({ alpha, depth }) => ({
      alpha,
      beta: alpha === 0 ? 0 : -alpha,
      depth,
    }))
    : fc.record({ alpha: value, beta: value, depth });
}

/**
 * Two-parameter deep-LSA parameters (same constraints as {@linkcode lcaParameters}).
 *
 * @example Depths up to maxDepth
 * ```ts
 * import assert from "node:assert/strict";
 * import fc from "npm:fast-check@^4";
 * import { deepLsaParameters } from "./arbitraries.ts";
 * for (const p of fc.sample(deepLsaParameters({ maxDepth: 3 }), { seed: 5, numRuns: 20 })) {
 *   assert.ok(p.depth >= 1 && p.depth <= 3);
 * }
 * ```
 */
export function deepLsaParameters(
  constraints: LayerConstraints = {},
): Arbitrary<DeepLsaParameters> {
  return lcaParameters({ ...constraints, tied: false });
}

/**
 * Full single-layer LSA parameters (p, K) for dimension `dim`: p in R^{d+1},
 * K in R^{(d+1) x d} (row-major), entries in [-maxMagnitude, maxMagnitude]
 * (default 1).
 *
 * @example p has d + 1 entries, K (d + 1) x d
 * ```ts
 * import assert from "node:assert/strict";
 * import fc from "npm:fast-check@^4";
 * import { lsaParameters } from "./arbitraries.ts";
 * const [p] = fc.sample(lsaParameters(4), { seed: 6, numRuns: 1 });
 * assert.deepEqual([p.p.length, p.k.length], [5, 20]);
 * ```
 */
export function lsaParameters(
  dim: number,
  constraints: { maxMagnitude?: number } = {},
): Arbitrary<LsaParameters> {
  const d = integer("dim", dim, 1, 1);
  const magnitude = finite("maxMagnitude", constraints.maxMagnitude, 1);
  if (magnitude <= 0) throw new RangeError(`maxMagnitude must be positive, got ${magnitude}`);
  const entry = fc.double({
    min: -magnitude,
    max: magnitude,
    noNaN: true,
    noDefaultInfinity: true,
  });
  return fc.record({
    p: fc.array(entry, { minLength: d + 1, maxLength: d + 1 }).map((v) => Float64Array.from(v)),
    k: fc.array(entry, { minLength: (d + 1) * d, maxLength: (d + 1) * d })
      .map((v) => Float64Array.from(v)),
  });
}

/**
 * Sizes N, L and T, each at least 1 (shrinking towards 1).
 *
 * @example Depths up to maxDepth
 * ```ts
 * import assert from "node:assert/strict";
 * import fc from "npm:fast-check@^4";
 * import { sizes } from "./arbitraries.ts";
 * for (const s of fc.sample(sizes({ maxDepth: 3 }), { seed: 7, numRuns: 20 })) {
 *   assert.ok(s.depth >= 1 && s.depth <= 3);
 * }
 * ```
 */
export function sizes(constraints: SizeConstraints = {}): Arbitrary<Sizes> {
  return fc.record({
    prompts: fc.integer({ min: 1, max: integer("maxPrompts", constraints.maxPrompts, 256, 1) }),
    context: fc.integer({ min: 1, max: integer("maxContext", constraints.maxContext, 256, 1) }),
    depth: fc.integer({ min: 1, max: integer("maxDepth", constraints.maxDepth, 20, 1) }),
  });
}
