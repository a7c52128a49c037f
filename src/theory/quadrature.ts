/**
 * Expectations over the spike law by Gauss quadrature. Uniform and Beta laws
 * use Gauss-Jacobi rules for the weight u^(a-1) (1-u)^(b-1) on [0, 1] (Legendre
 * for the uniform law), computed by the Golub-Welsch method in O(n^2): the
 * nodes are the eigenvalues of the Jacobi matrix and the weights the squared
 * first components of its eigenvectors. Endpoint singularities of Beta
 * densities are therefore integrated exactly; a point mass is a one-node rule.
 *
 * @module
 */

import type { SpikeLaw } from "../model/law.ts";
import { tridiagonalQl } from "../numeric/linalg.ts";

/** A quadrature rule for a probability law: E[f(s)] ~ sum_i weights[i] f(nodes[i]). */
export interface QuadratureRule {
  /** Spike strengths s_i. */
  nodes: Float64Array;
  /** Probability weights (they sum to 1). */
  weights: Float64Array;
}

const jacobiCache = new Map<string, { x: Float64Array; w: Float64Array }>();

/**
 * Gauss-Jacobi rule with n nodes for the normalised weight (1-x)^alpha (1+x)^beta
 * on [-1, 1], alpha, beta > -1. Exact for polynomials of degree 2n - 1.
 */
export function gaussJacobi(n: number, alpha: number, beta: number): {
  x: Float64Array;
  w: Float64Array;
} {
  const key = `${n}:${alpha}:${beta}`;
  const cached = jacobiCache.get(key);
  if (cached) return cached;
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const ab = alpha + beta;
  d[0] = (beta - alpha) / (ab + 2);
  for (let k = 1; k < n; k++) {
    const s = 2 * k + ab;
    d[k] = (beta * beta - alpha * alpha) / (s * (s + 2));
  }
  for (let k = 1; k < n; k++) {
    const s = 2 * k + ab;
    const b2 = k === 1
      ? 4 * (1 + alpha) * (1 + beta) / ((2 + ab) * (2 + ab) * (3 + ab))
      : 4 * k * (k + alpha) * (k + beta) * (k + ab) / (s * s * (s + 1) * (s - 1));
    e[k - 1] = Math.sqrt(b2);
  }
  const z = new Float64Array(n);
  z[0] = 1;
  tridiagonalQl(d, e, z, 1);
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => d[i] - d[j]);
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    x[i] = d[order[i]];
    w[i] = z[order[i]] * z[order[i]];
    total += w[i];
  }
  for (let i = 0; i < n; i++) w[i] /= total;
  const rule = { x, w };
  jacobiCache.set(key, rule);
  return rule;
}

/**
 * The default number of nodes for integrands that are polynomials of degree
 * about 2T in s times functions analytic near the support: 256 + 2T (capped at 8192).
 */
export function defaultNodeCount(depth = 1): number {
  return Math.min(8192, 256 + 2 * Math.max(0, Math.ceil(depth)));
}

const ruleCache = new Map<string, QuadratureRule>();
const RULE_CACHE_LIMIT = 256;

/**
 * A quadrature rule for the law of s. Rules are cached per law and node count (the
 * returned arrays are shared: callers must not write to them).
 *
 * @example
 * ```ts
 * import { quadratureRule } from "./quadrature.ts";
 * const rule = quadratureRule({ kind: "uniform", low: 0.5, high: 4 }, 64);
 * let mean = 0;
 * for (let i = 0; i < 64; i++) mean += rule.weights[i] * rule.nodes[i]; // 2.25
 * ```
 */
export function quadratureRule(
  law: SpikeLaw,
  nodeCount: number = defaultNodeCount(),
): QuadratureRule {
  if (law.kind === "point") {
    return { nodes: new Float64Array([law.value]), weights: new Float64Array([1]) };
  }
  const key = law.kind === "beta"
    ? `beta:${law.a}:${law.b}:${law.low}:${law.high}:${nodeCount}`
    : `uniform:${law.low}:${law.high}:${nodeCount}`;
  const cached = ruleCache.get(key);
  if (cached) return cached;
  const rule = buildRule(law, nodeCount);
  if (ruleCache.size >= RULE_CACHE_LIMIT) ruleCache.delete(ruleCache.keys().next().value!);
  ruleCache.set(key, rule);
  return rule;
}

function buildRule(
  law: Exclude<SpikeLaw, { kind: "point" }>,
  nodeCount: number,
): QuadratureRule {
  const a = law.kind === "beta" ? law.a : 1;
  const b = law.kind === "beta" ? law.b : 1;
  // u = (1 + x) / 2 has density proportional to (1 + x)^(a-1) (1 - x)^(b-1).
  const { x, w } = gaussJacobi(nodeCount, b - 1, a - 1);
  const nodes = new Float64Array(nodeCount);
  for (let i = 0; i < nodeCount; i++) {
    nodes[i] = law.low + (law.high - law.low) * (1 + x[i]) / 2;
  }
  return { nodes, weights: w };
}

/** E[f(s)] under the rule. */
export function expectation(rule: QuadratureRule, f: (s: number) => number): number {
  let sum = 0;
  for (let i = 0; i < rule.nodes.length; i++) sum += rule.weights[i] * f(rule.nodes[i]);
  return sum;
}
