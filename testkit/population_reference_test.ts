import assert from "node:assert/strict";
import { lcaPredict } from "../src/model/predictors.ts";
import { checkCoefficientAtExactStatistics, geometric } from "./population_reference.ts";

const lcaCoefficient = (p: { alpha: number; beta: number; depth: number }, s: number) =>
  geometric(1 + p.beta * (1 + s), p.depth).g * p.alpha;

Deno.test("checkCoefficientAtExactStatistics passes the LCA's coefficient along the spike", () => {
  checkCoefficientAtExactStatistics("lca", lcaPredict, lcaCoefficient);
});

Deno.test("control: checkCoefficientAtExactStatistics fails for a coefficient off by 1e-9", () => {
  assert.throws(
    () =>
      checkCoefficientAtExactStatistics("lca", lcaPredict, (p, s) => lcaCoefficient(p, s) + 1e-9),
    /lca .* vs /,
  );
});
