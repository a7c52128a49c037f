/**
 * The files of one figure: its SVG (the chart, with its panels stacked under it), its
 * data as JSON (caption, plotted points, notes, the Vega-Lite specification and the raw
 * rows) and as CSV (every plotted point, panels included).
 *
 * @module
 */

import { describeNotes, lineChart, stackCharts } from "../rendering/charts.ts";
import { renderSvg } from "../rendering/render.ts";
import type { FigureDefinition } from "./definitions.ts";

/** CSV text of rows with the given columns (numbers in full precision; text quoted). */
export function toCsv(rows: Record<string, unknown>[], columns: string[]): string {
  const cell = (v: unknown) => {
    if (v === undefined || v === null) return "";
    if (typeof v === "number") return Number.isFinite(v) ? String(v) : v > 0 ? "inf" : "-inf";
    const text = String(v);
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [columns.join(","), ...rows.map((r) => columns.map((c) => cell(r[c])).join(","))].join(
    "\n",
  ) +
    "\n";
}

/** JSON text with typed arrays as arrays and non-finite numbers as "inf", "-inf", "NaN". */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, (_key, v) => {
    if (v instanceof Float64Array) return Array.from(v);
    if (typeof v === "number" && !Number.isFinite(v)) {
      return Number.isNaN(v) ? "NaN" : v > 0 ? "inf" : "-inf";
    }
    return v;
  }, 2) + "\n";
}

/**
 * Writes one figure's SVG, JSON and CSV files; returns its caption with the notes of its
 * chart and panels.
 */
export async function writeFigure(
  def: FigureDefinition,
  settings: Record<string, unknown>,
  write: (name: string, text: string) => Promise<void>,
): Promise<string> {
  const charts = [def.chart, ...(def.panels ?? [])];
  const drawn = charts.map((options) => lineChart(options));
  const notes = drawn.map((c, i) =>
    describeNotes(c.notes, charts[i].xName ?? charts[i].xTitle, charts[i].clipReason)
  ).filter((note) => note !== "");
  const caption = [def.caption, ...notes].join(" ");
  const spec = drawn.length === 1 ? drawn[0].spec : stackCharts(drawn.map((c) => c.spec));
  await write(`${def.id}.svg`, await renderSvg(spec));
  await write(
    `${def.id}.json`,
    jsonText({
      id: def.id,
      title: def.title,
      caption,
      settings,
      plotted: def.chart.points,
      referenceLines: def.chart.rules ?? [],
      chartNotes: drawn[0].notes,
      ...(def.panels === undefined ? {} : {
        panels: def.panels.map((panel, i) => ({
          plotted: panel.points,
          referenceLines: panel.rules ?? [],
          chartNotes: drawn[i + 1].notes,
        })),
      }),
      ...def.data,
      vegaLite: spec,
    }),
  );
  await write(
    `${def.id}.csv`,
    toCsv(charts.flatMap((c) => c.points) as unknown as Record<string, unknown>[], [
      "series",
      "x",
      "y",
      "lower",
      "upper",
    ]),
  );
  return caption;
}
