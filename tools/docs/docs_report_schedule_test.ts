import assert from "node:assert/strict";
import { scheduleFloat32Table } from "./docs_report_schedule.ts";
import { readRecords, recordNamed, RECORDS_DIR } from "./docs_records.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const records = await readRecords(`${ROOT}${RECORDS_DIR}`);

Deno.test("schedule-float32: one row per law and depth at each recorded context", () => {
  const exact = scheduleFloat32Table(records, "Infinity");
  assert.match(
    exact,
    /^\| law \| T \| excess \(float64\) \| float32 floor \| rel\. error, descending/,
  );
  assert.match(exact, /\| uniform\[0\.5, 4\] \| 64 \|/);
  const lines = exact.split("\n").length;
  assert.equal(scheduleFloat32Table(records, "1024").split("\n").length, lines);
  // Controls: a context the record lacks, and a record without rows, are refused.
  assert.throws(() => scheduleFloat32Table(records, "7"), /no rows at context 7/);
  const empty = { ...recordNamed(records, "schedule-float32"), data: { rows: [] } };
  assert.throws(
    () => scheduleFloat32Table(new Map(records).set("schedule-float32", empty), "Infinity"),
    /not a list of rows/,
  );
});
