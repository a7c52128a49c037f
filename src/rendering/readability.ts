/**
 * Readability of a figure, judged from its rendered Vega scenegraph (a headless
 * View, `renderer: "none"`): every series has visible marks in the plot area; a log
 * y axis spans no more decades than the informative series need; every legend
 * entry draws its series' dash; no two series draw the same path unless the caption
 * says they coincide; no text lies on a data mark; no text is cut off; the plot
 * fills most of the figure's width.
 *
 * It reads a figure's JSON file (id, caption, plotted points, reference lines and
 * the Vega-Lite specification), so it judges committed figures of any version.
 *
 * @module
 */

import type { TopLevelSpec } from "npm:vega-lite@5";
import { vegaTextWidth } from "./text_width.ts";
import { headlessView } from "./render.ts";
import { SERIES } from "../figures/series.ts";

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

/** Smallest fraction of the figure's width the plot must fill. */
export const MIN_WIDTH_FRACTION = 0.7;

/** Two series whose vertices are closer than this (px) at every shared x draw the same path. */
export const SAME_PATH_PX = 2;

interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

interface SceneItem {
  x?: number;
  y?: number;
  x2?: number;
  y2?: number;
  width?: number;
  height?: number;
  bounds: Box;
  datum?: Record<string, unknown>;
  items?: SceneMark[];
  text?: unknown;
  limit?: number;
  fontSize?: number;
  fontWeight?: string | number;
  shape?: string;
  strokeDash?: number[];
  stroke?: string;
}

interface SceneMark {
  marktype: string;
  role: string;
  items: SceneItem[];
}

/** A scene item with the offset of its group, relative to the plot's origin. */
interface Placed {
  mark: SceneMark;
  item: SceneItem;
  dx: number;
  dy: number;
  /** Roles of the enclosing marks, outermost first. */
  roles: string[];
}

function collect(mark: SceneMark, dx: number, dy: number, roles: string[], out: Placed[]): void {
  for (const item of mark.items ?? []) {
    out.push({ mark, item, dx, dy, roles });
    if (mark.marktype === "group") {
      for (const child of item.items ?? []) {
        collect(child, dx + (item.x ?? 0), dy + (item.y ?? 0), [...roles, mark.role], out);
      }
    }
  }
}

function boxOf(p: Placed): Box {
  const b = p.item.bounds;
  return { x1: b.x1 + p.dx, y1: b.y1 + p.dy, x2: b.x2 + p.dx, y2: b.y2 + p.dy };
}

/** Liang-Barsky: whether the segment (x1,y1)-(x2,y2) meets the box. */
function segmentMeetsBox(x1: number, y1: number, x2: number, y2: number, box: Box): boolean {
  let t0 = 0, t1 = 1;
  const dx = x2 - x1, dy = y2 - y1;
  const edges: [number, number][] = [
    [-dx, x1 - box.x1],
    [dx, box.x2 - x1],
    [-dy, y1 - box.y1],
    [dy, box.y2 - y1],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return false;
    } else {
      const t = q / p;
      if (p < 0) {
        if (t > t1) return false;
        if (t > t0) t0 = t;
      } else {
        if (t < t0) return false;
        if (t < t1) t1 = t;
      }
    }
  }
  return true;
}

function boxesMeet(a: Box, b: Box): boolean {
  return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
}

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

const POPULATION_LABELS = new Set(
  SERIES.filter((s) => s.kind === "population").map((s) => s.label),
);

/**
 * The readability problems of one figure, each a sentence naming the figure and
 * what is wrong; empty when it reads well.
 */
export async function readabilityProblems(figure: FigureFile): Promise<string[]> {
  const problems: string[] = [];
  const say = (text: string) => problems.push(`${figure.id}: ${text}`);
  const view = await headlessView(figure.vegaLite);
  try {
    const root = (view.scenegraph() as unknown as { root: SceneMark }).root;
    const frame = root.items[0];
    const width = frame.width ?? 0, height = frame.height ?? 0;
    const placed: Placed[] = [];
    for (const child of frame.items ?? []) collect(child, 0, 0, [], placed);
    const svgWidth = figure.svgWidth ?? svgWidthOf(await view.toSVG());

    const labels = [...new Set(figure.plotted.map((p) => p.series))];
    const seriesOf = (p: Placed) =>
      p.roles.some((r) => r.startsWith("legend") || r === "axis")
        ? undefined
        : p.item.datum?.series;
    const inPlot = (x: number, y: number) =>
      x >= -0.5 && x <= width + 0.5 && y >= -0.5 && y <= height + 0.5;

    // Data marks by series.
    const vertices = new Map<string, { x: number; y: number }[]>();
    const symbols = new Map<string, Placed[]>();
    const bars: Placed[] = [];
    const lineStyle = new Map<string, SceneItem>();
    for (const p of placed) {
      const series = seriesOf(p);
      if (typeof series !== "string" || p.mark.role !== "mark") continue;
      if (p.mark.marktype === "line") {
        const list = vertices.get(series) ?? [];
        list.push({ x: (p.item.x ?? 0) + p.dx, y: (p.item.y ?? 0) + p.dy });
        vertices.set(series, list);
        if (!lineStyle.has(series)) lineStyle.set(series, p.item);
      } else if (p.mark.marktype === "symbol") {
        symbols.set(series, [...(symbols.get(series) ?? []), p]);
      } else if (p.mark.marktype === "rule") bars.push(p);
    }

    // 1. Every series has visible marks inside the plot area.
    for (const label of labels) {
      const seen = (vertices.get(label) ?? []).some((v) => inPlot(v.x, v.y)) ||
        (symbols.get(label) ?? []).some((s) => {
          const b = boxOf(s);
          return inPlot((b.x1 + b.x2) / 2, (b.y1 + b.y2) / 2);
        });
      if (!seen) say(`series "${label}" has no mark inside the plot area`);
    }

    // 2. A log y axis spans no more decades than the informative series need.
    const yScale = view.scale("y") as unknown as
      | { type: string; domain: () => number[] }
      | undefined;
    if (yScale && yScale.type === "log") {
      const [lo, hi] = yScale.domain();
      const declared = figure.chartNotes?.informative;
      const informative = (p: FigureFile["plotted"][number]) =>
        p.informative ??
          (declared ? declared.includes(p.series) : !POPULATION_LABELS.has(p.series));
      const values = [
        ...figure.plotted.filter(informative).map((p) => p.y),
        ...(figure.referenceLines ?? []).map((r) => r.y),
      ].filter((v) => v > 0);
      const needed = Math.max(
        1,
        Math.ceil(Math.log10(Math.max(...values)) - 1e-9) -
          Math.floor(Math.log10(Math.min(...values)) + 1e-9),
      );
      const span = Math.log10(hi / lo);
      if (span > needed + 1e-6) {
        say(
          `the log y axis spans ${span.toFixed(1)} decades (${lo.toPrecision(2)} to ` +
            `${hi.toPrecision(2)}) but the informative series need ${needed}`,
        );
      }
    }

    // 3. Every legend entry draws its series' dash (a line long enough to show it).
    for (const label of labels) {
      const line = lineStyle.get(label);
      if (!line) continue;
      const want = dashKey(line.strokeDash);
      const glyphs = placed.filter((p) =>
        p.item.datum?.entry === label || p.mark.role === "legend-symbol" &&
          p.item.datum?.value === label
      ).filter((p) => p.mark.marktype === "rule" || p.mark.marktype === "symbol");
      const period = (line.strokeDash ?? []).reduce((a, b) => a + b, 0);
      const shows = glyphs.some((g) => {
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
      });
      if (glyphs.length === 0) say(`series "${label}" has no legend entry`);
      else if (!shows) {
        say(
          `the legend entry of "${label}" does not draw its dash ${want} ` +
            `(glyph: ${glyphs.map((g) => g.item.shape ?? g.mark.marktype).join(", ")})`,
        );
      }
      const marker = symbols.get(label)?.[0]?.item.shape;
      if (marker && !glyphs.some((g) => g.mark.marktype === "symbol" && g.item.shape === marker)) {
        say(`the legend entry of "${label}" does not show its marker ${marker}`);
      }
    }

    // 4. No two series draw the same path unless the caption says they coincide.
    const inside = new Map(
      [...vertices].map(([k, v]) => [k, v.filter((p) => inPlot(p.x, p.y))]),
    );
    const names = [...inside.keys()];
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
        const noted = /coincide/.test(figure.caption) && figure.caption.includes(names[i]) &&
          figure.caption.includes(names[j]);
        if (!noted) {
          say(
            `"${names[i]}" and "${names[j]}" draw the same path (within ${SAME_PATH_PX} px at ` +
              `${shared} points) and the caption does not say they coincide`,
          );
        }
      }
    }

    // 5. Text does not lie on data marks; 6. no text is cut off.
    const texts = placed.filter((p) =>
      p.mark.marktype === "text" && !p.roles.includes("axis") && p.mark.role !== "axis-label" &&
      p.mark.role !== "axis-title" && p.mark.role !== "title-text" &&
      p.mark.role !== "title-subtitle"
    );
    const dataBoxes: { what: string; box?: Box; segment?: [number, number, number, number] }[] = [];
    for (const [series, list] of symbols) {
      for (const s of list) {
        const b = boxOf(s);
        if (inPlot((b.x1 + b.x2) / 2, (b.y1 + b.y2) / 2)) {
          dataBoxes.push({ what: `a marker of "${series}"`, box: b });
        }
      }
    }
    for (const [series, list] of vertices) {
      for (let k = 1; k < list.length; k++) {
        dataBoxes.push({
          what: `the line of "${series}"`,
          segment: [list[k - 1].x, list[k - 1].y, list[k].x, list[k].y],
        });
      }
    }
    for (const bar of bars) {
      const i = bar.item;
      dataBoxes.push({
        what: `an error bar of "${String(bar.item.datum?.series)}"`,
        segment: [
          (i.x ?? 0) + bar.dx,
          (i.y ?? 0) + bar.dy,
          (i.x2 ?? i.x ?? 0) + bar.dx,
          (i.y2 ?? i.y ?? 0) + bar.dy,
        ],
      });
    }
    const plotBox: Box = { x1: 0, y1: 0, x2: width, y2: height };
    for (const t of texts) {
      const content = textOf(t.item);
      if (content === "") continue;
      const b = boxOf(t);
      const box = { x1: b.x1 + 1, y1: b.y1 + 1, x2: b.x2 - 1, y2: b.y2 - 1 };
      const hit = dataBoxes.find((d) =>
        d.box ? boxesMeet(box, d.box) : boxesMeet(box, plotBox) &&
          segmentMeetsBox(...d.segment!, {
            x1: Math.max(box.x1, 0),
            y1: Math.max(box.y1, 0),
            x2: Math.min(box.x2, width),
            y2: Math.min(box.y2, height),
          })
      );
      if (hit) say(`the text "${content}" lies on ${hit.what}`);
      const limit = t.item.limit ?? 0;
      if (limit > 0 && vegaTextWidth(t.item) > limit) {
        say(`the text "${content}" is cut off at ${limit} px`);
      }
    }

    // 7. The plot fills most of the figure's width.
    if (!(width / svgWidth >= MIN_WIDTH_FRACTION)) {
      say(
        `the plot is ${width} px wide in a ${svgWidth} px figure (${
          (100 * width / svgWidth).toFixed(0)
        }%, less than ${100 * MIN_WIDTH_FRACTION}%)`,
      );
    }
  } finally {
    view.finalize();
  }
  return problems;
}
