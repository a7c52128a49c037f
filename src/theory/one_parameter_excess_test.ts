import assert from "node:assert/strict";
import { parseSpikeLaw } from "../model/law.ts";
import { alphaStar } from "./population.ts";
import { lcaExcess } from "./lca_excess.ts";
import { oneParameterExcess, oneParameterExcessScaled } from "./one_parameter_excess.ts";
import { expect, LAWS, relClose } from "../../testkit/population_reference.ts";

Deno.test("oneParameterExcess: value, first and second derivative in alpha, at any T", () => {
  for (const [name, low, high] of LAWS) {
    const law = parseSpikeLaw(name, low, high);
    for (const T of [1, 2, 5, 12]) {
      for (const alpha of [0.2, alphaStar(law), 0.6]) {
        const r = (s: number) => 1 - alpha * (1 + s);
        const got = oneParameterExcess(law, alpha, T);
        const what = `${name} T=${T} alpha=${alpha}`;
        const value = expect(law, (s) => r(s) ** (2 * T) * s / (1 + s));
        const first = expect(law, (s) => -2 * T * r(s) ** (2 * T - 1) * s);
        const second = expect(law, (s) => 2 * T * (2 * T - 1) * r(s) ** (2 * T - 2) * s * (1 + s));
        relClose(got.value, value, 1e-7, `${what} value`);
        // The first derivative can vanish (at alpha_T); compare it on the scale of the second.
        assert.ok(
          Math.abs(got.derivative - first) <= 1e-7 * (Math.abs(first) + Math.abs(second)),
          `${what} derivative ${got.derivative} vs ${first}`,
        );
        relClose(got.second, second, 1e-7, `${what} second`);
        // E_T(alpha, -alpha) is lcaExcess on the line beta = -alpha.
        relClose(lcaExcess(law, { alpha, beta: -alpha, depth: T }), value, 1e-7, `${what} E_T`);
      }
    }
  }
});

Deno.test("oneParameterExcessScaled: representable where E_T underflows; the scale is exact", () => {
  const law = parseSpikeLaw("beta:2:5", 0.2, 3);
  const alpha = alphaStar(law), T = 1500;
  const scaled = oneParameterExcessScaled(law, alpha, T);
  assert.equal(oneParameterExcess(law, alpha, T).value, 0); // 1e-300 and below underflows
  assert.ok(scaled.value > 0 && Number.isFinite(scaled.logScale) && scaled.logScale < -700);
  // log E_T by the independent quadrature, each term shifted by the largest log before exp.
  const logTerm = (s: number) => 2 * T * Math.log(Math.abs(1 - alpha * (1 + s)));
  const shift = Math.max(logTerm(0.2), logTerm(3));
  const reference = Math.log(expect(law, (s) => Math.exp(logTerm(s) - shift) * s / (1 + s))) +
    shift;
  const got = Math.log(scaled.value) + scaled.logScale;
  assert.ok(Math.abs(got - reference) <= 1e-6, `log E_T ${got} vs ${reference}`);
  // At moderate T the scaled triple times exp(logScale) is the unscaled one.
  const moderate = oneParameterExcessScaled(law, 0.3, 6), plain = oneParameterExcess(law, 0.3, 6);
  relClose(moderate.value * Math.exp(moderate.logScale), plain.value, 1e-14, "value");
  relClose(moderate.second * Math.exp(moderate.logScale), plain.second, 1e-14, "second");
  // T = 1: no scaling at all; r = 0 at some node contributes 0, not NaN.
  assert.equal(oneParameterExcessScaled(law, 0.3, 1).logScale, 0);
  const point = parseSpikeLaw("point:1", 0, 1);
  const exact = oneParameterExcess(point, 0.5, 3); // r = 0 at the only node
  assert.ok(
    exact.value === 0 && exact.derivative === 0 && exact.second === 0,
    JSON.stringify(exact),
  );
  assert.throws(() => oneParameterExcess(law, Infinity, 3), /alpha must be a finite number/);
  assert.throws(() => oneParameterExcess(law, 0.3, 1.5), /depth must be a positive integer/);
});
