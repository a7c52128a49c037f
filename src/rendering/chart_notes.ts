/**
 * What a line chart had to do to stay readable (the y domain, the series that set it,
 * the points beyond it, the series that coincide at the plotted scale, the markers),
 * and the caption sentences that say so.
 *
 * @module
 */

import { markerName } from "./markers.ts";

/** A point drawn at the edge of the plot because its value is beyond the y axis. */
export interface ClippedPoint {
  series: string;
  x: number;
  y: number;
  edge: "top" | "bottom";
}

/**
 * Where a reference curve leaves the plot through its top or bottom edge: drawn as an
 * arrow at the edge, with a note of the curve's value at its next point beyond the axis.
 */
export interface EdgeExit {
  series: string;
  /** x where the line meets the edge. */
  x: number;
  edge: "top" | "bottom";
  /** The curve's first point beyond the axis. */
  beyond: { x: number; y: number };
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
  /** Marker shape of each series label (series that draw only their line have none). */
  markers: Record<string, string>;
  /** Where reference curves leave the plot (arrow and note at the edge); default none. */
  exits?: EdgeExit[];
}

/** Two lines closer than this many pixels at every shared x are reported as coinciding. */
export const COINCIDE_PX = 3;

/**
 * Pairs of series (in the order of `labels`) whose points are within
 * {@linkcode COINCIDE_PX} pixels at every shared x where one of them is inside the plot
 * (rows 0 to `h`), at two such x at least; `pixel` maps a value to its pixel row.
 */
export function coincidentPairs(
  points: readonly { series: string; x: number; y: number }[],
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

/** Formats a value for the notes with 3 significant digits. */
export function shortNumber(v: number): string {
  return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : String(
    Number(v.toPrecision(3)),
  );
}

/** The note drawn beside an exit arrow: the curve's value at its next point beyond the axis. */
export function exitNote(exit: EdgeExit, xName: string): string {
  return `${exit.edge === "bottom" ? "below" : "above"} the axis: ` +
    `${shortNumber(exit.beyond.y)} at ${xName} = ${exit.beyond.x}`;
}

/**
 * Caption sentences for the notes: which series coincide at the plotted scale, which
 * points lie beyond the y axis (with their values), with `clipReason`, and where a
 * reference curve leaves the plot.
 */
export function describeNotes(notes: ChartNotes, xName: string, clipReason?: string): string {
  const sentences: string[] = [];
  const marker = (label: string) =>
    notes.markers[label] === undefined ? "none: a line only" : markerName(notes.markers[label]);
  for (const [a, b] of notes.coincident) {
    sentences.push(
      `"${a}" and "${b}" coincide at this scale (less than ${COINCIDE_PX} px apart at every ` +
        `point); both are drawn, with different markers (${marker(a)}, ${marker(b)}).`,
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
        `"${series}" at ${xName} = ${
          points.map((p) => `${p.x} (${shortNumber(p.y)})`).join(", ")
        }.`,
    );
  }
  if (bySeries.size > 0 && clipReason) sentences.push(clipReason);
  for (const e of notes.exits ?? []) {
    sentences.push(
      `"${e.series}" leaves the plot through the ${e.edge} edge at ${xName} ≈ ` +
        `${shortNumber(e.x)} (arrow there; the note beside it gives its value ` +
        `${shortNumber(e.beyond.y)} at ${xName} = ${e.beyond.x}).`,
    );
  }
  return sentences.join(" ");
}
