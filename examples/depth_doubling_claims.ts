/**
 * A user claim module, written only against the public API (`mod.ts` and the
 * `testing` entry point). Run it with
 *
 * ```sh
 * deno run -A mod.ts verify --claims-module examples/depth_doubling_claims.ts
 * ```
 *
 * Claim U1: at alpha*, doubling the depth multiplies the population excess by at
 * most the geometric bound factor rho*^{2T}:
 *
 *   E_{2T}(alpha*) <= rho*^{2T} E_T(alpha*).
 *
 * Why it holds: E_T = E[r(s)^{2T} w(s)] with r(s) = 1 - alpha*(1 + s) and
 * w = s/(1+s), and |r(s)| <= rho* on the support, so
 * E_{2T} = E[r^{2T} r^{2T} w] <= rho*^{2T} E[r^{2T} w]. The inequality holds for the
 * quadrature sums as well (their nodes lie in the support), so the only margin
 * is float64 rounding. Doubling the depth at least squares the bound factor
 * itself: rho*^{4T} = (rho*^{2T})^2.
 *
 * Claim U2 checks the same statement by Monte Carlo on sampled prompts with exact
 * task statistics: the mean of (LCA_{2T} - Bayes)^2 is at most
 * rho*^{2T} E_T(alpha*) within z standard errors.
 *
 * @module
 */

import {
  alphaStar,
  bayesPredict,
  defineClaim,
  lcaExcess,
  lcaPredict,
  rhoStar,
  type SpikeLaw,
} from "../mod.ts";
import fc from "npm:fast-check@^4";
import {
  comparisonPart,
  expect,
  meanAtMost,
  propertyPart,
  spikeLaws,
  WorstCase,
} from "../src/testing/mod.ts";

const UNIT_ROUNDOFF = Number.EPSILON / 2;

function excessAtAlphaStar(law: SpikeLaw, depth: number): number {
  const alpha = alphaStar(law);
  return lcaExcess(law, { alpha, beta: -alpha, depth });
}

/** U1: the population inequality, as a fast-check property over laws and depths. */
export const DEPTH_DOUBLING = defineClaim({
  id: "U1",
  title: "depth doubling at alpha*",
  theorem: "user claim (from the geometric bound)",
  statement: "E_{2T}(alpha*) <= rho*^{2T} E_T(alpha*) for every law and depth T",
  group: "user",
  async parts(check) {
    const worst = new WorstCase();
    const part = await propertyPart(
      check,
      "U1",
      "doubling",
      fc.tuple(spikeLaws(), fc.integer({ min: 1, max: 40 })),
      ([law, depth]) => {
        const single = excessAtAlphaStar(law, depth);
        const double = excessAtAlphaStar(law, 2 * depth);
        const factor = rhoStar(law) ** (2 * depth);
        // Rounding: each term of the quadrature sum is a product of about 4T + 4
        // factors, and a sum of n <= 400 nodes adds n more (Higham's gamma_n).
        const rounding = (4 * depth + 404) * UNIT_ROUNDOFF;
        const ratio = double / (factor * single);
        worst.record(ratio, `max E_2T / (rho*^2T E_T) = ${ratio.toPrecision(4)} (T = ${depth})`);
        expect(
          double <= factor * single * (1 + 2 * rounding),
          () => `E_${2 * depth} = ${double} > rho*^${2 * depth} E_${depth} = ${factor * single}`,
        );
      },
      {
        measured: () => worst.text,
        target: "E_2T / (rho*^2T E_T) <= 1 (one-sided bound)",
        margin: "float64 rounding, (8T + 808) u relative",
        numRuns: check.size === "full" ? 400 : 80,
      },
    );
    return [part];
  },
});

/** U2: the same inequality by Monte Carlo at the default law. */
export const DEPTH_DOUBLING_MONTE_CARLO = defineClaim({
  id: "U2",
  title: "depth doubling, Monte Carlo",
  theorem: "user claim (from the geometric bound)",
  statement: "mean (LCA_2T - Bayes)^2 <= rho*^{2T} E_T(alpha*) on prompts with exact statistics",
  group: "user",
  async parts(check) {
    const law: SpikeLaw = { kind: "uniform", low: 0.5, high: 4 };
    const depth = 3;
    const test = await check.sample({
      law,
      prompts: check.size === "full" ? 20000 : 4000,
      context: Infinity,
      seed: check.seed,
      stream: 1,
    });
    const alpha = alphaStar(law);
    const lca = lcaPredict(test, { alpha, beta: -alpha, depth: 2 * depth });
    const bayes = bayesPredict(test);
    const squared = lca.map((value, i) => (value - bayes[i]) ** 2);
    const bound = rhoStar(law) ** (2 * depth) * excessAtAlphaStar(law, depth);
    return [comparisonPart("monte-carlo", meanAtMost(squared, bound))];
  },
});
