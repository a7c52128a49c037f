/**
 * The CLI's option tables: one declarative entry per flag gives the parser, the
 * validation (every message names the flag the user typed and the value), the
 * defaults, the resolved configuration written into JSON records, and the
 * `replay` command line rebuilt from that configuration.
 *
 * @module
 */

/** A usage error: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** The kinds of flag values. */
export type FlagKind =
  | "boolean"
  | "integer"
  | "number"
  | "choice"
  | "text"
  | "context"
  | "lr"
  | "rejected";

/** One flag of a command. */
export interface Flag {
  /** How the value is parsed and checked. */
  kind: FlagKind;
  /** The default (written into the resolved configuration); undefined: no value. */
  default?: unknown;
  /** Smallest accepted value (integer, number, context). */
  min?: number;
  /** Whether `min` itself is excluded (number). */
  exclusiveMin?: boolean;
  /** Largest accepted value: a resource limit or a range bound. */
  max?: number;
  /** How to stay under `max`, appended to the message when it is hit. */
  maxHint?: string;
  /** Accepted values (choice). */
  choices?: readonly string[];
  /** May be given several times (text): the values are collected in order. */
  repeatable?: boolean;
  /** Why a `rejected` flag does not apply to the command. */
  reason?: string;
}

/** A command's flags by name (without the leading dashes). */
export type FlagTable = Record<string, Flag>;

/** What the parser read: the raw texts the user typed and the parsed values. */
export interface ParsedFlags {
  /** Flags given on the command line. */
  given: Set<string>;
  /** Parsed values, defaults filled in (undefined where the flag has no default). */
  values: Record<string, unknown>;
  /** Raw text per given flag (for messages). */
  raw: Record<string, string>;
}

/** Formats a value the user typed for a message: numbers as typed, other text quoted. */
export function shown(text: string): string {
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text.trim()) ? text.trim() : JSON.stringify(
    text,
  );
}

function describeRange(flag: Flag): string {
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

function parseValue(name: string, flag: Flag, text: string): unknown {
  const trimmed = text.trim();
  const bad = (what = describeRange(flag)) =>
    new UsageError(`--${name} must be ${what}, got ${shown(text)}`);
  switch (flag.kind) {
    case "text":
      if (trimmed === "") throw new UsageError(`--${name} must not be empty, got ${shown(text)}`);
      return text;
    case "choice":
      if (!flag.choices!.includes(trimmed)) {
        throw new UsageError(
          `--${name} must be one of ${flag.choices!.join(", ")}, got ${JSON.stringify(text)}`,
        );
      }
      return trimmed;
    case "lr":
      if (trimmed === "auto") return "auto";
      break;
    case "context":
      if (/^(inf|infinity)$/i.test(trimmed)) return Infinity;
      break;
  }
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

function limit(name: string, flag: Flag, text: string): UsageError {
  return new UsageError(
    `--${name} must be at most ${flag.max}${flag.maxHint ? ` (${flag.maxHint})` : ""}, got ${
      shown(text)
    }`,
  );
}

/**
 * Parses a command's arguments against its flag table. Unknown options, missing
 * values, repeated flags and positional arguments are usage errors naming the
 * command and pointing to its --help. `--help` and `--json` are always accepted.
 */
export function parseFlags(
  command: string,
  args: readonly string[],
  table: FlagTable,
): ParsedFlags {
  const given = new Set<string>();
  const raw: Record<string, string> = {};
  const values: Record<string, unknown> = {};
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
    const flag = name === "help" || name === "json" ? { kind: "boolean" as const } : table[name];
    if (flag === undefined || !Object.hasOwn(table, name) && name !== "help" && name !== "json") {
      throw new UsageError(`unknown option --${name} for ${command} (${seeHelp})`);
    }
    if (flag.kind === "rejected") {
      throw new UsageError(`--${name} does not apply to ${command} (${flag.reason}; ${seeHelp})`);
    }
    let text: string | undefined;
    if (flag.kind === "boolean") {
      if (at > 0) {
        throw new UsageError(`--${name} takes no value, got ${JSON.stringify(arg.slice(at + 1))}`);
      }
    } else if (at > 0) {
      text = arg.slice(at + 1);
    } else {
      text = args[i + 1];
      if (text === undefined || (text.startsWith("--") && text.length > 2)) {
        throw new UsageError(`--${name} needs a value (${seeHelp})`);
      }
      i++;
    }
    if (given.has(name) && !flag.repeatable) {
      throw new UsageError(`--${name} is given twice; give it once`);
    }
    given.add(name);
    if (flag.kind === "boolean") {
      values[name] = true;
      raw[name] = "";
    } else if (flag.repeatable) {
      values[name] = [
        ...((values[name] as unknown[] | undefined) ?? []),
        parseValue(name, flag, text!),
      ];
      raw[name] = text!;
    } else {
      values[name] = parseValue(name, flag, text!);
      raw[name] = text!;
    }
  }
  for (const [name, flag] of Object.entries(table)) {
    if (flag.kind === "rejected") continue;
    if (!given.has(name)) {
      values[name] = flag.kind === "boolean" ? (flag.default ?? false) : flag.default;
    }
  }
  values.help = values.help ?? false;
  values.json = values.json ?? false;
  return { given, values, raw };
}

/** Throws when a flag was given that does not apply (`why` says to what it does apply). */
export function rejectFlags(parsed: ParsedFlags, names: readonly string[], why: string): void {
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
  return /^[A-Za-z0-9_./:=,+-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * The command line that reproduces a run: every flag of the resolved
 * configuration, in table order, with `--json`. Numbers are written in
 * JavaScript's shortest round-trip form, so they parse back to the same float64.
 */
export function replayCommand(
  command: string,
  table: FlagTable,
  config: Record<string, unknown>,
): string {
  const words = ["deno", "run", "-A", "mod.ts", command];
  for (const [name, flag] of Object.entries(table)) {
    if (flag.kind === "rejected") continue;
    const value = config[name];
    if (value === undefined || value === null) continue;
    if (flag.kind === "boolean") {
      if (value === true) words.push(`--${name}`);
      continue;
    }
    const values = flag.repeatable ? (value as unknown[]) : [value];
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
  entries: readonly [name: string, value: string, text: string][],
): string {
  const width = Math.max(...entries.map(([n, v]) => `--${n}${v ? " " + v : ""}`.length));
  return entries.map(([n, v, text]) => {
    const head = `--${n}${v ? " " + v : ""}`.padEnd(width);
    const lines = text.split("\n");
    return [`  ${head}  ${lines[0]}`, ...lines.slice(1).map((l) => `  ${" ".repeat(width)}  ${l}`)]
      .join("\n");
  }).join("\n");
}
