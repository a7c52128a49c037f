/**
 * Parameter types of the models and their validation (the untied LCA's full matrices
 * included: `untied.ts`).
 *
 * @module
 */

import {
  requireAllFinite,
  requireFinite,
  requireLength,
  requirePositiveInteger,
} from "../validation/errors.ts";

/**
 * Parameters of a T-layer linearised cross-attention (LCA) stack:
 * W_S = alpha Id, W_V = beta Id. The one-parameter model is beta = -alpha.
 */
export interface LcaParameters {
  /** W_S = alpha Id (re-injection of the raw query covariates). */
  alpha: number;
  /** W_V = beta Id (cross-attention value weight). */
  beta: number;
  /** Number of layers T. */
  depth: number;
}

/** Parameters of the two-parameter deep linear self-attention (deep LSA) baseline. */
export interface DeepLsaParameters {
  /** Weight of the label (f) update. */
  alpha: number;
  /** Weight of the covariate (x) update. */
  beta: number;
  /** Number of layers T. */
  depth: number;
}

/**
 * Full single-layer LSA parameters: p is the last row of W_PV (length d + 1) and
 * K the first d columns of W_KQ ((d + 1) x d, row-major). y_hat = p^T G K x_q.
 */
export interface LsaParameters {
  /** Last row of W_PV, length d + 1. */
  p: Float64Array;
  /** First d columns of W_KQ, (d + 1) x d row-major. */
  k: Float64Array;
}

/**
 * The one-parameter LCA (W_V = -W_S = -alpha).
 *
 * @example W_V = -W_S
 * ```ts
 * import assert from "node:assert/strict";
 * import { oneParameterLca } from "./models.ts";
 * assert.deepEqual(oneParameterLca(0.3, 10), { alpha: 0.3, beta: -0.3, depth: 10 });
 * ```
 */
export function oneParameterLca(alpha: number, depth: number): LcaParameters {
  requireFinite("alpha", alpha);
  requirePositiveInteger("depth", depth);
  return { alpha, beta: -alpha, depth };
}

/** Validates LCA or deep-LSA parameters. */
export function validateLayerParameters<P extends LcaParameters | DeepLsaParameters>(params: P): P {
  if (params === null || typeof params !== "object") {
    throw new TypeError(`parameters must be an object, got ${String(params)}`);
  }
  requireFinite("alpha", params.alpha);
  requireFinite("beta", params.beta);
  requirePositiveInteger("depth", params.depth);
  return params;
}

/** Validates full LSA parameters for dimension d. */
export function validateLsaParameters(params: LsaParameters, dim: number): LsaParameters {
  requireAllFinite("p", requireLength("p", params.p, dim + 1));
  requireAllFinite("k", requireLength("k", params.k, (dim + 1) * dim));
  return params;
}

/**
 * The full LSA parameters that reproduce reduced LSA with Gamma = gamma Id:
 * p = e_{d+1}, K = [gamma Id; 0].
 *
 * @example The isotropic reduced LSA Gamma = gamma I as full (p, K)
 * ```ts
 * import assert from "node:assert/strict";
 * import { lsaFromGamma } from "./models.ts";
 * const params = lsaFromGamma(0.27, 4);
 * assert.deepEqual([...params.p], [0, 0, 0, 0, 1]); // p = e_{d+1}
 * assert.equal(params.k.length, 5 * 4); // K = [0.27 I; 0] is (d + 1) x d
 * assert.equal(params.k[0], 0.27);
 * ```
 */
export function lsaFromGamma(gamma: number, dim: number): LsaParameters {
  requireFinite("gamma", gamma);
  requirePositiveInteger("dim", dim);
  const p = new Float64Array(dim + 1);
  p[dim] = 1;
  const k = new Float64Array((dim + 1) * dim);
  for (let j = 0; j < dim; j++) k[j * dim + j] = gamma;
  return { p, k };
}

/**
 * kx = K x_q (d + 1 numbers) for the query of prompt `n` in `query` (N x d, row-major): the
 * key-query product that both LSA forms, on statistics and on tokens, start from.
 *
 * @example K = [gamma I; 0] gives kx = (gamma x_q, 0)
 * ```ts
 * import assert from "node:assert/strict";
 * import { lsaFromGamma, lsaKeyQueryInto } from "./models.ts";
 * const kx = new Float64Array(3);
 * lsaKeyQueryInto(lsaFromGamma(0.5, 2), Float64Array.of(9, 9, 2, -4), 1, kx);
 * assert.deepEqual([...kx], [1, -2, 0]);
 * ```
 */
export function lsaKeyQueryInto(
  params: LsaParameters,
  query: ArrayLike<number>,
  n: number,
  kx: Float64Array,
): void {
  const d = kx.length - 1;
  for (let r = 0; r <= d; r++) {
    let sum = 0;
    for (let c = 0; c < d; c++) sum += params.k[r * d + c] * query[n * d + c];
    kx[r] = sum;
  }
}

/** Parameters of an untied LCA. */
export interface UntiedLcaParameters {
  /** Covariate dimension d. */
  dim: number;
  /** Number of layers T. */
  depth: number;
  /** True: (A_t, B_t) per layer; false: one (A, B) shared by all layers. */
  layerwise: boolean;
  /** W_S: d x d row-major (shared) or T blocks of d x d (layerwise). */
  a: Float64Array;
  /** W_V: same layout as `a`. */
  b: Float64Array;
}

/** Number of matrices per weight: T for layerwise, 1 for shared. */
export function untiedBlocks(params: { depth: number; layerwise: boolean }): number {
  return params.layerwise ? params.depth : 1;
}

/** Validates untied parameters (lengths and finiteness). */
export function validateUntied(params: UntiedLcaParameters): UntiedLcaParameters {
  if (params === null || typeof params !== "object") {
    throw new TypeError(`parameters must be an object, got ${String(params)}`);
  }
  const d = requirePositiveInteger("dim", params.dim);
  requirePositiveInteger("depth", params.depth);
  const size = untiedBlocks(params) * d * d;
  requireAllFinite("a", requireLength("a", params.a, size));
  requireAllFinite("b", requireLength("b", params.b, size));
  return params;
}

/** The untied parameters of the tied model (A = alpha I, B = beta I). */
export function untiedFromTied(
  alpha: number,
  beta: number,
  dim: number,
  depth: number,
  layerwise = false,
): UntiedLcaParameters {
  const blocks = layerwise ? depth : 1;
  const a = new Float64Array(blocks * dim * dim);
  const b = new Float64Array(blocks * dim * dim);
  for (let t = 0; t < blocks; t++) {
    for (let j = 0; j < dim; j++) {
      a[t * dim * dim + j * dim + j] = alpha;
      b[t * dim * dim + j * dim + j] = beta;
    }
  }
  return { dim, depth, layerwise, a, b };
}
