import assert from "node:assert/strict";
import {
  bruteForceSchedule,
  nelderMead,
  referenceExcess,
  seededUniform,
  tanhSinhRule,
} from "./schedule_brute_force.ts";

Deno.test("tanhSinhRule: the moments of the uniform and Beta laws", () => {
  const uniform = tanhSinhRule({ kind: "uniform", low: 0.5, high: 4 });
  const beta = tanhSinhRule({ kind: "beta", a: 0.5, b: 3, low: 0, high: 6 });
  const mean = (rule: typeof uniform) => rule.nodes.reduce((m, s, i) => m + rule.weights[i] * s, 0);
  assert.ok(Math.abs(mean(uniform) - 2.25) < 1e-12);
  assert.ok(Math.abs(mean(beta) - 6 * 0.5 / 3.5) < 1e-10);
});

Deno.test("nelderMead finds the minimum of a shifted quadratic; the brute force finds gamma*", () => {
  const { x, value } = nelderMead(
    (v) => (v[0] - 1) ** 2 + 3 * (v[1] + 2) ** 2 + 1,
    [0, 0],
    0.5,
    5000,
  );
  assert.ok(Math.abs(x[0] - 1) < 1e-6 && Math.abs(x[1] + 2) < 1e-6 && Math.abs(value - 1) < 1e-12);
  // T = 1: the best step is E[s]/E[s(1+s)] = 2.25/(2.25 + 6.0833) = 0.27 for Uniform[0.5, 4].
  const law = { kind: "uniform", low: 0.5, high: 4 } as const;
  const found = bruteForceSchedule(law, 1, 2, 1);
  assert.ok(Math.abs(found.alphas[0] - 0.27) < 1e-6);
  assert.ok(Math.abs(found.excess - referenceExcess(tanhSinhRule(law), [0.27])) < 1e-12);
  const uniformDraws = seededUniform(3);
  const draws = Array.from({ length: 1000 }, uniformDraws);
  assert.ok(draws.every((u) => u >= 0 && u < 1) && new Set(draws).size === 1000);
});
