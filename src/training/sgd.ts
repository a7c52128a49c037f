/**
 * Minibatch stochastic gradient descent: theta <- theta - eta * (1/B) sum_{n in batch}
 * grad l_n(theta), with batches of B prompts drawn uniformly with replacement from the
 * counter stream of a seed (stream 4). Used to measure the stationary spread of the
 * trained alpha around the gradient-flow limit against eta/B (the paper's "gradient flow
 * against discrete optimisation" question): for small eta, Var(alpha) ~ (eta/B) S/(2H) with
 * S the per-prompt gradient variance and H the Hessian at the limit (Ornstein-Uhlenbeck).
 *
 * @module
 */

import { requirePositive, requirePositiveInteger } from "../validation/errors.ts";
import { CounterStream } from "../numeric/random.ts";
import type { SpectralStatistics } from "../model/prompt_statistics.ts";

/** Per-prompt loss gradients: writes grad l_n(theta) into `out` (length of theta). */
export type PromptGradient = (theta: Float64Array, prompt: number, out: Float64Array) => void;

/** Options of {@linkcode sgd}. */
export interface SgdOptions {
  /** Number of prompts N to draw from. */
  prompts: number;
  /** Batch size B. */
  batch: number;
  /** Step eta. */
  eta: number;
  /** Steps. */
  steps: number;
  /** Seed of the batch draws (default 0). */
  seed?: number;
  /** Record theta every this many steps after `burnIn` (default 1). */
  every?: number;
  /** Steps before recording starts (default 0). */
  burnIn?: number;
}

/** Result of {@linkcode sgd}. */
export interface SgdResult {
  /** Final theta. */
  parameters: Float64Array;
  /** Recorded theta (flattened rows of length theta.length). */
  recorded: Float64Array[];
}

/** Runs minibatch SGD. */
export function sgd(
  gradient: PromptGradient,
  theta0: Float64Array,
  options: SgdOptions,
): SgdResult {
  const N = requirePositiveInteger("prompts", options.prompts);
  const B = requirePositiveInteger("batch", options.batch);
  const eta = requirePositive("eta", options.eta);
  const steps = requirePositiveInteger("steps", options.steps);
  const every = requirePositiveInteger("every", options.every ?? 1);
  const burnIn = options.burnIn ?? 0;
  const random = new CounterStream({ seed: options.seed ?? 0, stream: 4 });
  const theta = Float64Array.from(theta0);
  const g = new Float64Array(theta.length);
  const sum = new Float64Array(theta.length);
  const recorded: Float64Array[] = [];
  for (let k = 0; k < steps; k++) {
    sum.fill(0);
    for (let b = 0; b < B; b++) {
      const n = Math.min(N - 1, Math.floor(random.uniform(k, b, 0) * N));
      gradient(theta, n, g);
      for (let i = 0; i < theta.length; i++) sum[i] += g[i];
    }
    for (let i = 0; i < theta.length; i++) theta[i] -= eta * sum[i] / B;
    if (k >= burnIn && (k - burnIn) % every === 0) recorded.push(Float64Array.from(theta));
  }
  return { parameters: theta, recorded };
}

/**
 * Per-prompt gradient of the one-parameter LCA loss (y_hat_n - t_n)^2 in alpha (beta = -alpha)
 * from spectral statistics, O(d T).
 */
export function lcaOnePromptGradient(
  spectral: SpectralStatistics,
  target: ArrayLike<number>,
  depth: number,
): PromptGradient {
  const d = spectral.dim;
  return (theta, n, out) => {
    const alpha = theta[0];
    let pred = 0, dPred = 0;
    for (let j = 0; j < d; j++) {
      const lambda = spectral.lambda[n * d + j];
      const w = spectral.weight[n * d + j];
      const u = 1 - alpha * lambda;
      // c = alpha sum_k u^k; dc/dalpha = sum_k u^k - alpha lambda sum_k k u^{k-1}.
      let g = 0, g1 = 0, power = 1, powerM1 = 0;
      for (let k = 0; k < depth; k++) {
        g += power;
        g1 += k * powerM1;
        powerM1 = power;
        power *= u;
      }
      pred += w * alpha * g;
      dPred += w * (g - alpha * lambda * g1);
    }
    out[0] = 2 * (pred - target[n]) * dPred;
  };
}
