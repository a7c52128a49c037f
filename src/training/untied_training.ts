/**
 * Training the untied (full-matrix) LCA (`lca-full`, `lca-full-layerwise`; see
 * `model/untied.ts`) by gradient descent with the exact adjoint gradient, from a random
 * initialisation (entries N(0, scale^2 / d) around zero, from the counter stream of the
 * seed) or from given parameters.
 *
 * The descent runs on log l (the same path as on l with time reparametrised; scale-free,
 * so a Bayes-target loss of 1e-10 converges as well as one of 1).
 *
 * @module
 */

import { requirePositive, requirePositiveInteger } from "../validation/errors.ts";
import { CounterStream } from "../numeric/random.ts";
import type { PromptStatistics } from "../model/statistics.ts";
import { untiedBlocks, type UntiedLcaParameters, untiedLoss } from "../model/untied.ts";
import { gradientDescent, type GradientDescentResult } from "./optimizer.ts";

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
  /** Gradient-descent steps (default 3000). */
  steps?: number;
}

/** A trained untied LCA. */
export interface UntiedTrainResult {
  /** The trained parameters. */
  parameters: UntiedLcaParameters;
  /** Final training loss. */
  loss: number;
  /** The descent run (on log loss). */
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
      steps: requirePositiveInteger("steps", options.steps ?? 3000),
      gradientTolerance: 1e-10,
      maxRecorded: 20,
    },
  );
  const parameters = unpack(Float64Array.from(run.parameters));
  return {
    parameters: {
      ...parameters,
      a: Float64Array.from(parameters.a),
      b: Float64Array.from(parameters.b),
    },
    loss: Math.exp(run.loss),
    run,
  };
}
