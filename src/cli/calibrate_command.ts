/**
 * `calibrate`: measured size and power of every claim part over K seeds.
 *
 * @module
 */

import { resolveBackendFlag } from "./backend_flag.ts";
import { ALL_CLAIMS, type AnyClaim, selectClaims } from "../claims/claims.ts";
import { calibrate, formatCalibrationMarkdown, type PartCalibration } from "../claims/calibrate.ts";
import { defineFlags } from "./flag_table.ts";
import { parseFlags, UsageError } from "./options.ts";
import { BACKEND_FLAG, BACKEND_HELP } from "./flags.ts";
import { commandHelp } from "./command_help.ts";
import { claimGroups } from "./claim_groups.ts";
import { DENO_RUNNER } from "../claims/replay_call.ts";
import { toJson } from "./record.ts";
import { type CliIo, note } from "./io.ts";
import type { Backend } from "../backends/backend.ts";
import {
  parseShard,
  partRecord,
  type Shard,
  SHARD_FLAG,
  SHARD_HELP,
  shardItems,
} from "./shards.ts";

/** Flags of `calibrate`. */
export const CALIBRATE_FLAGS = defineFlags({
  quick: { kind: "boolean" },
  full: { kind: "boolean" },
  seeds: { kind: "text" },
  claims: { kind: "text" },
  margins: { kind: "text" },
  ...BACKEND_FLAG,
  ...SHARD_FLAG,
});

/** Help text of `calibrate`: its usage from the flag table, its claims from the registry. */
export const CALIBRATE_HELP = commandHelp({
  command: "calibrate",
  table: CALIBRATE_FLAGS,
  alternatives: [["quick", "full"]],
  entries: [
    ["quick", "", "check size quick (the default, as verify --quick)"],
    ["full", "", "check size full (as verify --full)"],
    ["seeds", "LIST", "A..B (inclusive) or comma-separated seeds (default 0..19)"],
    [
      "claims",
      "LIST",
      `claim ids (default all ${ALL_CLAIMS.length}:\n${claimGroups(ALL_CLAIMS)})`,
    ],
    ["margins", "LIST", "perturbations in margins (default 1,2,4)"],
    BACKEND_HELP,
    SHARD_HELP,
    ["json", "", "print the rows as JSON"],
  ],
  about: `Runs each claim over K seeds under the truth and with every part's checked quantity
shifted by k of its own margins in the adverse direction. Prints, per part, the
false-failure rate under the truth (the size; nominal: the family-wise rate 5.7e-7 for
statistical parts, 0 for exact and rounding bounds) with its binomial standard error, and
the detection rate at each k (the power curve). Exit code 0 when every size is within
nominal + 3 binomial SE. The model: docs/model.md.`,
  footer: `Example (from a clone's root; the first run downloads Deno):
  ${DENO_RUNNER} run -A mod.ts calibrate --claims C3 --seeds 0..4`,
});

/** Parses `A..B` or `a,b,c` into seeds. */
export function parseSeeds(text: string): number[] {
  const range = /^(\d+)\.\.(\d+)$/.exec(text.trim());
  const seeds = range
    ? Array.from(
      { length: Math.max(0, Number(range[2]) - Number(range[1]) + 1) },
      (_, i) => Number(range[1]) + i,
    )
    : text.split(",").map((s) => Number(s.trim()));
  if (seeds.length === 0 || seeds.some((s) => !Number.isSafeInteger(s) || s < 0)) {
    throw new UsageError(
      `seeds must be A..B or a list of non-negative integers, got ${JSON.stringify(text)}`,
    );
  }
  return seeds;
}

/** Runs `calibrate`. */
export async function runCalibrate(args: string[], io: CliIo): Promise<number> {
  const values = parseFlags("calibrate", args, CALIBRATE_FLAGS).values;
  if (values.help) {
    io.stdout(CALIBRATE_HELP);
    return 0;
  }
  if (values.quick && values.full) {
    throw new UsageError("choose one of --quick and --full, got both");
  }
  const seeds = parseSeeds(values.seeds ?? "0..19");
  const margins = values.margins === undefined
    ? [1, 2, 4]
    : values.margins.split(",").map((m) => Number(m));
  if (margins.some((m) => !(m >= 0 && Number.isFinite(m)))) {
    throw new UsageError(
      `margins must be non-negative numbers, got ${JSON.stringify(values.margins)}`,
    );
  }
  const claims = selectClaims(
    values.claims?.split(","),
    ALL_CLAIMS,
  );
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  const { backend, device } = await resolveBackendFlag(values.backend, io);
  const started = performance.now();
  try {
    const run: CalibrationRun = {
      claims,
      seeds,
      size: values.full ? "full" : "quick",
      margins,
      backend,
      backendName: device.name,
      flags: Object.fromEntries(
        Object.entries(values).filter(([name]) => !NOT_CONFIG.includes(name)),
      ),
    };
    if (shard !== undefined) return await runShard(run, shard, io);
    const rows = await calibrate(claims, {
      seeds,
      size: run.size,
      margins,
      backend,
      onProgress: (m) => note(io, `  ${m}`),
    });
    io.stdout(values.json ? toJson(rows) : formatCalibrationMarkdown(rows));
    const bad = rows.filter((r) => !r.sizeWithinNominal);
    io.stderr(
      `${rows.length} parts, K = ${seeds.length}, ${
        ((performance.now() - started) / 1000).toFixed(1)
      } s; ` +
        (bad.length === 0
          ? "every size within nominal + 3 SE"
          : `size above nominal + 3 SE: ${bad.map((r) => `${r.claim} ${r.part}`).join(", ")}`),
    );
    return bad.length === 0 ? 0 : 1;
  } finally {
    backend?.dispose();
  }
}

/** A resolved `calibrate` run. */
interface CalibrationRun {
  claims: readonly AnyClaim[];
  seeds: number[];
  size: "quick" | "full";
  margins: number[];
  backend: Backend | undefined;
  backendName: string;
  /** The flags as given (defaults filled in), less {@linkcode NOT_CONFIG}. */
  flags: Record<string, unknown>;
}

/** Flags that do not change the results: left out of a part record's configuration. */
const NOT_CONFIG: readonly string[] = ["shard", "json", "help"];

/**
 * Runs shard `shard` of the seeds and prints its part record: one calibration per seed of
 * the shard (its rows; `merge` combines them over every seed as `calibrate` does).
 */
async function runShard(run: CalibrationRun, shard: Shard, io: CliIo): Promise<number> {
  const started = performance.now();
  const seeds = shardItems(run.seeds, shard);
  const results: PartCalibration[][] = [];
  for (const seed of seeds) {
    results.push(
      await calibrate(run.claims, {
        seeds: [seed],
        size: run.size,
        margins: run.margins,
        backend: run.backend,
        onProgress: (m) => note(io, `  ${m}`),
      }),
    );
  }
  const config = {
    command: "calibrate",
    size: run.size,
    seeds: run.seeds,
    claims: run.claims.map((c) => c.id),
    margins: run.margins,
    backend: run.backendName,
    flags: run.flags,
  };
  const seconds = (performance.now() - started) / 1000;
  io.stdout(toJson(partRecord("calibrate", config, run.seeds, shard, results, seconds)));
  io.stderr(
    `shard ${shard.index}/${shard.count}: ${seeds.length} of ${run.seeds.length} seeds, ` +
      `${seconds.toFixed(1)} s; merge the ${shard.count} parts for the sizes (merge --help)`,
  );
  return 0;
}
