/**
 * `verify`: runs every claim check (or those named by --claims), prints a table
 * and a one-line summary; exit code 0 only if every claim holds.
 *
 * @module
 */

import { createBackend } from "../backends/backend.ts";
import { requireNonNegativeInteger } from "../validation/errors.ts";
import { type AnyClaim, CLAIMS, loadClaimsModule, selectClaims } from "../claims/claims.ts";
import type { ClaimResult } from "../claims/result.ts";
import {
  backendOption,
  formatTable,
  numberOption,
  parseCommand,
  toJson,
  UsageError,
} from "./args.ts";
import type { CliIo } from "./io.ts";
import { replayCommand } from "./replay.ts";

/** Help text of `verify`. */
export const VERIFY_HELP =
  `Usage: verify [--quick | --full] [--seed S] [--claims C1,C5] [--claims-module M] [--json]
              [--path PART=PATH]

Checks every claim of the paper (C1..C10, see README) with fast-check properties whose
margins come from Monte Carlo standard errors (5 SE, Bonferroni-corrected) or float64
rounding bounds. Prints a table (claim, theorem, measured, target, margin, verdict,
seconds) and a summary; exits 0 only if every claim holds, 1 otherwise.

Options:
  --quick          CI size (default; minutes on 2 cores)
  --full           full size (more runs, more prompts, larger T and L)
  --seed S         fast-check seed and sampling seed (default 0)
  --claims LIST    comma-separated claim ids (default all; repeated ids run once)
  --claims-module M  run the claims exported by the module M (a path or URL) instead of
                   the built-in ones: every export made by defineClaim (see README,
                   "Your own claims"); --claims then selects among them
  --path PART=P    replay a failing property at its fast-check path (repeatable);
                   a failure prints the exact command
  --json           print the results as JSON (one entry per claim)
  --markdown       print the table as Markdown
  --backend B      cpu (default), webgpu or auto: where prompts are sampled for the Monte
                   Carlo parts (float32 kernels on WebGPU); the checks' arithmetic stays float64`;

/** Renders claim results as a table: one row per checked part. */
export function formatClaimTable(results: readonly ClaimResult[]): string {
  const rows: string[][] = [];
  for (const result of results) {
    result.parts.forEach((part, i) => {
      rows.push([
        i === 0 ? result.id : "",
        i === 0 ? result.theorem : "",
        `${part.name}: ${part.measured}`,
        part.target,
        part.margin,
        part.passed ? "holds" : "FAILS",
        i === 0 ? result.seconds.toFixed(1) : "",
      ]);
    });
  }
  return formatTable(
    ["claim", "theorem", "measured", "target", "margin", "verdict", "seconds"],
    rows,
  );
}

/** Renders claim results as a Markdown table (one row per checked part), for reports. */
export function formatClaimMarkdown(results: readonly ClaimResult[]): string {
  const cell = (text: string) => text.replaceAll("|", "\\|");
  const lines = [
    "| claim | theorem | part: measured | target | margin | verdict | seconds |",
    "| --- | --- | --- | --- | --- | --- | ---: |",
  ];
  for (const result of results) {
    result.parts.forEach((part, i) => {
      lines.push(
        `| ${i === 0 ? result.id : ""} | ${i === 0 ? cell(result.theorem) : ""} | ${
          cell(`${part.name}: ${part.measured}`)
        } | ${cell(part.target)} | ${cell(part.margin)} | ${part.passed ? "holds" : "FAILS"} | ${
          i === 0 ? result.seconds.toFixed(1) : ""
        } |`,
      );
    });
  }
  return lines.join("\n");
}

/** The one-line summary. */
export function summarizeClaims(results: readonly ClaimResult[], seconds: number): string {
  const failed = results.filter((r) => !r.passed).map((r) => r.id);
  const size = results[0]?.size ?? "quick";
  const seed = results[0]?.seed ?? 0;
  const backend = results[0]?.backend.name ?? "cpu";
  const context = `(${size}, seed ${seed}, backend ${backend}, ${seconds.toFixed(1)} s)`;
  return failed.length === 0
    ? `${results.length}/${results.length} claims hold ${context}`
    : `${results.length - failed.length}/${results.length} claims hold; FAILED: ${
      failed.join(", ")
    } ${context}`;
}

/** Runs `verify`. */
export async function runVerify(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommand(args, {
    quick: { type: "boolean" },
    full: { type: "boolean" },
    seed: { type: "string" },
    claims: { type: "string" },
    "claims-module": { type: "string" },
    path: { type: "string", multiple: true },
    backend: { type: "string" },
    markdown: { type: "boolean" },
  });
  if (values.help) {
    io.stdout(VERIFY_HELP);
    return 0;
  }
  if (values.quick && values.full) {
    throw new UsageError("choose one of --quick and --full, got both");
  }
  const choice = backendOption(values);
  const seed = requireNonNegativeInteger("seed", numberOption(values, "seed") ?? 0);
  const claimsModule = values["claims-module"] === undefined
    ? undefined
    : String(values["claims-module"]);
  let registry: readonly AnyClaim[] = CLAIMS;
  if (claimsModule !== undefined) {
    try {
      registry = await loadClaimsModule(claimsModule);
    } catch (error) {
      const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
      throw new UsageError(
        `--claims-module could not load ${JSON.stringify(claimsModule)}: ${reason}`,
      );
    }
  }
  const claims = selectClaims(
    values.claims === undefined ? undefined : String(values.claims).split(","),
    registry,
  );
  const paths: Record<string, string> = {};
  for (const entry of (values.path as unknown as string[] | undefined) ?? []) {
    const at = entry.indexOf("=");
    if (at <= 0) throw new UsageError(`path must be PART=PATH, got ${JSON.stringify(entry)}`);
    paths[entry.slice(0, at)] = entry.slice(at + 1);
  }
  const size = values.full ? "full" : "quick";
  const backend = choice === "cpu" ? undefined : await createBackend(choice);
  const device = backend
    ? { name: backend.name, adapter: backend.adapter, precision: backend.precision }
    : { name: "cpu", adapter: "CPU (float64)", precision: "float64" };
  io.stderr(`backend: ${device.name} (${device.adapter}, ${device.precision})`);
  const started = performance.now();
  const results: ClaimResult[] = [];
  try {
    for (const claim of claims) {
      io.stderr(`[${claim.id}] ${claim.title} (${claim.theorem}) ...`);
      const result = await claim.check({
        size,
        seed,
        paths,
        backend,
        claimsModule,
        formatReplay: replayCommand,
        onProgress: (m) => io.stderr(`  ${m}`),
      });
      results.push(result);
      io.stderr(
        `[${claim.id}] ${result.passed ? "holds" : "FAILS"} in ${result.seconds.toFixed(1)} s`,
      );
      for (const part of result.parts) {
        if (!part.passed && part.property) {
          io.stderr(
            `  ${part.name} failed: seed ${part.property.seed}, path ${
              part.property.path ?? "-"
            }; replay: ${part.property.replay}`,
          );
        }
      }
    }
  } finally {
    backend?.dispose();
  }
  const seconds = (performance.now() - started) / 1000;
  if (values.json) {
    io.stdout(
      toJson({
        backend: device,
        size,
        seed,
        seconds,
        passed: results.every((r) => r.passed),
        claims: results,
      }),
    );
  } else {
    io.stdout(values.markdown ? formatClaimMarkdown(results) : formatClaimTable(results));
    io.stdout(summarizeClaims(results, seconds));
  }
  return results.every((r) => r.passed) ? 0 : 1;
}
