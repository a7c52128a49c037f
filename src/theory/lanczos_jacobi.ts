/**
 * Orthogonal polynomials of a discrete measure nu = sum_i w_i delta_{x_i} (w_i >= 0): the
 * Jacobi matrix of their three-term recurrence by the Lanczos process on diag(x) started
 * from sqrt(w) (with full reorthogonalisation, so it is stable however many steps are
 * taken), its Gauss rule by Golub-Welsch, and the Christoffel sum K_{n-1}(z, z) =
 * sum_{k<n} phi_k(z)^2 of the orthonormal polynomials at a point z (in logarithms, so it
 * never overflows). Applied to a Gauss rule of the spike law with enough nodes, these are
 * the orthogonal polynomials of the continuous law (`optimal_schedule.ts`).
 *
 * @module
 */

import { requireNumbers, requirePositiveInteger } from "../validation/errors.ts";
import { tridiagonalQl } from "../numeric/linalg.ts";

/**
 * The Jacobi matrix of a measure: the orthonormal polynomials phi_k satisfy
 * b_{k+1} phi_{k+1}(x) = (x - a_k) phi_k(x) - b_k phi_{k-1}(x), phi_0 = 1/sqrt(mass).
 */
export interface JacobiMatrix {
  /** a_0 .. a_{n-1}. */
  diagonal: Float64Array;
  /** b_1 .. b_{n-1} (b_k couples k - 1 and k). */
  offDiagonal: Float64Array;
  /** The total mass sum_i w_i. */
  mass: number;
}

/** v -= (v . u) u for every stored unit vector u (one Gram-Schmidt pass). */
function reorthogonalise(v: Float64Array, basis: Float64Array[]): void {
  for (const u of basis) {
    let dot = 0;
    for (let i = 0; i < v.length; i++) dot += v[i] * u[i];
    for (let i = 0; i < v.length; i++) v[i] -= dot * u[i];
  }
}

/**
 * The n x n Jacobi matrix of nu = sum_i weights[i] delta_{nodes[i]}, by Lanczos on diag(x)
 * from the unit vector sqrt(w)/|sqrt(w)|, with two passes of full reorthogonalisation per
 * step. Needs at least n nodes of positive weight; a breakdown (b_k below 1e-13 of the
 * spread of the nodes: fewer than n support points) is a RangeError naming `size`.
 *
 * @example The Legendre recurrence from a 20-node Gauss-Legendre rule: b_1^2 = 1/3 on [-1, 1]
 * ```ts
 * import assert from "node:assert/strict";
 * import { gaussJacobi } from "./quadrature.ts";
 * import { lanczosJacobi } from "./lanczos_jacobi.ts";
 * const { x, w } = gaussJacobi(20, 0, 0);
 * const jacobi = lanczosJacobi(x, w, 3);
 * assert.ok(Math.abs(jacobi.offDiagonal[0] ** 2 - 1 / 3) < 1e-14);
 * assert.ok(Math.abs(jacobi.diagonal[1]) < 1e-14);
 * ```
 */
export function lanczosJacobi(
  nodes: ArrayLike<number>,
  weights: ArrayLike<number>,
  size: number,
): JacobiMatrix {
  const count = requireNumbers("nodes", nodes).length;
  requireNumbers("weights", weights, count);
  requirePositiveInteger("size", size);
  let mass = 0, spread = 0;
  for (let i = 0; i < count; i++) {
    if (!(weights[i] >= 0)) throw new RangeError(`weights must be >= 0, got ${weights[i]}`);
    mass += weights[i];
    spread = Math.max(spread, Math.abs(nodes[i]));
  }
  if (!(mass > 0)) throw new RangeError(`weights must have a positive sum, got ${mass}`);
  const diagonal = new Float64Array(size);
  const offDiagonal = new Float64Array(Math.max(size - 1, 0));
  const basis: Float64Array[] = [new Float64Array(count)];
  for (let i = 0; i < count; i++) basis[0][i] = Math.sqrt(weights[i] / mass);
  for (let k = 0; k < size; k++) {
    const v = basis[k];
    const u = new Float64Array(count);
    let a = 0;
    for (let i = 0; i < count; i++) {
      u[i] = nodes[i] * v[i];
      a += v[i] * u[i];
    }
    diagonal[k] = a;
    if (k === size - 1) break;
    const b = k > 0 ? offDiagonal[k - 1] : 0;
    const before = k > 0 ? basis[k - 1] : v;
    for (let i = 0; i < count; i++) u[i] -= a * v[i] + b * before[i];
    reorthogonalise(u, basis);
    reorthogonalise(u, basis);
    let norm = 0;
    for (let i = 0; i < count; i++) norm += u[i] * u[i];
    norm = Math.sqrt(norm);
    if (!(norm > 1e-13 * spread)) {
      throw new RangeError(
        `size must be at most the number of support points of the measure, got ${size}`,
      );
    }
    offDiagonal[k] = norm;
    for (let i = 0; i < count; i++) u[i] /= norm;
    basis.push(u);
  }
  return { diagonal, offDiagonal, mass };
}

/**
 * The Gauss rule of a Jacobi matrix (Golub-Welsch): the nodes are its eigenvalues
 * (ascending), the zeros of phi_n; the weights mass * (first eigenvector component)^2.
 *
 * @example The 2-point Gauss-Legendre rule has nodes -+1/sqrt(3)
 * ```ts
 * import assert from "node:assert/strict";
 * import { gaussJacobi } from "./quadrature.ts";
 * import { gaussRuleOfJacobi, lanczosJacobi } from "./lanczos_jacobi.ts";
 * const { x, w } = gaussJacobi(16, 0, 0);
 * const rule = gaussRuleOfJacobi(lanczosJacobi(x, w, 2));
 * assert.ok(Math.abs(rule.nodes[1] - 1 / Math.sqrt(3)) < 1e-14);
 * assert.ok(Math.abs(rule.weights[0] - 0.5) < 1e-14);
 * ```
 */
export function gaussRuleOfJacobi(jacobi: JacobiMatrix): { nodes: number[]; weights: number[] } {
  const n = jacobi.diagonal.length;
  const d = Float64Array.from(jacobi.diagonal);
  const e = new Float64Array(n);
  e.set(jacobi.offDiagonal);
  const z = new Float64Array(n);
  z[0] = 1;
  tridiagonalQl(d, e, z, 1);
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => d[i] - d[j]);
  return {
    nodes: order.map((i) => d[i]),
    weights: order.map((i) => jacobi.mass * z[i] * z[i]),
  };
}

/**
 * log K_{n-1}(z, z) = log sum_{k<n} phi_k(z)^2 for the orthonormal polynomials of the
 * Jacobi matrix (n its size), by the forward recurrence (stable outside the support,
 * where phi_k grows geometrically), rescaled whenever phi_k passes 1e100. 1/K_{n-1}(z, z)
 * is the Christoffel function: min of sum_i w_i p(x_i)^2 over degree < n with p(z) = 1.
 *
 * @example For mass 1 and phi_0 = 1, K_0(z, z) = 1
 * ```ts
 * import assert from "node:assert/strict";
 * import { logChristoffelSum } from "./lanczos_jacobi.ts";
 * const jacobi = { diagonal: new Float64Array([0]), offDiagonal: new Float64Array(0), mass: 1 };
 * assert.equal(logChristoffelSum(jacobi, 3), 0);
 * ```
 */
export function logChristoffelSum(jacobi: JacobiMatrix, z: number): number {
  const n = jacobi.diagonal.length;
  let previous = 0, current = 1 / Math.sqrt(jacobi.mass);
  let logScale = 0, sum = current * current;
  for (let k = 0; k < n - 1; k++) {
    const b = jacobi.offDiagonal[k];
    const next = ((z - jacobi.diagonal[k]) * current - (k > 0 ? jacobi.offDiagonal[k - 1] : 0) *
        previous) / b;
    previous = current;
    current = next;
    sum += current * current;
    if (Math.abs(current) > 1e100) {
      previous /= 1e100;
      current /= 1e100;
      sum /= 1e200;
      logScale += 200 * Math.LN10;
    }
  }
  return Math.log(sum) + logScale;
}
