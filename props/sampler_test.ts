/**
 * Sampler moments. For one fixed task (one prompt, many context tokens) the tokens are
 * i.i.d. N(0, [[I + m m^T, m], [m^T, 1 + sigma^2]]), so the moments about zero
 * (1/L) sum x_a x_b, (1/L) sum x_a y, (1/L) sum y^2 and the means are unbiased with
 * variances given by Isserlis' theorem: Var(x_a x_b) = S_aa S_bb + S_ab^2,
 * Var(x_a y) = S_aa (1 + sigma^2) + m_a^2, Var(y^2) = 2 (1 + sigma^2)^2, Var(x_a) = S_aa.
 * Over many prompts, the spike strengths have the law's mean and variance, |m|^2 = s, and
 * the directions v = m / |m| have E[v v^T] = I/d, Var(v_a^2) = 2(d-1)/(d^2(d+2)),
 * Var(v_a v_b) = 1/(d(d+2)).
 *
 * Every entry is compared with a z-score threshold z chosen by a Bonferroni correction
 * over the K entries of a run and the number of runs, so that the whole property has a
 * false-alarm probability of at most 1e-6 under the normal approximation: z solves
 * 2 phi(z) / z = 1e-6 / (K runs) (the Mills-ratio bound P(|Z| > z) <= 2 phi(z) / z);
 * with K ~ 50 and 20 runs that is z ~ 6.4.
 *
 * @module
 */

import assert from "node:assert/strict";
import { fc, fcParameters } from "../testkit/config.ts";
import { taskArb } from "./arbitraries_test.ts";
import { lawSupport } from "../src/model/law.ts";
import {
  resolveSample,
  type SampleOptions,
  samplePromptBatch,
  sampleTaskBatch,
} from "../src/model/task.ts";

const FAMILY_ALPHA = 1e-6;

/** The threshold z with 2 phi(z) / z = alpha (bisection; phi the standard normal density). */
export function millsThreshold(alpha: number): number {
  const tail = (z: number) => (2 * Math.exp(-z * z / 2)) / (Math.sqrt(2 * Math.PI) * z);
  let lo = 1, hi = 40;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (tail(mid) > alpha) lo = mid;
    else hi = mid;
  }
  return hi;
}

type Entry = { estimate: number; expected: number; se: number };

function allWithin(entries: Entry[], runs: number): boolean {
  const z = millsThreshold(FAMILY_ALPHA / (entries.length * runs));
  return entries.every((e) => Math.abs(e.estimate - e.expected) <= z * e.se);
}

const RUNS = 20;
const CONTEXT = 20000;

/** Token moments of one prompt vs the task's moments; `spikeScale` scales the claimed m m^T. */
function tokenMoments(options: SampleOptions, spikeScale = 1): boolean {
  const batch = samplePromptBatch({ ...options, prompts: 1, context: CONTEXT });
  const d = batch.task.dim, L = CONTEXT;
  const m = batch.spike;
  const vy = 1 + batch.task.sigma ** 2;
  const S = (a: number, b: number) => (a === b ? 1 : 0) + m[a] * m[b];
  const claimed = (a: number, b: number) => (a === b ? 1 : 0) + spikeScale * m[a] * m[b];
  const entries: Entry[] = [];
  const mean = (f: (i: number) => number) => {
    let s = 0;
    for (let i = 0; i < L; i++) s += f(i);
    return s / L;
  };
  for (let a = 0; a < d; a++) {
    entries.push({
      estimate: mean((i) => batch.x[i * d + a]),
      expected: 0,
      se: Math.sqrt(S(a, a) / L),
    });
    for (let b = 0; b <= a; b++) {
      entries.push({
        estimate: mean((i) => batch.x[i * d + a] * batch.x[i * d + b]),
        expected: claimed(a, b),
        se: Math.sqrt((S(a, a) * S(b, b) + S(a, b) ** 2) / L),
      });
    }
    entries.push({
      estimate: mean((i) => batch.x[i * d + a] * batch.y[i]),
      expected: m[a],
      se: Math.sqrt((S(a, a) * vy + m[a] ** 2) / L),
    });
  }
  entries.push({ estimate: mean((i) => batch.y[i]), expected: 0, se: Math.sqrt(vy / L) });
  entries.push({
    estimate: mean((i) => batch.y[i] ** 2),
    expected: vy,
    se: Math.sqrt(2 * vy * vy / L),
  });
  return allWithin(entries, RUNS);
}

function lawMoments(law: string, low: number, high: number): { mean: number; variance: number } {
  const width = high - low;
  if (law === "uniform") return { mean: (low + high) / 2, variance: width * width / 12 };
  const parts = law.split(":");
  if (parts[0] === "point") return { mean: Number(parts[1]), variance: 0 };
  const a = Number(parts[1]), b = Number(parts[2]);
  return {
    mean: low + width * a / (a + b),
    variance: width * width * a * b / ((a + b) ** 2 * (a + b + 1)),
  };
}

const PROMPTS = 4000;

/** Strength and direction moments over many prompts; `meanShift` shifts the claimed E[s]. */
function taskMoments(options: SampleOptions, meanShift = 0): boolean {
  const tasks = sampleTaskBatch(resolveSample({ ...options, prompts: PROMPTS, context: 1 }));
  const d = tasks.task.dim, N = PROMPTS;
  const law = options.law as string;
  const { mean, variance } = lawMoments(law, options.mMin!, options.mMax!);
  const { low, high } = lawSupport(tasks.task.law);
  let sum = 0;
  for (let n = 0; n < N; n++) {
    const s = tasks.strength[n];
    if (!(s >= low && s <= high)) return false;
    let norm2 = 0;
    for (let j = 0; j < d; j++) norm2 += tasks.spike[n * d + j] ** 2;
    // |m|^2 = s up to the rounding of sqrt, the scaling and the d-term sum.
    if (Math.abs(norm2 - s) > (d + 8) * Number.EPSILON * s) return false;
    sum += s;
  }
  const entries: Entry[] = [];
  if (variance === 0) {
    if (tasks.strength.some((s) => s !== mean + meanShift)) return false;
  } else {
    entries.push({ estimate: sum / N, expected: mean + meanShift, se: Math.sqrt(variance / N) });
  }
  // Directions: only where s > 0 (m = 0 has no direction).
  const with0 = Array.from({ length: N }, (_, n) => n).filter((n) => tasks.strength[n] > 0);
  const count = with0.length;
  if (count > 100) {
    for (let a = 0; a < d; a++) {
      for (let b = 0; b <= a; b++) {
        let acc = 0;
        for (const n of with0) {
          const s = tasks.strength[n];
          acc += tasks.spike[n * d + a] * tasks.spike[n * d + b] / s;
        }
        const v = a === b ? 2 * (d - 1) / (d * d * (d + 2)) : 1 / (d * (d + 2));
        entries.push({
          estimate: acc / count,
          expected: a === b ? 1 / d : 0,
          se: Math.sqrt(v / count),
        });
      }
    }
  }
  return allWithin(entries, RUNS);
}

const optionsArb = fc.record({
  task: taskArb,
  seed: fc.integer({ min: 0, max: 2 ** 40 }),
  stream: fc.integer({ min: 0, max: 3 }),
}).map(({ task, seed, stream }): SampleOptions => ({
  ...task,
  seed,
  stream,
  prompts: 1,
  context: 1,
}));

Deno.test("sampler: token moments of a fixed task match I + m m^T, m, 1 + sigma^2", async (t) => {
  await t.step("moments", () => {
    fc.assert(fc.property(optionsArb, (o) => tokenMoments(o)), fcParameters(RUNS));
  });
  await t.step("negative control: a claimed covariance I + 1.5 m m^T is rejected", () => {
    const strong = optionsArb.map((o) => ({ ...o, law: "uniform", mMin: 2, mMax: 4 }));
    const r = fc.check(fc.property(strong, (o) => tokenMoments(o, 1.5)), fcParameters(RUNS));
    assert.equal(r.failed, true);
  });
});

Deno.test("sampler: spike strengths have the law's mean, |m|^2 = s, directions isotropic", async (t) => {
  await t.step("moments", () => {
    fc.assert(fc.property(optionsArb, (o) => taskMoments(o)), fcParameters(RUNS));
  });
  await t.step("negative control: a claimed mean shifted by 0.05 (m_hi - m_lo) is rejected", () => {
    const r = fc.check(
      fc.property(
        optionsArb.filter((o) => !String(o.law).startsWith("point")),
        (o) => taskMoments(o, 0.05 * (o.mMax! - o.mMin!)),
      ),
      fcParameters(RUNS),
    );
    assert.equal(r.failed, true);
  });
});
