import assert from "node:assert/strict";
import {
  logLogSlope,
  lowest,
  softmaxStudySummary,
  softmaxStudyTable,
} from "./docs_report_softmax_study.ts";
import { readRecords, recordNamed, RECORDS_DIR } from "./docs_records.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const records = await readRecords(`${ROOT}${RECORDS_DIR}`);

Deno.test("softmax-study: one row per test context and depth, from the record", () => {
  const text = softmaxStudyTable(records);
  assert.match(text, /^\| L_te \| T \| sca \| sca-centred \| lca2 \| optimal schedule \| lowest/);
  const lines = text.split("\n");
  // Header, rule, then 5 contexts x 4 depths.
  assert.equal(lines.length, 2 + 5 * 4);
  assert.match(lines[2], /^\| +16 \| +1 \| \S+ ± \S+ \|/);
  assert.match(lines[21], /^\| +256 \| +8 \| /);
  // The record says why every descent stopped.
  for (const line of lines.slice(2)) {
    assert.match(line, /\| (converged|stagnation|step-cap|float32-noise-floor)(, \S+){2} +\|$/);
  }
});

Deno.test("softmax-study: a record without cells is refused", () => {
  const record = recordNamed(records, "softmax-study");
  const without = new Map(records).set("softmax-study", { ...record, data: { cells: [] } });
  assert.throws(() => softmaxStudyTable(without), /record softmax-study has no cells/);
  // Control: the committed record renders.
  assert.ok(softmaxStudyTable(records).length > 0);
});

Deno.test("lowest: a clear winner by name, models within 2 combined SE joined", () => {
  const e = (mean: number, standardError: number) => ({ mean, standardError });
  assert.equal(lowest([["a", e(1, 0.1)], ["b", e(2, 0.1)]]), "a");
  assert.equal(lowest([["a", e(1, 0.1)], ["b", e(1.2, 0.1)], ["c", e(3, 0.1)]]), "a = b");
  // At T = 1 the four models of the record agree within their errors.
  assert.match(
    softmaxStudyTable(records).split("\n")[2],
    /\| (\S+ = ){3}\S+ +\|/,
  );
});

Deno.test("softmax-study summary: one line per depth above 1, computed from the record", () => {
  const text = softmaxStudySummary(records);
  const lines = text.split("\n");
  assert.equal(lines.length, 3);
  assert.match(lines[0], /^- T = 2: sca - lca2 = \S+ \(z \S+\) at L_te = 16 and /);
  // Control: a record where sca equals lca2 everywhere gives a zero gap and no slope.
  const record = recordNamed(records, "softmax-study");
  const data = record.data as { cells: { sca: unknown; lca2: unknown }[] };
  const cells = data.cells.map((c) => ({
    ...c,
    sca: { ...(c.sca as object), ...c.lca2 as object },
  }));
  const tied = new Map(records).set("softmax-study", { ...record, data: { ...data, cells } });
  assert.match(softmaxStudySummary(tied), /sca - lca2 = 0 \(z 0\) at L_te = 16.*log-slope NaN/);
});

Deno.test("logLogSlope: the exponent of a power law; NaN without two positive points", () => {
  assert.ok(Math.abs(logLogSlope([[1, 3], [2, 3 / 2], [8, 3 / 8]]) + 1) < 1e-12);
  assert.ok(Number.isNaN(logLogSlope([[1, 1], [2, -1]])));
});
