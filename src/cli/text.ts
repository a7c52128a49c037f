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

/** Wraps `text` to lines of at most `width` characters (breaking long words). */
export function wrap(text: string, width: number, indent = ""): string[] {
  const lines: string[] = [];
  const room = Math.max(8, width - indent.length);
  let line = "";
  for (let word of text.split(/\s+/).filter((w) => w !== "")) {
    while (word.length > room) {
      if (line !== "") {
        lines.push(line);
        line = "";
      }
      lines.push(word.slice(0, room));
      word = word.slice(room);
    }
    if (line === "") line = word;
    else if (line.length + 1 + word.length <= room) line += " " + word;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== "" || lines.length === 0) lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : indent + l));
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
