import assert from "node:assert/strict";
import {
  benchTable,
  claimSecondsTable,
  duration,
  figuresComparisons,
  figuresGallery,
  figuresTimings,
  samplerPeersTable,
  timingsTable,
} from "./docs_report_performance.ts";
import { readRecords, RECORDS_DIR } from "./docs_records.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const records = await readRecords(`${ROOT}${RECORDS_DIR}`);

Deno.test("durations carry their unit", () => {
  assert.equal(duration(512), "512 ns");
  assert.equal(duration(74_012), "74 µs");
  assert.equal(duration(40_400_000), "40.4 ms");
  assert.equal(duration(2.5e9), "2.5 s");
});

Deno.test("performance tables: benchmarks against their baseline, command timings, claim seconds", () => {
  const bench = benchTable(records);
  assert.match(bench, /\(baseline\)/);
  assert.match(bench, /\| \d+(\.\d+)?x \|/);
  const timings = timingsTable(records);
  assert.match(
    timings,
    /`npx -y deno@2\.9\.6 run -A mod\.ts verify --quick --json` \| [\d.]+ s \|/,
  );
  assert.ok(!timings.includes("mutation_doc.py"), "an imported record has no wall time");
  assert.match(claimSecondsTable(records), /\| \*\*sum\*\* \|/);
});

Deno.test("figures: comparisons with verdicts, sizes and stages, a gallery with captions", () => {
  assert.match(figuresComparisons(records), /\| holds \|/);
  assert.match(figuresTimings(records), /^Sizes "full"/);
  const gallery = figuresGallery(records, "docs/guide/figures.md");
  assert.match(gallery, /!\[[^\]]+\]\(\.\.\/figures\/fig2_risk_vs_context\.svg\)/);
  assert.match(gallery, /Excess risk over the Bayes predictor/);
});

Deno.test("sampler peers: one row per size with both medians and their ratio; a bad record throws", () => {
  const text = samplerPeersTable(records);
  const data = records.get("sampler-peers")!.data as { rows: unknown[] };
  assert.equal(text.split("\n").filter((l) => l.startsWith("| N=")).length, data.rows.length);
  assert.match(
    text,
    /\| N=2000, L=100, d=2 \| [\d.]+ [µm]?s \| [\d.]+ [µm]?s \| [\d.]+ \| (yes|no) \|/,
  );
  // Control: a record without rows is an error, not an empty table.
  const empty = new Map(records).set("sampler-peers", {
    ...records.get("sampler-peers")!,
    data: { reps: 1, rows: [] },
  });
  assert.throws(() => samplerPeersTable(empty), /no rows/);
});
