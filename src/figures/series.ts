/**
 * The plotted series: identifiers, legend labels and line styles shared by every
 * figure, so a model has the same colour and dash everywhere.
 *
 * @module
 */

import { PENTAGON_MARKER, X_MARKER } from "../rendering/markers.ts";
import type { ReadabilityOptions } from "../rendering/readability.ts";

/** How a series was obtained (sets its dash). */
export type SeriesKind = "trained" | "population" | "baseline";

/** A series of the figures. */
export interface SeriesInfo {
  id: string;
  label: string;
  kind: SeriesKind;
  color: string;
  /** Vega marker shape of its points (distinct within every figure). */
  marker: string;
}

/** Every series, in legend order. */
export const SERIES: readonly SeriesInfo[] = [
  {
    id: "lca1",
    label: "LCA one-parameter (trained)",
    kind: "trained",
    color: "#1f77b4",
    marker: "circle",
  },
  {
    id: "lca2",
    label: "LCA two-parameter (trained)",
    kind: "trained",
    color: "#ff7f0e",
    marker: "square",
  },
  {
    id: "lca1-pop",
    label: "LCA one-parameter (α_T, population)",
    kind: "population",
    color: "#1f77b4",
    marker: "diamond",
  },
  {
    id: "lca2-pop",
    label: "LCA two-parameter (population optimum)",
    kind: "population",
    color: "#ff7f0e",
    marker: "cross",
  },
  {
    id: "ablation",
    label: "LCA without S_t (trained)",
    kind: "trained",
    color: "#8c564b",
    marker: "triangle-left",
  },
  {
    id: "deep-lsa",
    label: "deep LSA two-parameter (trained)",
    kind: "trained",
    color: "#9467bd",
    marker: "triangle-left",
  },
  {
    id: "lsa",
    label: "LSA (trained, reduced Γ)",
    kind: "trained",
    color: "#2ca02c",
    marker: "triangle-right",
  },
  {
    id: "lsa-pop",
    label: "LSA (γ* I, population optimum)",
    kind: "population",
    color: "#2ca02c",
    marker: PENTAGON_MARKER,
  },
  { id: "ols", label: "in-context OLS", kind: "baseline", color: "#d62728", marker: X_MARKER },
  {
    id: "mean",
    label: "sample mean of context labels",
    kind: "baseline",
    color: "#7f7f7f",
    marker: "triangle-right",
  },
  {
    id: "bayes",
    label: "Bayes predictor w^T x_q (test prompts)",
    kind: "baseline",
    color: "#000000",
    marker: "circle",
  },
];

/** The series with identifier `id`. */
export function seriesInfo(id: string): SeriesInfo {
  const info = SERIES.find((s) => s.id === id);
  if (!info) {
    throw new RangeError(
      `series must be one of ${SERIES.map((s) => s.id).join(", ")}, got ${JSON.stringify(id)}`,
    );
  }
  return info;
}

/** Stroke dash of a series kind: solid (trained), dashed (population), dotted (baseline). */
export function dashOf(kind: SeriesKind): number[] {
  return kind === "trained" ? [1, 0] : kind === "population" ? [6, 3] : [2, 2];
}

/**
 * How the readability checks read a figure file of these series: where the file does not
 * say which series set the y axis (written before it did), the population series do not.
 */
export const SERIES_READABILITY: ReadabilityOptions = {
  uninformative: new Set(SERIES.filter((s) => s.kind === "population").map((s) => s.label)),
};
