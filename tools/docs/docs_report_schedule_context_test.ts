import assert from "node:assert/strict";
import { scheduleContextTable } from "./docs_report_schedule_context.ts";
import { readRecords, recordNamed, RECORDS_DIR } from "./docs_records.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const records = await readRecords(`${ROOT}${RECORDS_DIR}`);

Deno.test("schedule-finite-context: per depth, one row per test context and the population", () => {
  const text = scheduleContextTable(records, "verify-full");
  assert.match(text, /^\| T \| L_te \| schedule excess \| tied excess \| schedule - tied/);
  const lines = text.split("\n");
  // Header, rule, then (3 contexts + population) per depth, for T = 4 and T = 10.
  assert.equal(lines.length, 2 + 2 * 4);
  assert.match(lines[2], /^\| +4 \| +64 \| \S+ ± \S+ \|/);
  assert.match(lines[5], /^\| +4 \| +inf \| /);
  assert.match(lines[9], /^\| +10 \| +inf \| /);
});

Deno.test("schedule-finite-context: a record without the measurement is refused, naming it", () => {
  const record = recordNamed(records, "verify-quick");
  const data = record.data as { claims: { id: string; details?: unknown }[] };
  const claims = data.claims.map((c) => (c.id === "C12" ? { ...c, details: undefined } : c));
  const without = new Map(records).set("verify-quick", { ...record, data: { ...data, claims } });
  assert.throws(
    () => scheduleContextTable(without, "verify-quick"),
    /record verify-quick: C12 has no details\.finiteContext/,
  );
  // Control: the committed record has it.
  assert.ok(scheduleContextTable(records, "verify-quick").length > 0);
});
