/**
 * Readability of a figure, judged from its rendered Vega scenegraph (a headless
 * View, `renderer: "none"`; `figure_scene.ts`): every series has visible marks in the
 * plot area; a log y axis spans no more decades than the informative series need; every
 * legend entry draws its series' dash (no line for a series of markers only) and marker;
 * a line that leaves the plot is marked where it leaves; no two series draw the same path
 * unless the caption says they coincide; no text lies on a data mark; no text is cut off;
 * the plot fills most of the figure's width. A stacked figure's charts are judged each
 * on its own.
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
import { type Box, boxesMeet, boxOf, type Placed, segmentMeetsBox } from "./placed_items.ts";
import {
  type FigureFile,
  figureScene,
  type ReadabilityOptions,
  type Scene,
  textOf,
} from "./figure_scene.ts";

export { type FigureFile, type ReadabilityOptions, svgWidthOf } from "./figure_scene.ts";

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
    // The series' own marker: not an edge triangle or exit arrow (those carry an edge).
    const marker = s.symbols.get(label)?.find((p) => !p.item.datum?.edge)?.item.shape;
    if (!line && !marker) continue;
    const glyphs = s.placed.filter((p) =>
      p.item.datum?.entry === label || p.mark.role === "legend-symbol" &&
        p.item.datum?.value === label
    ).filter((p) => p.mark.marktype === "rule" || p.mark.marktype === "symbol");
    if (glyphs.length === 0) {
      s.say(`series "${label}" has no legend entry`);
      continue;
    }
    if (line) {
      const want = dashKey(line.strokeDash);
      const period = (line.strokeDash ?? []).reduce((a, b) => a + b, 0);
      if (!glyphs.some((g) => drawsDash(g, want, period))) {
        s.say(
          `the legend entry of "${label}" does not draw its dash ${want} ` +
            `(glyph: ${glyphs.map((g) => g.item.shape ?? g.mark.marktype).join(", ")})`,
        );
      }
    } else if (glyphs.some((g) => g.mark.marktype === "rule")) {
      s.say(`the legend entry of "${label}" draws a line, but the series draws only markers`);
    }
    if (marker && !glyphs.some((g) => g.mark.marktype === "symbol" && g.item.shape === marker)) {
      s.say(`the legend entry of "${label}" does not show its marker ${marker}`);
    }
  }
}

/** How far inside its edge (px) the mark that flags a line leaving the plot may sit. */
export const EDGE_MARK_PX = 12;

/**
 * 4. A line that leaves the plot through its top or bottom edge has a mark of its own
 * series at that edge (an edge triangle or an exit arrow), so that no curve just ends.
 */
function exitsMarked(s: Scene): void {
  for (const [label, vertices] of s.vertices) {
    const edges = new Set<"top" | "bottom">();
    for (const v of vertices) {
      if (v.y < -0.5) edges.add("top");
      if (v.y > s.height + 0.5) edges.add("bottom");
    }
    for (const edge of edges) {
      const at = edge === "top" ? 0 : s.height;
      const marked = (s.symbols.get(label) ?? []).some((p) => {
        const b = boxOf(p);
        const middle = (b.y1 + b.y2) / 2;
        return Math.abs(middle - at) <= EDGE_MARK_PX && s.inPlot((b.x1 + b.x2) / 2, at);
      });
      if (!marked) s.say(`the line of "${label}" leaves the plot at the ${edge} edge unmarked`);
    }
  }
}

/** 5. No two series draw the same path unless the caption says they coincide. */
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

/** 6. Text does not lie on data marks; 7. no text is cut off. */
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

/** 8. The plot fills most of the figure's width. */
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
  exitsMarked,
  pathsDistinct,
  textReadable,
  plotFillsWidth,
];

/**
 * The charts of a figure, each as a figure file of its own: the figure itself, or for a
 * stacked figure (`vconcat`) each part with the top level's settings, named
 * "ID (panel k)" from the second on.
 */
export function chartsOf(figure: FigureFile): FigureFile[] {
  const spec = figure.vegaLite as unknown as Record<string, unknown>;
  const parts = spec.vconcat as Record<string, unknown>[] | undefined;
  if (!parts) return [figure];
  const top = Object.fromEntries(
    Object.entries(spec).filter(([key]) => key !== "vconcat" && key !== "spacing"),
  );
  return parts.map((part, i) => ({
    ...figure,
    ...(i === 0 ? {} : { id: `${figure.id} (panel ${i + 1})`, ...figure.panels?.[i - 1] }),
    vegaLite: { ...top, ...part } as unknown as TopLevelSpec,
    panels: undefined,
  }));
}

/**
 * The readability problems of one figure (of each chart of a stacked figure), each a
 * sentence naming the figure and what is wrong; empty when it reads well.
 */
export async function readabilityProblems(
  figure: FigureFile,
  options: ReadabilityOptions = {},
): Promise<string[]> {
  const charts = chartsOf(figure);
  if (charts.length > 1) {
    return (await Promise.all(charts.map((chart) => readabilityProblems(chart, options)))).flat();
  }
  const problems: string[] = [];
  const say = (text: string) => problems.push(`${figure.id}: ${text}`);
  const view = await headlessView(figure.vegaLite);
  try {
    const scene = await figureScene(view, figure, options, say);
    for (const check of CHECKS) check(scene);
  } finally {
    view.finalize();
  }
  return problems;
}
