import assert from "node:assert/strict";
import {
  untiedRows,
  untiedSummary,
  untiedTable,
  untiedTrainedTable,
} from "./docs_report_untied.ts";
import { readRecords, recordNamed, RECORDS_DIR } from "./docs_records.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const records = await readRecords(`${ROOT}${RECORDS_DIR}`);

Deno.test("untied tables: a row per depth; the summary names the gaining depths", () => {
  const rows = untiedRows(records);
  assert.equal(untiedTable(records).split("\n").length - 2, rows.length);
  assert.match(untiedTable(records), /— \(B unused\)/);
  assert.match(untiedSummary(records), /^- Settings: d = 4, N = 2000/);
  assert.match(untiedTrainedTable(records, "untied-paper-loss"), /at L_te = 100/);
  assert.match(
    untiedSummary(records, "untied-paper-loss", "trained"),
    /tied model trained on the same loss/,
  );
});

Deno.test("control: a depth whose untied excess is far below the tied one is listed as a gain", () => {
  const record = structuredClone(recordNamed(records, "untied"));
  const data = record.data as {
    depth: number;
    difference: { mean: number; standardError: number };
  }[];
  const last = data.at(-1)!;
  last.difference = { mean: -1, standardError: 0.01 };
  const summary = untiedSummary(new Map(records).set("untied", record));
  assert.match(summary, new RegExp(`more than 5 paired SE: T = [\\d, ]*${last.depth};`));
});
