/**
 * C3 and C4: geometric decay of the LCA excess risk in depth.
 * C3: E_T(alpha*) <= rho*^{2T} E[s/(1+s)] for every T.
 * C4: the fitted slope of log E_T(alpha) over T matches 2 log rho(alpha),
 *     rho(alpha) = max_s |1 - alpha(1+s)|.
 *
 * @module
 */

import fc from "npm:fast-check@^4";
import { lawSupport, type SpikeLaw } from "../model/law.ts";
import { alphaStar, contractionRate, geometricBound, rhoStar } from "../theory/population.ts";
import { lcaExcess } from "../theory/lca_excess.ts";
import { defaultNodeCount, quadratureRule } from "../theory/quadrature.ts";
import { lawArbitrary } from "./law_arbitraries.ts";
import type { ClaimPart } from "./claim_part.ts";
import type { ClaimResult } from "./claim_result.ts";
import { directPart } from "./direct_part.ts";
import { expect } from "./expect.ts";
import { fmt } from "./format_number.ts";
import { Gauge } from "./gauge.ts";
import { propertyPart } from "./property_part.ts";
import type { CheckOptions, ResolvedCheck } from "./resolve_check.ts";
import { WorstCase } from "./worst_case.ts";
import { type Claim, type ClaimPartsOutput, defineClaim } from "./define.ts";
import { summationErrorBound } from "./margins.ts";

/** Claim metadata (C3). */
export const C3 = {
  id: "C3",
  title: "Geometric bound",
  theorem: "LCA depth theorem (geometric decay)",
  statement: "At alpha* the LCA excess risk obeys E_T(alpha*) <= rho*^{2T} E[s/(1+s)].",
} as const;

/** Claim metadata (C4). */
export const C4 = {
  id: "C4",
  title: "Geometric rate",
  theorem: "LCA depth theorem (rate)",
  statement:
    "log E_T(alpha) decays in T with slope 2 log rho(alpha), rho(alpha) = max_s |1 - alpha(1+s)|.",
} as const;

/**
 * log of the two halves of E_T(alpha) for the one-parameter model, split at the
 * root s_0 = 1/alpha - 1 of 1 - alpha(1+s): each half is dominated by its own
 * support endpoint. Log-sum-exp over the quadrature nodes resolves values far
 * below 1e-300. `nodes` defaults to `defaultNodeCount(depth)`.
 */
export function logExcessHalves(
  law: SpikeLaw,
  alpha: number,
  depth: number,
  nodes: number = defaultNodeCount(depth),
): { low: number; high: number } {
  const rule = quadratureRule(law, nodes);
  const root = 1 / alpha - 1;
  const lowLogs: number[] = [];
  const highLogs: number[] = [];
  for (let i = 0; i < rule.nodes.length; i++) {
    const s = rule.nodes[i];
    const term = 2 * depth * Math.log(Math.abs(1 - alpha * (1 + s))) + Math.log(rule.weights[i]) +
      Math.log(s / (1 + s));
    (s < root ? lowLogs : highLogs).push(term);
  }
  return { low: logSumExp(lowLogs), high: logSumExp(highLogs) };
}

function logSumExp(values: number[]): number {
  const top = Math.max(...values);
  if (!Number.isFinite(top)) return -Infinity;
  let sum = 0;
  for (const v of values) sum += Math.exp(v - top);
  return top + Math.log(sum);
}

/** log E_T(alpha) for the one-parameter model (log-sum-exp over the quadrature nodes). */
export function logOneParameterExcess(
  law: SpikeLaw,
  alpha: number,
  depth: number,
  nodes: number = defaultNodeCount(depth),
): number {
  const { low, high } = logExcessHalves(law, alpha, depth, nodes);
  return logSumExp([low, high]);
}

/** C3 negative-control hooks. */
export interface C3Controls {
  /** The step used instead of alpha* (a wrong alpha must break the bound). */
  alpha?: (law: SpikeLaw) => number;
}

/** Computes the C3 parts. */
async function c3Parts(
  check: ResolvedCheck,
  controls: C3Controls = {},
): Promise<ClaimPartsOutput> {
  const quick = check.size === "quick";
  const alphaOf = controls.alpha ?? alphaStar;
  const worst = new WorstCase();
  const gauge = new Gauge(check, "bound", "at-most", { statistical: false });
  check.progress("C3: E_T(alpha*) <= rho*^{2T} E[s/(1+s)]");
  const part = await propertyPart(
    check,
    C3.id,
    "bound",
    fc.record({ law: lawArbitrary, depth: fc.integer({ min: 1, max: quick ? 60 : 200 }) }),
    ({ law, depth }) => {
      const alpha = alphaOf(law);
      const excess = Math.exp(logOneParameterExcess(law, alpha, depth));
      const bound = geometricBound(law, depth);
      const n = defaultNodeCount(depth);
      // Rounding: each node term has relative error <= (2T + 4) u, the sum gamma_n.
      const tolerance = summationErrorBound(n + 2 * depth + 4, bound);
      worst.record(excess / bound, `max E_T/bound = ${fmt(excess / bound)}`);
      expect(
        gauge.compare(excess, bound, tolerance),
        () => `E_${depth}(${alpha}) = ${excess} exceeds ${bound} (law ${JSON.stringify(law)})`,
      );
    },
    {
      measured: () => worst.text,
      target: "E_T(alpha*) / (rho*^{2T} E[s/(1+s)]) <= 1 (one-sided: the theorem is a bound)",
      margin: "float64 rounding, gamma_{n + 2T + 4} relative",
      numRuns: quick ? 80 : 400,
      gauge,
    },
  );
  return [part];
}

/**
 * The density exponent kappa of E_T's integrand at the support endpoint(s) where
 * |1 - alpha(1+s)| is maximal: E_T ~ C rho^{2T} T^{-kappa}. The density of s behaves
 * like (s - low)^{a-1} and (high - s)^{b-1} (a = b = 1 for uniform). At the low
 * end the factor s/(1+s) ~ low + (s - low) makes the effective exponent lie in
 * [a, a + 1] (a + 1 when low is small against the Laplace window ~ 1/T), so the
 * upper value a + 1 is returned there.
 */
export function endpointExponent(law: SpikeLaw, alpha: number): number {
  const { low, high } = lawSupport(law);
  const atLow = Math.abs(1 - alpha * (1 + low));
  const atHigh = Math.abs(1 - alpha * (1 + high));
  const a = law.kind === "beta" ? law.a : 1;
  const b = law.kind === "beta" ? law.b : 1;
  const lowExponent = a + 1;
  const exponents: number[] = [];
  if (atLow >= atHigh * (1 - 1e-12)) exponents.push(lowExponent);
  if (atHigh >= atLow * (1 - 1e-12)) exponents.push(b);
  return Math.max(...exponents);
}

/** C4 negative-control hooks. */
export interface C4Controls {
  /** The rate compared against instead of rho(alpha) (e.g. rho* for alpha != alpha*). */
  rate?: (law: SpikeLaw, alpha: number) => number;
  /** The stated minimax rate compared with the decay at alpha* (default rhoStar). */
  statedRate?: (law: SpikeLaw) => number;
}

/**
 * Least-squares slope of log E_T(alpha) over T in a window [t0, 2 t0], where t0 =
 * base 2^k is the first depth at which the half of E_T dominated by the other
 * endpoint is below `share` of the whole (no condition at a tie). Returns null when
 * t0 would exceed `cap`. The tolerance bounds the polynomial prefactor T^{-kappa}
 * (kappa log(t1/t0)/(t1 - t0)), higher-order endpoint terms ((kappa+1)^2/t0^2) and
 * the other endpoint's share (share/(t1 - t0)).
 */
export function fittedLogSlope(
  law: SpikeLaw,
  alpha: number,
  base: number,
  cap: number,
  share = 1e-3,
): { slope: number; tolerance: number; t0: number; t1: number; kappa: number } | null {
  const { low, high } = lawSupport(law);
  const rateLow = Math.abs(1 - alpha * (1 + low));
  const rateHigh = Math.abs(1 - alpha * (1 + high));
  const tie = Math.abs(rateLow - rateHigh) <= 1e-12 * Math.max(rateLow, rateHigh);
  let t0 = base;
  while (!tie) {
    const halves = logExcessHalves(law, alpha, t0, defaultNodeCount(2 * t0));
    const secondary = rateLow > rateHigh ? halves.high : halves.low;
    const primary = rateLow > rateHigh ? halves.low : halves.high;
    if (secondary - primary <= Math.log(share)) break;
    t0 *= 2;
    if (t0 > cap) return null;
  }
  const t1 = 2 * t0;
  const depths = Array.from({ length: 7 }, (_, i) => Math.round(t0 + (i * (t1 - t0)) / 6));
  const nodes = defaultNodeCount(t1);
  const ys = depths.map((t) => logOneParameterExcess(law, alpha, t, nodes));
  const meanT = depths.reduce((sum, t) => sum + t, 0) / depths.length;
  const meanY = ys.reduce((sum, y) => sum + y, 0) / ys.length;
  let sxy = 0, sxx = 0;
  depths.forEach((t, i) => {
    sxy += (t - meanT) * (ys[i] - meanY);
    sxx += (t - meanT) ** 2;
  });
  const kappa = endpointExponent(law, alpha);
  const tolerance = kappa * Math.log(t1 / t0) / (t1 - t0) + (kappa + 1) ** 2 / (t0 * t0) +
    share / (t1 - t0);
  return { slope: sxy / sxx, tolerance, t0, t1, kappa };
}

/** The margin of both fitted-slope parts of C4: the endpoint asymptotics. */
const SLOPE_MARGIN = "kappa log 2/t0 + (kappa+1)^2/t0^2 + 1e-3/t0 (endpoint asymptotics)";

/** The depth window of the fitted slopes: the first base and the largest allowed t0. */
interface SlopeWindow {
  /** The first t0 tried. */
  base: number;
  /** The largest t0 allowed (beyond it the draw is discarded). */
  cap: number;
}

/** Computes the C4 parts, in order. */
async function c4Parts(
  check: ResolvedCheck,
  controls: C4Controls = {},
): Promise<ClaimPartsOutput> {
  const quick = check.size === "quick";
  const depthWindow = { base: quick ? 60 : 120, cap: quick ? 960 : 3840 };
  return [
    await logSlopePart(check, controls, depthWindow),
    await rhoStarRatePart(check, controls, depthWindow),
    logSumExpPart(check),
  ];
}

/** The fitted log-slope of E_T(alpha) against 2 log rho(alpha). */
function logSlopePart(
  check: ResolvedCheck,
  controls: C4Controls,
  { base, cap }: SlopeWindow,
): Promise<ClaimPart> {
  const quick = check.size === "quick";
  const rateOf = controls.rate ?? contractionRate;
  const worst = new WorstCase();
  const windows = new WorstCase();
  const gauge = new Gauge(check, "log-slope", "equal", { statistical: false });
  check.progress("C4: fitted log-slope against 2 log rho(alpha)");
  return propertyPart(
    check,
    C4.id,
    "log-slope",
    fc.record({
      law: lawArbitrary,
      fraction: fc.oneof(
        fc.integer({ min: 40, max: 95 }),
        fc.constant(100),
        fc.integer({ min: 105, max: 115 }),
      ).map((v) => v / 100),
    }).filter(({ law, fraction }) => contractionRate(law, fraction * alphaStar(law)) < 0.97),
    ({ law, fraction }) => {
      const alpha = fraction * alphaStar(law);
      const fit = fittedLogSlope(law, alpha, base, cap);
      fc.pre(fit !== null);
      const { slope, tolerance, t0, t1, kappa } = fit!;
      const target = 2 * Math.log(rateOf(law, alpha));
      const error = Math.abs(slope - target);
      worst.record(error / tolerance, `max |slope - 2 log rho|/tol = ${fmt(error / tolerance)}`);
      windows.record(t0, `largest window T in [${t0}, ${t1}]`);
      expect(
        gauge.compare(slope, target, tolerance),
        () =>
          `slope ${slope} over T in [${t0}, ${t1}] vs 2 log rho = ${target} (tolerance ${tolerance}, kappa ${kappa})`,
      );
    },
    {
      measured: () => `${worst.text}; ${windows.text}`,
      target: "least-squares slope of log E_T over T in [t0, 2 t0] = 2 log rho(alpha) (two-sided)",
      margin: SLOPE_MARGIN,
      numRuns: quick ? 40 : 200,
      gauge,
    },
  );
}

/** The stated rate rho* = (m_hi - m_lo)/(2 + m_lo + m_hi) IS the decay rate of E_T at alpha*. */
function rhoStarRatePart(
  check: ResolvedCheck,
  controls: C4Controls,
  { base, cap }: SlopeWindow,
): Promise<ClaimPart> {
  const quick = check.size === "quick";
  const statedRate = controls.statedRate ?? rhoStar;
  const starWorst = new WorstCase();
  const starGauge = new Gauge(check, "rho-star-is-the-rate", "equal", { statistical: false });
  check.progress("C4: rho* against the decay of E_T at alpha*");
  return propertyPart(
    check,
    C4.id,
    "rho-star-is-the-rate",
    lawArbitrary.filter((law) => rhoStar(law) < 0.97),
    (law) => {
      const fit = fittedLogSlope(law, alphaStar(law), base, cap);
      fc.pre(fit !== null);
      const { slope, tolerance, t0, t1 } = fit!;
      const target = 2 * Math.log(statedRate(law));
      const error = Math.abs(slope - target);
      starWorst.record(
        error / tolerance,
        `max |slope - 2 log rho*|/tol = ${fmt(error / tolerance)}`,
      );
      expect(
        starGauge.compare(slope, target, tolerance),
        () => `slope ${slope} at alpha* over T in [${t0}, ${t1}] vs 2 log rho* = ${target}`,
      );
    },
    {
      measured: () => starWorst.text,
      target:
        "slope of log E_T(alpha*) over T = 2 log rho*, rho* = (m_hi - m_lo)/(2 + m_lo + m_hi) " +
        "(two-sided)",
      margin: SLOPE_MARGIN,
      numRuns: quick ? 20 : 100,
      gauge: starGauge,
    },
  );
}

/** A sanity anchor: the direct E_T agrees with the log-sum-exp evaluation. */
function logSumExpPart(check: ResolvedCheck): ClaimPart {
  const law: SpikeLaw = { kind: "uniform", low: 0.5, high: 4 };
  const direct = lcaExcess(law, { alpha: 0.3, beta: -0.3, depth: 20 });
  const viaLog = Math.exp(logOneParameterExcess(law, 0.3, 20));
  return directPart(
    new Gauge(check, "log-sum-exp-evaluation", "rounding"),
    Math.abs(direct - viaLog),
    0,
    1e-10 * direct,
    {
      measured: `E_20(0.3) direct ${fmt(direct, 8)}, log-sum-exp ${fmt(viaLog, 8)}`,
      target: "relative difference <= 1e-10",
      margin: "float64 rounding",
    },
  );
}

/**
 * C3 as a claim (group `paper`).
 *
 * @example Check C3 at quick size
 * ```ts
 * import assert from "node:assert/strict";
 * import { C3_CLAIM } from "./c3_c4_geometric.ts";
 * assert.equal(C3_CLAIM.id, "C3");
 * const result = await C3_CLAIM.check({ size: "quick", seed: 0 });
 * assert.equal(result.passed, true);
 * assert.deepEqual(result.parts.map((part) => part.name), ["bound"]);
 * ```
 */
export const C3_CLAIM: Claim<C3Controls> = defineClaim<C3Controls>({
  ...C3,
  group: "paper",
  parts: c3Parts,
});

/** Runs the C3 check (see {@linkcode C3_CLAIM}). */
export function checkC3(
  options: CheckOptions & { controls?: C3Controls } = {},
): Promise<ClaimResult> {
  return C3_CLAIM.check(options);
}

/**
 * C4 as a claim (group `paper`).
 *
 * @example Check C4 at quick size
 * ```ts
 * import assert from "node:assert/strict";
 * import { C4_CLAIM } from "./c3_c4_geometric.ts";
 * assert.equal(C4_CLAIM.id, "C4");
 * const result = await C4_CLAIM.check({ size: "quick", seed: 0 });
 * assert.equal(result.passed, true);
 * assert.deepEqual(result.parts.map((part) => part.name), [
 *   "log-slope",
 *   "rho-star-is-the-rate",
 *   "log-sum-exp-evaluation",
 * ]);
 * ```
 */
export const C4_CLAIM: Claim<C4Controls> = defineClaim<C4Controls>({
  ...C4,
  group: "paper",
  parts: c4Parts,
});

/** Runs the C4 check (see {@linkcode C4_CLAIM}). */
export function checkC4(
  options: CheckOptions & { controls?: C4Controls } = {},
): Promise<ClaimResult> {
  return C4_CLAIM.check(options);
}
