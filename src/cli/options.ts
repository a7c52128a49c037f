/**
 * The CLI's option tables: one declarative entry per flag gives the parser, the
 * validation (every message names the flag the user typed and the value), the
 * defaults, the resolved configuration written into JSON records, and the
 * `replay` command line rebuilt from that configuration.
 *
 * A table is typed (`flag_table.ts`): {@linkcode parseFlags} returns the
 * `FlagValues` of the table it is given, so a command reads `values.seed` as a
 * `number` and `values.model` as one of its choices, without casts.
 *
 * @module
 */

import {
  type BooleanFlag,
  type ChoiceFlag,
  type FlagBounds,
  type FlagTable,
  matchesTable,
  type NumberFlag,
  type ParsedFlags,
  type RateFlag,
  type TextFlag,
} from "./flag_table.ts";
import { DENO_RUNNER } from "../claims/replay_call.ts";

/** A usage error: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Formats a value the user typed for a message: numbers as typed, other text quoted. */
export function shown(text: string): string {
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text.trim()) ? text.trim() : JSON.stringify(
    text,
  );
}

function describeRange(flag: NumberFlag | RateFlag): string {
  if (flag.kind === "integer" || flag.kind === "context") {
    const min = flag.min ?? 1;
    const base = min === 1
      ? "a positive integer"
      : min === 0
      ? "a non-negative integer"
      : `an integer >= ${min}`;
    return flag.kind === "context" ? `${base} or "inf"` : base;
  }
  if (flag.kind === "lr") return `a finite number > 0 or "auto"`;
  if (flag.min === undefined) return "a finite number";
  return `a finite number ${flag.exclusiveMin ? ">" : ">="} ${flag.min}`;
}

/** A flag that takes a value. */
type ValueFlag = NumberFlag | RateFlag | ChoiceFlag | TextFlag;

function parseValue(name: string, flag: ValueFlag, text: string): string | number {
  const trimmed = text.trim();
  switch (flag.kind) {
    case "text":
      if (trimmed === "") throw new UsageError(`--${name} must not be empty, got ${shown(text)}`);
      return text;
    case "choice":
      if (!flag.choices.includes(trimmed)) {
        throw new UsageError(
          `--${name} must be one of ${flag.choices.join(", ")}, got ${JSON.stringify(text)}`,
        );
      }
      return trimmed;
    case "lr":
      if (trimmed === "auto") return "auto";
      return parseNumber(name, flag, text);
    case "context":
      if (/^(inf|infinity)$/i.test(trimmed)) return Infinity;
      return parseNumber(name, flag, text);
    default:
      return parseNumber(name, flag, text);
  }
}

function parseNumber(name: string, flag: NumberFlag | RateFlag, text: string): number {
  const trimmed = text.trim();
  const bad = (what = describeRange(flag)) =>
    new UsageError(`--${name} must be ${what}, got ${shown(text)}`);
  // A plain decimal number only: no hex, no empty string, no "Infinity" (except as above).
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed)) {
    if (/^[+-]?(nan|inf|infinity)$/i.test(trimmed)) throw bad();
    throw bad(
      flag.kind === "integer" || flag.kind === "context" ? describeRange(flag) : "a number",
    );
  }
  const value = Number(trimmed);
  if (!Number.isFinite(value)) throw bad();
  if (flag.kind === "integer" || flag.kind === "context") {
    if (!Number.isSafeInteger(value) || value < (flag.min ?? 1)) {
      // Integers beyond the limit are reported as a limit, whatever their form.
      if (flag.max !== undefined && value > flag.max) throw limit(name, flag, text);
      throw bad();
    }
  } else {
    const min = flag.min;
    if (min !== undefined && (flag.exclusiveMin ? !(value > min) : !(value >= min))) throw bad();
  }
  if (flag.max !== undefined && value > flag.max) throw limit(name, flag, text);
  return value;
}

function limit(name: string, flag: FlagBounds, text: string): UsageError {
  return new UsageError(
    `--${name} must be at most ${flag.max}${flag.maxHint ? ` (${flag.maxHint})` : ""}, got ${
      shown(text)
    }`,
  );
}

/** `--help` and `--json`, which every command takes. */
const SWITCH: BooleanFlag = { kind: "boolean" };

/** The flag `name` of `table` (`--help` and `--json` always), or a usage error naming it. */
function lookUp(command: string, table: FlagTable, name: string): BooleanFlag | ValueFlag {
  const seeHelp = `see: ${command} --help`;
  const flag = name === "help" || name === "json"
    ? SWITCH
    : Object.hasOwn(table, name)
    ? table[name]
    : undefined;
  if (flag === undefined) {
    throw new UsageError(`unknown option --${name} for ${command} (${seeHelp})`);
  }
  if (flag.kind === "rejected") {
    throw new UsageError(`--${name} does not apply to ${command} (${flag.reason}; ${seeHelp})`);
  }
  return flag;
}

/**
 * Parses a command's arguments against its flag table. Unknown options, missing
 * values, repeated flags and positional arguments are usage errors naming the
 * command and pointing to its --help. `--help` and `--json` are always accepted.
 * The values are typed by the table (see `defineFlags`).
 */
export function parseFlags<T extends FlagTable>(
  command: string,
  args: readonly string[],
  table: T,
): ParsedFlags<T> {
  const given = new Set<string>();
  const raw: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const lists: Record<string, (string | number)[]> = {};
  const seeHelp = `see: ${command} --help`;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "-h") {
      given.add("help");
      values.help = true;
      continue;
    }
    if (!arg.startsWith("--") || arg === "--") {
      throw new UsageError(
        `${command} takes no positional arguments, got ${JSON.stringify(arg)} (${seeHelp})`,
      );
    }
    const at = arg.indexOf("=");
    const name = at > 0 ? arg.slice(2, at) : arg.slice(2);
    const flag = lookUp(command, table, name);
    let text = "";
    if (flag.kind === "boolean") {
      if (at > 0) {
        throw new UsageError(`--${name} takes no value, got ${JSON.stringify(arg.slice(at + 1))}`);
      }
    } else if (at > 0) {
      text = arg.slice(at + 1);
    } else {
      const next = args[i + 1];
      if (next === undefined || (next.startsWith("--") && next.length > 2)) {
        throw new UsageError(`--${name} needs a value (${seeHelp})`);
      }
      text = next;
      i++;
    }
    const repeatable = flag.kind === "text" && flag.repeatable === true;
    if (given.has(name) && !repeatable) {
      throw new UsageError(`--${name} is given twice; give it once`);
    }
    given.add(name);
    raw[name] = text;
    if (flag.kind === "boolean") {
      values[name] = true;
    } else if (repeatable) {
      const list = lists[name] ??= [];
      list.push(parseValue(name, flag, text));
      values[name] = list;
    } else {
      values[name] = parseValue(name, flag, text);
    }
  }
  fillDefaults(table, given, values);
  if (!matchesTable(values, table)) {
    throw new Error(`internal: the parsed flags of ${command} do not match its flag table`);
  }
  return { given, values, raw };
}

/** Fills in the default of every flag not given (a switch: false; repeatable text: a list). */
function fillDefaults(
  table: FlagTable,
  given: ReadonlySet<string>,
  values: Record<string, unknown>,
): void {
  for (const [name, flag] of Object.entries(table)) {
    if (flag.kind === "rejected" || given.has(name)) continue;
    if (flag.kind === "boolean") values[name] = flag.default ?? false;
    else if (flag.kind === "text" && flag.repeatable && flag.default !== undefined) {
      values[name] = [flag.default];
    } else values[name] = flag.default;
  }
  values.help ??= false;
  values.json ??= false;
}

/** Throws when a flag was given that does not apply (`why` says to what it does apply). */
export function rejectFlags(
  parsed: Pick<ParsedFlags, "given" | "raw">,
  names: readonly string[],
  why: string,
): void {
  for (const name of names) {
    if (parsed.given.has(name)) {
      throw new UsageError(
        `--${name} does not apply ${why}, got --${name} ${
          parsed.raw[name] === "" ? "" : shown(parsed.raw[name])
        }`.trimEnd(),
      );
    }
  }
}

/** Quotes a word for a POSIX shell when it needs quoting. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:@%=,+-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * The command line that reproduces a run, runnable verbatim from a clone's root where only
 * Node.js and npm are installed (`npx -y deno@2.9.6 run -A mod.ts ...`): every flag of the
 * resolved configuration, in table order, with `--json`. Numbers are written in
 * JavaScript's shortest round-trip form, so they parse back to the same float64.
 * `command` is the command's words (`train`, or `["sweep", "untied"]`).
 */
export function replayCommand(
  command: string | readonly string[],
  table: FlagTable,
  config: Readonly<Record<string, unknown>>,
): string {
  const words = [
    ...DENO_RUNNER.split(" "),
    "run",
    "-A",
    "mod.ts",
    ...(typeof command === "string" ? [command] : command),
  ];
  for (const [name, flag] of Object.entries(table)) {
    if (flag.kind === "rejected") continue;
    const value = config[name];
    if (value === undefined || value === null) continue;
    if (flag.kind === "boolean") {
      if (value === true) words.push(`--${name}`);
      continue;
    }
    const values = flag.kind === "text" && flag.repeatable && Array.isArray(value)
      ? value
      : [value];
    for (const v of values) {
      words.push(`--${name}`, v === Infinity ? "inf" : String(v));
    }
  }
  words.push("--json");
  return words.map(shellQuote).join(" ");
}

/** Splits a replay command line (as written by {@linkcode replayCommand}) into argv after `mod.ts`. */
export function replayArgs(replay: string): string[] {
  const words: string[] = [];
  const pattern = /'((?:[^']|'\\'')*)'|(\S+)/g;
  for (const match of replay.matchAll(pattern)) {
    words.push(match[1] !== undefined ? match[1].replaceAll(`'\\''`, "'") : match[2]);
  }
  const at = words.indexOf("mod.ts");
  return words.slice(at + 1);
}

/** Help lines of a flag table: `--name VALUE   text (default D)`. */
export function flagHelp(
  entries: readonly (readonly [name: string, value: string, text: string])[],
): string {
  const width = Math.max(...entries.map(([n, v]) => `--${n}${v ? " " + v : ""}`.length));
  return entries.map(([n, v, text]) => {
    const head = `--${n}${v ? " " + v : ""}`.padEnd(width);
    const lines = text.split("\n");
    return [`  ${head}  ${lines[0]}`, ...lines.slice(1).map((l) => `  ${" ".repeat(width)}  ${l}`)]
      .join("\n");
  }).join("\n");
}
