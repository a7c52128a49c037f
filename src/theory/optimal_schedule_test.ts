import assert from "node:assert/strict";
import { fc, fcParameters } from "../../testkit/config.ts";
import { spikeLaws } from "../testing/arbitraries.ts";
import type { SpikeLaw } from "../model/law.ts";
import {
  chebyshevSchedule,
  optimalSchedule,
  SCHEDULE_ORDERS,
  scheduleExcess,
  scheduleRate,
} from "./optimal_schedule.ts";
import { gammaStar, lsaGap } from "./gamma_star.ts";
import { optimalDepthStep } from "./optimal_depth_step.ts";
import { oneParameterExcess } from "./one_parameter_excess.ts";
import { populationRule, rhoStar, zeroPredictorExcess } from "./population.ts";
import { gaussRuleOfJacobi, lanczosJacobi } from "./lanczos_jacobi.ts";
import {
  bruteForceSchedule,
  referenceExcess,
  tanhSinhRule,
} from "../../testkit/schedule_brute_force.ts";

const UNIFORM: SpikeLaw = { kind: "uniform", low: 0.5, high: 4 };
const BETA: SpikeLaw = { kind: "beta", a: 2, b: 5, low: 0.5, high: 4 };
const EDGE: SpikeLaw = { kind: "beta", a: 0.5, b: 3, low: 0, high: 6 };
const laws = spikeLaws({ kinds: ["uniform", "beta"] });
const relative = (a: number, b: number) => Math.abs(a / b - 1);

/** The best single step at depth T and its excess (the tied optimum). */
function tiedOptimum(law: SpikeLaw, depth: number): number {
  return oneParameterExcess(law, optimalDepthStep(law, depth), depth).value;
}

Deno.test("(a) at T = 1 the optimal schedule is gamma* and its excess the LSA gap", () => {
  fc.assert(
    fc.property(spikeLaws({ kinds: ["uniform", "beta", "point"] }), (law) => {
      const one = optimalSchedule(law, 1);
      const expected = law.kind === "point" ? 1 / (1 + law.value) : gammaStar(law);
      assert.ok(relative(one.alphas[0], expected) <= 1e-12);
      assert.ok(Math.abs(one.excess - lsaGap(law)) <= 1e-13 * (1 + lsaGap(law)));
    }),
    fcParameters(40),
  );
});

Deno.test("(b) the optimum never loses to the tied optimum; equal at T = 1 and for a point mass", () => {
  fc.assert(
    fc.property(laws, fc.integer({ min: 1, max: 12 }), (law, depth) => {
      const best = optimalSchedule(law, depth).excess, tied = tiedOptimum(law, depth);
      assert.ok(best <= tied * (1 + 1e-12), `${best} > ${tied}`);
      if (depth === 1) assert.ok(relative(best, tied) <= 1e-10);
      else assert.ok(best < tied * (1 - 1e-6), "strictly better once T >= 2");
    }),
    fcParameters(30),
  );
  for (const value of [0, 0.7, 3]) {
    const law: SpikeLaw = { kind: "point", value };
    for (const depth of [1, 4]) {
      const schedule = optimalSchedule(law, depth);
      assert.equal(schedule.excess, 0);
      assert.ok(schedule.alphas.every((a) => a === 1 / (1 + value)));
      assert.ok(scheduleExcess(law, schedule.alphas) <= 1e-30);
      assert.ok(tiedOptimum(law, depth) <= 1e-30);
    }
  }
});

Deno.test("(c) brute force over the steps from many starts finds the same optimum (T <= 8)", () => {
  const check = (law: SpikeLaw, depth: number, seed: number) => {
    const found = bruteForceSchedule(law, depth, 4, seed);
    const best = optimalSchedule(law, depth, { order: "ascending" });
    const text = `${JSON.stringify(law)} T=${depth}`;
    // The optimum is a lower bound for every schedule, and the search reaches it.
    assert.ok(found.excess >= best.excess * (1 - 1e-10), text);
    assert.ok(relative(found.excess, best.excess) <= 1e-6, text);
    found.alphas.forEach((a, t) => assert.ok(relative(a, best.alphas[t]) <= 1e-4, text));
    // The brute force's own quadrature agrees with the Christoffel value at the optimum.
    assert.ok(relative(referenceExcess(tanhSinhRule(law), best.alphas), best.excess) <= 1e-10);
  };
  fc.assert(
    fc.property(laws, fc.integer({ min: 1, max: 5 }), fc.nat(), (law, depth, seed) => {
      check(law, depth, seed);
    }),
    fcParameters(6),
  );
  check(UNIFORM, 8, 1);
  check(EDGE, 7, 2);
});

Deno.test("the optimal residual is the kernel polynomial: orthogonal to degree < T under s dP", () => {
  // In the Chebyshev basis T_j(x), x = (2s - m_lo - m_hi)/(m_hi - m_lo), which is well
  // conditioned on the support: int p_T(1+s) T_j(x) s dP = 0 for j < T, not for j = T.
  for (const law of [UNIFORM, BETA, EDGE]) {
    const { low, high } = law as { low: number; high: number };
    for (const depth of [2, 5, 12]) {
      const { alphas } = optimalSchedule(law, depth);
      const rule = populationRule(law, depth);
      const moments = new Array<number>(depth + 1).fill(0);
      const scales = new Array<number>(depth + 1).fill(0);
      rule.nodes.forEach((s, i) => {
        let p = 1;
        for (const a of alphas) p *= 1 - a * (1 + s);
        const x = (2 * s - low - high) / (high - low);
        for (let j = 0; j <= depth; j++) {
          const chebyshev = Math.cos(j * Math.acos(Math.max(-1, Math.min(1, x))));
          moments[j] += rule.weights[i] * p * chebyshev * s;
          scales[j] += rule.weights[i] * Math.abs(p * chebyshev) * s;
        }
      });
      for (let j = 0; j < depth; j++) {
        assert.ok(Math.abs(moments[j]) <= 1e-13 * scales[j], `j=${j}`);
      }
      // Control: degree T itself is not orthogonal.
      assert.ok(Math.abs(moments[depth]) > 0.1 * scales[depth], `T=${depth}`);
    }
  }
});

Deno.test("(d) the excess does not depend on the order of the steps", () => {
  fc.assert(
    fc.property(
      laws,
      fc.array(fc.double({ min: 0.05, max: 1, noNaN: true }), { minLength: 1, maxLength: 8 }),
      fc.nat(),
      (law, alphas, seed) => {
        const shuffled = alphas.map((a, i) => ({ a, key: Math.sin(seed + 7 * i) }))
          .sort((x, y) => x.key - y.key).map((x) => x.a);
        const e = scheduleExcess(law, alphas);
        assert.ok(Math.abs(scheduleExcess(law, shuffled) - e) <= 16 * alphas.length * 2.3e-16 * e);
      },
    ),
    fcParameters(40),
  );
  const descending = optimalSchedule(UNIFORM, 6);
  const ascending = optimalSchedule(UNIFORM, 6, { order: "ascending" });
  assert.deepEqual(SCHEDULE_ORDERS, ["descending", "ascending"]);
  assert.deepEqual(ascending.alphas, [...descending.alphas].reverse());
  assert.ok(descending.alphas[0] > descending.alphas[5], "largest step first by default");
});

/** Least-squares slope of log E_T against T over the depths. */
function logSlope(law: SpikeLaw, depths: number[]): number {
  const ys = depths.map((T) => optimalSchedule(law, T).logExcess);
  const mx = depths.reduce((a, b) => a + b) / depths.length;
  const my = ys.reduce((a, b) => a + b) / ys.length;
  let num = 0, den = 0;
  depths.forEach((x, i) => {
    num += (x - mx) * (ys[i] - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}

Deno.test("(e) the log-slope of the optimal excess tends to 2 log rho_c (no polynomial factor)", () => {
  const depths = [96, 104, 112, 120, 128];
  for (const [law, tolerance] of [[UNIFORM, 1e-4], [BETA, 5e-4]] as const) {
    const target = 2 * Math.log(scheduleRate(law));
    assert.ok(relative(logSlope(law, depths), target) <= tolerance, JSON.stringify(law));
    // E_T / rho_c^{2T} settles (Szegő asymptotics outside the support): its log moves less
    // and less as T doubles, as C + c/T does.
    const c = (T: number) => optimalSchedule(law, T).logExcess - T * target;
    assert.ok(Math.abs(c(128) - c(64)) < 0.6 * Math.abs(c(64) - c(32)) + 1e-3);
  }
  // The tied optimum decays at rho* > rho_c: its slope is far from 2 log rho_c.
  const tied = Math.log(tiedOptimum(UNIFORM, 40) / tiedOptimum(UNIFORM, 32)) / 8;
  assert.ok(relative(tied, 2 * Math.log(rhoStar(UNIFORM))) <= 0.05);
  assert.ok(relative(tied, 2 * Math.log(scheduleRate(UNIFORM))) > 0.3);
});

Deno.test("(f) controls: one step 1% larger, or the Gauss nodes of the wrong measure, lose", () => {
  for (const law of [UNIFORM, BETA, EDGE]) {
    const best = optimalSchedule(law, 6);
    for (let t = 0; t < 6; t++) {
      const perturbed = best.alphas.map((a, u) => (u === t ? 1.01 * a : a));
      assert.ok(scheduleExcess(law, perturbed) > best.excess * (1 + 1e-6), `t=${t}`);
    }
    // Gauss nodes of w dP = s/(1+s) dP instead of s dP: a schedule, but not the optimum.
    const rule = populationRule(law, 6);
    const weights = Float64Array.from(rule.nodes, (s, i) => rule.weights[i] * s / (1 + s));
    const wrong = gaussRuleOfJacobi(lanczosJacobi(rule.nodes, weights, 6)).nodes.map((s) =>
      1 / (1 + s)
    );
    const found = bruteForceSchedule(law, 6, 2, 9);
    assert.ok(relative(scheduleExcess(law, wrong), found.excess) > 1e-3);
  }
});

Deno.test("stable to T = 64: positive, finite, decreasing, roots inside the support", () => {
  for (
    const law of [UNIFORM, BETA, EDGE, { kind: "beta", a: 5, b: 0.6, low: 1, high: 3 } as const]
  ) {
    let previous = Infinity;
    const { low, high } = law;
    for (let depth = 1; depth <= 64; depth++) {
      const schedule = optimalSchedule(law, depth);
      assert.ok(Number.isFinite(schedule.excess) && schedule.excess > 0);
      assert.ok(schedule.excess < previous, `T=${depth}`);
      previous = schedule.excess;
      assert.equal(schedule.roots.length, depth);
      assert.ok(
        schedule.roots.every((r, i) =>
          r > 1 + low && r < 1 + high && (i === 0 || r > schedule.roots[i - 1])
        ),
      );
      if (depth % 16 === 0) {
        assert.ok(relative(scheduleExcess(law, schedule.alphas), schedule.excess) <= 1e-11);
        assert.ok(relative(Math.log(schedule.excess), schedule.logExcess) <= 1e-12);
      }
    }
  }
});

Deno.test("Chebyshev schedule: roots of the shifted T_T, bound 1/T_T(sigma)^2 E[s/(1+s)], kept", () => {
  fc.assert(
    fc.property(laws, fc.integer({ min: 1, max: 64 }), (law, depth) => {
      const chebyshev = chebyshevSchedule(law, depth);
      const { low, high } = law as { low: number; high: number };
      const a = 1 + low, b = 1 + high;
      for (const root of chebyshev.roots) {
        const x = (a + b - 2 * root) / (b - a);
        assert.ok(Math.abs(Math.cos(depth * Math.acos(x))) <= 1e-12 * depth);
      }
      // 1/T_T(sigma), sigma = (b + a)/(b - a) = (kappa + 1)/(kappa - 1), is 2 rho^T/(1 + rho^{2T}).
      const sigma = (b + a) / (b - a);
      const peak = 1 / Math.cosh(depth * Math.acosh(sigma));
      assert.ok(relative(chebyshev.bound, peak * peak * zeroPredictorExcess(law)) <= 1e-9);
      const excess = scheduleExcess(law, chebyshev.alphas);
      assert.ok(excess <= chebyshev.bound * (1 + 1e-12));
      assert.ok(optimalSchedule(law, depth).excess <= excess * (1 + 1e-10));
    }),
    fcParameters(30),
  );
  const point = chebyshevSchedule({ kind: "point", value: 2 }, 3);
  assert.deepEqual(point.alphas, [1 / 3, 1 / 3, 1 / 3]);
  assert.equal(point.bound, 0);
});

Deno.test("scheduleRate: rho_c = (sqrt(kappa) - 1)/(sqrt(kappa) + 1) < rho* off a point mass", () => {
  fc.assert(
    fc.property(laws, (law) => {
      const { low, high } = law as { low: number; high: number };
      const kappa = (1 + high) / (1 + low);
      assert.ok(
        relative(scheduleRate(law), (Math.sqrt(kappa) - 1) / (Math.sqrt(kappa) + 1)) < 1e-14,
      );
      assert.ok(scheduleRate(law) < rhoStar(law));
      assert.ok(relative(rhoStar(law), (kappa - 1) / (kappa + 1)) < 1e-14);
    }),
    fcParameters(30),
  );
  assert.equal(scheduleRate({ kind: "point", value: 3 }), 0);
});

Deno.test("scheduleExcess: constant steps give the one-parameter excess, down to 1e-200", () => {
  for (const [alpha, depth] of [[0.3, 1], [0.25, 10], [0.3, 400]] as const) {
    const steps = new Array<number>(depth).fill(alpha);
    const reference = oneParameterExcess(UNIFORM, alpha, depth).value;
    assert.ok(reference > 0 && relative(scheduleExcess(UNIFORM, steps), reference) <= 1e-10);
  }
  // A step at a node's root makes that node's term exactly 0; the others remain.
  assert.ok(scheduleExcess(UNIFORM, [1 / 3]) > 0);
});

Deno.test("bad input is refused with an error naming the argument", () => {
  const cases: [() => unknown, RegExp][] = [
    [() => optimalSchedule(UNIFORM, 0), /^RangeError: depth must be a positive integer, got 0$/],
    [() => optimalSchedule(UNIFORM, 2.5), /^RangeError: depth must be a positive integer/],
    [() => chebyshevSchedule(UNIFORM, "3" as never), /^TypeError: depth must be/],
    [() => optimalSchedule({ kind: "uniform", low: 2, high: 1 }, 3), /^RangeError: m_lo must be/],
    [() => optimalSchedule(UNIFORM, 3, { order: "up" as never }), /^RangeError: options\.order/],
    [
      () => optimalSchedule(UNIFORM, 9, { nodes: 10 }),
      /^RangeError: options\.nodes must be at least/,
    ],
    [
      () => optimalSchedule(UNIFORM, 3, { node: 10 } as never),
      /^TypeError: options has an unknown/,
    ],
    [() => scheduleExcess(UNIFORM, []), /^RangeError: alphas must hold at least one step/],
    [() => scheduleExcess(UNIFORM, [0.3, NaN]), /^RangeError: alphas must contain only finite/],
    [() => scheduleExcess(UNIFORM, "0.3" as never), /^TypeError: alphas must be an array/],
    [() => scheduleRate(null as never), /^TypeError: law must be a SpikeLaw/],
  ];
  for (const [call, pattern] of cases) assert.throws(call, pattern);
});
