/**
 * Text output helpers: number formatting, word wrapping and tables that fit a
 * given width (the terminal's, or 100 columns when stdout is not a terminal).
 *
 * @module
 */

/** Formats a number for human-readable output (never "NaN": non-finite values are named). */
export function formatNumber(value: number, digits = 6): string {
  if (Number.isNaN(value)) return "undefined";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  if (value === 0) return "0";
  const abs = Math.abs(value);
  if (abs >= 1e-3 && abs < 1e6) return Number(value.toPrecision(digits)).toString();
  return value.toExponential(digits - 1);
}

/** Words that bind both neighbours: an operator stays with its operands. */
const OPERATOR = /^(=|<=|>=|<|>|±|->|-|\+)$/;

/** A unit after a number ("0.2 s", "5.33 SE", "12 %"). */
const UNIT = /^(s|ms|SE|%)[,;:.)]*$/;

/** A last line shorter than this takes a phrase of the line before along. */
const MIN_LAST_LINE = 12;

/** Longest phrase kept on one line (longer ones may break between their words). */
const MAX_PHRASE = 40;

/**
 * The phrases of a text, each a list of operands: a word, or an operator with the word after
 * it (`= 0.528`) or a number with its unit (`0.2 s`); an operand that starts with an
 * operator joins the phrase before it while that stays within 40 characters
 * (`|x|/margin = 0.528`, `0.078 ± 0.011`).
 */
function phrases(text: string): string[][] {
  const operands: string[][] = [];
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    const last = operands.at(-1);
    const lastWord = last?.[last.length - 1] ?? "";
    const binds = OPERATOR.test(lastWord) || (UNIT.test(word) && /\d$/.test(lastWord));
    if (last !== undefined && binds) last.push(word);
    else operands.push([word]);
  }
  const out: string[][] = [];
  for (const operand of operands.map((o) => o.join(" "))) {
    const last = out.at(-1);
    const leads = OPERATOR.test(operand.split(" ")[0]) || UNIT.test(operand);
    if (last !== undefined && leads && [...last, operand].join(" ").length <= MAX_PHRASE) {
      last.push(operand);
    } else out.push([operand]);
  }
  return out;
}

/**
 * Wraps `text` to lines of at most `width` characters (breaking long words). A line never
 * ends on an operator nor starts with one, and a number keeps its unit: no "=" or "s" is
 * left alone at a line's end or start.
 *
 * @example A number stays with its unit and its "="
 * ```ts
 * import assert from "node:assert/strict";
 * import { wrap } from "./text.ts";
 * assert.deepEqual(wrap("C7 holds in 0.2 s", 15), ["C7 holds", "in 0.2 s"]);
 * assert.deepEqual(wrap("max |loss|/margin = 0.528", 24), ["max", "|loss|/margin = 0.528"]);
 * ```
 */
export function wrap(text: string, width: number, indent = ""): string[] {
  const room = Math.max(8, width - indent.length);
  const lines: string[][] = [[]];
  const length = (line: readonly string[]) => line.join(" ").length;
  const units = phrases(text).flatMap((p) => (p.join(" ").length <= room ? [p.join(" ")] : p));
  for (let word of units) {
    while (word.length > room) {
      if (lines[lines.length - 1].length > 0) lines.push([]);
      lines[lines.length - 1].push(word.slice(0, room));
      lines.push([]);
      word = word.slice(room);
    }
    const line = lines[lines.length - 1];
    if (line.length === 0 || length(line) + 1 + word.length <= room) line.push(word);
    else lines.push([word]);
  }
  if (lines.length > 1 && lines[lines.length - 1].length === 0) lines.pop();
  // No short last line alone: it takes the previous line's last phrase along.
  const [previous, last] = lines.slice(-2);
  if (
    lines.length > 1 && previous.length > 1 && length(last) < MIN_LAST_LINE &&
    length([previous[previous.length - 1], ...last]) <= room
  ) {
    last.unshift(previous.pop() ?? "");
  }
  return lines.map((l, i) => (i === 0 ? "" : indent) + l.join(" "));
}

/** Cuts `text` to `width` characters, with "..." when cut. */
export function clip(text: string, width: number): string {
  return text.length <= width ? text : text.slice(0, Math.max(0, width - 3)) + "...";
}

/** Renders rows as an aligned text table (no width limit). */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/**
 * An aligned table that fits `width` columns: column `flexible` is clipped to the
 * room the other columns leave; every line is at most `width` characters.
 */
export function fitTable(
  header: string[],
  rows: string[][],
  width: number,
  flexible: number,
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const fixed = widths.reduce((sum, w, i) => (i === flexible ? sum : sum + w), 0) +
    2 * (header.length - 1);
  widths[flexible] = Math.max(header[flexible].length, Math.min(widths[flexible], width - fixed));
  const line = (cells: string[]) =>
    clip(
      cells.map((c, i) => clip(c, widths[i]).padEnd(widths[i])).join("  ").trimEnd(),
      width,
    );
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
