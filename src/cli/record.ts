/**
 * The versioned record every JSON output carries: schema id, tool version, the
 * full resolved configuration, the backend with why it was chosen, and the
 * `replay` command line that reproduces the numbers.
 *
 * @module
 */

/**
 * The tool's version: the `version` of deno.json (a test checks they agree). It is a
 * constant rather than a JSON import so that mod.ts also runs from any URL host.
 */
export const TOOL_VERSION = "0.1.0";

/** The tool's name. */
export const TOOL_NAME = "icl-verify";

/** Schema ids of the JSON outputs (the files in schemas/; bump on incompatible changes). */
export const SCHEMAS = {
  population: "icl-verify/population/1",
  train: "icl-verify/train/1",
  verify: "icl-verify/verify/1",
  figures: "icl-verify/figures/1",
  sweep: "icl-verify/sweep/1",
} as const;

/** A backend as recorded: which one ran, and why it was chosen. */
export interface BackendRecord {
  /** cpu or webgpu. */
  name: string;
  /** Adapter description. */
  adapter: string;
  /** float64 or float32. */
  precision: string;
  /** What --backend asked for. */
  requested: string;
  /** Why this backend ran. */
  reason: string;
}

/** The envelope fields of a record. */
export interface RecordHeader {
  /** Schema id, e.g. `icl-verify/train/1`. */
  schema: string;
  /** Tool name and version. */
  tool: { name: string; version: string };
  /** The command. */
  command: string;
  /** Every option with its default filled in, keyed by flag name. */
  config: Record<string, unknown>;
  /** The backend. */
  backend: BackendRecord;
  /** The command line that reproduces the numbers. */
  replay: string;
}

/** Builds the header of a record. */
export function recordHeader(
  command: keyof typeof SCHEMAS,
  config: Record<string, unknown>,
  backend: BackendRecord,
  replay: string,
): RecordHeader {
  return {
    schema: SCHEMAS[command],
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    command,
    config,
    backend,
    replay,
  };
}

/** A typed array of numbers (any view but a DataView or a BigInt array). */
function isNumberArray(v: unknown): v is ArrayLike<number> {
  return ArrayBuffer.isView(v) && !(v instanceof DataView) && !(v instanceof BigInt64Array) &&
    !(v instanceof BigUint64Array);
}

/**
 * JSON for CLI output: infinite context lengths are written as the string "inf"
 * (JSON has no Infinity); a NaN anywhere is an internal error, never printed.
 * Typed arrays become plain arrays.
 */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (key, v) => {
    if (isNumberArray(v)) return Array.from(v);
    if (typeof v === "number" && !Number.isFinite(v)) {
      if (Number.isNaN(v)) throw new Error(`internal error: ${key} is NaN`);
      return v > 0 ? "inf" : "-inf";
    }
    return v;
  }, 2);
}
