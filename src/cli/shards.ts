/**
 * Sharded runs: `--shard I/N` (0-based: I = 0, 1, ..., N - 1) on `calibrate`, `verify` and
 * `sweep` runs the I-th of N contiguous blocks of the run's work items (seeds, claims, grid
 * cells) and writes a *part record*; `merge` (`merge_command.ts`) checks that parts belong
 * together and combines them into the record the unsharded run writes, identical apart from
 * the fields named in {@linkcode TIMING_FIELDS} and {@linkcode EXECUTION_FIELDS}.
 *
 * A part record carries the full configuration (everything that determines the result,
 * except the shard), the whole list of work items of the unsharded run, the shard's index
 * and count, the items it did and one result per item.
 *
 * @module
 */

import { isDeepStrictEqual } from "node:util";
import { defineFlags } from "./flag_table.ts";
import { shown, UsageError } from "./options.ts";
import { TOOL_NAME, TOOL_VERSION } from "./record.ts";

/** Schema id of a part record (schemas/part.schema.json). */
export const PART_SCHEMA = "icl-verify/part/1";

/** The commands that write part records. */
export const PART_KINDS = ["calibrate", "verify", "sweep"] as const;

/** A command that writes part records. */
export type PartKind = typeof PART_KINDS[number];

/** Most shards of one run. */
export const MAX_SHARDS = 100_000;

/** `--shard I/N`, the flag shared by the sharded commands. */
export const SHARD_FLAG = defineFlags({ shard: { kind: "text" } });

/** The help line of `--shard`. */
export const SHARD_HELP: [string, string, string] = [
  "shard",
  "I/N",
  "run only shard I of N (0-based: 0 <= I < N) and print a part record (JSON);\n" +
  "merge the N parts with `merge` (docs/guide/sharding.md)",
];

/** One shard: its 0-based index and the number of shards. */
export interface Shard {
  /** 0-based index, 0 <= index < count. */
  index: number;
  /** Number of shards, 1 <= count <= {@linkcode MAX_SHARDS}. */
  count: number;
}

/**
 * Parses `--shard I/N` (0-based I); a bad value is a `UsageError` naming `--shard`.
 *
 * @example Shard 2 of 4
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseShard } from "./shards.ts";
 * assert.deepEqual(parseShard("2/4"), { index: 2, count: 4 });
 * assert.throws(() => parseShard("4/4"), /--shard/);
 * ```
 */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!(count >= 1 && count <= MAX_SHARDS && index >= 0 && index < count)) {
    throw new UsageError(
      `--shard must be I/N with N in [1, ${MAX_SHARDS}] and 0 <= I < N (I is 0-based, ` +
        `e.g. 0/4 ... 3/4), got ${shown(text)}`,
    );
  }
  return { index, count };
}

/**
 * The work items of `shard`: the shard's contiguous block of `items`, from
 * floor(I n / N) to floor((I + 1) n / N); the blocks of 0..N-1, in order, are `items`.
 *
 * @example Five items over two shards
 * ```ts
 * import assert from "node:assert/strict";
 * import { shardItems } from "./shards.ts";
 * assert.deepEqual(shardItems([0, 1, 2, 3, 4], { index: 0, count: 2 }), [0, 1]);
 * assert.deepEqual(shardItems([0, 1, 2, 3, 4], { index: 1, count: 2 }), [2, 3, 4]);
 * ```
 */
export function shardItems<T>(items: readonly T[], shard: Shard): T[] {
  const n = items.length;
  return items.slice(
    Math.floor(shard.index * n / shard.count),
    Math.floor((shard.index + 1) * n / shard.count),
  );
}

/** A part record: one shard's work and results, with what it needs to be merged. */
export interface PartRecord {
  /** {@linkcode PART_SCHEMA}. */
  schema: string;
  /** Tool name and version (parts of other versions are refused). */
  tool: { name: string; version: string };
  /** The command that wrote it. */
  kind: PartKind;
  /** The configuration: everything that determines the result except the shard. */
  config: Record<string, unknown>;
  /** Every work item of the unsharded run, in order. */
  work: unknown[];
  /** This shard. */
  shard: Shard;
  /** This shard's work items (its block of `work`). */
  items: unknown[];
  /** One result per item. */
  results: unknown[];
  /** Wall-clock seconds of this shard. */
  seconds: number;
}

/** Builds the part record of `shard` (its items are its block of `work`). */
export function partRecord(
  kind: PartKind,
  config: Record<string, unknown>,
  work: readonly unknown[],
  shard: Shard,
  results: readonly unknown[],
  seconds: number,
): PartRecord {
  const items = shardItems(work, shard);
  if (results.length !== items.length) {
    throw new RangeError(
      `results must have one entry per item (${items.length}), got ${results.length}`,
    );
  }
  return {
    schema: PART_SCHEMA,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    kind,
    config,
    work: [...work],
    shard,
    items,
    results: [...results],
    seconds,
  };
}

/**
 * Wall-clock fields: the only fields in which a merged record may differ from the
 * unsharded run's record. A path's `*` stands for every element of an array.
 */
export const TIMING_FIELDS: Readonly<Record<PartKind, readonly (readonly string[])[]>> = {
  calibrate: [["*", "seconds"]],
  verify: [["seconds"], ["claims", "*", "seconds"]],
  sweep: [["seconds"]],
};

/**
 * Fields of a part's configuration that may differ between shards without changing any
 * result: `verify --jobs` (the number of workers, defaulting to the machine's cores) and
 * the replay line that spells it. The merged record takes them from shard 0.
 */
export const EXECUTION_FIELDS: readonly (readonly string[])[] = [["config", "jobs"], ["replay"]];

/** `value` without the fields at `paths` (`*`: every element of an array). */
export function withoutFields(value: unknown, paths: readonly (readonly string[])[]): unknown {
  let out = structuredClone(value);
  for (const path of paths) out = dropPath(out, path);
  return out;
}

function dropPath(value: unknown, path: readonly string[]): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (head === "*") return Array.isArray(value) ? value.map((v) => dropPath(v, rest)) : value;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key !== head) out[key] = dropPath(v, rest);
    else if (rest.length > 0) out[key] = dropPath(v, rest);
  }
  return out;
}

/**
 * A merged or unsharded record of `kind` without its {@linkcode TIMING_FIELDS}: two runs
 * of the same work agree on this.
 *
 * @example Timings dropped
 * ```ts
 * import assert from "node:assert/strict";
 * import { withoutTimings } from "./shards.ts";
 * assert.deepEqual(withoutTimings("sweep", { seconds: 3, rows: [1] }), { rows: [1] });
 * ```
 */
export function withoutTimings(kind: PartKind, record: unknown): unknown {
  return withoutFields(record, TIMING_FIELDS[kind]);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isPartKind(value: unknown): value is PartKind {
  return PART_KINDS.some((k) => k === value);
}

/**
 * Reads one part record from its JSON text; `name` (the file) names it in errors. A text
 * that is not a part record of this tool's version is a `UsageError`.
 */
export function readPartRecord(text: string, name: string): PartRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`merge: ${name} is not JSON (${reason})`);
  }
  const bad = (what: string) => new UsageError(`merge: ${name} is not a part record: ${what}`);
  if (!isRecord(value)) throw bad("not a JSON object");
  if (value.schema !== PART_SCHEMA) {
    throw bad(`schema must be ${PART_SCHEMA}, got ${JSON.stringify(value.schema)}`);
  }
  const { tool, kind, config, work, shard, items, results, seconds } = value;
  if (!isRecord(tool) || typeof tool.name !== "string" || typeof tool.version !== "string") {
    throw bad("no tool name and version");
  }
  if (!isPartKind(kind)) throw bad(`kind must be one of ${PART_KINDS.join(", ")}`);
  if (!isRecord(config)) throw bad("no config object");
  if (!Array.isArray(work) || !Array.isArray(items) || !Array.isArray(results)) {
    throw bad("work, items and results must be arrays");
  }
  if (
    !isRecord(shard) || typeof shard.index !== "number" || typeof shard.count !== "number" ||
    !Number.isSafeInteger(shard.index) || !Number.isSafeInteger(shard.count) ||
    shard.index < 0 || shard.index >= shard.count
  ) throw bad("shard must be { index, count } with 0 <= index < count");
  if (typeof seconds !== "number") throw bad("no seconds");
  return {
    schema: PART_SCHEMA,
    tool: { name: tool.name, version: tool.version },
    kind,
    config,
    work,
    shard: { index: shard.index, count: shard.count },
    items,
    results,
    seconds,
  };
}

/** What every part of one run shares (execution fields left out). */
function runKey(part: PartRecord): unknown {
  return {
    tool: part.tool,
    kind: part.kind,
    config: withoutFields(part.config, EXECUTION_FIELDS),
    work: part.work,
    count: part.shard.count,
  };
}

/** The first key of two records at which they differ (for messages), else undefined. */
function firstDifference(a: unknown, b: unknown, at = ""): string | undefined {
  if (isDeepStrictEqual(a, b)) return undefined;
  if (isRecord(a) && isRecord(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const found = firstDifference(a[key], b[key], at === "" ? key : `${at}.${key}`);
      if (found !== undefined) return found;
    }
  }
  return at === "" ? "the record" : at;
}

/**
 * Checks that `parts` (with the names they were read from) are the N shards of one run:
 * one kind, one tool version, one configuration, one list of work items, one N, every
 * index 0..N-1 exactly once, each shard's items its block of the work with one result per
 * item. Returns the parts ordered by index; anything else is a `UsageError` that names the
 * problem and the files.
 */
export function checkParts(parts: readonly { name: string; part: PartRecord }[]): PartRecord[] {
  if (parts.length === 0) throw new UsageError("merge needs part records (JSON files), got none");
  const first = parts[0];
  const key = runKey(first.part);
  for (const { name, part } of parts.slice(1)) {
    if (part.kind !== first.part.kind) {
      throw new UsageError(
        `merge: ${name} is a ${part.kind} part but ${first.name} is a ${first.part.kind} part`,
      );
    }
    if (part.shard.count !== first.part.shard.count) {
      throw new UsageError(
        `merge: ${name} is shard ${part.shard.index}/${part.shard.count} but ${first.name} is ` +
          `shard ${first.part.shard.index}/${first.part.shard.count}: the shard counts differ`,
      );
    }
    const differs = firstDifference(runKey(part), key);
    if (differs !== undefined) {
      throw new UsageError(
        `merge: ${name} and ${first.name} come from different runs (their ${differs} differ)`,
      );
    }
  }
  const count = first.part.shard.count;
  const byIndex = new Map<number, string>();
  for (const { name, part } of parts) {
    const seen = byIndex.get(part.shard.index);
    if (seen !== undefined) {
      throw new UsageError(
        `merge: shard ${part.shard.index}/${count} is repeated (${seen} and ${name})`,
      );
    }
    byIndex.set(part.shard.index, name);
    const expected = shardItems(part.work, part.shard);
    if (!isDeepStrictEqual(part.items, expected) || part.results.length !== expected.length) {
      throw new UsageError(
        `merge: ${name} (shard ${part.shard.index}/${count}) does not hold its block of the ` +
          `work items with one result each`,
      );
    }
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length > 0) {
    throw new UsageError(
      `merge: shard${missing.length > 1 ? "s" : ""} ${
        missing.map((i) => `${i}/${count}`).join(", ")
      } missing (got ${parts.length} of ${count} parts)`,
    );
  }
  return [...parts.map((p) => p.part)].sort((a, b) => a.shard.index - b.shard.index);
}
