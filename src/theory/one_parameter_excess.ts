/**
 * The one-parameter population excess E_T(alpha, -alpha) = E[(1 - alpha(1+s))^{2T} s/(1+s)]
 * (LCA with W_S = -W_V = alpha) with its first and second derivatives in alpha, also scaled
 * so that it stays representable far below 1e-300.
 *
 * @module
 */

import {
  requireFinite as requireFiniteNumber,
  requirePositiveInteger,
} from "../validation/errors.ts";
import { type SpikeLaw, validateSpikeLaw } from "../model/law.ts";
import { RESPONSE_LOADING } from "../model/reconstructed.ts";
import { requireFiniteResult } from "../validation/finite_result.ts";
import { lawArgument, populationRule, type QuadratureOptions } from "./population.ts";

const LOADING2 = RESPONSE_LOADING * RESPONSE_LOADING;

/**
 * The one-parameter excess E_T(alpha, -alpha) = E[r^{2T} s/(1+s)], r = 1 - alpha(1+s),
 * and its first and second derivatives in alpha (-2T E[r^{2T-1} s] and
 * 2T(2T-1) E[r^{2T-2} s(1+s)]), all divided by exp(logScale) with
 * logScale = max_i (2T - 2) log|r_i| over the nodes, so that they stay representable
 * when E_T is far below 1e-300 (true value = scaled value * exp(logScale)).
 *
 * @example E_T at T = 1500 is far below 1e-300, its scaled value is not
 * ```ts
 * import assert from "node:assert/strict";
 * import { oneParameterExcessScaled } from "./one_parameter_excess.ts";
 * const r = oneParameterExcessScaled({ kind: "uniform", low: 0.5, high: 4 }, 0.3, 1500);
 * assert.ok(r.value > 0 && r.logScale < -700); // E_T = r.value * exp(r.logScale) underflows
 * ```
 */
export function oneParameterExcessScaled(
  law: SpikeLaw,
  alpha: number,
  depth: number,
  options: QuadratureOptions = {},
): { value: number; derivative: number; second: number; logScale: number } {
  validateSpikeLaw(law);
  requireFiniteNumber("alpha", alpha);
  requirePositiveInteger("depth", depth);
  const rule = populationRule(law, depth, options);
  let logScale = -Infinity;
  for (let i = 0; i < rule.nodes.length; i++) {
    const r = Math.abs(1 - alpha * (1 + rule.nodes[i]));
    if (r > 0) logScale = Math.max(logScale, (2 * depth - 2) * Math.log(r));
  }
  if (!Number.isFinite(logScale)) logScale = 0;
  let value = 0, derivative = 0, second = 0;
  for (let i = 0; i < rule.nodes.length; i++) {
    const s = rule.nodes[i];
    const r = 1 - alpha * (1 + s);
    const rp = depth === 1
      ? 1
      : r === 0
      ? 0
      : Math.exp((2 * depth - 2) * Math.log(Math.abs(r)) - logScale);
    value += rule.weights[i] * rp * r * r * s / (1 + s);
    derivative += rule.weights[i] * -2 * depth * rp * r * s;
    second += rule.weights[i] * 2 * depth * (2 * depth - 1) * rp * s * (1 + s);
  }
  return {
    value: LOADING2 * value,
    derivative: LOADING2 * derivative,
    second: LOADING2 * second,
    logScale: depth === 1 ? 0 : logScale,
  };
}

/**
 * The one-parameter excess E_T(alpha, -alpha) with its first and second
 * derivatives in alpha, in closed form (accurate when the excess is far below
 * 1e-16; values below 1e-308 underflow to 0, see {@linkcode oneParameterExcessScaled}).
 *
 * @example E_T(alpha, -alpha) and its derivatives in alpha
 * ```ts
 * import assert from "node:assert/strict";
 * import { oneParameterExcess } from "./one_parameter_excess.ts";
 * import { lcaExcess } from "./lca_excess.ts";
 * const law = { kind: "uniform", low: 0.5, high: 4 } as const;
 * const e = oneParameterExcess(law, 0.3, 10);
 * const general = lcaExcess(law, { alpha: 0.3, beta: -0.3, depth: 10 }); // about 7.6e-8
 * assert.ok(Math.abs(e.value - general) <= 1e-12 * general); // two formulas, one integral
 * assert.ok(e.derivative < 0 && e.second > 0); // convex, and 0.3 lies below alpha_10 = 0.30003
 * ```
 */
export function oneParameterExcess(
  law: SpikeLaw,
  alpha: number,
  depth: number,
  options: QuadratureOptions = {},
): { value: number; derivative: number; second: number } {
  const r = oneParameterExcessScaled(law, alpha, depth, options);
  const scale = Math.exp(r.logScale);
  const out = {
    value: r.value * scale,
    derivative: r.derivative * scale,
    second: r.second * scale,
  };
  requireFiniteResult([out.value, out.derivative, out.second], "E_T(alpha, -alpha)", {
    alpha,
    depth,
    ...lawArgument(law),
  });
  return out;
}
