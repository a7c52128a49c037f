/**
 * The types of the CLI's flag tables: one entry per flag, whose kind, choices and
 * default give the type of its parsed value. {@linkcode defineFlags} keeps each
 * entry's literal type, {@linkcode FlagValues} maps a table to its values, and
 * {@linkcode matchesTable} checks parsed values against a table at run time (what
 * lets the parser in `options.ts` return typed values without casts).
 *
 * @module
 */

/** A switch: present (`true`) or absent (the default, `false`). */
export interface BooleanFlag {
  /** The kind. */
  readonly kind: "boolean";
  /** The value when the flag is absent (default false). */
  readonly default?: boolean;
}

/** Bounds of a numeric flag. */
export interface FlagBounds {
  /** Smallest accepted value (integer and context: default 1). */
  readonly min?: number;
  /** Whether `min` itself is excluded (number, lr). */
  readonly exclusiveMin?: boolean;
  /** Largest accepted value: a resource limit or a range bound. */
  readonly max?: number;
  /** How to stay under `max`, appended to the message when it is hit. */
  readonly maxHint?: string;
}

/** A number: an integer, a finite number, or a context length (an integer or "inf"). */
export interface NumberFlag extends FlagBounds {
  /** The kind: `context` also accepts "inf" (Infinity). */
  readonly kind: "integer" | "number" | "context";
  /** The default; undefined: no value. */
  readonly default?: number;
}

/** A learning rate: a finite number or "auto". */
export interface RateFlag extends FlagBounds {
  /** The kind. */
  readonly kind: "lr";
  /** The default; undefined: no value. */
  readonly default?: number | "auto";
}

/** One of a list of words. */
export interface ChoiceFlag {
  /** The kind. */
  readonly kind: "choice";
  /** Accepted values. */
  readonly choices: readonly string[];
  /** The default; undefined: no value. */
  readonly default?: string;
}

/** Non-empty text; with `repeatable`, the values of every occurrence in order. */
export interface TextFlag {
  /** The kind. */
  readonly kind: "text";
  /** The default; undefined: no value. */
  readonly default?: string;
  /** May be given several times: the values are collected in order. */
  readonly repeatable?: boolean;
}

/** A flag the command does not take (an error that says why). */
export interface RejectedFlag {
  /** The kind. */
  readonly kind: "rejected";
  /** Why the flag does not apply to the command. */
  readonly reason: string;
}

/** One flag of a command. */
export type Flag = BooleanFlag | NumberFlag | RateFlag | ChoiceFlag | TextFlag | RejectedFlag;

/** The kinds of flag values. */
export type FlagKind = Flag["kind"];

/** A command's flags by name (without the leading dashes). */
export type FlagTable = Readonly<Record<string, Flag>>;

/** The value a given flag parses to. */
type GivenValue<F> = F extends BooleanFlag ? boolean
  : F extends { readonly kind: "choice"; readonly choices: readonly (infer C)[] } ? C
  : F extends { readonly kind: "text"; readonly repeatable: true } ? string[]
  : F extends TextFlag ? string
  : F extends RateFlag ? number | "auto"
  : F extends NumberFlag ? number
  : never;

/**
 * The parsed value of flag `F`: `boolean` for a switch, the choices' union for a
 * choice, `number | "auto"` for a rate, `string[]` for repeatable text; `| undefined`
 * unless the flag has a default.
 */
export type FlagValue<F extends Flag> = F extends BooleanFlag ? boolean
  : F extends { readonly default: unknown } ? GivenValue<F>
  : GivenValue<F> | undefined;

/** The names of a table's flags that take a value (not `rejected`). */
export type ActiveFlagName<T extends FlagTable> = {
  [K in keyof T]: T[K] extends RejectedFlag ? never : K;
}[keyof T];

/** The parsed values of table `T`, with `--help` and `--json` (always accepted). */
export type FlagValues<T extends FlagTable> =
  & { readonly [K in ActiveFlagName<T>]: FlagValue<T[K]> }
  & { readonly help: boolean; readonly json: boolean };

/** What the parser read: the raw texts the user typed and the parsed values. */
export interface ParsedFlags<T extends FlagTable = FlagTable> {
  /** Flags given on the command line. */
  given: ReadonlySet<string>;
  /** Parsed values, defaults filled in (undefined where the flag has no default). */
  values: FlagValues<T>;
  /** Raw text per given flag (for messages). */
  raw: Readonly<Record<string, string>>;
}

/**
 * Declares a flag table, keeping each entry's literal type (the kind, the choices,
 * whether there is a default) so that `parseFlags` (`options.ts`) can type the values.
 *
 * @example A typed value
 * ```ts
 * import assert from "node:assert/strict";
 * import { defineFlags } from "./flag_table.ts";
 * import { parseFlags } from "./options.ts";
 * const FLAGS = defineFlags({ depth: { kind: "integer", default: 10 } });
 * const depth: number = parseFlags("demo", ["--depth", "3"], FLAGS).values.depth;
 * assert.equal(depth, 3);
 * ```
 */
export function defineFlags<const T extends FlagTable>(table: T): T {
  return table;
}

/** Whether `value` is what `flag` parses to (undefined only without a default). */
function fitsFlag(flag: Flag, value: unknown): boolean {
  if (flag.kind === "rejected") return false;
  if (value === undefined) return flag.kind !== "boolean" && flag.default === undefined;
  switch (flag.kind) {
    case "boolean":
      return typeof value === "boolean";
    case "choice":
      return typeof value === "string" && flag.choices.includes(value);
    case "text":
      return flag.repeatable
        ? Array.isArray(value) && value.every((v) => typeof v === "string")
        : typeof value === "string";
    case "lr":
      return value === "auto" || typeof value === "number";
    default:
      return typeof value === "number";
  }
}

/**
 * Checks, value by value, that parsed `values` have the types {@linkcode FlagValues}
 * gives table `table` (what lets `parseFlags` return typed values).
 */
export function matchesTable<T extends FlagTable>(
  values: unknown,
  table: T,
): values is FlagValues<T> {
  if (typeof values !== "object" || values === null) return false;
  const read = new Map<string, unknown>(Object.entries(values));
  return typeof read.get("help") === "boolean" && typeof read.get("json") === "boolean" &&
    Object.entries(table).every(([name, flag]) =>
      flag.kind === "rejected" ? !read.has(name) : fitsFlag(flag, read.get(name))
    );
}
