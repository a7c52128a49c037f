/**
 * The text forms of `verify`'s results: one row per claim fitted to the terminal, per-part
 * detail, the complete per-part table, Markdown, and the one-line summary.
 *
 * @module
 */

import type { ClaimPart } from "../claims/claim_part.ts";
import type { ClaimResult } from "../claims/claim_result.ts";
import { clip, fitTable, formatTable, wrap } from "./text.ts";
import { DEFAULT_COLUMNS } from "./io.ts";
import { fitFigure } from "./fit_figure.ts";

/** Numeric fields of a part (null when the claim gives none). */
export interface NumericPart {
  /** The measured value. */
  measuredValue: number | null;
  /** The target it is compared with. */
  targetValue: number | null;
  /** The margin allowed. */
  marginValue: number | null;
  /** `at-most`, `at-least` or an equality. */
  sense: string | null;
}

/** The numeric fields of a part, each null when the claim does not give it as a finite number. */
export function numericPart(part: ClaimPart): NumericPart {
  const p: Readonly<Record<string, unknown>> = { ...part };
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);
  return {
    measuredValue: num(p.measuredValue),
    targetValue: num(p.targetValue),
    marginValue: num(p.marginValue),
    sense: typeof p.sense === "string" ? p.sense : null,
  };
}

/** The signed distance to the target of a one-sided bound, by sense (else |d|, an equality). */
const SIGNED: Readonly<Record<string, (d: number) => number>> = {
  "at-most": (d) => d,
  "at-least": (d) => -d,
};

/**
 * How close a part is to failing, from its numeric fields (larger = closer; null
 * when it has none): (measured - target) / margin for an upper bound, the other
 * way round for a lower bound, |measured - target| / margin for an equality.
 */
function closeness(part: ClaimPart): number | null {
  const n = numericPart(part);
  if (n.measuredValue === null || n.targetValue === null || !n.marginValue) return null;
  const d = n.measuredValue - n.targetValue;
  const signed = n.sense !== null && Object.hasOwn(SIGNED, n.sense) ? SIGNED[n.sense] : Math.abs;
  return signed(d) / n.marginValue;
}

/** The most telling part: the first failing one, else the one closest to failing, else the first. */
export function tellingPart(result: ClaimResult): ClaimPart | undefined {
  const failing = result.parts.find((p) => !p.passed);
  if (failing) return failing;
  let best: ClaimPart | undefined;
  let bestValue = -Infinity;
  for (const part of result.parts) {
    const c = closeness(part);
    if (c !== null && c > bestValue) {
      best = part;
      bestValue = c;
    }
  }
  return best ?? result.parts[0];
}

/** The headers of the table. */
const HEADER = ["claim", "title", "verdict", "most telling figure", "seconds"];

/**
 * One row per claim: id, title, verdict, the most telling figure, seconds; every
 * line at most `width` characters. The figure gets the room the other columns leave and
 * is shortened word by word, never inside a number (`fit_figure.ts`); it names the parts
 * when every row has the room for the name.
 */
export function formatClaimTable(results: readonly ClaimResult[], width = DEFAULT_COLUMNS): string {
  const titleWidth = width < 100 ? 20 : 28;
  const rows = results.map((r) => [
    r.id,
    clip(r.title, titleWidth),
    r.passed ? "holds" : "FAILS",
    "",
    r.seconds.toFixed(1),
  ]);
  const others = HEADER.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const room = Math.max(
    HEADER[3].length,
    width - others.reduce((sum, w, i) => (i === 3 ? sum : sum + w), 0) - 2 * (HEADER.length - 1),
  );
  const parts = results.map(tellingPart);
  const figures = parts.map((part) => (part ? fitFigure(part.measured, room) : "no parts"));
  // The part's name too, when every row has the room for it (a uniform column).
  const named = parts.map((part, i) => (part ? `${part.name}: ${figures[i]}` : figures[i]));
  const withNames = named.every((figure) => figure.length <= room);
  rows.forEach((row, i) => row[3] = withNames ? named[i] : figures[i]);
  return fitTable(HEADER, rows, width, 3);
}

/** Per-part detail of every claim, wrapped to `width`. */
export function formatClaimDetails(
  results: readonly ClaimResult[],
  width = DEFAULT_COLUMNS,
): string {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(
      ...wrap(
        `${r.id} ${r.title} (${r.theorem}): ${r.passed ? "holds" : "FAILS"} in ${
          r.seconds.toFixed(1)
        } s`,
        width,
        "  ",
      ),
    );
    lines.push(
      ...wrap(`statement: ${r.statement}`, width, "    ").map((l, i) => i === 0 ? "  " + l : l),
    );
    for (const part of r.parts) {
      const verdict = part.passed ? "holds" : "FAILS";
      lines.push(
        ...wrap(`- ${part.name} [${verdict}]: ${part.measured}`, width - 2, "    ").map((l, i) =>
          i === 0 ? "  " + l : l
        ),
      );
      lines.push(
        ...wrap(`target: ${part.target}`, width - 4, "      ").map((l, i) =>
          i === 0 ? "    " + l : l
        ),
      );
      lines.push(
        ...wrap(`margin: ${part.margin}`, width - 4, "      ").map((l, i) =>
          i === 0 ? "    " + l : l
        ),
      );
    }
    lines.push("");
  }
  return lines.map((l) => clip(l, width)).join("\n").trimEnd();
}

/** The complete per-part table (no width limit; for files). */
export function formatClaimPartsTable(results: readonly ClaimResult[]): string {
  const rows: string[][] = [];
  for (const result of results) {
    result.parts.forEach((part, i) => {
      rows.push([
        i === 0 ? result.id : "",
        i === 0 ? result.theorem : "",
        `${part.name}: ${part.measured}`,
        part.target,
        part.margin,
        part.passed ? "holds" : "FAILS",
        i === 0 ? result.seconds.toFixed(1) : "",
      ]);
    });
  }
  return formatTable(
    ["claim", "theorem", "measured", "target", "margin", "verdict", "seconds"],
    rows,
  );
}

/** Renders claim results as a Markdown table (one row per checked part), for reports. */
export function formatClaimMarkdown(results: readonly ClaimResult[]): string {
  const cell = (text: string) => text.replaceAll("|", "\\|");
  const lines = [
    "| claim | theorem | part: measured | target | margin | verdict | seconds |",
    "| --- | --- | --- | --- | --- | --- | ---: |",
  ];
  for (const result of results) {
    result.parts.forEach((part, i) => {
      lines.push(
        `| ${i === 0 ? result.id : ""} | ${i === 0 ? cell(result.theorem) : ""} | ${
          cell(`${part.name}: ${part.measured}`)
        } | ${cell(part.target)} | ${cell(part.margin)} | ${part.passed ? "holds" : "FAILS"} | ${
          i === 0 ? result.seconds.toFixed(1) : ""
        } |`,
      );
    });
  }
  return lines.join("\n");
}

/** The one-line summary. */
export function summarizeClaims(results: readonly ClaimResult[], seconds: number): string {
  const failed = results.filter((r) => !r.passed).map((r) => r.id);
  const size = results[0]?.size ?? "quick";
  const seed = results[0]?.seed ?? 0;
  const backend = results[0]?.backend.name ?? "cpu";
  const context = `(${size}, seed ${seed}, backend ${backend}, ${seconds.toFixed(1)} s)`;
  return failed.length === 0
    ? `${results.length}/${results.length} claims hold ${context}`
    : `${results.length - failed.length}/${results.length} claims hold; FAILED: ${
      failed.join(", ")
    } ${context}`;
}
