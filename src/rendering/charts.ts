/**
 * Vega-Lite specifications of the figures: one layered line chart with a marker
 * per point, error bars, labelled horizontal reference lines and a legend that
 * shows each series' colour, dash and marker together.
 *
 * What keeps the chart readable:
 * - the y axis covers the informative series only; points of other series beyond
 *   it are drawn as a triangle at the edge and listed in the notes;
 * - every series has its own marker shape, so series that coincide at the plotted
 *   scale stay visible, and the notes name them;
 * - reference-line labels sit in the right margin, outside the data region;
 * - log axes are labelled at powers of ten in one format (1e-3).
 *
 * @module
 */

import type { TopLevelSpec } from "npm:vega-lite@5";
import { textWidth } from "./text_width.ts";

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
   * {@linkcode LineChartOptions.informative}).
   */
  informative?: boolean;
}

/** A labelled horizontal reference line. */
export interface ChartRule {
  y: number;
  label: string;
}

/** A hollow "x" marker (Vega symbol path). */
export const X_MARKER = "M-1,-1L1,1M-1,1L1,-1";

/** A pentagon marker (Vega symbol path). */
export const PENTAGON_MARKER = "M0,-1L0.95,-0.31L0.59,0.81L-0.59,0.81L-0.95,-0.31Z";

/** Marker shapes in the order series get them (triangles up/down mark clipped points). */
export const MARKERS: readonly string[] = [
  "circle",
  "square",
  "diamond",
  "cross",
  "triangle-right",
  "triangle-left",
  X_MARKER,
  PENTAGON_MARKER,
];

/** A marker's name for captions ("x" and "pentagon" for the path markers). */
export function markerName(shape: string): string {
  return shape === X_MARKER ? "x" : shape === PENTAGON_MARKER ? "pentagon" : shape;
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
   * y axis it is cut at the edge without edge markers or notes.
   */
  reference?: boolean;
}

/** Options of {@linkcode lineChart}. */
export interface LineChartOptions {
  title: string;
  /** Subtitle text; split at "; " into lines that fit the width (default none). */
  subtitle?: string;
  xTitle: string;
  /** Short name of x for the notes, e.g. "L_te" (default: xTitle). */
  xName?: string;
  yTitle: string;
  /** Logarithmic x axis, base 2 (default false). */
  xLog?: boolean;
  /** Logarithmic y axis (default false). */
  yLog?: boolean;
  /** x tick values (default: automatic). */
  xValues?: number[];
  /**
   * d3 format of the x tick labels (default "d": integers such as L_te and T, with ticks
   * at least 1 apart); e.g. ".2f" for a continuous parameter.
   */
  xFormat?: string;
  points: ChartPoint[];
  /** Series styles in legend order; every point's series must be listed. */
  styles: SeriesStyle[];
  /** Horizontal reference lines, labelled in the right margin (default none). */
  rules?: ChartRule[];
  /** Labels of the series that set the y axis (default: every series). */
  informative?: string[];
  /** Why points beyond the axis are there, for the notes (default none). */
  clipReason?: string;
  /** Plot width in pixels (default 600). */
  width?: number;
  /** Plot height in pixels (default 320). */
  height?: number;
}

/** A point drawn at the edge of the plot because its value is beyond the y axis. */
export interface ClippedPoint {
  series: string;
  x: number;
  y: number;
  edge: "top" | "bottom";
}

/** What the chart had to do to stay readable, for the caption and the data file. */
export interface ChartNotes {
  /** The y-axis domain. */
  yDomain: [number, number];
  /** Labels of the series that set the axis. */
  informative: string[];
  /** Points beyond the axis, drawn as triangles at the edge. */
  clipped: ClippedPoint[];
  /** Pairs of series whose lines are less than {@linkcode COINCIDE_PX} apart everywhere. */
  coincident: [string, string][];
  /** Marker shape of each series label. */
  markers: Record<string, string>;
}

/** A chart: the Vega-Lite specification and its notes. */
export interface Chart {
  spec: TopLevelSpec;
  notes: ChartNotes;
}

/** Two lines closer than this many pixels at every shared x are reported as coinciding. */
export const COINCIDE_PX = 3;

/** Sizes of the edge triangles of the first, second, ... series with clipped points. */
const EDGE_SIZES = [150, 70, 25];

/** A series with more points than this gets a marker on every k-th point only. */
const MAX_MARKERS = 30;

const FONT = "DejaVu Sans, Verdana, sans-serif";
const LEGEND_FONT_SIZE = 11;
const LEGEND_ROW = 18;
const LEGEND_LINE = 30;
const MARKER_SIZE = 42;

/** Decade exponent bounds of a positive value, robust to log10 rounding (log10(1e-3) = -2.99..). */
function decadeFloor(v: number): number {
  return Math.floor(Math.log10(v) + 1e-9);
}
function decadeCeil(v: number): number {
  return Math.ceil(Math.log10(v) - 1e-9);
}

/** The y domain: whole decades (log) or the range padded by 6% (linear). */
function yDomainOf(values: number[], yLog: boolean): [number, number] {
  if (yLog) {
    const positive = values.filter((v) => v > 0 && Number.isFinite(v));
    if (positive.length === 0) return [0.1, 1];
    const lo = decadeFloor(Math.min(...positive));
    const hi = Math.max(decadeCeil(Math.max(...positive)), lo + 1);
    return [10 ** lo, 10 ** hi];
  }
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [0, 1];
  const min = Math.min(...finite), max = Math.max(...finite);
  const pad = 0.06 * (max - min || Math.abs(max) || 1);
  return [min - pad, max + pad];
}

/** Pixel row of y (0 at the top) on a plot of height h. */
function pixelY(y: number, domain: [number, number], yLog: boolean, h: number): number {
  const f = yLog ? Math.log10 : (v: number) => v;
  if (yLog && y <= 0) return Infinity;
  return h * (1 - (f(y) - f(domain[0])) / (f(domain[1]) - f(domain[0])));
}

/** Subtitle lines: pieces split at "; ", joined greedily while they fit `width`. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const piece of text.split("; ")) {
    const last = lines.at(-1);
    if (last !== undefined && textWidth(`${last}; ${piece}`, 11) <= width) {
      lines[lines.length - 1] = `${last}; ${piece}`;
    } else lines.push(piece);
  }
  return lines;
}

/** Tick values at powers of ten inside the domain, at most about 9 of them. */
function decadeTicks(domain: [number, number]): number[] {
  const lo = Math.round(Math.log10(domain[0])), hi = Math.round(Math.log10(domain[1]));
  const step = Math.max(1, Math.ceil((hi - lo) / 8));
  const ticks: number[] = [];
  for (let e = hi; e >= lo; e -= step) ticks.push(10 ** e);
  return ticks;
}

/** Pairs of series whose points are within COINCIDE_PX pixels at every shared x. */
function coincidentPairs(
  points: ChartPoint[],
  labels: string[],
  pixel: (y: number) => number,
  h: number,
): [string, string][] {
  const bySeries = new Map<string, Map<number, number>>();
  for (const label of labels) bySeries.set(label, new Map());
  for (const p of points) bySeries.get(p.series)!.set(p.x, pixel(p.y));
  const pairs: [string, string][] = [];
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) {
      const a = bySeries.get(labels[i])!, b = bySeries.get(labels[j])!;
      let shared = 0, close = true;
      for (const [x, ya] of a) {
        const yb = b.get(x);
        if (yb === undefined) continue;
        const inside = (y: number) => y >= 0 && y <= h;
        if (!inside(ya) && !inside(yb)) continue;
        shared++;
        if (!(Math.abs(ya - yb) < COINCIDE_PX)) close = false;
      }
      if (shared >= 2 && close) pairs.push([labels[i], labels[j]]);
    }
  }
  return pairs;
}

/**
 * A layered Vega-Lite line chart and its notes: lines dashed and coloured by
 * series with one marker shape per series, vertical error bars where a point has
 * [lower, upper], dashed black reference lines labelled in the right margin, points
 * beyond the y axis as triangles at the edge, and a legend under the plot whose
 * entries draw the line, its dash and its marker.
 */
export function lineChart(options: LineChartOptions): Chart {
  const labels = options.styles.map((s) => s.label);
  for (const p of options.points) {
    if (!labels.includes(p.series)) {
      throw new RangeError(
        `points[].series must be one of the styles, got ${JSON.stringify(p.series)}`,
      );
    }
  }
  const width = options.width ?? 600;
  const height = options.height ?? 320;
  const yLog = options.yLog ?? false;
  const rules = options.rules ?? [];
  const used = options.styles
    .map((s, i) => ({ ...s, shape: s.shape ?? MARKERS[i % MARKERS.length] }))
    .filter((s) => options.points.some((p) => p.series === s.label));
  const style = new Map(used.map((s) => [s.label, s]));
  const informative = options.informative ?? used.map((s) => s.label);
  const informativeSet = new Set(informative);
  const isInformative = (p: ChartPoint) => p.informative ?? informativeSet.has(p.series);
  const domain = yDomainOf(
    [...options.points.filter(isInformative).map((p) => p.y), ...rules.map((r) => r.y)],
    yLog,
  );
  const pixel = (y: number) => pixelY(y, domain, yLog, height);

  // Data rows with the style attached (scale: null encodings read them directly).
  const below = domain[0] / 100;
  const isOutside = (p: ChartPoint) => yLog && !(p.y > 0) || p.y < domain[0] || p.y > domain[1];
  const coincident = coincidentPairs(
    options.points.filter((p) => !isOutside(p) || style.get(p.series)!.reference),
    used.map((s) => s.label),
    pixel,
    height,
  );
  // Series that coincide (pairs joined into groups) and have their markers thinned out
  // take turns: the k-th of a group of n marks every n-th point from the k-th on, so
  // every series keeps visible markers.
  const groupOf = new Map<string, string[]>();
  for (const [a, b] of coincident) {
    const group = [...new Set([...(groupOf.get(a) ?? [a]), ...(groupOf.get(b) ?? [b])])];
    for (const label of group) groupOf.set(label, group);
  }
  const markerStep = new Map<string, number>();
  const phase = new Map<string, number>();
  for (const s of used) {
    const n = options.points.filter((p) => p.series === s.label).length;
    const step = Math.max(1, Math.ceil(n / MAX_MARKERS));
    const group = groupOf.get(s.label);
    if (step > 1 && group) {
      markerStep.set(s.label, Math.max(step, group.length));
      phase.set(s.label, used.filter((u) => group.includes(u.label)).indexOf(s));
    } else markerStep.set(s.label, step);
  }
  const seen = new Map<string, number>();
  const clippedSeries = used.filter((s) =>
    !s.reference &&
    options.points.some((p) =>
      p.series === s.label && (yLog && !(p.y > 0) || p.y < domain[0] || p.y > domain[1])
    )
  ).map((s) => s.label);
  const rows = options.points.map((p) => {
    const s = style.get(p.series)!;
    const index = seen.get(p.series) ?? 0;
    seen.set(p.series, index + 1);
    const outside = isOutside(p);
    const edge: ClippedPoint["edge"] | null = s.reference && outside
      ? null
      : yLog && !(p.y > 0) || p.y < domain[0]
      ? "bottom"
      : p.y > domain[1]
      ? "top"
      : null;
    return {
      ...p,
      yLine: yLog && !(p.y > 0) ? below : p.y,
      lowerPlot: p.lower === undefined ? undefined : yLog && !(p.lower > 0) ? below : p.lower,
      color: s.color,
      dash: s.dash,
      shape: s.shape,
      edge,
      yEdge: edge === "top" ? domain[1] : edge === "bottom" ? domain[0] : p.y,
      marker: !outside && index % markerStep.get(p.series)! === (phase.get(p.series) ?? 0),
      edgeSize: EDGE_SIZES[clippedSeries.indexOf(p.series) % EDGE_SIZES.length],
    };
  });
  const clipped: ClippedPoint[] = rows.filter((r) => r.edge !== null).map((r) => ({
    series: r.series,
    x: r.x,
    y: r.y,
    edge: r.edge!,
  }));

  const xAxis = {
    title: options.xTitle,
    grid: false,
    ...(options.xValues ? { values: options.xValues } : {}),
    ...(options.xFormat === undefined || options.xFormat === "d"
      ? { format: "d", tickMinStep: 1 }
      : { format: options.xFormat }),
  };
  const x = {
    field: "x",
    type: "quantitative" as const,
    scale: options.xLog
      ? { type: "log" as const, base: 2, nice: false, padding: 12 }
      : { zero: false, nice: false, padding: 12 },
    axis: xAxis,
  };
  const yScale = yLog
    ? { type: "log" as const, domain, nice: false }
    : { domain, nice: false, zero: false };
  const yAxis = yLog
    ? { title: options.yTitle, values: decadeTicks(domain), format: ".0e", grid: true }
    : { title: options.yTitle, grid: true };
  const y = (field: string) => ({
    field,
    type: "quantitative" as const,
    scale: yScale,
    axis: yAxis,
  });
  const byStyle = {
    color: { field: "color", type: "nominal" as const, scale: null, legend: null },
    strokeDash: { field: "dash", type: "nominal" as const, scale: null, legend: null },
    detail: { field: "series", type: "nominal" as const },
  };

  const layers: Record<string, unknown>[] = [];
  const bars = rows.filter((r) =>
    r.lower !== undefined && r.upper !== undefined && r.edge === null && r.marker
  );
  if (bars.length > 0) {
    layers.push({
      data: { values: bars },
      mark: { type: "rule", strokeWidth: 1.2, clip: true },
      encoding: {
        x,
        y: y("lowerPlot"),
        y2: { field: "upper" },
        color: byStyle.color,
        detail: byStyle.detail,
      },
    });
  }
  layers.push({
    data: { values: rows },
    mark: { type: "line", strokeWidth: 1.8, clip: true },
    encoding: { x, y: y("yLine"), ...byStyle },
  });
  const inside = rows.filter((r) => r.marker);
  if (inside.length > 0) {
    layers.push({
      data: { values: inside },
      mark: { type: "point", filled: false, size: MARKER_SIZE, strokeWidth: 1.5, opacity: 1 },
      encoding: {
        x,
        y: y("y"),
        color: byStyle.color,
        shape: { field: "shape", type: "nominal", scale: null, legend: null },
        detail: byStyle.detail,
      },
    });
  }
  if (clipped.length > 0) {
    layers.push({
      data: { values: rows.filter((r) => r.edge !== null) },
      mark: { type: "point", filled: true, opacity: 1 },
      encoding: {
        x,
        y: y("yEdge"),
        // Nested sizes: clipped points of several series at one x all stay visible.
        size: { field: "edgeSize", type: "quantitative", scale: null, legend: null },
        color: byStyle.color,
        shape: {
          field: "edge",
          type: "nominal",
          scale: { domain: ["top", "bottom"], range: ["triangle-up", "triangle-down"] },
          legend: null,
        },
        detail: byStyle.detail,
      },
    });
  }
  if (rules.length > 0) {
    layers.push({
      data: { values: rules },
      mark: { type: "rule", color: "black", strokeDash: [8, 4], strokeWidth: 1.2 },
      encoding: { y: y("y") },
    });
    layers.push({
      data: { values: rules },
      mark: { type: "text", align: "left", baseline: "middle", fontSize: 11 },
      encoding: {
        x: { value: width + 6 },
        y: y("y"),
        text: { field: "label", type: "nominal" },
      },
    });
  }
  layers.push(...legendLayers(used, width, height));

  const title = options.subtitle === undefined
    ? { text: options.title, anchor: "start" as const }
    : { text: options.title, subtitle: wrap(options.subtitle, width), anchor: "start" as const };
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title,
    width,
    height,
    background: "white",
    padding: 8,
    config: {
      font: FONT,
      axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: "normal" },
      title: { fontSize: 14, subtitleFontSize: 11 },
      view: { stroke: "#bbb" },
    },
    layer: layers,
  } as unknown as TopLevelSpec;
  return {
    spec,
    notes: {
      yDomain: domain,
      informative,
      clipped,
      coincident,
      markers: Object.fromEntries(used.map((s) => [s.label, s.shape])),
    },
  };
}

/**
 * The legend under the plot: per series a short line with its dash, its marker in
 * the middle and its label, in as many columns as the widest label allows.
 */
function legendLayers(
  used: (SeriesStyle & { shape: string })[],
  width: number,
  height: number,
): Record<string, unknown>[] {
  const entryWidth = Math.max(...used.map((s) => textWidth(s.label, LEGEND_FONT_SIZE))) +
    LEGEND_LINE + 6 + 20;
  const columns = Math.max(1, Math.min(3, used.length, Math.floor(width / entryWidth)));
  const top = height + 50;
  return used.flatMap((s, i) => {
    const x0 = (i % columns) * entryWidth;
    const yPx = top + Math.floor(i / columns) * LEGEND_ROW;
    const data = { values: [{ entry: s.label }] };
    return [
      {
        data,
        mark: { type: "rule", strokeWidth: 1.8, color: s.color, strokeDash: s.dash },
        encoding: { x: { value: x0 }, x2: { value: x0 + LEGEND_LINE }, y: { value: yPx } },
      },
      {
        data,
        mark: {
          type: "point",
          filled: false,
          size: MARKER_SIZE,
          strokeWidth: 1.5,
          opacity: 1,
          color: s.color,
          shape: s.shape,
        },
        encoding: { x: { value: x0 + LEGEND_LINE / 2 }, y: { value: yPx } },
      },
      {
        data,
        mark: { type: "text", align: "left", baseline: "middle", fontSize: LEGEND_FONT_SIZE },
        encoding: {
          x: { value: x0 + LEGEND_LINE + 6 },
          y: { value: yPx },
          text: { field: "entry", type: "nominal" },
        },
      },
    ];
  });
}

/** Formats a value for the notes with 3 significant digits. */
function short(v: number): string {
  return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : String(
    Number(v.toPrecision(3)),
  );
}

/**
 * Caption sentences for the notes: which series coincide at the plotted scale and
 * which points lie beyond the y axis (with their values), with `clipReason`.
 */
export function describeNotes(notes: ChartNotes, xName: string, clipReason?: string): string {
  const sentences: string[] = [];
  for (const [a, b] of notes.coincident) {
    sentences.push(
      `"${a}" and "${b}" coincide at this scale (less than ${COINCIDE_PX} px apart at every ` +
        `point); both are drawn, with different markers (${markerName(notes.markers[a])}, ` +
        `${markerName(notes.markers[b])}).`,
    );
  }
  const bySeries = new Map<string, ClippedPoint[]>();
  for (const c of notes.clipped) {
    bySeries.set(c.series, [...(bySeries.get(c.series) ?? []), c]);
  }
  for (const [series, points] of bySeries) {
    const edges = [...new Set(points.map((p) => p.edge))];
    sentences.push(
      `Beyond the y axis, drawn as a filled triangle at the ${edges.join(" and ")} edge: ` +
        `"${series}" at ${xName} = ${points.map((p) => `${p.x} (${short(p.y)})`).join(", ")}.`,
    );
  }
  if (bySeries.size > 0 && clipReason) sentences.push(clipReason);
  return sentences.join(" ");
}
