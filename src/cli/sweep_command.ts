/**
 * `sweep <study>`: parameter studies beyond the paper, each a registered
 * {@linkcode SweepStudy} (today `untied`, claim C11). A study prints one JSON row per
 * point as it is done, or with `--json` one versioned record (schemas/sweep.schema.json)
 * whose `replay` reproduces the rows.
 *
 * @module
 */

import { replayCommand, UsageError } from "./options.ts";
import { type BackendRecord, recordHeader, toJson } from "./record.ts";
import { type CliIo, note } from "./io.ts";
import { sweepRowJson, type SweepStudy } from "./sweep_study.ts";
import { UNTIED_STUDY } from "./untied_study.ts";
import { DENO_RUNNER } from "../claims/replay_call.ts";
import { parseShard, partRecord, type Shard, shardItems } from "./shards.ts";

/** The names of the studies. */
export type StudyName = "untied";

/** The studies of `sweep`, by name: a new study is one entry here. */
export const STUDIES: Readonly<Record<StudyName, SweepStudy>> = {
  untied: UNTIED_STUDY,
};

function isStudyName(name: string): name is StudyName {
  return Object.hasOwn(STUDIES, name);
}

/** Help text of `sweep`: the studies from the registry. */
export function sweepHelp(): string {
  const names = Object.keys(STUDIES);
  const width = Math.max(...names.map((n) => n.length));
  return [
    `Usage: sweep ${names.join(" | ")} [options]   (each study takes --help)`,
    "",
    'Parameter studies beyond the paper (README, "Beyond the paper"). A study prints one',
    'JSON row per point as it is done (an infinite context written "inf"); with --json, one',
    "versioned record (schemas/sweep.schema.json) with the rows and a replay command line.",
    "The models: docs/model.md.",
    "",
    "Every study also takes --shard I/N: it runs only shard I of N (0-based: 0 <= I < N)",
    "of its grid cells (e.g. the depths of untied, split into N contiguous blocks) and",
    "prints a part record (JSON); `merge` combines the N parts (docs/guide/sharding.md).",
    "",
    "Studies:",
    ...Object.entries(STUDIES).map(([n, study]) => `  ${n.padEnd(width)}  ${study.summary}`),
    "",
    "Example (from a clone's root; the first run downloads Deno):",
    `  ${DENO_RUNNER} run -A mod.ts sweep ${names[0]} --help`,
  ].join("\n");
}

/** The studies train in float64 on the host. */
const HOST: BackendRecord = {
  name: "cpu",
  adapter: "CPU (float64)",
  precision: "float64",
  requested: "cpu",
  reason: "the sweeps train in float64 on the host",
};

/** The study that `name` names, or a usage error listing the studies. */
function studyNamed(name: string | undefined): { name: StudyName; study: SweepStudy } {
  if (name !== undefined && isStudyName(name)) return { name, study: STUDIES[name] };
  const names = Object.keys(STUDIES).join(", ");
  throw new UsageError(
    name === undefined
      ? `sweep needs a study: one of ${names} (see: sweep --help)`
      : `sweep study must be one of ${names}, got ${JSON.stringify(name)} (see: sweep --help)`,
  );
}

/** Runs `sweep`. */
export async function runSweep(args: string[], io: CliIo): Promise<number> {
  const [first, ...rest] = args;
  if (first === "--help" || first === "-h") {
    io.stdout(sweepHelp());
    return 0;
  }
  const { name, study } = studyNamed(first);
  const { shard, args: studyArgs } = takeShard(rest);
  const prepared = study.prepare(studyArgs);
  if (prepared === undefined) {
    io.stdout(study.help);
    return 0;
  }
  const started = performance.now();
  let done = 0;
  const cells = shard === undefined ? prepared.cells : shardItems(prepared.cells, shard);
  const json = prepared.json || shard !== undefined;
  const rows = cells.length === 0 ? [] : await prepared.run((row) => {
    done++;
    if (!json) io.stdout(sweepRowJson(row));
    else note(io, `sweep ${name}: ${done} row(s) in ${elapsed(started).toFixed(1)} s`);
  }, cells);
  const config = prepared.config;
  const head = {
    ...recordHeader("sweep", config, HOST, replayCommand(["sweep", name], study.flags, config)),
    study: name,
  };
  const rowRecords = rows.map((row) => JSON.parse(sweepRowJson(row)));
  if (shard !== undefined) {
    const seconds = elapsed(started);
    io.stdout(toJson(partRecord("sweep", head, prepared.cells, shard, rowRecords, seconds)));
  } else if (prepared.json) {
    io.stdout(toJson({ ...head, seconds: elapsed(started), rows: rowRecords }));
  }
  return 0;
}

/** `--shard I/N` (or `--shard=I/N`) taken out of a study's arguments. */
function takeShard(args: readonly string[]): { shard?: Shard; args: string[] } {
  const rest: string[] = [];
  let shard: Shard | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const inline = arg.startsWith("--shard=") ? arg.slice("--shard=".length) : undefined;
    if (arg !== "--shard" && inline === undefined) {
      rest.push(arg);
      continue;
    }
    if (shard !== undefined) throw new UsageError("--shard given twice");
    const text = inline ?? args[++i];
    if (text === undefined) throw new UsageError("--shard needs a value I/N, got none");
    shard = parseShard(text);
  }
  return { shard, args: rest };
}

function elapsed(started: number): number {
  return (performance.now() - started) / 1000;
}
