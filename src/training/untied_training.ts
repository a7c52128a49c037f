/**
 * Training the untied (full-matrix) LCA (`lca-full`, `lca-full-layerwise`; see
 * `model/untied.ts`) from a random initialisation (entries N(0, scale^2 / d) around zero,
 * from the counter stream of the seed) or from given parameters, by one of:
 *
 * - `"levenberg-marquardt"` (default): the loss is a least-squares sum over prompts, so the
 *   exact Jacobian of the predictions (`untiedJacobian`, one adjoint pass per prompt) gives
 *   the Gauss-Newton matrix H = (2/N) J^T J and the gradient g = (2/N) J^T r; each iteration
 *   solves (H + mu (diag H + tau)) delta = -g (Marquardt's scaling; tau = 1e-12 max diag H
 *   keeps directions the loss does not see, such as B at T = 1, fixed) and accepts the step
 *   when the loss falls (mu / 3), else retries with mu x 4. It stops on a scale-free
 *   certificate: an accepted step |delta| <= 1e-10 max(|theta|, 1e-6); or, when no damping
 *   lowers the loss by more than its rounding floor, on stagnation. Plain gradient descent
 *   needs thousands of steps here (the deep recursion is ill-conditioned: 10^4 steps at
 *   T = 8) and stopped at its step cap; this converges in tens of iterations.
 * - `"gradient-descent"`: Barzilai-Borwein gradient descent on log l with the adjoint
 *   gradient (the same path as on l with time reparametrised; scale-free).
 *
 * @module
 */

import { requirePositive, requirePositiveInteger } from "../validation/errors.ts";
import { CounterStream } from "../numeric/random.ts";
import type { PromptStatistics } from "../model/prompt_statistics.ts";
import {
  untiedBlocks,
  untiedJacobian,
  type UntiedLcaParameters,
  untiedLoss,
  untiedPredict,
} from "../model/untied.ts";
import { gradientDescent, type GradientDescentResult } from "./optimizer.ts";
import { type LeastSquaresProblem, levenbergMarquardt } from "./levenberg_marquardt.ts";

/** Options of {@linkcode trainUntied}. */
export interface UntiedTrainOptions {
  /** Layers T. */
  depth: number;
  /** Per-layer matrices (`lca-full-layerwise`) or shared (`lca-full`, default). */
  layerwise?: boolean;
  /** Initial parameters (default: random with `scale` and `seed`). */
  initial?: UntiedLcaParameters;
  /** Standard deviation times sqrt(d) of the random initial entries (default 0.3). */
  scale?: number;
  /** Seed of the random initialisation (stream 3; default 0). */
  seed?: number;
  /**
   * Most iterations (default 3000): Levenberg-Marquardt iterations or gradient-descent
   * steps. A cap only: both stop on their certificates.
   */
  steps?: number;
  /** The optimiser (default "levenberg-marquardt"; see the module documentation). */
  method?: "levenberg-marquardt" | "gradient-descent";
}

/** A trained untied LCA. */
export interface UntiedTrainResult {
  /** The trained parameters. */
  parameters: UntiedLcaParameters;
  /** Final training loss. */
  loss: number;
  /**
   * The optimiser's run: steps, stop reason and trajectory (losses are l itself for
   * Levenberg-Marquardt, log l for gradient descent).
   */
  run: GradientDescentResult;
}

/** Random initial untied parameters: entries N(0, scale^2 / d) (stream 3 of the seed). */
export function randomUntied(
  dim: number,
  depth: number,
  layerwise: boolean,
  scale: number,
  seed: number,
): UntiedLcaParameters {
  const size = untiedBlocks({ depth, layerwise }) * dim * dim;
  const random = new CounterStream({ seed, stream: 3 });
  const a = new Float64Array(size), b = new Float64Array(size);
  random.normals(0, 0, 0, size, a);
  random.normals(1, 0, 0, size, b);
  const s = scale / Math.sqrt(dim);
  for (let i = 0; i < size; i++) {
    a[i] *= s;
    b[i] *= s;
  }
  return { dim, depth, layerwise, a, b };
}

/** Trains the untied LCA on statistics and targets. */
export function trainUntied(
  stats: PromptStatistics,
  targets: ArrayLike<number>,
  options: UntiedTrainOptions,
): UntiedTrainResult {
  const depth = requirePositiveInteger("depth", options.depth);
  const layerwise = options.layerwise ?? false;
  const d = stats.task.dim;
  const initial = options.initial ??
    randomUntied(
      d,
      depth,
      layerwise,
      requirePositive("scale", options.scale ?? 0.3),
      options.seed ?? 0,
    );
  const size = initial.a.length;
  const theta0 = new Float64Array(2 * size);
  theta0.set(initial.a, 0);
  theta0.set(initial.b, size);
  const unpack = (theta: Float64Array): UntiedLcaParameters => ({
    dim: d,
    depth,
    layerwise: initial.layerwise,
    a: theta.subarray(0, size),
    b: theta.subarray(size),
  });
  const steps = requirePositiveInteger("steps", options.steps ?? 3000);
  const method = options.method ?? "levenberg-marquardt";
  if (method !== "levenberg-marquardt" && method !== "gradient-descent") {
    throw new RangeError(
      `method must be "levenberg-marquardt" or "gradient-descent", got ${String(method)}`,
    );
  }
  // The result owns copies of the final A and B (not views into the run's vector).
  const result = (run: GradientDescentResult, loss: number): UntiedTrainResult => ({
    parameters: {
      ...unpack(run.parameters),
      a: run.parameters.slice(0, size),
      b: run.parameters.slice(size),
    },
    loss,
    run,
  });
  if (method === "levenberg-marquardt") {
    const run = levenbergMarquardt(untiedProblem(stats, targets, unpack, size), theta0, {
      iterations: steps,
    });
    return result(run, run.loss);
  }
  const run = gradientDescent(
    (theta) => {
      const r = untiedLoss(stats, targets, unpack(theta));
      const gradient = new Float64Array(2 * size);
      for (let i = 0; i < size; i++) {
        gradient[i] = r.a[i] / r.loss;
        gradient[size + i] = r.b[i] / r.loss;
      }
      return { loss: Math.log(r.loss), gradient };
    },
    theta0,
    {
      steps,
      gradientTolerance: 1e-10,
      maxRecorded: 20,
    },
  );
  return result(run, Math.exp(run.loss));
}

/** The untied least-squares problem: residuals and the exact Jacobian [dA | dB] per prompt. */
function untiedProblem(
  stats: PromptStatistics,
  targets: ArrayLike<number>,
  unpack: (theta: Float64Array) => UntiedLcaParameters,
  size: number,
): LeastSquaresProblem {
  const N = stats.prompts;
  const n = 2 * size;
  // One adjoint pass over every prompt per iteration (at start = 0); blocks are copied out.
  let j: ReturnType<typeof untiedJacobian> | undefined;
  return {
    residualCount: N,
    rows(theta, start, count, residuals, jacobian) {
      if (start === 0 || j === undefined) j = untiedJacobian(stats, unpack(theta));
      for (let i = 0; i < count; i++) {
        const p = start + i;
        residuals[i] = j.predictions[p] - targets[p];
        jacobian.set(j.a.subarray(p * size, (p + 1) * size), i * n);
        jacobian.set(j.b.subarray(p * size, (p + 1) * size), i * n + size);
      }
    },
    loss(theta) {
      const pred = untiedPredict(stats, unpack(theta));
      let sum = 0;
      for (let i = 0; i < N; i++) sum += (pred[i] - targets[i]) ** 2;
      return sum / N;
    },
  };
}
