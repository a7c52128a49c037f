import assert from "node:assert/strict";
import { samplePromptStatistics } from "./prompt_statistics.ts";
import { bayesPredict } from "./predictors.ts";
import { exactExcess, taskExcess } from "./exact_excess.ts";

const exact = samplePromptStatistics({ prompts: 6, context: Infinity, seed: 3 });
const finite = samplePromptStatistics({ prompts: 6, context: 40, seed: 3 });
const zero = (stats: { prompts: number }) => new Float64Array(stats.prompts);

Deno.test("exactExcess and taskExcess: zero for the Bayes predictor, w^T Sigma w for zero", () => {
  for (const stats of [exact, finite]) {
    for (const e of [exactExcess(stats, bayesPredict), taskExcess(stats, bayesPredict)]) {
      e.forEach((v) => assert.ok(Math.abs(v) <= 1e-28, `${v}`));
    }
  }
  // g = 0: w^T Sigma w with Sigma = I + m m^T (taskExcess) or Sigma_hat (exactExcess).
  const d = exact.task.dim;
  const fromZero = taskExcess(finite, zero), atZero = exactExcess(exact, zero);
  for (let n = 0; n < exact.prompts; n++) {
    const m = finite.spike.subarray(n * d, (n + 1) * d), s = finite.strength[n];
    const ww = m.reduce((a, v) => a + v * v, 0) / (1 + s) ** 2;
    const mw = m.reduce((a, v) => a + v * v, 0) / (1 + s);
    const expected = ww + mw * mw;
    assert.ok(Math.abs(fromZero[n] - expected) <= 1e-14 * expected, `task ${n}`);
    // At exact statistics Sigma_hat = Sigma, so the two forms agree.
    assert.ok(Math.abs(atZero[n] - taskExcess(exact, zero)[n]) <= 1e-14 * expected, `exact ${n}`);
  }
  // Control: at a finite context Sigma_hat != Sigma, so exactExcess is another number.
  assert.ok(exactExcess(finite, zero).some((v, n) => Math.abs(v - fromZero[n]) > 1e-6));
});
