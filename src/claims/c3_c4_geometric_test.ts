import assert from "node:assert/strict";
import {
  endpointExponent,
  fittedLogSlope,
  logExcessHalves,
  logOneParameterExcess,
} from "./c3_c4_geometric.ts";
import type { SpikeLaw } from "../model/law.ts";
import { alphaStar } from "../theory/population.ts";
import { oneParameterExcess } from "../theory/one_parameter_excess.ts";
import { defaultNodeCount, quadratureRule } from "../theory/quadrature.ts";

const uniform: SpikeLaw = { kind: "uniform", low: 0.5, high: 4 };
const beta: SpikeLaw = { kind: "beta", a: 2.5, b: 0.7, low: 0.2, high: 3 };

Deno.test("logExcessHalves: the halves split at s = 1/alpha - 1 and add up to E_T", () => {
  // Against a direct quadrature sum of each half (no logs); control: the halves swapped.
  for (const law of [uniform, beta]) {
    for (const [alpha, depth] of [[0.3, 1], [0.35, 7], [0.5, 20]]) {
      const rule = quadratureRule(law, defaultNodeCount(depth));
      const root = 1 / alpha - 1;
      let low = 0, high = 0;
      for (let i = 0; i < rule.nodes.length; i++) {
        const s = rule.nodes[i];
        const term = rule.weights[i] * (1 - alpha * (1 + s)) ** (2 * depth) * s / (1 + s);
        if (s < root) low += term;
        else high += term;
      }
      const halves = logExcessHalves(law, alpha, depth);
      assert.ok(Math.abs(Math.exp(halves.low) / low - 1) < 1e-12, `low ${alpha} ${depth}`);
      assert.ok(Math.abs(Math.exp(halves.high) / high - 1) < 1e-12, `high ${alpha} ${depth}`);
      assert.ok(Math.abs(Math.exp(halves.low) / high - 1) > 1e-6, "control: swapped halves");
      const whole = Math.exp(logOneParameterExcess(law, alpha, depth));
      const reference = oneParameterExcess(law, alpha, depth).value;
      assert.ok(Math.abs(whole / reference - 1) < 1e-10, `E_T ${whole} vs ${reference}`);
    }
  }
});

Deno.test("logExcessHalves: an empty half is -Infinity (not NaN), and values below 1e-300 resolve", () => {
  // alpha = 0.1: root = 9 lies above the support [0.5, 4], so every node is in the low half.
  const halves = logExcessHalves(uniform, 0.1, 5);
  assert.equal(halves.high, -Infinity);
  assert.ok(Number.isFinite(halves.low));
  // A point mass at s = 0: its one term is log(0) = -Infinity, and so is the half.
  assert.equal(logExcessHalves({ kind: "point", value: 0 }, 0.5, 3).low, -Infinity);
  // T = 2000 at alpha* (rho* = 7/13): E_T ~ rho*^4000 ~ 1e-1076, far below float64's range.
  const log = logOneParameterExcess(uniform, alphaStar(uniform), 2000);
  assert.ok(log < -2000 && Number.isFinite(log), `log E_T = ${log}`);
});

Deno.test("endpointExponent: the density exponent at the dominant endpoint, the larger at a tie", () => {
  // Beta(a = 2.5, b = 0.7): low end a + 1 = 3.5, high end b = 0.7.
  const { low, high } = { low: 0.2, high: 3 };
  const towardsHigh = 0.6; // |1 - 0.6 (1 + 3)| = 1.4 > |1 - 0.6 x 1.2| = 0.28
  assert.ok(Math.abs(1 - towardsHigh * (1 + high)) > Math.abs(1 - towardsHigh * (1 + low)));
  assert.equal(endpointExponent(beta, towardsHigh), 0.7);
  const towardsLow = 0.1; // 0.88 at the low end against 0.6 at the high end
  assert.equal(endpointExponent(beta, towardsLow), 3.5);
  // At alpha* the two rates tie: the larger exponent.
  assert.equal(endpointExponent(beta, alphaStar(beta)), 3.5);
  const mirrored: SpikeLaw = { kind: "beta", a: 0.7, b: 2.5, low: 0.2, high: 3 };
  assert.equal(endpointExponent(mirrored, alphaStar(mirrored)), 2.5);
  // The low end dominating with the larger exponent at the other end: a + 1 = 1.7, not 2.5.
  assert.equal(endpointExponent(mirrored, towardsLow), 1.7);
  // Uniform: a = b = 1, so 2 at the low end, 1 at the high end.
  assert.equal(endpointExponent(uniform, 0.1), 2);
  assert.equal(endpointExponent(uniform, 0.45), 1);
  // A relative difference of 1e-13 is a tie; 1e-9 is not.
  const tieAlpha = alphaStar(uniform) * (1 + 1e-14);
  assert.equal(endpointExponent(uniform, tieAlpha), 2);
});

Deno.test("fittedLogSlope: the window starts where the other endpoint's half is below its share", () => {
  // alpha = 0.9 alpha* on the uniform law: the low end dominates (rate 1 - alpha(1 + low)),
  // the high end's half decays more slowly at first. The window must start at the first
  // base 2^k where log(secondary) - log(primary) <= log(share), found here by brute force.
  const alpha = 0.9 * alphaStar(uniform);
  const share = 1e-3;
  const fit = fittedLogSlope(uniform, alpha, 4, 4096, share);
  assert.ok(fit, "a window below the cap");
  const rateLow = Math.abs(1 - alpha * 1.5), rateHigh = Math.abs(1 - alpha * 5);
  let t0 = 4;
  for (;;) {
    const halves = logExcessHalves(uniform, alpha, t0, defaultNodeCount(2 * t0));
    const [primary, secondary] = rateLow > rateHigh
      ? [halves.low, halves.high]
      : [halves.high, halves.low];
    if (secondary - primary <= Math.log(share)) break;
    t0 *= 2;
  }
  assert.ok(t0 > 4, `the doubling is exercised (t0 = ${t0})`);
  assert.equal(fit.t0, t0);
  assert.equal(fit.t1, 2 * t0);
  // The slope is the least-squares slope of log E_T at 7 depths of [t0, 2 t0].
  const depths = Array.from({ length: 7 }, (_, i) => Math.round(t0 + (i * t0) / 6));
  const ys = depths.map((t) => logOneParameterExcess(uniform, alpha, t, defaultNodeCount(2 * t0)));
  const n = depths.length;
  const mt = depths.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (depths[i] - mt) * (ys[i] - my);
    sxx += (depths[i] - mt) ** 2;
  }
  assert.ok(Math.abs(fit.slope - sxy / sxx) <= 1e-12 * Math.abs(sxy / sxx));
  // And it is close to 2 log rho within the stated tolerance.
  assert.ok(Math.abs(fit.slope - 2 * Math.log(Math.max(rateLow, rateHigh))) <= fit.tolerance);
  assert.equal(fit.kappa, endpointExponent(uniform, alpha));
  // Control: a cap below the needed start gives null; a cap equal to it does not.
  assert.equal(fittedLogSlope(uniform, alpha, 4, t0 / 2, share), null);
  assert.equal(fittedLogSlope(uniform, alpha, 4, t0, share)?.t0, t0);
  // At a tie (alpha*) the window starts at the base.
  assert.equal(fittedLogSlope(uniform, alphaStar(uniform), 8, 64, share)!.t0, 8);
});
