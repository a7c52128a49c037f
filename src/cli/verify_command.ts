/**
 * `verify`: runs every claim check (or those named by --claims), prints one row
 * per claim (id, title, verdict, the most telling figure, seconds) fitted to the
 * terminal, per-part detail with --verbose, and a one-line summary; exit code 0
 * only if every claim holds, 1 otherwise.
 *
 * @module
 */

import { resolveBackendFlag } from "./backend_flag.ts";
import {
  ALL_CLAIMS,
  type AnyClaim,
  claimsModuleUrl,
  loadClaimsModule,
  selectClaims,
} from "../claims/claims.ts";
import { runClaimsInWorkers } from "../claims/parallel.ts";
import { defaultJobs } from "../parallel/pool.ts";
import type { Backend } from "../backends/backend.ts";
import type { ClaimPart } from "../claims/claim_part.ts";
import type { ClaimResult } from "../claims/claim_result.ts";
import { defineFlags, type FlagValues } from "./flag_table.ts";
import { parseFlags, replayCommand, UsageError } from "./options.ts";
import { commandHelp, type HelpEntry } from "./command_help.ts";
import { claimGroups } from "./claim_groups.ts";
import { DENO_RUNNER } from "../claims/replay_call.ts";
import { BACKEND_FLAG, MAX_SEED } from "./flags.ts";
import { type BackendRecord, recordHeader, toJson } from "./record.ts";
import { clip } from "./text.ts";
import { barsOf, type CliIo, DEFAULT_COLUMNS, note } from "./io.ts";
import type { ProgressBar } from "./progress.ts";
import { replayCommand as propertyReplay } from "./replay.ts";
import {
  formatClaimDetails,
  formatClaimMarkdown,
  formatClaimTable,
  numericPart,
  summarizeClaims,
} from "./format_claim_table.ts";
import {
  parseShard,
  partRecord as shardRecord,
  type Shard,
  SHARD_FLAG,
  SHARD_HELP,
  shardItems,
} from "./shards.ts";

/** The flags of `verify`, in replay order. */
export const VERIFY_FLAGS = defineFlags({
  quick: { kind: "boolean" },
  full: { kind: "boolean" },
  seed: { kind: "integer", min: 0, default: 0, max: MAX_SEED },
  claims: { kind: "text" },
  "claims-module": { kind: "text" },
  path: { kind: "text", repeatable: true },
  ...BACKEND_FLAG,
  jobs: { kind: "integer", min: 1, max: 64, default: defaultJobs() },
  markdown: { kind: "boolean" },
  verbose: { kind: "boolean" },
  details: { kind: "boolean" },
  ...SHARD_FLAG,
});

/** The parsed values of `verify`. */
type VerifyValues = FlagValues<typeof VERIFY_FLAGS>;

/** The help lines of `verify`'s flags. */
const VERIFY_ENTRIES: readonly HelpEntry[] = [
  ["quick", "", "CI size (the default): fewer property runs, prompts and depths than --full"],
  ["full", "", "full size (more runs, more prompts, larger T and L)"],
  ["seed", "S", "fast-check seed and sampling seed, in [0, 2^31 - 1] (default 0)"],
  ["claims", "LIST", "comma-separated claim ids (default all; repeated ids run once)"],
  [
    "claims-module",
    "M",
    "run the claims exported by the module M (a path or URL) instead of the\n" +
    'built-in ones: every export made by defineClaim (README, "Your own claims");\n' +
    "--claims then selects among them",
  ],
  [
    "path",
    "PART=P",
    "replay a failing property at its fast-check path P (digits and colons,\n" +
    "e.g. 3:1:0); repeatable; a failure prints the exact command",
  ],
  [
    "backend",
    "B",
    "cpu (default), webgpu or auto: where the Monte Carlo parts sample prompts,\n" +
    "train and evaluate models (float32 kernels on WebGPU, margins widened by\n" +
    "derived float32 bounds); references and margins stay float64",
  ],
  [
    "jobs",
    "N",
    "run the claims in N Web Workers (default: the number of cores, here " +
    `${defaultJobs()});\n1 runs them in this process. The results do not depend on N`,
  ],
  ["verbose", "", "every checked part: measured, target, margin, verdict (wrapped)"],
  ["details", "", "the same as --verbose"],
  ["markdown", "", "the full per-part table as Markdown"],
  SHARD_HELP,
  ["json", "", "a versioned JSON record (schemas/verify.schema.json)"],
];

/** Help text of `verify`: its usage from the flag table, its claims from the registry. */
export function verifyHelp(claims: readonly AnyClaim[] = ALL_CLAIMS): string {
  const width = Math.max(...claims.map((c) => c.id.length));
  const groupWidth = Math.max(...claims.map((c) => c.group.length));
  return commandHelp({
    command: "verify",
    table: VERIFY_FLAGS,
    entries: VERIFY_ENTRIES,
    alternatives: [["quick", "full"], ["markdown", "json"], ["verbose", "details"]],
    about: `Checks the ${claims.length} built-in claims, ${claimGroups(claims)}, with
fast-check properties whose margins come from Monte Carlo standard errors (5 SE,
Bonferroni-corrected) or float64 rounding bounds (README "Verifying the claims"; the
model: docs/model.md). Prints one row per claim (id, title, verdict, the most telling
figure, seconds) fitted to the width (COLUMNS, else the terminal's, else 100 columns), then
a summary; exits 0 only if every claim holds, 1 if one fails, 2 on a usage error.

Claims:
${
      claims.map((c) => `  ${c.id.padEnd(width)}  ${c.group.padEnd(groupWidth)}  ${c.title}`).join(
        "\n",
      )
    }`,
    footer: `Example (from a clone's root; the first run downloads Deno):
  ${DENO_RUNNER} run -A mod.ts verify --claims C3,C7 --seed 1`,
  });
}

/** Claim ids from --claims: trimmed, upper-cased, repeats dropped (first occurrence kept). */
export function claimIds(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const ids = text.split(",").map((s) => s.trim().toUpperCase());
  if (ids.some((id) => id === "" || !/^[A-Z0-9_-]+$/.test(id))) {
    throw new UsageError(
      `--claims must be a comma-separated list of claim ids such as C1,C5, got ${
        JSON.stringify(text)
      }`,
    );
  }
  return [...new Set(ids)];
}

/** fast-check replay paths: PART=P with P digits separated by colons. */
export function replayPaths(entries: readonly string[] | undefined): Record<string, string> {
  const paths: Record<string, string> = {};
  for (const entry of entries ?? []) {
    const at = entry.indexOf("=");
    const part = at > 0 ? entry.slice(0, at).trim() : "";
    const path = at > 0 ? entry.slice(at + 1).trim() : "";
    if (part === "" || !/^\d+(:\d+)*$/.test(path)) {
      throw new UsageError(
        `--path must be PART=PATH with PATH a fast-check path such as 3:1:0, got ${
          JSON.stringify(entry)
        }`,
      );
    }
    if (part in paths) throw new UsageError(`--path names part ${JSON.stringify(part)} twice`);
    paths[part] = path;
  }
  return paths;
}

function partRecord(part: ClaimPart): Record<string, unknown> {
  return { ...part, ...numericPart(part) };
}

function resolvedConfig(v: VerifyValues, ids: string[], backend: string) {
  return {
    quick: !v.full,
    full: v.full === true,
    seed: v.seed,
    claims: ids.join(","),
    "claims-module": v["claims-module"],
    path: v.path ?? [],
    backend,
    jobs: v.jobs,
  };
}

/** Rejects flags that exclude each other. */
function checkExclusive(v: VerifyValues): void {
  if (v.quick && v.full) throw new UsageError("choose one of --quick and --full, got both");
  if (v.json && v.markdown) throw new UsageError("choose one of --json and --markdown, got both");
  if (v.json && (v.verbose || v.details)) {
    throw new UsageError("--verbose does not apply to --json (the JSON is always complete)");
  }
  if (v.shard !== undefined && (v.markdown || v.verbose || v.details)) {
    throw new UsageError("--shard prints a part record (JSON): drop --markdown and --verbose");
  }
}

/** The claims of --claims-module (a usage error naming it when it cannot be loaded), else ours. */
async function claimRegistry(claimsModule: string | undefined): Promise<readonly AnyClaim[]> {
  if (claimsModule === undefined) return ALL_CLAIMS;
  try {
    return await loadClaimsModule(claimsModule);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new UsageError(
      `--claims-module could not load ${JSON.stringify(claimsModule)}: ${reason}`,
    );
  }
}

/** What a run of the claims needs: the claims, the check options, the progress bar. */
interface ClaimRun {
  claims: readonly AnyClaim[];
  registry: readonly AnyClaim[];
  size: "quick" | "full";
  seed: number;
  paths: Record<string, string>;
  backend: Backend | undefined;
  claimsModule: string | undefined;
  /** The bar (drawn only on a terminal; nothing else is written while the claims run). */
  bar: ProgressBar;
}

function verdict(result: ClaimResult): string {
  return result.passed ? "holds" : "FAILS";
}

/** A progress message of claim `id`, prefixed with the id, fitted to the bar's note. */
function progressNote(id: string, message: string): string {
  return clip(message.startsWith(id) ? message : `${id}: ${message}`, 40);
}

/** Runs the claims in `jobs` Web Workers. */
function runInWorkers(run: ClaimRun, jobs: number): Promise<ClaimResult[]> {
  const { bar, claimsModule } = run;
  let done = 0;
  return runClaimsInWorkers(run.claims.map((c) => c.id), {
    size: run.size,
    seed: run.seed,
    paths: run.paths,
    backend: run.backend ? "webgpu" : "cpu",
    registry: claimsModule === undefined ? undefined : run.registry,
    claimsModule,
    moduleUrl: claimsModule === undefined ? undefined : claimsModuleUrl(claimsModule),
    formatReplay: propertyReplay,
    onProgress: (id, m) => bar.update(done, progressNote(id, m)),
    onResult: (result) => bar.update(++done, `${result.id} ${verdict(result)}`),
  }, jobs);
}

/** Runs the claims one after the other in this process. */
async function runInProcess(run: ClaimRun): Promise<ClaimResult[]> {
  const { bar } = run;
  const results: ClaimResult[] = [];
  for (const [index, claim] of run.claims.entries()) {
    bar.update(index, `${claim.id} ${claim.title}`);
    const result = await claim.check({
      size: run.size,
      seed: run.seed,
      paths: run.paths,
      backend: run.backend,
      claimsModule: run.claimsModule,
      formatReplay: propertyReplay,
      onProgress: (m) => bar.update(index, progressNote(claim.id, m)),
    });
    results.push(result);
    bar.update(index + 1, `${claim.id} ${verdict(result)}`);
  }
  return results;
}

/** Prints each failing property's replay, and warns of --path parts that matched nothing. */
function reportReplays(results: readonly ClaimResult[], paths: Record<string, string>, io: CliIo) {
  for (const result of results) {
    for (const part of result.parts) {
      if (!part.passed && part.property) {
        io.stderr(
          `${result.id} ${part.name} failed: seed ${part.property.seed}, path ${
            part.property.path ?? "-"
          }; replay: ${part.property.replay}`,
        );
      }
    }
  }
  const used = new Set(results.flatMap((r) => r.parts.map((p) => p.name)));
  for (const part of Object.keys(paths)) {
    if (!used.has(part)) {
      io.stderr(`warning: --path ${part}=... matched no part of the claims that ran`);
    }
  }
}

/** The fields of the `--json` record before the timings and results. */
function recordHead(v: VerifyValues, ids: string[], device: BackendRecord) {
  const config = resolvedConfig(v, ids, device.name);
  return {
    ...recordHeader("verify", config, device, replayCommand("verify", VERIFY_FLAGS, config)),
    size: v.full ? "full" : "quick",
    seed: v.seed,
  };
}

/** One claim's result as the `--json` record writes it. */
function claimRecord(result: ClaimResult): Record<string, unknown> {
  return { ...result, parts: result.parts.map(partRecord) };
}

/** A finished `verify` run, as the outputs print it. */
interface VerifyOutcome {
  v: VerifyValues;
  results: ClaimResult[];
  seconds: number;
  ids: string[];
  device: BackendRecord;
  width: number;
}

/** The outputs of `verify`: --json, --markdown, or the table (or details) fitted to the width. */
const OUTPUTS: Record<"json" | "markdown" | "text", (o: VerifyOutcome, io: CliIo) => void> = {
  json: ({ v, results, seconds, ids, device }, io) => {
    io.stdout(
      toJson({
        ...recordHead(v, ids, device),
        seconds,
        passed: results.every((r) => r.passed),
        claims: results.map(claimRecord),
      }),
    );
  },
  markdown: ({ results, seconds }, io) => {
    io.stdout(formatClaimMarkdown(results));
    io.stdout(summarizeClaims(results, seconds));
  },
  text: ({ v, results, seconds, width }, io) => {
    io.stdout(
      v.verbose || v.details
        ? formatClaimDetails(results, width)
        : formatClaimTable(results, width),
    );
    io.stdout(clip(summarizeClaims(results, seconds), width));
  },
};

/** Prints the part record of shard `shard` (its claims' results); exit code 1 if one fails. */
function printPart(o: VerifyOutcome, shard: Shard, io: CliIo): number {
  const head = recordHead(o.v, o.ids, o.device);
  const results = o.results.map(claimRecord);
  io.stdout(toJson(shardRecord("verify", head, o.ids, shard, results, o.seconds)));
  io.stderr(
    `shard ${shard.index}/${shard.count}: ${o.results.length} of ${o.ids.length} claims, ` +
      `${o.seconds.toFixed(1)} s; merge the ${shard.count} parts (merge --help)`,
  );
  return o.results.every((r) => r.passed) ? 0 : 1;
}

/** Runs `verify`. */
export async function runVerify(args: string[], io: CliIo): Promise<number> {
  const v = parseFlags("verify", args, VERIFY_FLAGS).values;
  if (v.help) {
    io.stdout(verifyHelp());
    return 0;
  }
  checkExclusive(v);
  const claimsModule = v["claims-module"];
  const registry = await claimRegistry(claimsModule);
  const selected = selectClaims(claimIds(v.claims), registry);
  const shard = v.shard === undefined ? undefined : parseShard(v.shard);
  const claims = shard === undefined ? selected : shardItems(selected, shard);
  const paths = replayPaths(v.path);
  const { backend, device } = await resolveBackendFlag(v.backend, io);
  const width = io.columns ?? DEFAULT_COLUMNS;
  note(io, clip(`backend ${device.name} (${device.adapter}): ${device.reason}`, width));
  const run: ClaimRun = {
    claims,
    registry,
    size: v.full ? "full" : "quick",
    seed: v.seed,
    paths,
    backend,
    claimsModule,
    bar: barsOf(io)("verify", claims.length),
  };
  const started = performance.now();
  const jobs = Math.min(v.jobs, claims.length);
  let results: ClaimResult[] = [];
  try {
    results = jobs > 1 ? await runInWorkers(run, jobs) : await runInProcess(run);
  } finally {
    run.bar.stop();
    backend?.dispose();
  }
  reportReplays(results, paths, io);
  const seconds = (performance.now() - started) / 1000;
  const ids = selected.map((c) => c.id);
  if (shard !== undefined) return printPart({ v, results, seconds, ids, device, width }, shard, io);
  OUTPUTS[v.json ? "json" : v.markdown ? "markdown" : "text"](
    { v, results, seconds, ids, device, width },
    io,
  );
  return results.every((r) => r.passed) ? 0 : 1;
}
