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
import { alphaStar, gammaStar, optimalDepthStep, rhoStar } from "../theory/population.ts";
import { lawOnSupport, supportArbitrary } from "./arbitraries.ts";
import {
  type CheckOptions,
  type ClaimResult,
  expect,
  fmt,
  propertyPart,
  type ResolvedCheck,
  WorstCase,
} from "./result.ts";
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
  const worst = new WorstCase();
  check.progress("C7: same support, different shape");
  const part = await propertyPart(check, C7.id, "same-support", pairs, ([first, second]) => {
    const a1 = alphaStar(first), a2 = alphaStar(second);
    expect(a1 === a2 && rhoStar(first) === rhoStar(second), () => `alpha* differs: ${a1} vs ${a2}`);
    const g1 = gammaStar(first), g2 = gammaStar(second);
    const t1 = optimalDepthStep(first, DEPTH), t2 = optimalDepthStep(second, DEPTH);
    // Both are computed to ~1e-14 relative (quadrature, Newton to machine precision):
    // a difference above 1e-9 relative is a real difference.
    const gammaMove = Math.abs(g1 - g2) / Math.max(g1, g2);
    const depthMove = Math.abs(t1 - t2) / Math.max(t1, t2);
    worst.record(
      -Math.min(gammaMove, depthMove),
      `smallest relative move: gamma* ${fmt(gammaMove, 2)}, alpha_${DEPTH} ${fmt(depthMove, 2)}`,
    );
    expect(gammaMove > 1e-9, () => `gamma* did not move: ${g1} vs ${g2}`);
    expect(depthMove > 1e-9, () => `alpha_${DEPTH} did not move: ${t1} vs ${t2}`);
  }, {
    measured: () => `alpha* identical in every pair; ${worst.text}`,
    target: `alpha*, rho* equal; gamma* and alpha_${DEPTH} differ`,
    margin: "differences > 1e-9 relative (quadrature and Newton accuracy ~1e-14)",
    numRuns: quick ? 60 : 300,
  });
  return [part];
}

/**
 * C7 as a claim (group `paper`).
 *
 * @example Check C7 at quick size
 * ```ts
 * import { C7_CLAIM } from "./c7_support_only.ts";
 * console.log(C7_CLAIM.id, C7_CLAIM.statement);
 * const result = await C7_CLAIM.check({ size: "quick", seed: 0 });
 * console.log(result.passed, result.parts.map((part) => part.name));
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
