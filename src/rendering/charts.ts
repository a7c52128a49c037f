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
import { type YScale, yScale } from "./y_scale.ts";
import { type ChartNotes, type ClippedPoint, type EdgeExit, exitNote } from "./chart_notes.ts";
import { legendLayers } from "./legend_layers.ts";
import { FONT_STACK } from "./font_face.ts";
import {
  type ChartPoint,
  type ChartRow,
  chartRows,
  type ChartRule,
  edgeExits,
  type SeriesStyle,
  usedStyles,
} from "./chart_rows.ts";

export { type ChartNotes, type ClippedPoint, COINCIDE_PX, describeNotes } from "./chart_notes.ts";
export type { ChartPoint, ChartRule, SeriesStyle } from "./chart_rows.ts";

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

/** The marker layer of `rows` (hollow or filled), sized and shaped by their series. */
function markerLayer(rows: ChartRow[], filled: boolean, { x, y, color, detail }: Encodings) {
  return {
    data: { values: rows },
    mark: { type: "point", filled, strokeWidth: 1.5, opacity: 1 },
    encoding: {
      x,
      y: y("y"),
      color,
      size: { field: "size", type: "quantitative", scale: null, legend: null },
      shape: { field: "shape", type: "nominal", scale: null, legend: null },
      detail,
    },
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
  // Each series' line joins its points in the order given (`index`), not sorted by x.
  layers.push({
    data: { values: rows.filter((r) => r.line) },
    mark: { type: "line", strokeWidth: 1.8, clip: true },
    encoding: {
      x,
      y: y("yLine"),
      color,
      strokeDash: e.strokeDash,
      detail,
      order: { field: "index", type: "quantitative" },
    },
  });
  for (const filled of [false, true]) {
    const marked = rows.filter((r) => r.marker && r.filled === filled);
    if (marked.length > 0) layers.push(markerLayer(marked, filled, e));
  }
  if (clipped.length > 0) layers.push(edgeLayer(rows, e));
  return layers;
}

/** An arrow pointing down (a Vega symbol path, tip at the bottom); its mirror points up. */
export const ARROW_DOWN = "M0,1L-0.7,0.1L-0.25,0.1L-0.25,-1L0.25,-1L0.25,0.1L0.7,0.1Z";
export const ARROW_UP = "M0,-1L-0.7,-0.1L-0.25,-0.1L-0.25,1L0.25,1L0.25,-0.1L0.7,-0.1Z";

/** Size of an exit arrow (a Vega symbol size: the path's unit is sqrt(size) / 2 px): 16 px tall. */
const ARROW_SIZE = 256;

/**
 * Where a reference curve leaves the plot: an arrow in its colour just inside the edge,
 * its tip on the edge, and a note beside it with the curve's next value beyond the axis
 * (right of the arrow where it fits in the plot, else left of it).
 */
function exitLayers(
  exits: EdgeExit[],
  rows: ChartRow[],
  e: Encodings,
  frame: { domain: [number, number]; width: number; xLog: boolean },
  xName: string,
) {
  if (exits.length === 0) return [];
  const f = frame.xLog ? Math.log2 : (v: number) => v;
  const xs = rows.map((r) => f(r.x));
  const [lo, hi] = [Math.min(...xs), Math.max(...xs)];
  // The x scale's padding (12 px) keeps the data inside [12, width - 12].
  const pixel = (x: number) => 12 + (frame.width - 24) * (f(x) - lo) / (hi - lo || 1);
  const values = exits.map((exit) => {
    const note = exitNote(exit, xName);
    return {
      ...exit,
      yAt: exit.edge === "bottom" ? frame.domain[0] : frame.domain[1],
      shape: exit.edge === "bottom" ? ARROW_DOWN : ARROW_UP,
      color: rows.find((r) => r.series === exit.series)!.color,
      note,
      right: pixel(exit.x) + 10 + textWidth(note, 11) <= frame.width,
    };
  });
  const text = (right: boolean, edge: "top" | "bottom") => ({
    data: { values: values.filter((v) => v.right === right && v.edge === edge) },
    mark: {
      type: "text",
      align: right ? "left" : "right",
      baseline: edge === "bottom" ? "bottom" : "top",
      dx: right ? 10 : -10,
      dy: edge === "bottom" ? -2 : 2,
      fontSize: 11,
    },
    encoding: { x: e.x, y: e.y("yAt"), text: { field: "note", type: "nominal" } },
  });
  return [
    ...values.map((v) => ({
      data: { values: [v] },
      mark: {
        type: "point",
        filled: true,
        opacity: 1,
        size: ARROW_SIZE,
        yOffset: v.edge === "bottom" ? -8 : 8,
      },
      encoding: {
        x: e.x,
        y: e.y("yAt"),
        color: e.color,
        shape: { field: "shape", type: "nominal", scale: null, legend: null },
        detail: e.detail,
      },
    })),
    ...[true, false].flatMap((right) =>
      (["bottom", "top"] as const).map((edge) => text(right, edge))
    ).filter((layer) => layer.data.values.length > 0),
  ];
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
      font: FONT_STACK,
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
  const used = usedStyles(options.styles, options.points);
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
  const exits = edgeExits(options.points, used, y, height, options.xLog ?? false);
  const encodings = encodingsOf(options, y);
  const xName = options.xName ?? options.xTitle;
  const layers = [
    ...pointLayers(rows, clipped, encodings),
    ...exitLayers(
      exits,
      rows,
      encodings,
      { domain: y.domain, width, xLog: options.xLog ?? false },
      xName,
    ),
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
      markers: Object.fromEntries(
        used.filter((s) => s.marks !== "line").map((s) => [s.label, s.shape]),
      ),
      ...(exits.length > 0 ? { exits } : {}),
    },
  };
}

/**
 * Charts stacked into one figure, each with its own title, axes and legend: a Vega-Lite
 * `vconcat` of the charts' specifications under the first one's settings (config,
 * background, padding).
 */
export function stackCharts(specs: TopLevelSpec[]): TopLevelSpec {
  const shared = ["$schema", "config", "background", "padding"];
  const parts = specs.map((spec) =>
    Object.fromEntries(Object.entries(spec).filter(([key]) => !shared.includes(key)))
  );
  const first = specs[0] as unknown as Record<string, unknown>;
  return {
    $schema: first.$schema,
    background: first.background,
    padding: first.padding,
    config: first.config,
    spacing: 28,
    vconcat: parts,
  } as unknown as TopLevelSpec;
}
