import assert from "node:assert/strict";
import { parseSpikeLaw } from "../model/law.ts";
import { alphaStar, bayesRisk, geometricBound, rhoStar } from "./population.ts";
import { gammaStar, lsaGap } from "./gamma_star.ts";
import { lcaExcess } from "./lca_excess.ts";
import { optimalDepthStep } from "./optimal_depth_step.ts";
import { twoParameterOptimum } from "./two_parameter_optimum.ts";
import { populationSummary } from "./population_summary.ts";
import { UNIFORM } from "../../testkit/population_reference.ts";

Deno.test("populationSummary: reference values for uniform [0.5, 4], sigma 0.1, T = 10", () => {
  const p = populationSummary(UNIFORM, 0.1, 10);
  // The published values, to their printed digits (half a unit in the last place).
  assert.ok(Math.abs(p.alphaStar - 0.307692) <= 5e-7);
  assert.ok(Math.abs(p.rhoStar - 0.53846) <= 5e-6);
  assert.ok(Math.abs(p.lsaGap - 0.04851) <= 5e-6);
  assert.ok(Math.abs(p.gammaStar - 0.2700) <= 5e-5);
  assert.ok(Math.abs(p.alphaT - 0.30003) <= 5e-6, `alphaT ${p.alphaT}`);
  assert.ok(Math.abs(p.twoParam.alpha - 0.30065) <= 5e-6, `two alpha ${p.twoParam.alpha}`);
  assert.ok(Math.abs(p.twoParam.beta + 0.30061) <= 5e-6, `two beta ${p.twoParam.beta}`);
  for (const [T, value] of [[1, 0.2700], [2, 0.2814], [5, 0.2939], [20, 0.3036], [50, 0.3060]]) {
    assert.ok(Math.abs(optimalDepthStep(UNIFORM, T) - value) <= 5e-5, `alpha_${T}`);
  }
  // Excess at alpha* is below the geometric bound; alpha_T beats alpha*.
  assert.ok(p.excessAtAlphaStar <= p.geometricBound);
  assert.ok(p.excessAtAlphaT <= p.excessAtAlphaStar);
  assert.ok(p.twoParamExcess <= p.excessAtAlphaT);
});

Deno.test("populationSummary: each field is its function's value", () => {
  const law = parseSpikeLaw("beta:2:5", 0.2, 3);
  const p = populationSummary(law, 0.2, 6);
  const alphaT = optimalDepthStep(law, 6), a = alphaStar(law), two = twoParameterOptimum(law, 6);
  assert.deepEqual(p, {
    alphaStar: a,
    rhoStar: rhoStar(law),
    bayesRisk: bayesRisk(law, 0.2),
    gammaStar: gammaStar(law),
    lsaGap: lsaGap(law),
    alphaT,
    excessAtAlphaT: lcaExcess(law, { alpha: alphaT, beta: -alphaT, depth: 6 }),
    excessAtAlphaStar: lcaExcess(law, { alpha: a, beta: -a, depth: 6 }),
    twoParam: { alpha: two.alpha, beta: two.beta },
    geometricBound: geometricBound(law, 6),
    twoParamExcess: two.excess,
  });
  assert.throws(() => populationSummary(law, -0.1, 6), /^RangeError: sigma must be/);
  assert.throws(() => populationSummary(law, 0.1, 0), /^RangeError: depth must be/);
  // The quadrature size is an option: 8 nodes give a different (cruder) summary.
  assert.notDeepEqual(populationSummary(law, 0.2, 6, { nodes: 3 }), p);
  assert.throws(() => populationSummary(law, 0.2, 6, { nodes: 0 }), /^RangeError: nodes must be/);
});
