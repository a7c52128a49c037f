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
import type { ClaimPart, ClaimResult } from "../claims/result.ts";
import {
  flagHelp,
  type FlagTable,
  type ParsedFlags,
  parseFlags,
  replayCommand,
  UsageError,
} from "./options.ts";
import { BACKEND_FLAG, MAX_SEED } from "./flags.ts";
import { recordHeader, toJson } from "./record.ts";
import { clip, fitTable, formatTable, wrap } from "./text.ts";
import { barsOf, type CliIo, DEFAULT_COLUMNS } from "./io.ts";
import { replayCommand as propertyReplay } from "./replay.ts";

/** The flags of `verify`, in replay order. */
export const VERIFY_FLAGS: FlagTable = {
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
};

/** Help text of `verify`. */
export const VERIFY_HELP =
  `Usage: verify [--quick | --full] [--seed S] [--claims C1,C5] [--claims-module M]
              [--jobs N] [--verbose] [--json | --markdown] [--path PART=PATH]

Checks every built-in claim: the paper's C1..C10 (README "Verifying the claims",
docs/model.md), C11 beyond the paper and the external anchors E1..E3 (README "Beyond the
paper"), with fast-check properties whose margins come from Monte Carlo standard errors (5 SE,
Bonferroni-corrected) or float64 rounding bounds. Prints one row per claim (id, title,
verdict, the most telling figure, seconds) fitted to the terminal width, then a summary;
exits 0 only if every claim holds, 1 if one fails, 2 on a usage error.

Options:
${
    flagHelp([
      ["quick", "", "CI size (default; minutes on 2 cores)"],
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
        "cpu (default), webgpu or auto: where prompts are sampled for the Monte\n" +
        "Carlo parts (float32 kernels on WebGPU); the checks' arithmetic stays float64",
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
      ["json", "", "a versioned JSON record (schemas/verify.schema.json)"],
    ])
  }`;

/** Numeric fields of a part (null when the claim gives none). */
interface NumericPart {
  measuredValue: number | null;
  targetValue: number | null;
  marginValue: number | null;
  sense: string | null;
}

function numeric(part: ClaimPart): NumericPart {
  const p = part as ClaimPart & Partial<Record<keyof NumericPart, unknown>>;
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);
  return {
    measuredValue: num(p.measuredValue),
    targetValue: num(p.targetValue),
    marginValue: num(p.marginValue),
    sense: typeof p.sense === "string" ? p.sense : null,
  };
}

/**
 * How close a part is to failing, from its numeric fields (larger = closer; null
 * when it has none): (measured - target) / margin for an upper bound, the other
 * way round for a lower bound, |measured - target| / margin for an equality.
 */
function closeness(part: ClaimPart): number | null {
  const n = numeric(part);
  if (n.measuredValue === null || n.targetValue === null || !n.marginValue) return null;
  const d = n.measuredValue - n.targetValue;
  if (n.sense === "at-most") return d / n.marginValue;
  if (n.sense === "at-least") return -d / n.marginValue;
  return Math.abs(d) / n.marginValue;
}

/** The most telling part: the first failing one, else the one closest to failing, else the first. */
export function tellingPart(result: ClaimResult): ClaimPart | undefined {
  const failing = result.parts.find((p) => !p.passed);
  if (failing) return failing;
  let best: ClaimPart | undefined;
  let bestValue = -Infinity;
  for (const part of result.parts) {
    const c = closeness(part);
    if (c !== null && c > bestValue) {
      best = part;
      bestValue = c;
    }
  }
  return best ?? result.parts[0];
}

/**
 * One row per claim: id, title, verdict, the most telling figure, seconds; every
 * line at most `width` characters.
 */
export function formatClaimTable(results: readonly ClaimResult[], width = DEFAULT_COLUMNS): string {
  const titleWidth = width < 100 ? 20 : 28;
  const rows = results.map((r) => {
    const part = tellingPart(r);
    return [
      r.id,
      clip(r.title, titleWidth),
      r.passed ? "holds" : "FAILS",
      part ? (width < 100 ? part.measured : `${part.name}: ${part.measured}`) : "no parts",
      r.seconds.toFixed(1),
    ];
  });
  return fitTable(["claim", "title", "verdict", "most telling figure", "seconds"], rows, width, 3);
}

/** Per-part detail of every claim, wrapped to `width`. */
export function formatClaimDetails(
  results: readonly ClaimResult[],
  width = DEFAULT_COLUMNS,
): string {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(
      ...wrap(
        `${r.id} ${r.title} (${r.theorem}): ${r.passed ? "holds" : "FAILS"} in ${
          r.seconds.toFixed(1)
        } s`,
        width,
        "  ",
      ),
    );
    lines.push(
      ...wrap(`statement: ${r.statement}`, width, "    ").map((l, i) => i === 0 ? "  " + l : l),
    );
    for (const part of r.parts) {
      const verdict = part.passed ? "holds" : "FAILS";
      lines.push(
        ...wrap(`- ${part.name} [${verdict}]: ${part.measured}`, width - 2, "    ").map((l, i) =>
          i === 0 ? "  " + l : l
        ),
      );
      lines.push(
        ...wrap(`target: ${part.target}`, width - 4, "      ").map((l, i) =>
          i === 0 ? "    " + l : l
        ),
      );
      lines.push(
        ...wrap(`margin: ${part.margin}`, width - 4, "      ").map((l, i) =>
          i === 0 ? "    " + l : l
        ),
      );
    }
    lines.push("");
  }
  return lines.map((l) => clip(l, width)).join("\n").trimEnd();
}

/** The complete per-part table (no width limit; for files). */
export function formatClaimPartsTable(results: readonly ClaimResult[]): string {
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
  return { ...part, ...numeric(part) };
}

function resolvedConfig(parsed: ParsedFlags, ids: string[], backend: string) {
  const v = parsed.values;
  return {
    quick: !v.full,
    full: v.full === true,
    seed: v.seed,
    claims: ids.join(","),
    "claims-module": v["claims-module"],
    path: (v.path as string[] | undefined) ?? [],
    backend,
    jobs: v.jobs,
  };
}

/** Runs `verify`. */
export async function runVerify(args: string[], io: CliIo): Promise<number> {
  const parsed = parseFlags("verify", args, VERIFY_FLAGS);
  const v = parsed.values;
  if (v.help) {
    io.stdout(VERIFY_HELP);
    return 0;
  }
  if (v.quick && v.full) throw new UsageError("choose one of --quick and --full, got both");
  if (v.json && v.markdown) throw new UsageError("choose one of --json and --markdown, got both");
  if (v.json && (v.verbose || v.details)) {
    throw new UsageError("--verbose does not apply to --json (the JSON is always complete)");
  }
  const seed = v.seed as number;
  const claimsModule = v["claims-module"] as string | undefined;
  let registry: readonly AnyClaim[] = ALL_CLAIMS;
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
  const claims = selectClaims(claimIds(v.claims as string | undefined), registry);
  const paths = replayPaths(v.path as string[] | undefined);
  const size = v.full ? "full" : "quick";
  const requested = String(v.backend);
  const { backend, device } = await resolveBackendFlag(requested);
  const width = io.columns ?? DEFAULT_COLUMNS;
  io.stderr(clip(`backend ${device.name} (${device.adapter}): ${device.reason}`, width));
  const interactive = io.bar !== undefined && Deno.stderr.isTerminal();
  const bar = barsOf(io)("verify", claims.length);
  const started = performance.now();
  let results: ClaimResult[] = [];
  const jobs = Math.min(v.jobs as number, claims.length);
  try {
    if (jobs > 1) {
      let done = 0;
      results = await runClaimsInWorkers(claims.map((c) => c.id), {
        size,
        seed,
        paths,
        backend: backend ? "webgpu" : "cpu",
        registry: claimsModule === undefined ? undefined : registry,
        claimsModule,
        moduleUrl: claimsModule === undefined ? undefined : claimsModuleUrl(claimsModule),
        formatReplay: propertyReplay,
        onProgress: (id, m) => {
          bar.update(done, clip(m.startsWith(id) ? m : `${id}: ${m}`, 40));
          if (!interactive) io.stderr(`  ${m.startsWith(id) ? m : `${id}: ${m}`}`);
        },
        onResult: (result) => {
          done++;
          bar.update(done, `${result.id} ${result.passed ? "holds" : "FAILS"}`);
          if (!interactive) {
            io.stderr(
              `[${result.id}] ${result.passed ? "holds" : "FAILS"} in ${
                result.seconds.toFixed(1)
              } s`,
            );
          }
        },
      }, jobs);
    } else {
      for (const [index, claim] of claims.entries()) {
        bar.update(index, `${claim.id} ${claim.title}`);
        if (!interactive) io.stderr(`[${claim.id}] ${claim.title} (${claim.theorem}) ...`);
        const result = await claim.check({
          size,
          seed,
          paths,
          backend,
          claimsModule,
          formatReplay: propertyReplay,
          onProgress: (m) => {
            bar.update(index, clip(m.startsWith(claim.id) ? m : `${claim.id}: ${m}`, 40));
            if (!interactive) io.stderr(`  ${m}`);
          },
        });
        results.push(result);
        bar.update(index + 1, `${claim.id} ${result.passed ? "holds" : "FAILS"}`);
        if (!interactive) {
          io.stderr(
            `[${claim.id}] ${result.passed ? "holds" : "FAILS"} in ${result.seconds.toFixed(1)} s`,
          );
        }
      }
    }
  } finally {
    bar.stop();
    backend?.dispose();
  }
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
  const seconds = (performance.now() - started) / 1000;
  const ids = claims.map((c) => c.id);
  const config = resolvedConfig(parsed, ids, device.name);
  const passed = results.every((r) => r.passed);
  if (v.json) {
    io.stdout(
      toJson({
        ...recordHeader("verify", config, device, replayCommand("verify", VERIFY_FLAGS, config)),
        size,
        seed,
        seconds,
        passed,
        claims: results.map((r) => ({ ...r, parts: r.parts.map(partRecord) })),
      }),
    );
  } else if (v.markdown) {
    io.stdout(formatClaimMarkdown(results));
    io.stdout(summarizeClaims(results, seconds));
  } else {
    io.stdout(
      v.verbose || v.details
        ? formatClaimDetails(results, width)
        : formatClaimTable(results, width),
    );
    io.stdout(clip(summarizeClaims(results, seconds), width));
  }
  return passed ? 0 : 1;
}
