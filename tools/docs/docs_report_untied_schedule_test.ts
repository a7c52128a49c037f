import assert from "node:assert/strict";
import {
  scheduleRows,
  untiedSchedulePrompts,
  untiedScheduleSummary,
  untiedScheduleTable,
} from "./docs_report_untied_schedule.ts";
import { readRecords, recordNamed, type Records, RECORDS_DIR } from "./docs_records.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const records = await readRecords(`${ROOT}${RECORDS_DIR}`);
const NAME = "untied-every-depth";

/** The record with its rows changed by `edit`. */
function edited(edit: (rows: ReturnType<typeof scheduleRows>) => void): Records {
  const record = structuredClone(recordNamed(records, NAME));
  edit(record.data as ReturnType<typeof scheduleRows>);
  return new Map(records).set(NAME, record);
}

Deno.test("untied-schedule table: a row per depth with the record's numbers", () => {
  const rows = scheduleRows(records, NAME);
  const lines = untiedScheduleTable(records, NAME).split("\n");
  assert.equal(lines.length - 2, rows.length);
  const last = rows.at(-1)!;
  const cells = lines.at(-1)!.split("|").map((c) => c.trim());
  assert.equal(cells[1], String(last.depth));
  assert.equal(cells[7], (last.untied.excess / last.schedule.excess).toFixed(3));
  // A record without the schedule reference is refused (the shared sweep's).
  assert.throws(() => scheduleRows(records, "untied"), /has no schedule/);
});

Deno.test("untied-schedule summary: depths sorted by the paired difference and by training loss", () => {
  const summary = untiedScheduleSummary(records, NAME);
  assert.match(summary, /^- Settings: d = 4, N = 2000 training prompts/);
  assert.match(summary, /layerwise matrices, 6 starts per depth/);
  // Control: a depth made far below the schedule is listed as below it, and a training loss
  // raised above the schedule's moves its depth to "at or above".
  const changed = edited((rows) => {
    rows[0].schedule.difference = { mean: -1, standardError: 0.01 };
    rows[1].untied.trainLoss = 2 * rows[1].schedule.trainLoss;
  });
  const other = untiedScheduleSummary(changed, NAME);
  const first = scheduleRows(records, NAME)[0].depth, second = scheduleRows(records, NAME)[1].depth;
  assert.match(other, new RegExp(`below it by more than 5 paired SE at T = ${first};`));
  assert.match(other, new RegExp(`at or above it: T = [\\d, ]*${second}[,.]`));
  assert.notEqual(other, summary);
});

Deno.test("untied-schedule prompts: the common depths of two sizes, with the direction of the gap", () => {
  const text = untiedSchedulePrompts(records, NAME, `${NAME}-n8000`);
  const large = scheduleRows(records, `${NAME}-n8000`);
  assert.equal(text.split("\n").length, large.length);
  assert.match(text, /at N = 2000 and [\d.]+ at N = 8000/);
  // Control: a gap made larger at the larger size is reported as rising.
  const record = structuredClone(recordNamed(records, `${NAME}-n8000`));
  const rows = record.data as ReturnType<typeof scheduleRows>;
  rows[0].schedule.difference.mean = 1;
  const other = untiedSchedulePrompts(new Map(records).set(record.name, record), NAME, record.name);
  assert.match(other.split("\n")[0], / rises from /);
  assert.throws(() => untiedSchedulePrompts(records, NAME, "untied"), /has no schedule/);
});
