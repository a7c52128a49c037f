/**
 * The `--help` of a command, built from its flag table: the usage line lists every flag
 * the table accepts (in table order, choices spelled out from the table), and the options
 * list has one help line per flag. A flag added to a table therefore appears in the usage
 * line at once, and `command_help_test.ts` fails until it has its help line.
 *
 * @module
 */

import type { Flag, FlagTable } from "./flag_table.ts";
import { flagHelp } from "./options.ts";

/** One help line of a flag: its name (no dashes), its value's placeholder, its text. */
export type HelpEntry = readonly [name: string, value: string, text: string];

/** What a command's help says besides its flags. */
export interface CommandHelpSpec {
  /** The command's words, e.g. `verify` or `sweep untied`. */
  command: string;
  /** The command's flag table (rejected flags are left out). */
  table: FlagTable;
  /** One help line per accepted flag (with `json`), in the order the options list shows. */
  entries: readonly HelpEntry[];
  /** The paragraphs between the usage line and the options. */
  about: string;
  /** Text after the options (limits, notes). */
  footer?: string;
  /** Flags shown without brackets (the command needs them). */
  required?: readonly string[];
  /** Groups of flags that exclude each other, shown as `[--a | --b]` at the first one. */
  alternatives?: readonly (readonly string[])[];
}

/** Width the usage line is wrapped to. */
const USAGE_WIDTH = 88;

/** The placeholder of a flag's value: the one of its help line, else its choices, else by kind. */
function placeholder(name: string, flag: Flag, entries: readonly HelpEntry[]): string {
  if (flag.kind === "boolean" || flag.kind === "rejected") return "";
  if (flag.kind === "choice") return flag.choices.join("|");
  const entry = entries.find(([n]) => n === name);
  if (entry && entry[1] !== "") return entry[1];
  return flag.kind === "text" ? "TEXT" : "N";
}

/** One flag as the usage line writes it, e.g. `--depth T` or `--law L`. */
function usageWord(name: string, flag: Flag, entries: readonly HelpEntry[]): string {
  const value = placeholder(name, flag, entries);
  return value === "" ? `--${name}` : `--${name} ${value}`;
}

/**
 * The usage line of a command, from its flag table: every accepted flag (rejected ones
 * left out) in table order, bracketed unless required, alternatives as `[--a | --b]`,
 * a repeatable flag followed by `...`, then `[--json]`; wrapped under the command.
 *
 * @example The usage of a two-flag table
 * ```ts
 * import assert from "node:assert/strict";
 * import { defineFlags } from "./flag_table.ts";
 * import { usageLine } from "./command_help.ts";
 * const table = defineFlags({
 *   model: { kind: "choice", choices: ["a", "b"] },
 *   depth: { kind: "integer", default: 10 },
 *   seed: { kind: "rejected", reason: "no random numbers" },
 * });
 * assert.equal(
 *   usageLine("demo", table, [["depth", "T", "layers"]], { required: ["model"] }),
 *   "Usage: demo --model a|b [--depth T] [--json]",
 * );
 * ```
 */
export function usageLine(
  command: string,
  table: FlagTable,
  entries: readonly HelpEntry[],
  options: Pick<CommandHelpSpec, "required" | "alternatives"> = {},
): string {
  const words: string[] = [];
  const done = new Set<string>();
  const required = options.required ?? [];
  const accepted = Object.entries(table).filter(([, flag]) => flag.kind !== "rejected");
  for (const [name, flag] of accepted) {
    if (done.has(name)) continue;
    const group = options.alternatives?.find((g) => g.includes(name));
    if (group) {
      const names = group.filter((n) => n === "json" || Object.hasOwn(table, n));
      names.forEach((n) => done.add(n));
      const shown = names.map((n) => n === "json" ? "--json" : usageWord(n, table[n], entries));
      words.push(`[${shown.join(" | ")}]`);
      continue;
    }
    done.add(name);
    const word = usageWord(name, flag, entries) +
      (flag.kind === "text" && flag.repeatable ? " ..." : "");
    words.push(required.includes(name) ? word : `[${word}]`);
  }
  if (!done.has("json")) words.push("[--json]");
  const head = `Usage: ${command} `;
  return pack(words, USAGE_WIDTH - head.length)
    .map((line, i) => (i === 0 ? head : " ".repeat(head.length)) + line)
    .join("\n");
}

/**
 * Packs whole words into lines of at most `width` characters. A longer word (a long list of
 * choices) starts a line and is broken after a `|` into lines that fit; a word without `|`
 * stands on its own line.
 */
function pack(words: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    if (word.length > width) {
      if (line !== "") lines.push(line);
      const pieces = breakAtBars(word, width);
      lines.push(...pieces.slice(0, -1));
      line = pieces[pieces.length - 1];
    } else if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  return [...lines, line];
}

/** A word broken after `|` into pieces of at most `width` characters where it can be. */
function breakAtBars(word: string, width: number): string[] {
  const parts = word.split(/(?<=\|)/);
  const pieces: string[] = [];
  let piece = "";
  for (const part of parts) {
    if (piece !== "" && piece.length + part.length > width) {
      pieces.push(piece);
      piece = part;
    } else piece += part;
  }
  return [...pieces, piece];
}

/**
 * Reflows text to `width` columns: a paragraph of plain lines is refilled; a list item
 * (a line starting with "- ", its continuation lines indented) is refilled under its
 * bullet; any other indented line (a command, a table row) is kept as it is.
 *
 * @example A paragraph and a list item
 * ```ts
 * import assert from "node:assert/strict";
 * import { reflow } from "./command_help.ts";
 * assert.equal(
 *   reflow("one two three\nfour\n- five six\n  seven\n\n  $ cmd", 12),
 *   "one two\nthree four\n- five six\n  seven\n\n  $ cmd",
 * );
 * ```
 */
export function reflow(text: string, width: number): string {
  const blocks: { indent: string; first: string; words: string[] }[] = [];
  for (const line of text.trim().split("\n")) {
    const last = blocks.at(-1);
    if (line.trim() === "") blocks.push({ indent: "", first: "", words: [] });
    else if (line.startsWith("- ")) {
      blocks.push({ indent: "  ", first: "- ", words: line.slice(2).split(" ") });
    } else if (last && last.first === "- " && line.startsWith("  ") && !line.startsWith("   ")) {
      last.words.push(...line.trim().split(" "));
    } else if (line.startsWith(" ")) blocks.push({ indent: line, first: "", words: [] });
    else if (last && last.first === "" && last.indent === "" && last.words.length > 0) {
      last.words.push(...line.split(" "));
    } else blocks.push({ indent: "", first: "", words: line.split(" ") });
  }
  return blocks.map(({ indent, first, words }) => {
    if (words.length === 0) return indent;
    const lines = pack(words.filter((w) => w !== ""), width - indent.length);
    return lines.map((l, i) => (i === 0 ? first : indent) + l).join("\n");
  }).join("\n");
}

/** Width the paragraphs of a help are reflowed to. */
const TEXT_WIDTH = 88;

/**
 * A command's help: the usage line from its flag table, the paragraphs, the options (one
 * help line per flag), and the footer; paragraphs and footer reflowed to 88 columns.
 */
export function commandHelp(spec: CommandHelpSpec): string {
  return [
    usageLine(spec.command, spec.table, spec.entries, spec),
    "",
    reflow(spec.about, TEXT_WIDTH),
    "",
    "Options:",
    flagHelp(spec.entries),
    ...(spec.footer === undefined ? [] : ["", reflow(spec.footer, TEXT_WIDTH)]),
  ].join("\n");
}
