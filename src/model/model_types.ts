/**
 * The shared types of the model: a task distribution (`TaskConfig`), a validated
 * sampling request (`ResolvedSample`), and the batches every sampler fills in
 * (`TaskBatch`, `PromptBatch`, `PromptStatistics`, `SpectralStatistics`). Types
 * only: every module of the model and the backends can import them without
 * importing a sampler.
 *
 * @module
 */

import type { SpikeLaw } from "./law.ts";
import type { StreamKey } from "../numeric/random.ts";
import type { LimitsOption } from "../validation/resource_limits.ts";

/**
 * A task family: the paper's spiked multi-modal model, or the prior work's regression.
 * Each name has a definition in `FAMILIES` (`families/families.ts`).
 */
export type TaskFamily = "paper" | "regression";

/** Options that describe the task distribution; every field has a default. */
export interface TaskOptions {
  /** Dimension of the first modality (default 2). */
  d1?: number;
  /** Dimension of the second modality (default 2). */
  d2?: number;
  /** Lower end m_lo of the support of s = |m|^2 (default 0.5). */
  mMin?: number;
  /** Upper end m_hi of the support of s (default 4). */
  mMax?: number;
  /** Law of s: a SpikeLaw or `uniform`, `beta:A:B`, `point:S` (default `uniform`). */
  law?: SpikeLaw | string;
  /** Label noise standard deviation (default 0.1). */
  sigma?: number;
  /** Task family: `paper` (default) or `regression` (x ~ N(0, Lambda), w ~ N(0, I); `regression.ts`). */
  family?: TaskFamily;
  /** Regression only: diagonal of Lambda, `"identity"` (default, d = d1 + d2) or e.g. `[4, 2, 1, 0.5]`. */
  covariance?: readonly number[] | Float64Array | string;
}

/** A validated task distribution. */
export interface TaskConfig {
  /** Dimension d1 of the first modality z1. */
  d1: number;
  /** Dimension d2 of the second modality z2. */
  d2: number;
  /** d = d1 + d2. */
  dim: number;
  /** Law P of the spike strength s = |m|^2. */
  law: SpikeLaw;
  /** Label noise standard deviation sigma. */
  sigma: number;
  /** `regression` for the prior-work family (absent: the paper's family; the law is then unused). */
  family?: TaskFamily;
  /** Regression only: the diagonal of Lambda (length d). */
  covariance?: Float64Array;
}

/** A statistics sampler name (see {@linkcode SampleOptions.sampler}). */
export type StatisticsSampler = "tokens" | "wishart" | "auto";

/** Options for sampling a batch of prompts. */
export interface SampleOptions extends TaskOptions {
  /** Number of prompts N (positive integer). */
  prompts: number;
  /** Context length L (positive integer), or `Infinity` for exact task statistics. */
  context: number;
  /** Seed (non-negative safe integer). */
  seed: number;
  /** Sub-stream: 0 for training prompts (default), 1 for test prompts, any u32. */
  stream?: number;
  /** Index of the first prompt within the stream (default 0), for chunked sampling. */
  promptOffset?: number;
  /**
   * How sufficient statistics are drawn (`samplePromptStatistics`; token-level passes
   * always draw tokens): `tokens` reduces the Philox token stream (the reference, and
   * the stream WebGPU reproduces); `wishart` draws them exactly from their joint law
   * without tokens (`model/wishart.ts`, O(d^3) per prompt whatever L); `auto` (default)
   * is `wishart` when 2 <= d + 2 <= L < Infinity and `tokens` otherwise.
   */
  sampler?: StatisticsSampler;
  /**
   * Budgets of the call (`validation/resource_limits.ts`): `"default"` (2 GiB of prompts,
   * 2e9 token-units of sampling), `"none"`, or numbers replacing some defaults.
   */
  limits?: LimitsOption;
}

/** Validated sampling options. */
export interface ResolvedSample {
  /** The validated task distribution. */
  task: TaskConfig;
  /** Number of prompts N. */
  prompts: number;
  /** Context length L (`Infinity` for exact task statistics). */
  context: number;
  /** Seed and sub-stream of the counter stream. */
  key: StreamKey;
  /** Index of the first prompt within the stream. */
  promptOffset: number;
  /** The statistics sampler, `auto` resolved: `wishart` or `tokens`. */
  sampler: "tokens" | "wishart";
}

/** The tasks of a batch: spike strengths s_n and spike vectors m_n. */
export interface TaskBatch {
  /** The task distribution the batch was drawn from. */
  task: TaskConfig;
  /** Number of prompts N. */
  prompts: number;
  /** s_n = |m_n|^2, length N. */
  strength: Float64Array;
  /** m_n, N x d row-major. */
  spike: Float64Array;
}

/** A batch of prompts with every token stored (the token-level reference path). */
export interface PromptBatch extends TaskBatch {
  /** Context length L. */
  context: number;
  /** Context covariates, N x L x d row-major. */
  x: Float64Array;
  /** Context labels, N x L. */
  y: Float64Array;
  /** Query covariates x_q, N x d. */
  query: Float64Array;
  /** Query labels y_q, N. */
  queryLabel: Float64Array;
}

/** Sufficient statistics of a batch of prompts. */
export interface PromptStatistics extends TaskBatch {
  /** Context length L (`Infinity` for exact task moments). */
  context: number;
  /** Sigma_hat per prompt, N x d x d row-major. */
  sigmaHat: Float64Array;
  /** mu_hat per prompt, N x d. */
  muHat: Float64Array;
  /** Mean context label per prompt, N. */
  meanY: Float64Array;
  /** Mean squared context label per prompt, N. */
  meanY2: Float64Array;
  /** Query covariates, N x d. */
  query: Float64Array;
  /** Query labels, N. */
  queryLabel: Float64Array;
}

/**
 * Each Sigma_hat diagonalised once: eigenvalues lambda_{n,j} and the products
 * (u_j^T x_q)(u_j^T mu_hat). Every spectral predictor (LCA, deep LSA, OLS) is
 * then `sum_j weight_{n,j} f(lambda_{n,j})`, so a training step costs O(N d T).
 */
export interface SpectralStatistics {
  /** Number of prompts N. */
  prompts: number;
  /** Covariate dimension d. */
  dim: number;
  /** Eigenvalues of Sigma_hat, N x d. */
  lambda: Float64Array;
  /** (u_j^T x_q)(u_j^T mu_hat), N x d. */
  weight: Float64Array;
}
