/**
 * The data rows of a line chart: each point with its series' style, the edge where it is
 * drawn when its value is beyond the y axis, and whether it gets a marker; the series
 * that coincide at the plotted scale; and the places where a reference curve leaves the
 * plot (an arrow at the edge with a note). The point, rule and style types live here too.
 *
 * @module
 */

import { MARKER_SIZE, MARKERS } from "./markers.ts";
import type { YScale } from "./y_scale.ts";
import { type ClippedPoint, coincidentPairs, type EdgeExit } from "./chart_notes.ts";

/** One plotted point of a series, with an optional error bar [lower, upper]. */
export interface ChartPoint {
  /** Legend label of the series. */
  series: string;
  x: number;
  y: number;
  lower?: number;
  upper?: number;
  /**
   * Whether the point sets the y axis (default: whether its series is listed in
   * the chart's `informative` series).
   */
  informative?: boolean;
}

/** A labelled horizontal reference line. */
export interface ChartRule {
  y: number;
  label: string;
}

/** Style of one series: colour, stroke dash and marker. */
export interface SeriesStyle {
  label: string;
  color: string;
  dash: number[];
  /** Marker shape (default: the series' position in {@linkcode MARKERS}). */
  shape?: string;
  /**
   * A reference curve (a formula such as a bound; default false): where it leaves the
   * y axis it is cut at the edge, with an arrow there and a note of its next value.
   */
  reference?: boolean;
  /**
   * What the series draws (default "both"): its line and markers, only the line (a
   * continuous curve, e.g. a level set), or only the markers (discrete iterates); the
   * points are joined in the order given, so a closed curve may go back in x.
   */
  marks?: "both" | "line" | "points";
  /** Filled markers (default false: hollow). */
  filled?: boolean;
  /** Marker area in square pixels (default {@linkcode MARKER_SIZE}). */
  markerSize?: number;
}

/** A series style with its marker shape resolved. */
export type UsedStyle = SeriesStyle & { shape: string };

/** Sizes of the edge triangles of the first, second, ... series with clipped points. */
const EDGE_SIZES = [150, 70, 25];

/** A series with more points than this gets a marker on every k-th point only. */
const MAX_MARKERS = 30;

/** A data row of the chart: a point with its style, its edge and whether it gets a marker. */
export interface ChartRow extends ChartPoint {
  /** Position of the point in its chart's points: the order its series' line joins them. */
  index: number;
  /** y of the line (a value below the axis for y <= 0 on a log axis). */
  yLine: number;
  /** Lower end of the error bar as drawn (below the axis when not positive on a log axis). */
  lowerPlot: number | undefined;
  color: string;
  dash: number[];
  shape: string;
  /** Edge where the point is drawn as a triangle (null: inside, or a cut reference curve). */
  edge: ClippedPoint["edge"] | null;
  /** y of the edge triangle. */
  yEdge: number;
  /** Whether the point is drawn with its series' marker. */
  marker: boolean;
  /** Size of the edge triangle. */
  edgeSize: number;
  /** Whether the series draws its line. */
  line: boolean;
  /** Whether the marker is filled, and its area. */
  filled: boolean;
  size: number;
}

/** The styles of the series that have points, with their marker shapes, in legend order. */
export function usedStyles(styles: SeriesStyle[], points: ChartPoint[]): UsedStyle[] {
  const labels = styles.map((s) => s.label);
  for (const p of points) {
    if (!labels.includes(p.series)) {
      throw new RangeError(
        `points[].series must be one of the styles, got ${JSON.stringify(p.series)}`,
      );
    }
  }
  return styles
    .map((s, i) => ({ ...s, shape: s.shape ?? MARKERS[i % MARKERS.length] }))
    .filter((s) => points.some((p) => p.series === s.label));
}

/**
 * Marker thinning: a series with more than MAX_MARKERS points marks every k-th point.
 * Series that coincide (pairs joined into groups) and are thinned out take turns: the
 * k-th of a group of n marks every n-th point from the k-th on, so every series keeps
 * visible markers.
 */
function markerTurns(
  points: ChartPoint[],
  used: UsedStyle[],
  coincident: [string, string][],
): { step: Map<string, number>; phase: Map<string, number> } {
  const groupOf = new Map<string, string[]>();
  for (const [a, b] of coincident) {
    const group = [...new Set([...(groupOf.get(a) ?? [a]), ...(groupOf.get(b) ?? [b])])];
    for (const label of group) groupOf.set(label, group);
  }
  const step = new Map<string, number>();
  const phase = new Map<string, number>();
  for (const s of used) {
    const n = points.filter((p) => p.series === s.label).length;
    const every = Math.max(1, Math.ceil(n / MAX_MARKERS));
    const group = groupOf.get(s.label);
    if (every > 1 && group) {
      step.set(s.label, Math.max(every, group.length));
      phase.set(s.label, used.filter((u) => group.includes(u.label)).indexOf(s));
    } else step.set(s.label, every);
  }
  return { step, phase };
}

/**
 * Where each reference curve crosses the top or bottom edge between two of its points
 * (one inside the axis, one beyond): the crossing's x (the line is straight in pixels
 * between points; `xLog`: a log x axis) and the value of the point beyond.
 */
export function edgeExits(
  points: ChartPoint[],
  used: UsedStyle[],
  y: YScale,
  height: number,
  xLog: boolean,
): EdgeExit[] {
  const exits: EdgeExit[] = [];
  for (const s of used.filter((u) => u.reference)) {
    const line = points.filter((p) => p.series === s.label);
    for (let k = 1; k < line.length; k++) {
      const [a, b] = [line[k - 1], line[k]];
      const [pa, pb] = [y.pixel(a.y), y.pixel(b.y)];
      const inside = (p: number) => p >= 0 && p <= height;
      if (inside(pa) === inside(pb)) continue;
      const [inner, outer, pIn, pOut] = inside(pa) ? [a, b, pa, pb] : [b, a, pb, pa];
      const edge = pOut > height ? "bottom" : "top";
      const target = edge === "bottom" ? height : 0;
      const f = Number.isFinite(pOut) ? (target - pIn) / (pOut - pIn) : 1;
      const x = xLog ? inner.x * (outer.x / inner.x) ** f : inner.x + f * (outer.x - inner.x);
      exits.push({ series: s.label, x, edge, beyond: { x: outer.x, y: outer.y } });
    }
  }
  return exits;
}

/** The row of point `p` (its `index` in the chart) given its series' style and the axis. */
function rowOf(
  p: ChartPoint,
  index: number,
  s: UsedStyle,
  y: YScale,
  marked: boolean,
  edgeSize: number,
): ChartRow {
  const { domain, log: yLog } = y;
  const below = domain[0] / 100;
  const outside = yLog && !(p.y > 0) || p.y < domain[0] || p.y > domain[1];
  const edge: ClippedPoint["edge"] | null = s.reference && outside
    ? null
    : yLog && !(p.y > 0) || p.y < domain[0]
    ? "bottom"
    : p.y > domain[1]
    ? "top"
    : null;
  return {
    ...p,
    index,
    yLine: yLog && !(p.y > 0) ? below : p.y,
    lowerPlot: p.lower === undefined ? undefined : yLog && !(p.lower > 0) ? below : p.lower,
    color: s.color,
    dash: s.dash,
    shape: s.shape,
    edge,
    yEdge: edge === "top" ? domain[1] : edge === "bottom" ? domain[0] : p.y,
    marker: !outside && marked && s.marks !== "line",
    edgeSize,
    line: s.marks !== "points",
    filled: s.filled ?? false,
    size: s.markerSize ?? MARKER_SIZE,
  };
}

/** The data rows (points with style, edge and marker), the clipped points and the coincidences. */
export function chartRows(
  points: ChartPoint[],
  used: UsedStyle[],
  y: YScale,
  height: number,
): { rows: ChartRow[]; clipped: ClippedPoint[]; coincident: [string, string][] } {
  const { domain, log: yLog } = y;
  const style = new Map(used.map((s) => [s.label, s]));
  const isOutside = (p: ChartPoint) => yLog && !(p.y > 0) || p.y < domain[0] || p.y > domain[1];
  const coincident = coincidentPairs(
    // Lines that hide each other; a series of markers only hides no line.
    points.filter((p) =>
      (!isOutside(p) || style.get(p.series)!.reference) && style.get(p.series)!.marks !== "points"
    ),
    used.map((s) => s.label),
    y.pixel,
    height,
  );
  const turns = markerTurns(points, used, coincident);
  const seen = new Map<string, number>();
  const clippedSeries = used.filter((s) =>
    !s.reference && points.some((p) => p.series === s.label && isOutside(p))
  ).map((s) => s.label);
  const rows = points.map((p, i): ChartRow => {
    const index = seen.get(p.series) ?? 0;
    seen.set(p.series, index + 1);
    const marked = index % turns.step.get(p.series)! === (turns.phase.get(p.series) ?? 0);
    const edgeSize = EDGE_SIZES[clippedSeries.indexOf(p.series) % EDGE_SIZES.length];
    return rowOf(p, i, style.get(p.series)!, y, marked, edgeSize);
  });
  const clipped: ClippedPoint[] = rows.filter((r) => r.edge !== null).map((r) => ({
    series: r.series,
    x: r.x,
    y: r.y,
    edge: r.edge!,
  }));
  return { rows, clipped, coincident };
}
