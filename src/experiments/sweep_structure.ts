/**
 * The structure of an untied solution as the C11 sweep reports it: per layer for a
 * layerwise solution (B_0 left out: it multiplies Sigma q_0 = 0), and a shared solution
 * repeated over the layers as a layerwise one.
 *
 * @module
 */

import {
  type UntiedLcaParameters,
  type UntiedStructure,
  untiedStructure,
} from "../model/untied.ts";

/** Structure of one layer of a layerwise solution (`untiedStructure` of (A_t, B_t)). */
export interface UntiedLayerStructure extends UntiedStructure {
  /** Layer index t (0-based). B_0 multiplies Sigma q_0 = 0: unused, excluded from the row's B. */
  layer: number;
}

/** The structure of a solution as the row reports it (the `untied` part of an `UntiedSweepRow`). */
export function sweepStructure(
  p: UntiedLcaParameters,
): UntiedStructure & { layers?: UntiedLayerStructure[] } {
  if (!p.layerwise) return untiedStructure(p);
  const d = p.dim, dd = d * d;
  const layers: UntiedLayerStructure[] = [];
  for (let t = 0; t < p.depth; t++) {
    const s = untiedStructure({
      dim: d,
      depth: 1,
      layerwise: false,
      a: p.a.subarray(t * dd, (t + 1) * dd),
      b: p.b.subarray(t * dd, (t + 1) * dd),
    });
    layers.push({ layer: t, ...s });
  }
  const used = layers.slice(1);
  const mean = (xs: number[]) => xs.length === 0 ? NaN : xs.reduce((x, y) => x + y, 0) / xs.length;
  const max = (xs: number[]) => xs.length === 0 ? NaN : Math.max(...xs);
  return {
    alpha: mean(layers.map((l) => l.alpha)),
    beta: mean(used.map((l) => l.beta)),
    aSymmetric: max(layers.map((l) => l.aSymmetric)),
    aSkew: max(layers.map((l) => l.aSkew)),
    bSymmetric: max(used.map((l) => l.bSymmetric)),
    bSkew: max(used.map((l) => l.bSkew)),
    layers,
  };
}

/** The shared solution repeated over the layers (the same predictor, layerwise layout). */
export function replicateLayers(p: UntiedLcaParameters): UntiedLcaParameters {
  if (p.layerwise) throw new RangeError("p.layerwise must be false to replicate, got true");
  const dd = p.dim * p.dim;
  const a = new Float64Array(p.depth * dd), b = new Float64Array(p.depth * dd);
  for (let t = 0; t < p.depth; t++) {
    a.set(p.a.subarray(0, dd), t * dd);
    b.set(p.b.subarray(0, dd), t * dd);
  }
  return { dim: p.dim, depth: p.depth, layerwise: true, a, b };
}
