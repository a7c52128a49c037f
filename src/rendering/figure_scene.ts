/**
 * A figure's chart as the readability checks read it: its JSON file's parts (id, caption,
 * plotted points, reference lines, Vega-Lite specification) and its rendered Vega
 * scenegraph (a headless View, `renderer: "none"`): every item placed in plot
 * coordinates, and the data marks by series (line vertices, markers, error bars).
 *
 * @module
 */

import type { TopLevelSpec } from "npm:vega-lite@5";
import type { headlessView } from "./render.ts";
import { type Placed, placedItems, type SceneItem, type SceneMark } from "./placed_items.ts";

type View = Awaited<ReturnType<typeof headlessView>>;

/** The parts of a figure's JSON file that the checks read. */
export interface FigureFile {
  id: string;
  caption: string;
  plotted: { series: string; x: number; y: number; informative?: boolean }[];
  referenceLines?: { y: number; label: string }[];
  /** Written by the current code: the series that set the y axis. */
  chartNotes?: { informative?: string[] };
  vegaLite: TopLevelSpec;
  /** Width of the figure's SVG file as written (default: the width rendered here). */
  svgWidth?: number;
  /**
   * The panels stacked under the chart (a `vconcat` specification: the chart is its first
   * part, panel i its part i + 1), each judged as a chart of its own.
   */
  panels?: Pick<FigureFile, "plotted" | "referenceLines" | "chartNotes">[];
}

/** Options of the readability checks (`readability.ts`). */
export interface ReadabilityOptions {
  /**
   * Labels of the series that do not set the y axis when the figure's file does not say
   * which do (no `chartNotes.informative` and no per-point `informative`: files written
   * before those were recorded); default none, every series sets it.
   */
  uninformative?: ReadonlySet<string>;
}

export function textOf(item: SceneItem): string {
  const t = item.text;
  return t == null ? "" : Array.isArray(t) ? t.join(" ") : String(t);
}

/** The width attribute of an SVG document. */
export function svgWidthOf(svg: string): number {
  return Number(/<svg[^>]*\swidth="([\d.]+)"/.exec(svg)?.[1] ?? NaN);
}

/** The data marks of the plot by series: line vertices, markers, error bars, line styles. */
export interface DataMarks {
  vertices: Map<string, { x: number; y: number }[]>;
  symbols: Map<string, Placed[]>;
  bars: Placed[];
  lineStyle: Map<string, SceneItem>;
}

/** Where each kind of data mark goes, by Vega mark type. */
const MARK_COLLECTORS: Record<string, (marks: DataMarks, series: string, p: Placed) => void> = {
  line: (marks, series, p) => {
    const list = marks.vertices.get(series) ?? [];
    list.push({ x: (p.item.x ?? 0) + p.dx, y: (p.item.y ?? 0) + p.dy });
    marks.vertices.set(series, list);
    if (!marks.lineStyle.has(series)) marks.lineStyle.set(series, p.item);
  },
  symbol: (marks, series, p) => {
    marks.symbols.set(series, [...(marks.symbols.get(series) ?? []), p]);
  },
  rule: (marks, _series, p) => {
    marks.bars.push(p);
  },
};

/** The rendered figure as the checks read it; `say` records a problem. */
export interface Scene extends DataMarks {
  figure: FigureFile;
  options: ReadabilityOptions;
  /** Plot width and height (px). */
  width: number;
  height: number;
  /** Width of the whole figure (px). */
  svgWidth: number;
  placed: Placed[];
  /** The plotted series, in order of first point. */
  labels: string[];
  /** The rendered y scale (undefined without one). */
  yScale: { type: string; domain: () => number[] } | undefined;
  inPlot: (x: number, y: number) => boolean;
  say: (text: string) => void;
}

/** The data marks of the placed scene items, by series (legend and axis items excluded). */
function dataMarks(placed: Placed[]): DataMarks {
  const marks: DataMarks = {
    vertices: new Map(),
    symbols: new Map(),
    bars: [],
    lineStyle: new Map(),
  };
  const seriesOf = (p: Placed) =>
    p.roles.some((r) => r.startsWith("legend") || r === "axis") ? undefined : p.item.datum?.series;
  for (const p of placed) {
    const series = seriesOf(p);
    if (typeof series !== "string" || p.mark.role !== "mark") continue;
    if (Object.hasOwn(MARK_COLLECTORS, p.mark.marktype)) {
      MARK_COLLECTORS[p.mark.marktype](marks, series, p);
    }
  }
  return marks;
}

/** Reads the scene of a headless view of the figure. */
export async function figureScene(
  view: View,
  figure: FigureFile,
  options: ReadabilityOptions,
  say: (text: string) => void,
): Promise<Scene> {
  const root = (view.scenegraph() as unknown as { root: SceneMark }).root;
  const frame = root.items[0];
  const width = frame.width ?? 0, height = frame.height ?? 0;
  const placed = placedItems(frame);
  const svgWidth = figure.svgWidth ?? svgWidthOf(await view.toSVG());
  return {
    figure,
    options,
    width,
    height,
    svgWidth,
    placed,
    labels: [...new Set(figure.plotted.map((p) => p.series))],
    ...dataMarks(placed),
    yScale: view.scale("y") as unknown as Scene["yScale"],
    inPlot: (x, y) => x >= -0.5 && x <= width + 0.5 && y >= -0.5 && y <= height + 0.5,
    say,
  };
}
