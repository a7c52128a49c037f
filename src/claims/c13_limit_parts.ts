/**
 * The limit parts of C13 (softmax cross-attention against LCA on the same token prompts):
 * - `small-tau-centred`: max_n |sca-centred(tau) - LCA on Sigma_hat - x_bar x_bar^T| is
 *   c_1 tau + c_2 tau^2 + ..., so its log-slope in tau is 1 + O(tau);
 * - `small-tau-uncentred`: sca keeps (beta/tau) x_bar, its gap is c_{-1}/tau + c_0 + ...,
 *   log-slope -1 + O(tau);
 * - `long-context-rate`: at fixed tau, E_n[(sca - LCA)^2] ~ a/L + b/L^2 (a ratio estimator
 *   with O_p(L^{-1/2}) error on Gaussian covariates), log-slope -1 in L.
 *
 * @module
 */

import fc from "npm:fast-check@^4";
import { softmaxTokenPredict, tiedSoftmax } from "../model/softmax_models.ts";
import { samplePromptBatch } from "../model/task.ts";
import type { PromptBatch } from "../model/model_types.ts";
import type { SpikeLaw } from "../model/law.ts";
import { estimateMean } from "../model/risk.ts";
import { excessRoundingTerm } from "./float32_forward_bound.ts";
import { hostEvaluation } from "./model_evaluation.ts";
import type { ClaimPart } from "./claim_part.ts";
import { expect } from "./expect.ts";
import { fmt } from "./format_number.ts";
import { Gauge } from "./gauge.ts";
import { lawArbitrary, lawOnSupport, taskArbitrary } from "./law_arbitraries.ts";
import { bonferroniZ } from "./margins.ts";
import { choleskySolve } from "../numeric/linalg.ts";
import { fitSlope } from "../numeric/slope.ts";
import { propertyPart } from "./property_part.ts";
import type { ResolvedCheck } from "./resolve_check.ts";
import { WorstCase } from "./worst_case.ts";

const ID = "C13";

/** Control hooks of the limit parts. */
export interface C13LimitControls {
  /**
   * Replaces the measured gap of the small-tau parts, (tau, gap) -> gap' (negative control:
   * e.g. a quadratic gap, `(tau, g) => g * tau / 1e-3`).
   */
  smallTauGap?: (tau: number, gap: number) => number;
  /**
   * Replaces each squared difference of the long-context part, (L, d^2) -> d^2' (negative
   * control: e.g. `(L, d2) => d2 * Math.sqrt(L)`, a slope of -1/2).
   */
  longContextMse?: (context: number, mse: number) => number;
}

/**
 * LCA at token level on the centred covariance: A_t = (Sigma_hat - x_bar x_bar^T) q_t,
 * q_{t+1} = q_t + alpha x_q + beta A_t (q_0 = 0), y_hat = q_T^T mu_hat: the small-tau limit of
 * `sca-centred` with the same alpha, beta.
 *
 * @example At T = 1 the centred LCA is alpha x_q^T mu_hat
 * ```ts
 * import assert from "node:assert/strict";
 * import { samplePromptBatch } from "../model/task.ts";
 * import { centredLcaTokenPredict } from "./c13_limit_parts.ts";
 * const batch = samplePromptBatch({ prompts: 1, context: 8, seed: 1 });
 * const [y] = centredLcaTokenPredict(batch, 0.5, -0.5, 1);
 * let expected = 0;
 * for (let c = 0; c < 4; c++) {
 *   let mu = 0;
 *   for (let i = 0; i < 8; i++) mu += batch.y[i] * batch.x[i * 4 + c] / 8;
 *   expected += 0.5 * batch.query[c] * mu;
 * }
 * assert.ok(Math.abs(y - expected) < 1e-12);
 * ```
 */
export function centredLcaTokenPredict(
  batch: PromptBatch,
  alpha: number,
  beta: number,
  depth: number,
): Float64Array {
  const d = batch.task.dim, L = batch.context;
  const out = new Float64Array(batch.prompts);
  const q = new Float64Array(d), a = new Float64Array(d);
  const xBar = new Float64Array(d), mu = new Float64Array(d);
  for (let n = 0; n < batch.prompts; n++) {
    xBar.fill(0);
    mu.fill(0);
    for (let i = 0; i < L; i++) {
      const o = (n * L + i) * d;
      for (let c = 0; c < d; c++) {
        xBar[c] += batch.x[o + c] / L;
        mu[c] += batch.y[n * L + i] * batch.x[o + c] / L;
      }
    }
    q.fill(0);
    for (let t = 0; t < depth; t++) {
      a.fill(0);
      let barScore = 0;
      for (let c = 0; c < d; c++) barScore += xBar[c] * q[c];
      for (let i = 0; i < L; i++) {
        const o = (n * L + i) * d;
        let score = 0;
        for (let c = 0; c < d; c++) score += batch.x[o + c] * q[c];
        for (let c = 0; c < d; c++) a[c] += batch.x[o + c] * score / L;
      }
      for (let c = 0; c < d; c++) {
        q[c] += alpha * batch.query[n * d + c] + beta * (a[c] - xBar[c] * barScore);
      }
    }
    let pred = 0;
    for (let c = 0; c < d; c++) pred += q[c] * mu[c];
    out[n] = pred;
  }
  return out;
}

/** The taus of the small-tau windows: [1e-4, 1e-3] (measured) and [1e-3, 1e-2] (remainder). */
const LOW_TAUS = [1e-4, 1.778e-4, 3.162e-4, 5.623e-4, 1e-3];
const HIGH_TAUS = LOW_TAUS.map((t) => 10 * t);

/** Draws of the small-tau parts: a task, the depth and alpha (beta = -alpha). */
const smallTauDraws = fc.record({
  task: taskArbitrary(lawArbitrary),
  depth: fc.integer({ min: 2, max: 4 }),
  alpha: fc.integer({ min: 5, max: 15 }).map((v) => v / 100),
});

/**
 * Laws with m_hi <= 4 (m_lo in [0, 2], uniform or Beta): tau alpha (1 + m_hi) <= 0.75 at
 * tau = 0.5, alpha = 0.3, so the exponential tilt of the Gaussian covariates is moderate and the
 * ratio estimator's variance (which grows like e^{tau^2 q^T Sigma q}) is reached by L = 16.
 */
export const moderateLawArbitrary: fc.Arbitrary<SpikeLaw> = fc.record({
  low: fc.integer({ min: 0, max: 2000 }).map((v) => v / 1000),
  width: fc.integer({ min: 250, max: 2000 }).map((v) => v / 1000),
}).chain(({ low, width }) =>
  lawOnSupport({ low, high: Math.min(4, Math.round((low + width) * 1000) / 1000) })
);

/** Log-slopes of the max gap over the low and high windows. */
function smallTauSlopes(
  batch: PromptBatch,
  alpha: number,
  depth: number,
  centred: boolean,
  controls: C13LimitControls,
): { low: number; high: number } {
  const reference = centredLcaTokenPredict(batch, alpha, -alpha, depth);
  const logGap = (tau: number) => {
    const y = softmaxTokenPredict(batch, tiedSoftmax(alpha, -alpha, tau, depth, centred));
    let gap = 0;
    for (let n = 0; n < y.length; n++) gap = Math.max(gap, Math.abs(y[n] - reference[n]));
    return Math.log(controls.smallTauGap?.(tau, gap) ?? gap);
  };
  const fit = (taus: number[]) => fitSlope(taus.map(Math.log), taus.map(logGap));
  return { low: fit(LOW_TAUS), high: fit(HIGH_TAUS) };
}

/**
 * (a) The small-tau limit of one variant: the log-slope of max_n |gap| over tau in [1e-4, 1e-3]
 * against 1 (centred) or -1 (uncentred). The gap is c_k tau^k (1 + r tau + O(tau^2)) with
 * k = +-1, so the local slope is k + r tau + O(tau^2): over [1e-3, 1e-2] the deviation is ten
 * times that over [1e-4, 1e-3], and the margin |s_high - s_low| (about 9 deviations of s_low)
 * plus 1e-6 (float64: the gaps are >= 1e-8 relative to O(1) predictions rounded at 1e-16 x
 * beta/tau) bounds it. On every backend the part samples and evaluates on the host in float64:
 * at tau = 1e-4 the centred gap is about 1e-8 relative to the prediction and the uncentred
 * model's (beta/tau) x_bar is rounded at float32's 6e-8 x 1e4, so float32 kernels could not
 * resolve either gap; on a float32 backend the target and margin texts say so.
 */
export async function smallTauPart(
  check: ResolvedCheck,
  controls: C13LimitControls,
  centred: boolean,
): Promise<ClaimPart> {
  const name = centred ? "small-tau-centred" : "small-tau-uncentred";
  const target = centred ? 1 : -1;
  const runs = check.size === "full" ? 60 : 12;
  const gauge = new Gauge(check, name, "equal", { statistical: false });
  const worst = new WorstCase();
  check.progress(`C13: small tau, ${centred ? "sca-centred" : "sca"} against centred LCA`);
  return await propertyPart(check, ID, name, smallTauDraws, ({ task, depth, alpha }) => {
    const batch = samplePromptBatch({
      prompts: 8,
      context: 32,
      seed: task.seed,
      law: task.law,
      d1: task.d1,
      d2: task.d2,
      sigma: task.sigma,
    });
    const { low, high } = smallTauSlopes(batch, alpha, depth, centred, controls);
    const margin = Math.abs(high - low) + 1e-6;
    worst.record(
      Math.abs(low - target) / margin,
      `largest |slope - (${target})| = ${fmt(Math.abs(low - target), 2)} (margin ${
        fmt(margin, 2)
      }, slope ${fmt(low, 6)}, T=${depth}, alpha=${alpha})`,
    );
    expect(
      gauge.compare(low, target, margin),
      () => `log-slope ${low} of the gap over tau in [1e-4, 1e-3] is not ${target}`,
    );
  }, {
    measured: () => worst.text,
    target: `log-slope of max_n |${centred ? "sca-centred" : "sca"} - centred LCA| over tau in ` +
      `[1e-4, 1e-3] = ${target} (two-sided; 8 prompts, L = 32, T in [2, 4], beta = -alpha)` +
      hostOnlyNote(check),
    margin: "|slope over [1e-3, 1e-2] - slope over [1e-4, 1e-3]| (the O(tau^2) remainder " +
      "moves the slope by O(tau): ten times more in the upper decade) + 1e-6 (float64)" +
      hostOnlyNote(check),
    numRuns: runs,
    gauge,
  });
}

/** The contexts of the long-context part (x4 apart). */
export const LONG_CONTEXTS = [16, 64, 256, 1024, 4096] as const;

/** The fixed temperature and steps of the long-context part. */
const LONG_TAU = 0.5, LONG_ALPHA = 0.3, LONG_DEPTH = 2;

/** The first `context` tokens of every prompt of `batch` (nested contexts, same tasks). */
function prefixBatch(batch: PromptBatch, context: number): PromptBatch {
  const d = batch.task.dim, L = batch.context, n = batch.prompts;
  const x = new Float64Array(n * context * d), y = new Float64Array(n * context);
  for (let p = 0; p < n; p++) {
    x.set(batch.x.subarray(p * L * d, (p * L + context) * d), p * context * d);
    y.set(batch.y.subarray(p * L, p * L + context), p * context);
  }
  return { ...batch, context, x, y };
}

/** The squared differences of the long-context part and, per context, their rounding term. */
interface LongContextSquares {
  /** Per context, per prompt, (y_soft - y_LCA)^2 as evaluated. */
  squares: Float64Array[];
  /**
   * Per context, e_L >= |mean_n d_hat_n^2 - mean_n d_n^2| (d exact) from the evaluations'
   * float32 bounds (b_soft + b_LCA per prompt), or null where the host evaluates in float64.
   */
  rounding: number[] | null;
}

/**
 * Per prompt and context, the squared difference softmax CA - LCA, on nested contexts: the
 * first L tokens of the same prompts (L = 16..4096), so the contexts share tasks and queries.
 * The host samples the longest prompts once; on a float32 backend the kernels sample each
 * context's prompts themselves (token i of prompt n does not depend on L, so they are the same
 * prefixes) and the host batch serves the bounds.
 */
async function longContextSquares(
  check: ResolvedCheck,
  task: { law: SpikeLaw; d1: number; d2: number; sigma: number; seed: number },
  centred: boolean,
  prompts: number,
): Promise<LongContextSquares> {
  const longest = LONG_CONTEXTS[LONG_CONTEXTS.length - 1];
  const full = samplePromptBatch({ prompts, context: longest, ...task });
  const soft = tiedSoftmax(LONG_ALPHA, -LONG_ALPHA, LONG_TAU, LONG_DEPTH, centred);
  const lcaParams = { alpha: LONG_ALPHA, beta: -LONG_ALPHA, depth: LONG_DEPTH };
  const squares: Float64Array[] = [], rounding: number[] = [];
  let bounded = false;
  for (const context of LONG_CONTEXTS) {
    const batch = context === longest ? full : prefixBatch(full, context);
    const sample = { prompts, context, ...task, sampler: "tokens" as const };
    const y = await check.evaluate.softmaxTokens(sample, batch, soft);
    const lca = await check.evaluate.lcaTokens(sample, batch, lcaParams);
    squares.push(y.predictions.map((v, n) => (v - lca.predictions[n]) ** 2));
    if (y.bound === null || lca.bound === null) continue;
    bounded = true;
    const b = y.bound.map((v, n) => v + lca.bound![n]);
    rounding.push(excessRoundingTerm(y.predictions, lca.predictions, b));
  }
  return { squares, rounding: bounded ? rounding : null };
}

/**
 * The bound on |s_hat - s| that per-context bounds e_i >= |m_hat_i - m_i| on the means of squares
 * give the fitted slope s = sum_i c_i log m_i: |log m_hat - log m| <= |m_hat - m| / min(m_hat, m)
 * and m >= m_hat - e, so |s_hat - s| <= sum_i |c_i| e_i / (m_hat_i - e_i) (infinite where
 * e_i >= m_hat_i). The k/L term's coefficients are affected likewise but enter only the bias bound,
 * evaluated at the fitted k.
 *
 * @example A relative error of 1e-6 in every mean moves the slope by about 1e-6 sum |c_i|
 * ```ts
 * import assert from "node:assert/strict";
 * import { LONG_CONTEXTS, rateFit, slopeRoundingBound } from "./c13_limit_parts.ts";
 * const squares = LONG_CONTEXTS.map((L) => new Float64Array([1 / L, 3 / L]));
 * const { coefficients } = rateFit(LONG_CONTEXTS, squares);
 * const bound = slopeRoundingBound(squares, LONG_CONTEXTS.map((L) => 2e-6 / L), coefficients);
 * const sum = coefficients.reduce((s, c) => s + Math.abs(c), 0);
 * assert.ok(Math.abs(bound - 1e-6 * sum) < 1e-9 * sum);
 * ```
 */
export function slopeRoundingBound(
  squares: readonly Float64Array[],
  rounding: readonly number[],
  coefficients: readonly number[],
): number {
  return coefficients.reduce((sum, c, i) => {
    const mean = squares[i].reduce((s, v) => s + v, 0) / squares[i].length;
    return sum + (mean > rounding[i] ? Math.abs(c) * rounding[i] / (mean - rounding[i]) : Infinity);
  }, 0);
}

/**
 * The fit log m_L = c + s log L + k/L over the contexts (least squares): the asymptotic
 * log-slope s, its standard error (delta method over the prompts, whose contexts are nested:
 * s - E[s] ~ mean_n sum_i c_i d_{n,i}/m_i, d the squared differences), the 1/L coefficient k,
 * the coefficients c_i of s = sum_i c_i log m_i, and the bias bound of the neglected O(1/L^2)
 * terms: log(1 + b/L) = b/L + r with |r| <= (b/L)^2/2 for b >= 0 (and (b/L)^2 for
 * -1/2 <= b/L < 0), so, with b = k, |bias| <= sum_i |c_i| r(k/L_i).
 */
export function rateFit(
  contexts: readonly number[],
  squares: readonly Float64Array[],
): { slope: number; standardError: number; k: number; bias: number; coefficients: number[] } {
  const rows = contexts.map((L) => [1, Math.log(L), 1 / L]);
  const gram = new Float64Array(9);
  for (const r of rows) {
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) gram[a * 3 + b] += r[a] * r[b];
  }
  const coefficients = (unit: number) => {
    const v = choleskySolve(gram, [0, 1, 2].map((a) => (a === unit ? 1 : 0)), 3);
    return rows.map((r) => r[0] * v[0] + r[1] * v[1] + r[2] * v[2]);
  };
  const cs = coefficients(1), ck = coefficients(2);
  const means = squares.map((sq) => sq.reduce((sum, v) => sum + v, 0) / sq.length);
  const logs = means.map(Math.log);
  const slope = cs.reduce((sum, c, i) => sum + c * logs[i], 0);
  const k = ck.reduce((sum, c, i) => sum + c * logs[i], 0);
  // Delta method over prompts (the contexts are nested, so correlated): s - E s ~ mean_n g_n.
  const g = squares[0].map((_, n) =>
    cs.reduce((sum, c, i) => sum + c * squares[i][n] / means[i], 0)
  );
  const standardError = estimateMean(g).standardError;
  // |log(1 + x) - x| <= x^2/2 for x >= 0 and <= x^2 for -1/2 <= x < 0.
  const remainder = (x: number) => (x >= 0 ? x * x / 2 : x >= -0.5 ? x * x : Infinity);
  const bias = cs.reduce((sum, c, i) => sum + Math.abs(c) * remainder(k / contexts[i]), 0);
  return { slope, standardError, k, bias, coefficients: cs };
}

/**
 * (b) The long-context rate: at tau = 0.5, m_L = E_n[(y_soft - y_LCA)^2] = (a/L)(1 + b/L +
 * O(1/L^2)), so log m_L = c + s log L + k/L + O(1/L^2) with s = -1: the fitted s over
 * L = 16..4096 (nested contexts, the first L tokens of the same prompts) against -1, on `sca`.
 * `sca-centred` meets LCA at the same rate in the derivation, but its difference is driven by
 * the empirical third and higher moments of the tokens ((1/L) sum_i x_i (x_i^T q)^2, ...), whose
 * squares are heavy-tailed: at the affordable N its fitted slope's SE is several times that of
 * `sca` (whose difference is dominated by (beta/tau) x_bar, Gaussian given the task) and the log
 * of its mean is biased low at small L, so it is not checked here. Margin: z SE of s (delta method,
 * Bonferroni over the runs) plus the bound of the neglected O(1/L^2) terms ({@linkcode rateFit});
 * on a float32 backend (the kernels `softmaxForward` and `lcaForward` predict, the host samples
 * the same prompts for the bounds) plus {@linkcode slopeRoundingBound} of the per-prompt float32
 * bounds b_n = b_soft + b_LCA (`softmax_float32_bound.ts`): |d_hat^2 - d^2| <= b (2 |d_hat| + b).
 */
export async function longContextPart(
  check: ResolvedCheck,
  controls: C13LimitControls,
): Promise<ClaimPart> {
  const runs = check.size === "full" ? 12 : 3;
  const prompts = check.size === "full" ? 2000 : 1000;
  const z = bonferroniZ(runs);
  const gauge = new Gauge(check, "long-context-rate", "equal");
  const worst = new WorstCase();
  // Not shrunk: a run costs seconds (5 contexts up to 4096 tokens), and a failing draw replays.
  const draws = fc.noShrink(
    fc.record({ task: taskArbitrary(moderateLawArbitrary), centred: fc.constant(false) }),
  );
  check.progress("C13: long context, the rate of softmax CA - LCA at tau = 0.5");
  return await propertyPart(check, ID, "long-context-rate", draws, async ({ task, centred }) => {
    const evaluated = await longContextSquares(check, task, centred, prompts);
    const squares = evaluated.squares.map((sq, i) =>
      sq.map((v) => controls.longContextMse?.(LONG_CONTEXTS[i], v) ?? v)
    );
    const all = rateFit(LONG_CONTEXTS, squares);
    const rounding = evaluated.rounding === null
      ? null
      : slopeRoundingBound(squares, evaluated.rounding, all.coefficients);
    const statistical = z * all.standardError + all.bias;
    const margin = rounding === null ? statistical : statistical + rounding;
    const float32 = rounding === null ? "" : `, float32 rounding ${fmt(rounding, 2)}`;
    worst.record(
      Math.abs(all.slope + 1) / margin,
      `largest |slope + 1| = ${fmt(Math.abs(all.slope + 1), 2)} (slope ${fmt(all.slope, 4)} ± ${
        fmt(all.standardError, 2)
      }, k ${fmt(all.k, 3)}, margin ${fmt(margin, 2)}${float32}, ${
        centred ? "sca-centred" : "sca"
      }, ${task.law.kind})`,
    );
    expect(
      gauge.compare(all.slope, -1, margin),
      () => `log-slope ${all.slope} of the mean squared difference over L in [16, 4096] is not -1`,
    );
  }, {
    measured: () => worst.text,
    target: "s = -1 in log E[(softmax CA - LCA)^2] = c + s log L + k/L fitted over L = 16..4096 " +
      "(two-sided; tau = 0.5, " +
      `alpha = -beta = 0.3, T = 2, sca, ${prompts} prompts, nested contexts)`,
    margin: `${fmt(z, 3)} SE of s (Bonferroni over ${runs}) + sum_i |c_i| (k/L_i)^2 (the ` +
      "neglected O(1/L^2) terms; s = sum_i c_i log m_i)" + longContextFloat32Note(check),
    numRuns: runs,
    gauge,
  });
}

/** The margin words of the float32 evaluation (empty on the host: the CPU's text is unchanged). */
function longContextFloat32Note(check: ResolvedCheck): string {
  if (check.evaluate.where === hostEvaluation().where) return "";
  return `; predictions by ${check.evaluate.where} (softmaxForward, lcaForward; the host samples ` +
    "the same prompts for the bounds): + sum_i |c_i| e_i / (m_hat_i - e_i), e_i = mean_n b_n " +
    "(2 |d_hat_n| + b_n), b_n = b_soft + b_LCA the derived float32 bounds of the two forward " +
    "passes (softmax_float32_bound.ts: token error, gamma_K per chain, WGSL exp accuracy)";
}

/** The words of the small-tau parts on a float32 backend (empty on the host). */
function hostOnlyNote(check: ResolvedCheck): string {
  if (check.evaluate.where === hostEvaluation().where) return "";
  return `; sampled and evaluated on the host in float64, not by ${check.evaluate.where}: the ` +
    "gaps at tau = 1e-4..1e-2 are below float32 resolution";
}
