/**
 * Vega-Lite specifications of the figures: one generic layered line chart with
 * points, error bars and labelled horizontal reference lines.
 *
 * @module
 */

import type { TopLevelSpec } from "npm:vega-lite@5";

/** One plotted point of a series, with an optional error bar [lower, upper]. */
export interface ChartPoint {
  /** Legend label of the series. */
  series: string;
  x: number;
  y: number;
  lower?: number;
  upper?: number;
}

/** A labelled horizontal reference line. */
export interface ChartRule {
  y: number;
  label: string;
}

/** Style of one series: colour and stroke dash. */
export interface SeriesStyle {
  label: string;
  color: string;
  dash: number[];
}

/** Options of {@linkcode lineChartSpec}. */
export interface LineChartOptions {
  title: string;
  /** A second title line (default none). */
  subtitle?: string;
  xTitle: string;
  yTitle: string;
  /** Logarithmic x axis (default false). */
  xLog?: boolean;
  /** Logarithmic y axis (default false). */
  yLog?: boolean;
  points: ChartPoint[];
  /** Series styles in legend order; every point's series must be listed. */
  styles: SeriesStyle[];
  /** Horizontal reference lines (default none). */
  rules?: ChartRule[];
  /** Plot width in pixels (default 560). */
  width?: number;
  /** Plot height in pixels (default 340). */
  height?: number;
}

/**
 * A layered Vega-Lite line chart: lines with points coloured and dashed by series,
 * vertical error bars where a point has [lower, upper], and dashed black
 * reference lines with their labels.
 */
export function lineChartSpec(options: LineChartOptions): TopLevelSpec {
  const labels = options.styles.map((s) => s.label);
  for (const p of options.points) {
    if (!labels.includes(p.series)) {
      throw new RangeError(
        `points[].series must be one of the styles, got ${JSON.stringify(p.series)}`,
      );
    }
  }
  const used = options.styles.filter((s) => options.points.some((p) => p.series === s.label));
  const xScale = options.xLog ? { type: "log" as const, base: 2 } : { zero: false };
  const yScale = options.yLog ? { type: "log" as const } : { zero: false };
  const x = {
    field: "x",
    type: "quantitative" as const,
    title: options.xTitle,
    scale: xScale,
  };
  const color = {
    field: "series",
    type: "nominal" as const,
    title: null,
    scale: { domain: used.map((s) => s.label), range: used.map((s) => s.color) },
    legend: { orient: "bottom" as const, columns: 2, labelLimit: 360, symbolStrokeWidth: 2 },
  };
  const strokeDash = {
    field: "series",
    type: "nominal" as const,
    title: null,
    scale: { domain: used.map((s) => s.label), range: used.map((s) => s.dash) },
    legend: color.legend,
  };
  const layers: TopLevelSpec[] = [];
  const withBars = options.points.filter((p) => p.lower !== undefined && p.upper !== undefined);
  if (withBars.length > 0) {
    layers.push({
      data: { values: withBars },
      mark: { type: "rule", strokeWidth: 1.2 },
      encoding: {
        x,
        y: { field: "lower", type: "quantitative", scale: yScale, title: options.yTitle },
        y2: { field: "upper" },
        color,
      },
    } as TopLevelSpec);
  }
  layers.push({
    data: { values: options.points },
    mark: { type: "line", point: { size: 28 }, strokeWidth: 1.8 },
    encoding: {
      x,
      y: { field: "y", type: "quantitative", scale: yScale, title: options.yTitle },
      color,
      strokeDash,
    },
  } as TopLevelSpec);
  const rules = options.rules ?? [];
  if (rules.length > 0) {
    layers.push({
      data: { values: rules },
      mark: { type: "rule", color: "black", strokeDash: [8, 4], strokeWidth: 1.2 },
      encoding: { y: { field: "y", type: "quantitative" } },
    } as TopLevelSpec);
    layers.push({
      data: { values: rules },
      mark: { type: "text", align: "right", baseline: "bottom", dx: -4, dy: -2, x: "width" },
      encoding: {
        y: { field: "y", type: "quantitative" },
        text: { field: "label", type: "nominal" },
      },
    } as TopLevelSpec);
  }
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: options.subtitle === undefined
      ? options.title
      : { text: options.title, subtitle: options.subtitle },
    width: options.width ?? 560,
    height: options.height ?? 340,
    background: "white",
    config: { font: "sans-serif", legend: { labelFontSize: 11 } },
    layer: layers,
  } as TopLevelSpec;
}
