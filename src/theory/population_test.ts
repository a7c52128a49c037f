import assert from "node:assert/strict";
import { parseSpikeLaw } from "../model/law.ts";
import {
  alphaStar,
  bayesRisk,
  contractionRate,
  geometricBound,
  populationRule,
  rhoStar,
  zeroPredictorExcess,
} from "./population.ts";
import { defaultNodeCount, quadratureRule } from "./quadrature.ts";
import { expect, LAWS, relClose, UNIFORM } from "../../testkit/population_reference.ts";

Deno.test("population: alpha*, rho* and R_Bayes agree with an independent quadrature to 1e-6", () => {
  for (const [name, low, high] of LAWS) {
    const law = parseSpikeLaw(name, low, high);
    const what = (q: string) => `${name}[${low}, ${high}] ${q}`;
    assert.equal(alphaStar(law), 2 / (2 + low + high));
    assert.equal(rhoStar(law), (high - low) / (2 + low + high));
    relClose(bayesRisk(law, 0.3), 0.09 + expect(law, (s) => 1 / (1 + s)), 1e-6, what("bayesRisk"));
  }
});

Deno.test("contractionRate, zeroPredictorExcess and geometricBound: their definitions", () => {
  for (const [name, low, high] of LAWS) {
    const law = parseSpikeLaw(name, low, high);
    const what = (q: string) => `${name}[${low}, ${high}] ${q}`;
    // rho(alpha) = max over the support of |1 - alpha(1+s)|: the low end rules for small alpha,
    // the high end for large, and the two meet at alpha* with rho* (exactly, by construction).
    for (const alpha of [0.05, 0.2, 0.45, 0.9, -0.1]) {
      const expected = Math.max(Math.abs(1 - alpha * (1 + low)), Math.abs(1 - alpha * (1 + high)));
      assert.equal(contractionRate(law, alpha), expected, what(`rho(${alpha})`));
    }
    relClose(contractionRate(law, alphaStar(law)), rhoStar(law), 1e-15, what("rho(alpha*)"));
    const zero = expect(law, (s) => s / (1 + s));
    relClose(zeroPredictorExcess(law), zero, 1e-8, what("E[s/(1+s)]"));
    for (const T of [1, 4, 25]) {
      relClose(geometricBound(law, T), rhoStar(law) ** (2 * T) * zero, 1e-8, what(`bound T=${T}`));
    }
  }
  assert.throws(() => contractionRate(UNIFORM, NaN), /^RangeError: alpha must be a finite number/);
  assert.throws(() => geometricBound(UNIFORM, 0), /^RangeError: depth must be a positive integer/);
  assert.throws(
    () => geometricBound(UNIFORM, 2, { nodes: 8, start: 1 } as never),
    /^TypeError: options has an unknown option "start" \(known: nodes, limits\)$/,
  );
  assert.equal(geometricBound(UNIFORM, 3, { nodes: 8 }) > 0, true);
});

Deno.test("populationRule: defaultNodeCount(T) nodes unless given, and named errors", () => {
  assert.equal(populationRule(UNIFORM, 10), quadratureRule(UNIFORM, defaultNodeCount(10)));
  assert.equal(populationRule(UNIFORM, 10).nodes.length, 276);
  assert.equal(populationRule(UNIFORM, 3, { nodes: 8 }), quadratureRule(UNIFORM, 8));
  assert.throws(
    () => populationRule(UNIFORM, 1, { nodes: 0 }),
    /^RangeError: nodes must be a positive integer/,
  );
  assert.throws(
    () => populationRule(UNIFORM, 1, { knots: 3 } as never),
    /^TypeError: options has an unknown option "knots"/,
  );
  assert.throws(() => bayesRisk(UNIFORM, -0.1), /^RangeError: sigma must be a finite number >= 0/);
});
