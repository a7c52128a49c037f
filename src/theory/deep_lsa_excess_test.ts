import assert from "node:assert/strict";
import { deepLsaPredict } from "../model/predictors.ts";
import { gammaStar, lsaGap } from "./gamma_star.ts";
import { deepLsaCoefficient, deepLsaExcess } from "./deep_lsa_excess.ts";
import {
  checkCoefficientAtExactStatistics,
  expect,
  relClose,
  UNIFORM,
} from "../../testkit/population_reference.ts";

Deno.test("deepLsaCoefficient: what the deep-LSA predictor gives at exact task statistics", () => {
  checkCoefficientAtExactStatistics(
    "deep",
    deepLsaPredict,
    (params, s) => deepLsaCoefficient(params, 1 + s),
  );
});

Deno.test("deepLsaExcess: the LSA gap at T = 1, the independent quadrature at T = 3", () => {
  // Depth one: deep LSA is LSA, whose excess at gamma* is the LSA gap.
  relClose(
    deepLsaExcess(UNIFORM, { alpha: gammaStar(UNIFORM), beta: 0.7, depth: 1 }),
    lsaGap(UNIFORM),
    1e-9,
    "deep LSA at T = 1",
  );
  const params = { alpha: 0.25, beta: -0.1, depth: 3 };
  const reference = expect(
    UNIFORM,
    (s) => (deepLsaCoefficient(params, 1 + s) - 1 / (1 + s)) ** 2 * s * (1 + s),
  );
  relClose(deepLsaExcess(UNIFORM, params), reference, 1e-8, "deep LSA excess");
  assert.throws(() => deepLsaExcess(UNIFORM, { ...params, depth: 0 }), /depth/);
});
