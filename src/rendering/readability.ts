/**
 * Readability of a figure, judged from its rendered Vega scenegraph (a headless
 * View, `renderer: "none"`): every series has visible marks in the plot area; a log
 * y axis spans no more decades than the informative series need; every legend
 * entry draws its series' dash; no two series draw the same path unless the caption
 * says they coincide; no text lies on a data mark; no text is cut off; the plot
 * fills most of the figure's width.
 *
 * It reads a figure's JSON file (id, caption, plotted points, reference lines and
 * the Vega-Lite specification), so it judges committed figures of any version; for
 * files written before they recorded which series set the y axis, the caller names
 * the series that do not ({@linkcode ReadabilityOptions}).
 *
 * @module
 */

import type { TopLevelSpec } from "npm:vega-lite@5";
import { vegaTextWidth } from "./text_width.ts";
import { headlessView } from "./render.ts";

import {
  type Box,
  boxesMeet,
  boxOf,
  type Placed,
  placedItems,
  type SceneItem,
  type SceneMark,
  segmentMeetsBox,
} from "./placed_items.ts";

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
}

/** Options of {@linkcode readabilityProblems}. */
export interface ReadabilityOptions {
  /**
   * Labels of the series that do not set the y axis when the figure's file does not say
   * which do (no `chartNotes.informative` and no per-point `informative`: files written
   * before those were recorded); default none, every series sets it.
   */
  uninformative?: ReadonlySet<string>;
}

/** Smallest fraction of the figure's width the plot must fill. */
export const MIN_WIDTH_FRACTION = 0.7;

/** Two series whose vertices are closer than this (px) at every shared x draw the same path. */
export const SAME_PATH_PX = 2;

function dashKey(dash: number[] | undefined): string {
  if (!dash || dash.length === 0 || dash.every((d, i) => i % 2 === 1 ? d === 0 : true)) {
    return "solid";
  }
  return dash.join(",");
}

function textOf(item: SceneItem): string {
  const t = item.text;
  return t == null ? "" : Array.isArray(t) ? t.join(" ") : String(t);
}

/** The width attribute of an SVG document. */
export function svgWidthOf(svg: string): number {
  return Number(/<svg[^>]*\swidth="([\d.]+)"/.exec(svg)?.[1] ?? NaN);
}

/** The data marks of the plot by series: line vertices, markers, error bars, line styles. */
interface DataMarks {
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
interface Scene extends DataMarks {
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
async function sceneOf(
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

/** 1. Every series has visible marks inside the plot area. */
function seriesVisible(s: Scene): void {
  for (const label of s.labels) {
    const seen = (s.vertices.get(label) ?? []).some((v) => s.inPlot(v.x, v.y)) ||
      (s.symbols.get(label) ?? []).some((p) => {
        const b = boxOf(p);
        return s.inPlot((b.x1 + b.x2) / 2, (b.y1 + b.y2) / 2);
      });
    if (!seen) s.say(`series "${label}" has no mark inside the plot area`);
  }
}

/** 2. A log y axis spans no more decades than the informative series need. */
function logAxisTight(s: Scene): void {
  if (!s.yScale || s.yScale.type !== "log") return;
  const [lo, hi] = s.yScale.domain();
  const declared = s.figure.chartNotes?.informative;
  const uninformative = s.options.uninformative ?? new Set<string>();
  const informative = (p: FigureFile["plotted"][number]) =>
    p.informative ?? (declared ? declared.includes(p.series) : !uninformative.has(p.series));
  const values = [
    ...s.figure.plotted.filter(informative).map((p) => p.y),
    ...(s.figure.referenceLines ?? []).map((r) => r.y),
  ].filter((v) => v > 0);
  const needed = Math.max(
    1,
    Math.ceil(Math.log10(Math.max(...values)) - 1e-9) -
      Math.floor(Math.log10(Math.min(...values)) + 1e-9),
  );
  const span = Math.log10(hi / lo);
  if (span > needed + 1e-6) {
    s.say(
      `the log y axis spans ${span.toFixed(1)} decades (${lo.toPrecision(2)} to ` +
        `${hi.toPrecision(2)}) but the informative series need ${needed}`,
    );
  }
}

/** Whether a legend glyph draws a line with the dash `want`, long enough to show it. */
function drawsDash(g: Placed, want: string, period: number): boolean {
  const isLine = g.mark.marktype === "rule" ||
    (g.mark.marktype === "symbol" && g.item.shape === "stroke");
  const b = boxOf(g);
  const length = g.mark.marktype === "rule"
    ? Math.hypot(
      (g.item.x2 ?? g.item.x ?? 0) - (g.item.x ?? 0),
      (g.item.y2 ?? g.item.y ?? 0) - (g.item.y ?? 0),
    )
    : b.x2 - b.x1;
  const long = want === "solid" || length >= 2 * period;
  return isLine && long && dashKey(g.item.strokeDash) === want;
}

/** 3. Every legend entry draws its series' dash (a line long enough to show it) and marker. */
function legendShowsStyle(s: Scene): void {
  for (const label of s.labels) {
    const line = s.lineStyle.get(label);
    if (!line) continue;
    const want = dashKey(line.strokeDash);
    const glyphs = s.placed.filter((p) =>
      p.item.datum?.entry === label || p.mark.role === "legend-symbol" &&
        p.item.datum?.value === label
    ).filter((p) => p.mark.marktype === "rule" || p.mark.marktype === "symbol");
    const period = (line.strokeDash ?? []).reduce((a, b) => a + b, 0);
    const shows = glyphs.some((g) => drawsDash(g, want, period));
    if (glyphs.length === 0) s.say(`series "${label}" has no legend entry`);
    else if (!shows) {
      s.say(
        `the legend entry of "${label}" does not draw its dash ${want} ` +
          `(glyph: ${glyphs.map((g) => g.item.shape ?? g.mark.marktype).join(", ")})`,
      );
    }
    const marker = s.symbols.get(label)?.[0]?.item.shape;
    if (marker && !glyphs.some((g) => g.mark.marktype === "symbol" && g.item.shape === marker)) {
      s.say(`the legend entry of "${label}" does not show its marker ${marker}`);
    }
  }
}

/** 4. No two series draw the same path unless the caption says they coincide. */
function pathsDistinct(s: Scene): void {
  const inside = new Map(
    [...s.vertices].map(([k, v]) => [k, v.filter((p) => s.inPlot(p.x, p.y))]),
  );
  const names = [...inside.keys()];
  const caption = s.figure.caption;
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const a = inside.get(names[i])!, b = inside.get(names[j])!;
      let shared = 0, same = true;
      for (const va of a) {
        const vb = b.find((v) => Math.abs(v.x - va.x) < 0.5);
        if (!vb) continue;
        shared++;
        if (Math.abs(vb.y - va.y) >= SAME_PATH_PX) same = false;
      }
      if (shared < 2 || !same) continue;
      const noted = /coincide/.test(caption) && caption.includes(names[i]) &&
        caption.includes(names[j]);
      if (!noted) {
        s.say(
          `"${names[i]}" and "${names[j]}" draw the same path (within ${SAME_PATH_PX} px at ` +
            `${shared} points) and the caption does not say they coincide`,
        );
      }
    }
  }
}

/** A data mark that text must not lie on: a marker's box or a line or error-bar segment. */
interface Obstacle {
  what: string;
  box?: Box;
  segment?: [number, number, number, number];
}

/** The markers inside the plot, the line segments and the error bars. */
function obstacles(s: Scene): Obstacle[] {
  const found: Obstacle[] = [];
  for (const [series, list] of s.symbols) {
    for (const p of list) {
      const b = boxOf(p);
      if (s.inPlot((b.x1 + b.x2) / 2, (b.y1 + b.y2) / 2)) {
        found.push({ what: `a marker of "${series}"`, box: b });
      }
    }
  }
  for (const [series, list] of s.vertices) {
    for (let k = 1; k < list.length; k++) {
      found.push({
        what: `the line of "${series}"`,
        segment: [list[k - 1].x, list[k - 1].y, list[k].x, list[k].y],
      });
    }
  }
  for (const bar of s.bars) {
    const i = bar.item;
    found.push({
      what: `an error bar of "${String(bar.item.datum?.series)}"`,
      segment: [
        (i.x ?? 0) + bar.dx,
        (i.y ?? 0) + bar.dy,
        (i.x2 ?? i.x ?? 0) + bar.dx,
        (i.y2 ?? i.y ?? 0) + bar.dy,
      ],
    });
  }
  return found;
}

/** Roles of the text marks that belong to axes and titles (they may sit anywhere). */
const FRAME_TEXT_ROLES = ["axis-label", "axis-title", "title-text", "title-subtitle"];

/** 5. Text does not lie on data marks; 6. no text is cut off. */
function textReadable(s: Scene): void {
  const { width, height } = s;
  const texts = s.placed.filter((p) =>
    p.mark.marktype === "text" && !p.roles.includes("axis") &&
    !FRAME_TEXT_ROLES.includes(p.mark.role)
  );
  const data = obstacles(s);
  const plotBox: Box = { x1: 0, y1: 0, x2: width, y2: height };
  for (const t of texts) {
    const content = textOf(t.item);
    if (content === "") continue;
    const b = boxOf(t);
    const box = { x1: b.x1 + 1, y1: b.y1 + 1, x2: b.x2 - 1, y2: b.y2 - 1 };
    const hit = data.find((d) =>
      d.box ? boxesMeet(box, d.box) : boxesMeet(box, plotBox) &&
        segmentMeetsBox(...d.segment!, {
          x1: Math.max(box.x1, 0),
          y1: Math.max(box.y1, 0),
          x2: Math.min(box.x2, width),
          y2: Math.min(box.y2, height),
        })
    );
    if (hit) s.say(`the text "${content}" lies on ${hit.what}`);
    const limit = t.item.limit ?? 0;
    if (limit > 0 && vegaTextWidth(t.item) > limit) {
      s.say(`the text "${content}" is cut off at ${limit} px`);
    }
  }
}

/** 7. The plot fills most of the figure's width. */
function plotFillsWidth(s: Scene): void {
  const { width, svgWidth } = s;
  if (!(width / svgWidth >= MIN_WIDTH_FRACTION)) {
    s.say(
      `the plot is ${width} px wide in a ${svgWidth} px figure (${
        (100 * width / svgWidth).toFixed(0)
      }%, less than ${100 * MIN_WIDTH_FRACTION}%)`,
    );
  }
}

/** The checks, in the order their problems are reported. */
const CHECKS: readonly ((scene: Scene) => void)[] = [
  seriesVisible,
  logAxisTight,
  legendShowsStyle,
  pathsDistinct,
  textReadable,
  plotFillsWidth,
];

/**
 * The readability problems of one figure, each a sentence naming the figure and
 * what is wrong; empty when it reads well.
 */
export async function readabilityProblems(
  figure: FigureFile,
  options: ReadabilityOptions = {},
): Promise<string[]> {
  const problems: string[] = [];
  const say = (text: string) => problems.push(`${figure.id}: ${text}`);
  const view = await headlessView(figure.vegaLite);
  try {
    const scene = await sceneOf(view, figure, options, say);
    for (const check of CHECKS) check(scene);
  } finally {
    view.finalize();
  }
  return problems;
}
