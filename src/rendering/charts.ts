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
 * The y scale is in `y_scale.ts`, the notes and their caption sentences in
 * `chart_notes.ts` (re-exported here), the legend in `legend_layers.ts` and the marker
 * shapes in `markers.ts`.
 *
 * @module
 */

import type { TopLevelSpec } from "npm:vega-lite@5";
import { textWidth } from "./text_width.ts";
import { MARKER_SIZE, MARKERS } from "./markers.ts";
import { type YScale, yScale } from "./y_scale.ts";
import { type ChartNotes, type ClippedPoint, coincidentPairs } from "./chart_notes.ts";
import { legendLayers } from "./legend_layers.ts";

export { type ChartNotes, type ClippedPoint, COINCIDE_PX, describeNotes } from "./chart_notes.ts";

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

/** A chart: the Vega-Lite specification and its notes. */
export interface Chart {
  spec: TopLevelSpec;
  notes: ChartNotes;
}

/** Sizes of the edge triangles of the first, second, ... series with clipped points. */
const EDGE_SIZES = [150, 70, 25];

/** A series with more points than this gets a marker on every k-th point only. */
const MAX_MARKERS = 30;

const FONT = "DejaVu Sans, Verdana, sans-serif";

/** A series style with its marker shape resolved. */
type UsedStyle = SeriesStyle & { shape: string };

/** A data row of the chart: a point with its style, its edge and whether it gets a marker. */
interface ChartRow extends ChartPoint {
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

/** The styles of the series that have points, with their marker shapes, in legend order. */
function usedStyles(options: LineChartOptions): UsedStyle[] {
  const labels = options.styles.map((s) => s.label);
  for (const p of options.points) {
    if (!labels.includes(p.series)) {
      throw new RangeError(
        `points[].series must be one of the styles, got ${JSON.stringify(p.series)}`,
      );
    }
  }
  return options.styles
    .map((s, i) => ({ ...s, shape: s.shape ?? MARKERS[i % MARKERS.length] }))
    .filter((s) => options.points.some((p) => p.series === s.label));
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

/** The data rows (points with style, edge and marker), the clipped points and the coincidences. */
function chartRows(
  points: ChartPoint[],
  used: UsedStyle[],
  y: YScale,
  height: number,
): { rows: ChartRow[]; clipped: ClippedPoint[]; coincident: [string, string][] } {
  const { domain, log: yLog } = y;
  const style = new Map(used.map((s) => [s.label, s]));
  const below = domain[0] / 100;
  const isOutside = (p: ChartPoint) => yLog && !(p.y > 0) || p.y < domain[0] || p.y > domain[1];
  const coincident = coincidentPairs(
    points.filter((p) => !isOutside(p) || style.get(p.series)!.reference),
    used.map((s) => s.label),
    y.pixel,
    height,
  );
  const turns = markerTurns(points, used, coincident);
  const seen = new Map<string, number>();
  const clippedSeries = used.filter((s) =>
    !s.reference &&
    points.some((p) =>
      p.series === s.label && (yLog && !(p.y > 0) || p.y < domain[0] || p.y > domain[1])
    )
  ).map((s) => s.label);
  const rows = points.map((p): ChartRow => {
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
      marker: !outside && index % turns.step.get(p.series)! === (turns.phase.get(p.series) ?? 0),
      edgeSize: EDGE_SIZES[clippedSeries.indexOf(p.series) % EDGE_SIZES.length],
    };
  });
  const clipped: ClippedPoint[] = rows.filter((r) => r.edge !== null).map((r) => ({
    series: r.series,
    x: r.x,
    y: r.y,
    edge: r.edge!,
  }));
  return { rows, clipped, coincident };
}

/** The encodings the data layers share: x, y of a field, and colour, dash and detail by style. */
interface Encodings {
  x: Record<string, unknown>;
  y: (field: string) => Record<string, unknown>;
  color: Record<string, unknown>;
  strokeDash: Record<string, unknown>;
  detail: Record<string, unknown>;
}

function encodingsOf(options: LineChartOptions, y: YScale): Encodings {
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
  const { domain } = y;
  const scale = y.log
    ? { type: "log" as const, domain, nice: false }
    : { domain, nice: false, zero: false };
  const axis = y.log
    ? { title: options.yTitle, values: y.ticks, format: ".0e", grid: true }
    : { title: options.yTitle, grid: true };
  return {
    x,
    y: (field: string) => ({ field, type: "quantitative" as const, scale, axis }),
    color: { field: "color", type: "nominal" as const, scale: null, legend: null },
    strokeDash: { field: "dash", type: "nominal" as const, scale: null, legend: null },
    detail: { field: "series", type: "nominal" as const },
  };
}

/** The layers of the points: error bars, lines, markers and the edge triangles of clipped points. */
function pointLayers(rows: ChartRow[], clipped: ClippedPoint[], e: Encodings) {
  const layers: Record<string, unknown>[] = [];
  const { x, y, color, detail } = e;
  const bars = rows.filter((r) =>
    r.lower !== undefined && r.upper !== undefined && r.edge === null && r.marker
  );
  if (bars.length > 0) {
    layers.push({
      data: { values: bars },
      mark: { type: "rule", strokeWidth: 1.2, clip: true },
      encoding: { x, y: y("lowerPlot"), y2: { field: "upper" }, color, detail },
    });
  }
  layers.push({
    data: { values: rows },
    mark: { type: "line", strokeWidth: 1.8, clip: true },
    encoding: { x, y: y("yLine"), color, strokeDash: e.strokeDash, detail },
  });
  const inside = rows.filter((r) => r.marker);
  if (inside.length > 0) {
    layers.push({
      data: { values: inside },
      mark: { type: "point", filled: false, size: MARKER_SIZE, strokeWidth: 1.5, opacity: 1 },
      encoding: {
        x,
        y: y("y"),
        color,
        shape: { field: "shape", type: "nominal", scale: null, legend: null },
        detail,
      },
    });
  }
  if (clipped.length > 0) layers.push(edgeLayer(rows, e));
  return layers;
}

/** The edge triangles of the points beyond the y axis. */
function edgeLayer(rows: ChartRow[], { x, y, color, detail }: Encodings) {
  return {
    data: { values: rows.filter((r) => r.edge !== null) },
    mark: { type: "point", filled: true, opacity: 1 },
    encoding: {
      x,
      y: y("yEdge"),
      // Nested sizes: clipped points of several series at one x all stay visible.
      size: { field: "edgeSize", type: "quantitative", scale: null, legend: null },
      color,
      shape: {
        field: "edge",
        type: "nominal",
        scale: { domain: ["top", "bottom"], range: ["triangle-up", "triangle-down"] },
        legend: null,
      },
      detail,
    },
  };
}

/** Dashed black reference lines with their labels in the right margin. */
function ruleLayers(rules: ChartRule[], { y }: Encodings, width: number) {
  if (rules.length === 0) return [];
  return [
    {
      data: { values: rules },
      mark: { type: "rule", color: "black", strokeDash: [8, 4], strokeWidth: 1.2 },
      encoding: { y: y("y") },
    },
    {
      data: { values: rules },
      mark: { type: "text", align: "left", baseline: "middle", fontSize: 11 },
      encoding: {
        x: { value: width + 6 },
        y: y("y"),
        text: { field: "label", type: "nominal" },
      },
    },
  ];
}

/** The top-level specification: title and subtitle, size, fonts and the layers. */
function specOf(
  options: LineChartOptions,
  width: number,
  height: number,
  layers: Record<string, unknown>[],
): TopLevelSpec {
  const title = options.subtitle === undefined
    ? { text: options.title, anchor: "start" as const }
    : { text: options.title, subtitle: wrap(options.subtitle, width), anchor: "start" as const };
  return {
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
}

/**
 * A layered Vega-Lite line chart and its notes: lines dashed and coloured by
 * series with one marker shape per series, vertical error bars where a point has
 * [lower, upper], dashed black reference lines labelled in the right margin, points
 * beyond the y axis as triangles at the edge, and a legend under the plot whose
 * entries draw the line, its dash and its marker.
 */
export function lineChart(options: LineChartOptions): Chart {
  const used = usedStyles(options);
  const width = options.width ?? 600;
  const height = options.height ?? 320;
  const rules = options.rules ?? [];
  const informative = options.informative ?? used.map((s) => s.label);
  const informativeSet = new Set(informative);
  const isInformative = (p: ChartPoint) => p.informative ?? informativeSet.has(p.series);
  const y = yScale(
    [...options.points.filter(isInformative).map((p) => p.y), ...rules.map((r) => r.y)],
    options.yLog ?? false,
    height,
  );
  const { rows, clipped, coincident } = chartRows(options.points, used, y, height);
  const encodings = encodingsOf(options, y);
  const layers = [
    ...pointLayers(rows, clipped, encodings),
    ...ruleLayers(rules, encodings, width),
    ...legendLayers(used, width, height),
  ];
  return {
    spec: specOf(options, width, height, layers),
    notes: {
      yDomain: y.domain,
      informative,
      clipped,
      coincident,
      markers: Object.fromEntries(used.map((s) => [s.label, s.shape])),
    },
  };
}
