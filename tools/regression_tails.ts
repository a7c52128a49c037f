/**
 * Tails of the sandwich z-statistic of the fitted reduced-LSA Gamma on the regression
 * family, against the normal tails the E1/E3 margins assume (the evidence behind
 * `FITTED_GAMMA_MIN_CONTEXT` in `src/claims/regression_fit.ts`). Not run in CI.
 *
 *   deno run -A tools/regression_tails.ts [--runs 3000] [--d 2] [--prompts 2000]
 *     [--seed-base 50000] 8 20 50
 *
 * For each context L: `runs` independent fits on N prompts (Lambda = 0.25 I, sigma = 0,
 * noise-free labels), every entry's |Gamma_hat - Gamma*| / SE, and the fraction above 3,
 * 4 and 4.5 next to the normal's.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { samplePromptStatistics } from "../src/model/prompt_statistics.ts";
import { fitReducedWithErrors } from "../src/claims/regression_fit.ts";
import { regressionLsaGamma } from "../src/theory/regression_lsa.ts";

const { values, positionals } = parseArgs({
  args: Deno.args,
  options: {
    runs: { type: "string", default: "3000" },
    d: { type: "string", default: "2" },
    prompts: { type: "string", default: "2000" },
    "seed-base": { type: "string", default: "50000" },
  },
  allowPositionals: true,
});
const runs = Number(values.runs), d = Number(values.d), prompts = Number(values.prompts);
const seedBase = Number(values["seed-base"]);
for (const text of positionals.length > 0 ? positionals : ["8", "20", "50"]) {
  const context = Number(text);
  const covariance = Array(d).fill(0.25);
  const star = regressionLsaGamma(covariance, context, 0);
  const above = [0, 0, 0];
  let max = 0, count = 0;
  for (let run = 0; run < runs; run++) {
    const stats = samplePromptStatistics({
      family: "regression",
      covariance,
      sigma: 0,
      prompts,
      context,
      seed: seedBase + run,
      stream: 0,
    });
    const fit = fitReducedWithErrors(stats, stats.queryLabel);
    for (let i = 0; i < d * d; i++) {
      const z = Math.abs(fit.gamma[i] - star[i]) / fit.standardError[i];
      count++;
      [3, 4, 4.5].forEach((t, k) => (above[k] += z > t ? 1 : 0));
      max = Math.max(max, z);
    }
  }
  const p = (k: number) => (above[k] / count).toExponential(2);
  console.log(
    `L = ${context}, d = ${d}, N = ${prompts}: ${count} comparisons; P(|z| > 3) = ${p(0)} ` +
      `(normal 2.7e-3), P(|z| > 4) = ${p(1)} (6.3e-5), P(|z| > 4.5) = ${p(2)} (6.8e-6); ` +
      `max ${max.toFixed(2)}`,
  );
}
