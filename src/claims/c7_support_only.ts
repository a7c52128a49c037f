/**
 * C7: alpha* depends on the law only through its support endpoints: two laws
 * with the same support have the same alpha* (and rho*) but different gamma*
 * and different alpha_T at finite T.
 *
 * @module
 */

import fc from "npm:fast-check@^4";
import type { Arbitrary } from "npm:fast-check@^4";
import type { SpikeLaw } from "../model/law.ts";
import { alphaStar, rhoStar } from "../theory/population.ts";
import { gammaStar } from "../theory/gamma_star.ts";
import { optimalDepthStep } from "../theory/optimal_depth_step.ts";
import { lawOnSupport, supportArbitrary } from "./law_arbitraries.ts";
import type { ClaimResult } from "./claim_result.ts";
import { expect } from "./expect.ts";
import { fmt } from "./format_number.ts";
import { Gauge } from "./gauge.ts";
import { propertyPart } from "./property_part.ts";
import type { CheckOptions, ResolvedCheck } from "./resolve_check.ts";
import { WorstCase } from "./worst_case.ts";
import { type Claim, type ClaimPartsOutput, defineClaim } from "./define.ts";

/** Claim metadata. */
export const C7 = {
  id: "C7",
  title: "alpha* from the support",
  theorem: "One-parameter LCA theorem (alpha*)",
  statement: "Changing the shape of the law but not its support leaves alpha* unchanged, " +
    "while gamma* and alpha_T at finite T move.",
} as const;

/** C7 negative-control hooks. */
export interface C7Controls {
  /** Replaces the pair of laws (e.g. the same law twice, or different supports). */
  pairs?: Arbitrary<[SpikeLaw, SpikeLaw]>;
}

const DEPTH = 5;

/** Computes the C7 parts. */
async function c7Parts(
  check: ResolvedCheck,
  controls: C7Controls = {},
): Promise<ClaimPartsOutput> {
  const quick = check.size === "quick";
  const pairs = controls.pairs ??
    supportArbitrary.chain((support) => fc.tuple(lawOnSupport(support), lawOnSupport(support)))
      .filter(([a, b]) => JSON.stringify(a) !== JSON.stringify(b));
  const numRuns = quick ? 60 : 300;
  // alpha* and rho* are closed forms of the endpoints: identical to the last bit.
  const equalGauge = new Gauge(check, "alpha-star-equal", "rounding");
  const equalWorst = new WorstCase();
  check.progress("C7: same support, different shape");
  const equal = await propertyPart(check, C7.id, "alpha-star-equal", pairs, ([first, second]) => {
    const a1 = alphaStar(first), a2 = alphaStar(second);
    const r1 = rhoStar(first), r2 = rhoStar(second);
    const difference = Math.max(Math.abs(a1 - a2) / a1, Math.abs(r1 - r2) / Math.max(r1, 1e-300));
    equalWorst.record(
      difference,
      `max relative |alpha*_1 - alpha*_2|, |rho*_1 - rho*_2| = ${fmt(difference, 2)}`,
    );
    expect(
      equalGauge.compare(difference, 0, Number.EPSILON),
      () => `alpha* or rho* differs: ${a1} vs ${a2}, ${r1} vs ${r2}`,
    );
  }, {
    measured: () => equalWorst.text,
    target: "alpha*, rho* equal for both laws (two-sided)",
    margin: "float64 epsilon relative (closed forms of the same endpoints)",
    numRuns,
    gauge: equalGauge,
  });
  // gamma* and alpha_T are computed to ~1e-14 relative (quadrature, Newton to machine
  // precision): a difference above 1e-9 relative is a real difference.
  const movePart = (name: string, label: string, of: (law: SpikeLaw) => number) => {
    const gauge = new Gauge(check, name, "rounding", { direction: "down" });
    const worst = new WorstCase();
    return propertyPart(check, C7.id, name, pairs, ([first, second]) => {
      const v1 = of(first), v2 = of(second);
      const move = Math.abs(v1 - v2) / Math.max(v1, v2);
      worst.record(-move, `smallest relative move of ${label} = ${fmt(move, 2)}`);
      // move >= 1e-9: the lower bound 2e-9 - 1e-9.
      expect(gauge.compare(move, 2e-9, 1e-9), () => `${label} did not move: ${v1} vs ${v2}`);
    }, {
      measured: () => worst.text,
      target: `${label} differs between the laws (one-sided: move > resolution)`,
      margin: "differences > 1e-9 relative (quadrature and Newton accuracy ~1e-14)",
      numRuns,
      gauge,
    });
  };
  const gamma = await movePart("gamma-star-moves", "gamma*", (law) => gammaStar(law));
  const depth = await movePart(
    "alpha-t-moves",
    `alpha_${DEPTH}`,
    (law) => optimalDepthStep(law, DEPTH),
  );
  return [equal, gamma, depth];
}

/**
 * C7 as a claim (group `paper`).
 *
 * @example Check C7 at quick size
 * ```ts
 * import assert from "node:assert/strict";
 * import { C7_CLAIM } from "./c7_support_only.ts";
 * assert.equal(C7_CLAIM.id, "C7");
 * const result = await C7_CLAIM.check({ size: "quick", seed: 0 });
 * assert.equal(result.passed, true);
 * assert.deepEqual(result.parts.map((part) => part.name), [
 *   "alpha-star-equal",
 *   "gamma-star-moves",
 *   "alpha-t-moves",
 * ]);
 * ```
 */
export const C7_CLAIM: Claim<C7Controls> = defineClaim<C7Controls>({
  ...C7,
  group: "paper",
  parts: c7Parts,
});

/** Runs the C7 check (see {@linkcode C7_CLAIM}). */
export function checkC7(
  options: CheckOptions & { controls?: C7Controls } = {},
): Promise<ClaimResult> {
  return C7_CLAIM.check(options);
}
