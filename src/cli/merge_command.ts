/**
 * `merge part0.json part1.json ...`: combines the part records of a sharded run
 * (`--shard I/N`, `shards.ts`) into the record the unsharded run writes with `--json`,
 * identical apart from the timings (`TIMING_FIELDS`) and, for `verify`, `--jobs`
 * (`EXECUTION_FIELDS`, taken from shard 0). Parts that do not belong together (another
 * configuration, kind or N, a missing or repeated shard) are refused with exit code 2.
 *
 * @module
 */

import type { PartCalibration } from "../claims/calibrate.ts";
import { defineFlags } from "./flag_table.ts";
import { parseFlags, UsageError } from "./options.ts";
import { commandHelp } from "./command_help.ts";
import { DENO_RUNNER } from "../claims/replay_call.ts";
import { toJson } from "./record.ts";
import type { CliIo } from "./io.ts";
import { checkParts, type PartKind, type PartRecord, readPartRecord } from "./shards.ts";

/** Flags of `merge` (besides the part files). */
export const MERGE_FLAGS = defineFlags({});

/** Help text of `merge`. */
export const MERGE_HELP: string = commandHelp({
  command: "merge PART.json...",
  table: MERGE_FLAGS,
  entries: [["json", "", "print the merged record as JSON (what merge always prints)"]],
  about: `Combines the part records written by calibrate, verify or sweep with --shard I/N
(one per shard, in any order) into the record that the unsharded run writes with --json,
identical apart from timings (and verify's --jobs, taken from shard 0). Refuses, with
exit code 2 and a message naming the problem, parts of different runs (configuration,
command, tool version or N), a missing shard and a repeated shard. Exit code otherwise as
the unsharded run: 1 when a calibrated size is above nominal + 3 SE or a claim fails.
Running shards as a Slurm array, a Kubernetes indexed job or a CI matrix:
docs/guide/sharding.md.`,
  footer: `Example (from a clone's root; the first run downloads Deno):
  ${DENO_RUNNER} run -A mod.ts merge part-0.json part-1.json part-2.json part-3.json`,
});

/** A merged record and the exit code the unsharded run would return. */
export interface Merged {
  /** The record, as the unsharded run prints it with `--json`. */
  record: unknown;
  /** 0, or 1 when a size is above nominal + 3 SE (calibrate) or a claim fails (verify). */
  code: number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Whether `value` is a row of `calibrate --json` (the fields a merge reads). */
function isCalibrationRow(value: unknown): value is PartCalibration {
  return isObject(value) && typeof value.claim === "string" && typeof value.part === "string" &&
    typeof value.runs === "number" && typeof value.falseFailures === "number" &&
    typeof value.nominal === "number" && typeof value.seconds === "number" &&
    Array.isArray(value.detection) &&
    value.detection.every((d) =>
      isObject(d) && typeof d.margins === "number" && typeof d.rate === "number"
    );
}

function calibrationRows(value: unknown, seed: unknown): PartCalibration[] {
  if (!Array.isArray(value) || !value.every(isCalibrationRow)) {
    throw new UsageError(`merge: the result of seed ${String(seed)} is not calibrate rows`);
  }
  return value;
}

/**
 * Combines per-seed calibrations (each `calibrate` over one seed, in seed order) into the
 * calibration over all the seeds, as `calibrate` computes it (`src/claims/calibrate.ts`;
 * `merge_command_test.ts` checks the two agree).
 */
export function mergeCalibration(
  perSeed: readonly (readonly PartCalibration[])[],
): PartCalibration[] {
  const k = perSeed.length;
  if (k === 0) throw new RangeError("perSeed must be non-empty, got length 0");
  return perSeed[0].map((first, index) => {
    const rows = perSeed.map((seedRows) => seedRows[index]);
    if (rows.some((r) => r === undefined || r.claim !== first.claim || r.part !== first.part)) {
      throw new UsageError(
        `merge: the seeds disagree on the parts of ${first.claim} (at ${first.part})`,
      );
    }
    const count = (rate: (r: PartCalibration) => number) =>
      rows.reduce((sum, r) => sum + Math.round(rate(r) * r.runs), 0);
    const falseFailures = rows.reduce((sum, r) => sum + r.falseFailures, 0);
    const nominal = first.nominal;
    const se = Math.sqrt(nominal * (1 - nominal) / k);
    return {
      claim: first.claim,
      part: first.part,
      sense: first.sense,
      statistical: first.statistical,
      runs: rows.reduce((sum, r) => sum + r.runs, 0),
      falseFailures,
      size: falseFailures / k,
      nominal,
      binomialStandardError: se,
      sizeWithinNominal: falseFailures / k <= nominal + 3 * se,
      detection: first.detection.map((d, j) => ({
        margins: d.margins,
        rate: count((r) => r.detection[j].rate) / k,
      })),
      seconds: rows.reduce((sum, r) => sum + r.seconds, 0),
    };
  });
}

/** The sum of the parts' seconds (the merged record's timing). */
function seconds(parts: readonly PartRecord[]): number {
  return parts.reduce((sum, p) => sum + p.seconds, 0);
}

/** How the results of each kind combine (parts checked and in shard order). */
const MERGERS: Readonly<Record<PartKind, (parts: readonly PartRecord[]) => Merged>> = {
  calibrate: (parts) => {
    const rows = mergeCalibration(
      parts.flatMap((p) => p.results.map((r, i) => calibrationRows(r, p.items[i]))),
    );
    return { record: rows, code: rows.every((r) => r.sizeWithinNominal) ? 0 : 1 };
  },
  verify: (parts) => {
    const claims = parts.flatMap((p) => p.results);
    const passed = claims.every((c) => isObject(c) && c.passed === true);
    return {
      record: { ...parts[0].config, seconds: seconds(parts), passed, claims },
      code: passed ? 0 : 1,
    };
  },
  sweep: (parts) => ({
    record: { ...parts[0].config, seconds: seconds(parts), rows: parts.flatMap((p) => p.results) },
    code: 0,
  }),
};

/**
 * Merges part records (each with the name it was read from): checks that they are the N
 * shards of one run (`checkParts`), then combines their results. A `UsageError` names
 * what does not belong together.
 */
export function mergeParts(parts: readonly { name: string; part: PartRecord }[]): Merged {
  const ordered = checkParts(parts);
  return MERGERS[ordered[0].kind](ordered);
}

/** Runs `merge`. */
export async function runMerge(args: string[], io: CliIo): Promise<number> {
  const files = args.filter((a) => !a.startsWith("-"));
  const { values } = parseFlags("merge", args.filter((a) => a.startsWith("-")), MERGE_FLAGS);
  if (values.help) {
    io.stdout(MERGE_HELP);
    return 0;
  }
  if (files.length === 0) {
    throw new UsageError("merge needs the part records (JSON files) of a sharded run, got none");
  }
  const parts = await Promise.all(files.map(async (name) => {
    let text: string;
    try {
      text = await Deno.readTextFile(name);
    } catch (error) {
      const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
      throw new UsageError(`merge could not read ${JSON.stringify(name)}: ${reason}`);
    }
    return { name, part: readPartRecord(text, name) };
  }));
  const merged = mergeParts(parts);
  io.stdout(toJson(merged.record));
  io.stderr(
    `merge: ${parts.length} ${parts[0].part.kind} part(s), ${
      parts.reduce((n, p) => n + p.part.items.length, 0)
    } work item(s)`,
  );
  return merged.code;
}
