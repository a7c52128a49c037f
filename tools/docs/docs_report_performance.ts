/**
 * The performance report and the figures' theory table, rendered from records: the
 * benchmarks of `deno bench --json` (record `performance`), the wall time of every recorded
 * command, and the comparisons of the committed figures (record `figures`).
 *
 * @module
 */

import { recordNamed, type Records } from "./docs_records.ts";
import { sig, table } from "./docs_markdown.ts";
import { relativeLink } from "./docs_claims_render.ts";

/** One benchmark of `deno bench --json`. */
export interface BenchResult {
  origin: string;
  group: string | null;
  name: string;
  baseline: boolean;
  results: { ok?: { n: number; min: number; max: number; avg: number; p75: number } }[];
}

/** The data of `deno bench --json`. */
export interface BenchData {
  runtime: string;
  cpu: string;
  benches: BenchResult[];
}

/** A duration in nanoseconds as text with a unit (ns, µs, ms, s). */
export function duration(ns: number): string {
  if (ns < 1e3) return `${sig(ns, 3)} ns`;
  if (ns < 1e6) return `${sig(ns / 1e3, 3)} µs`;
  if (ns < 1e9) return `${sig(ns / 1e6, 3)} ms`;
  return `${sig(ns / 1e9, 3)} s`;
}

function baselineOf(benches: readonly BenchResult[], bench: BenchResult): BenchResult | undefined {
  if (bench.group === null) return undefined;
  return benches.find((b) => b.group === bench.group && b.baseline);
}

/** The benchmark table: file, group, name, mean, min, and the baseline's mean over this one. */
export function benchTable(records: Records): string {
  const data = recordNamed(records, "performance").data as BenchData;
  const rows = data.benches.map((bench) => {
    const ok = bench.results[0]?.ok;
    const base = baselineOf(data.benches, bench)?.results[0]?.ok;
    const speedup = bench.baseline
      ? "(baseline)"
      : ok === undefined || base === undefined
      ? "-"
      : `${sig(base.avg / ok.avg, 3)}x`;
    return [
      `\`${bench.origin.split("/").slice(-2).join("/")}\``,
      bench.group ?? "-",
      bench.name,
      ok === undefined ? "failed" : duration(ok.avg),
      ok === undefined ? "-" : duration(ok.min),
      ok === undefined ? "-" : String(ok.n),
      bench.group === null ? "-" : speedup,
    ];
  });
  return [
    `Runtime: ${data.runtime}; CPU: ${data.cpu}.`,
    "",
    table(
      ["file", "group", "benchmark", "mean", "min", "iterations", "baseline mean / this mean"],
      rows,
      ["left", "left", "left", "right", "right", "right", "right"],
    ),
  ].join("\n");
}

/** One row of `bench/peers_compare.ts --json` (medians of alternated pairs, in seconds). */
interface PeerRow {
  case: string;
  jsSeconds: number;
  numpySeconds: number;
  ratio: number;
}

/**
 * The exact sampler against the numpy Bartlett peer (record `sampler-peers`): each size,
 * the medians of JS and numpy, their ratio, and whether it is at most 1 (issue 24's target).
 */
export function samplerPeersTable(records: Records): string {
  const data = recordNamed(records, "sampler-peers").data as { reps: number; rows: PeerRow[] };
  if (!Array.isArray(data.rows) || data.rows.length === 0) {
    throw new TypeError("record sampler-peers: no rows");
  }
  const rows = data.rows.map((row) => [
    row.case.replace(/^.*: (N=.*)$/, "$1"),
    duration(row.jsSeconds * 1e9),
    duration(row.numpySeconds * 1e9),
    sig(row.ratio, 2),
    row.ratio <= 1 ? "yes" : "no",
  ]);
  return [
    `Median of ${data.reps} alternated pairs (JS, numpy) per size, after a warm-up.`,
    "",
    table(
      ["size", "JS (exact sampler)", "numpy (Bartlett, 1 thread)", "JS / numpy", "at most 1"],
      rows,
      ["left", "right", "right", "right", "left"],
    ),
  ].join("\n");
}

/** The wall time and host of every record made by running its command. */
export function timingsTable(records: Records): string {
  const rows = [...records.values()]
    .filter((r) => r.wallSeconds !== undefined)
    .map((r) => [
      `\`${r.command}\``,
      `${sig(r.wallSeconds!, 3)} s`,
      r.created.slice(0, 10),
      r.host ?? "-",
    ]);
  return table(["command", "wall clock", "date", "host"], rows, ["left", "right", "left", "left"]);
}

/** Seconds of claim time per claim in the `verify` records, at CI and at full size. */
export function claimSecondsTable(records: Records): string {
  type Verify = { seconds: number; claims: { id: string; seconds: number }[] };
  const quick = recordNamed(records, "verify-quick").data as Verify;
  const full = recordNamed(records, "verify-full").data as Verify;
  const fullById = new Map(full.claims.map((c) => [c.id, c.seconds]));
  const rows = quick.claims.map((c) => [
    c.id,
    c.seconds.toFixed(1),
    fullById.has(c.id) ? fullById.get(c.id)!.toFixed(1) : "-",
  ]);
  const sum = (claims: Verify["claims"]) => claims.reduce((s, c) => s + c.seconds, 0).toFixed(1);
  rows.push(["**sum**", sum(quick.claims), sum(full.claims)]);
  rows.push(["**the command's own total**", quick.seconds.toFixed(1), full.seconds.toFixed(1)]);
  return table(["claim", "CI size (s)", "full size (s)"], rows, ["left", "right", "right"]);
}

/** One theory comparison of the figures' summary. */
interface Comparison {
  id: string;
  description: string;
  estimate: number;
  standardError: number;
  theory: number;
  z: number;
  holds: boolean;
  required: boolean;
}

/** The figures' agreement with theory: one row per comparison of the committed run. */
export function figuresComparisons(records: Records): string {
  const data = recordNamed(records, "figures").data as { comparisons: Comparison[] };
  const rows = data.comparisons.map((c) => [
    c.description,
    `${sig(c.estimate, 4)} ± ${sig(c.standardError, 2)}`,
    sig(c.theory, 4),
    sig(c.z, 3),
    c.required ? (c.holds ? "holds" : "**fails**") : "(information)",
  ]);
  return table(["comparison (run 0)", "estimate ± SE", "theory", "z", "verdict"], rows, [
    "left",
    "right",
    "right",
    "right",
    "left",
  ]);
}

/** The committed figures' sizes and stage timings. */
export function figuresTimings(records: Records): string {
  const data = recordNamed(records, "figures").data as {
    sizes: { name: string; prompts: number; trainContext: number; depth: number; runs: number };
    seconds: Record<string, number>;
    seed: number;
  };
  const s = data.sizes;
  const stages = Object.entries(data.seconds).map(([stage, seconds]) => [
    stage,
    seconds.toFixed(2),
  ]);
  return [
    `Sizes "${s.name}": N = ${s.prompts} training prompts, L_tr = ${s.trainContext}, ` +
    `T = ${s.depth}, ${s.runs} training runs, seed ${data.seed}.`,
    "",
    table(["stage", "seconds"], stages, ["left", "right"]),
  ].join("\n");
}

/** Every committed figure with its title and caption, as recorded; images link from `file`. */
export function figuresGallery(records: Records, file: string): string {
  const data = recordNamed(records, "figures").data as {
    figures: { id: string; title: string; svg: string }[];
    captions: Record<string, string>;
  };
  return data.figures.map((figure) =>
    [
      `### ${figure.title}`,
      "",
      `![${figure.title}](${relativeLink(file, `docs/figures/${figure.svg}`)})`,
      "",
      data.captions[figure.id] ?? "",
    ].join("\n")
  ).join("\n\n");
}
