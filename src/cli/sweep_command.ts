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
  const prepared = study.prepare(rest);
  if (prepared === undefined) {
    io.stdout(study.help);
    return 0;
  }
  const started = performance.now();
  let done = 0;
  const rows = await prepared.run((row) => {
    done++;
    if (!prepared.json) io.stdout(sweepRowJson(row));
    else note(io, `sweep ${name}: ${done} row(s) in ${elapsed(started).toFixed(1)} s`);
  });
  if (prepared.json) {
    const config = prepared.config;
    io.stdout(toJson({
      ...recordHeader("sweep", config, HOST, replayCommand(["sweep", name], study.flags, config)),
      study: name,
      seconds: elapsed(started),
      rows: rows.map((row) => JSON.parse(sweepRowJson(row))),
    }));
  }
  return 0;
}

function elapsed(started: number): number {
  return (performance.now() - started) / 1000;
}
