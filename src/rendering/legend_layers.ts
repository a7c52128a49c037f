/**
 * The legend of a line chart, under the plot: per series a short line with its dash,
 * its marker in the middle and its label, in as many columns as the widest label allows.
 *
 * @module
 */

import { textWidth } from "./text_width.ts";
import { MARKER_SIZE } from "./markers.ts";

/** One legend entry: a series' label and how it is drawn. */
export interface LegendEntry {
  label: string;
  color: string;
  dash: number[];
  /** Marker shape (Vega symbol name or path). */
  shape: string;
  /** What the series draws (default "both"): the entry draws the same, line and/or marker. */
  marks?: "both" | "line" | "points";
  /** Filled marker (default false). */
  filled?: boolean;
  /** Marker area (default {@linkcode MARKER_SIZE}). */
  markerSize?: number;
}

const LEGEND_FONT_SIZE = 11;
const LEGEND_ROW = 18;
const LEGEND_LINE = 30;

/**
 * Vega-Lite layers of the legend under a plot `width` x `height` pixels: up to three
 * layers per entry (the line unless the series draws only markers, the marker unless it
 * draws only its line, the label), entries in rows of up to three columns.
 */
export function legendLayers(
  entries: LegendEntry[],
  width: number,
  height: number,
): Record<string, unknown>[] {
  const entryWidth = Math.max(...entries.map((s) => textWidth(s.label, LEGEND_FONT_SIZE))) +
    LEGEND_LINE + 6 + 20;
  const columns = Math.max(1, Math.min(3, entries.length, Math.floor(width / entryWidth)));
  const top = height + 50;
  return entries.flatMap((s, i) => {
    const x0 = (i % columns) * entryWidth;
    const yPx = top + Math.floor(i / columns) * LEGEND_ROW;
    const data = { values: [{ entry: s.label }] };
    const layers = [
      {
        data,
        mark: { type: "rule", strokeWidth: 1.8, color: s.color, strokeDash: s.dash },
        encoding: { x: { value: x0 }, x2: { value: x0 + LEGEND_LINE }, y: { value: yPx } },
      },
      {
        data,
        mark: {
          type: "point",
          filled: s.filled ?? false,
          size: Math.min(s.markerSize ?? MARKER_SIZE, 2 * MARKER_SIZE),
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
    if (s.marks === "points") return layers.slice(1);
    return s.marks === "line" ? [layers[0], layers[2]] : layers;
  });
}
