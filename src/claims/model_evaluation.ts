/**
 * Model evaluations of the claims on given statistics, on the chosen backend: on the float64
 * CPU reference the host predictors (`lcaPredict`, `lsaPredict`, `lsaReducedPredict`,
 * `schedulePredict`), on WebGPU the backend's forward kernels on statistics
 * (`scheduleStatisticsForward`, `lsaStatisticsForward`, float32) with a per-prompt bound on
 * their rounding error (`float32_forward_bound.ts`); at token level (C13) the host's
 * `softmaxTokenPredict` and `lcaTokenPredict`, or the kernels `softmaxForward` and `lcaForward`
 * (which sample the tokens in-kernel) with the bounds of `softmax_float32_bound.ts`.
 *
 * @module
 */

import type { Backend } from "../backends/backend.ts";
import type { LcaParameters, LsaParameters } from "../model/models.ts";
import { lcaPredict, lsaPredict, lsaReducedPredict } from "../model/predictors.ts";
import type { PromptStatistics } from "../model/prompt_statistics.ts";
import {
  scheduleLayers,
  type ScheduleParameters,
  schedulePredict,
  tiedSchedule,
} from "../model/schedule_models.ts";
import type { PromptBatch, SampleOptions } from "../model/model_types.ts";
import { type SoftmaxParameters, softmaxTokenPredict } from "../model/softmax_models.ts";
import { lcaTokenPredict } from "../model/token_predictors.ts";
import { requireAllFinite, requireLength } from "../validation/errors.ts";
import { lsaForwardBound, scheduleForwardBound } from "./float32_forward_bound.ts";
import { lcaTokenForwardBound, softmaxPredictionTolerance } from "./softmax_float32_bound.ts";

/** Predictions of a model and, for float32 kernels, a per-prompt bound on their rounding error. */
export interface Evaluated {
  /** y_hat_n, one per prompt. */
  predictions: Float64Array;
  /** b_n >= |y_hat_n - y_n| (exact y_n), or null where the host computes in float64. */
  bound: Float64Array | null;
}

/** The model evaluations the claims need, on one backend. */
export interface ModelEvaluation {
  /** Where they run, e.g. "host (float64)" or "webgpu kernels (float32)". */
  readonly where: string;
  /** The T-layer LCA on statistics (`lcaPredict`). */
  lca(stats: PromptStatistics, params: LcaParameters): Promise<Evaluated>;
  /** Full single-layer LSA p^T G K x_q on statistics (`lsaPredict`). */
  lsa(stats: PromptStatistics, params: LsaParameters): Promise<Evaluated>;
  /** Reduced LSA x_q^T Gamma mu_hat, Gamma d x d row-major (`lsaReducedPredict`). */
  lsaReduced(stats: PromptStatistics, gamma: ArrayLike<number>): Promise<Evaluated>;
  /** The schedule models on statistics (`schedulePredict`). */
  schedule(stats: PromptStatistics, params: ScheduleParameters): Promise<Evaluated>;
  /**
   * Softmax cross-attention at token level on the prompts of `sample` (`softmaxTokenPredict`);
   * `batch` holds those prompts sampled on the host (`samplePromptBatch(sample)` or a prefix of
   * a longer one, which is the same), which the host evaluates and the float32 bound follows.
   */
  softmaxTokens(
    sample: SampleOptions,
    batch: PromptBatch,
    params: SoftmaxParameters,
  ): Promise<Evaluated>;
  /** The tied LCA at token level (`lcaTokenPredict`), as {@linkcode softmaxTokens}. */
  lcaTokens(sample: SampleOptions, batch: PromptBatch, params: LcaParameters): Promise<Evaluated>;
}

/**
 * The evaluations on the host in float64: the functions of `model/` themselves (bit-identical
 * to calling them).
 *
 * @example The LCA on the host
 * ```ts
 * import assert from "node:assert/strict";
 * import { samplePromptStatistics } from "../model/prompt_statistics.ts";
 * import { lcaPredict } from "../model/predictors.ts";
 * import { hostEvaluation } from "./model_evaluation.ts";
 * const stats = samplePromptStatistics({ prompts: 3, context: 16, seed: 1 });
 * const params = { alpha: 0.3, beta: -0.3, depth: 4 };
 * const { predictions, bound } = await hostEvaluation().lca(stats, params);
 * assert.deepEqual(predictions, lcaPredict(stats, params));
 * assert.equal(bound, null);
 * ```
 */
export function hostEvaluation(): ModelEvaluation {
  return {
    where: "host (float64)",
    lca: (stats, params) =>
      Promise.resolve({ predictions: lcaPredict(stats, params), bound: null }),
    lsa: (stats, params) =>
      Promise.resolve({ predictions: lsaPredict(stats, params), bound: null }),
    lsaReduced: (stats, gamma) =>
      Promise.resolve({ predictions: lsaReducedPredict(stats, gamma), bound: null }),
    schedule: (stats, params) =>
      Promise.resolve({ predictions: schedulePredict(stats, params), bound: null }),
    softmaxTokens: (_sample, batch, params) =>
      Promise.resolve({ predictions: softmaxTokenPredict(batch, params), bound: null }),
    lcaTokens: (_sample, batch, params) =>
      Promise.resolve({ predictions: lcaTokenPredict(batch, params), bound: null }),
  };
}

/**
 * The evaluations on a backend: float64 backends use {@linkcode hostEvaluation}; float32 ones
 * run `scheduleStatisticsForward` or `lsaStatisticsForward` and attach the bound of
 * `float32_forward_bound.ts`. The LCA alpha x_q^T sum_{k<T} (I + beta Sigma_hat)^k mu_hat is the
 * schedule with T equal steps run from mu_hat and read out against x_q (the two exchanged),
 * which keeps `lcaPredict`'s order of the product without assuming Sigma_hat symmetric; reduced
 * LSA x_q^T Gamma mu_hat is the full LSA with p = e_{d+1}, K = [Gamma^T; 0]. At token level the
 * kernels sample the prompts of `sample` themselves (the token sampler, from the same Philox
 * stream as the host's `batch`, whose tokens the bounds' token error delta covers).
 *
 * @example On the CPU backend, the host functions
 * ```ts
 * import assert from "node:assert/strict";
 * import { CpuBackend } from "../backends/cpu/cpu_backend.ts";
 * import { backendEvaluation } from "./model_evaluation.ts";
 * assert.equal(backendEvaluation(new CpuBackend()).where, "host (float64)");
 * ```
 */
export function backendEvaluation(backend: Backend): ModelEvaluation {
  if (backend.precision === "float64") return hostEvaluation();
  const run = async (
    stats: PromptStatistics,
    params: ScheduleParameters,
  ): Promise<Evaluated> => {
    const { alphas, betas } = scheduleLayers(params);
    const predictions = await backend.scheduleStatisticsForward(stats, params);
    return { predictions, bound: scheduleForwardBound(stats, alphas, betas) };
  };
  const swapped = (stats: PromptStatistics): PromptStatistics => ({
    ...stats,
    query: stats.muHat,
    muHat: stats.query,
  });
  return {
    where: `${backend.name} kernels (${backend.precision})`,
    lca: (stats, p) => run(swapped(stats), tiedSchedule(p.alpha, p.depth, p.beta)),
    lsa: async (stats, params) => ({
      predictions: await backend.lsaStatisticsForward(stats, params),
      bound: lsaForwardBound(stats, params),
    }),
    lsaReduced: async (stats, gamma) => {
      const params = reducedAsFull(gamma, stats.task.dim);
      return {
        predictions: await backend.lsaStatisticsForward(stats, params),
        bound: lsaForwardBound(stats, params),
      };
    },
    schedule: run,
    softmaxTokens: async (sample, batch, params) => ({
      predictions: await backend.softmaxForward({ ...sample, sampler: "tokens" }, params),
      bound: softmaxPredictionTolerance(batch, params),
    }),
    lcaTokens: async (sample, batch, params) => ({
      predictions: await backend.lcaForward({ ...sample, sampler: "tokens" }, params),
      bound: lcaTokenForwardBound(batch, params),
    }),
  };
}

/** The full LSA of reduced LSA with `gamma`: p = e_{d+1}, K = [Gamma^T; 0]. */
function reducedAsFull(gamma: ArrayLike<number>, d: number): LsaParameters {
  requireAllFinite("gamma", requireLength("gamma", gamma, d * d));
  const p = new Float64Array(d + 1);
  p[d] = 1;
  const k = new Float64Array((d + 1) * d);
  for (let b = 0; b < d; b++) {
    for (let c = 0; c < d; c++) k[c * d + b] = gamma[b * d + c];
  }
  return { p, k };
}

/**
 * The words a part adds to its margin text when `evaluation` runs float32 kernels (empty on the
 * host, so the CPU's texts are unchanged): the per-prompt bound b_n of
 * {@linkcode scheduleForwardBound} and, on a mean of squares, mean b_n (2 |y_hat_n - r_n| + b_n).
 *
 * @example Nothing on the host
 * ```ts
 * import assert from "node:assert/strict";
 * import { float32MarginNote, hostEvaluation } from "./model_evaluation.ts";
 * assert.equal(float32MarginNote(hostEvaluation(), "LCA_T"), "");
 * ```
 */
export function float32MarginNote(evaluation: ModelEvaluation, what: string): string {
  if (evaluation.where === hostEvaluation().where) return "";
  return `; ${what} by ${evaluation.where}: + b_n per prompt, + mean b_n (2 |y_hat_n - r_n| + ` +
    "b_n) on a mean square, b_n the derived float32 error bound of the kernel's operations " +
    "(input rounding, gamma_k per chain of k roundings; through the LCA's layers the " +
    "contraction |I + beta Sigma_hat|_2)";
}
