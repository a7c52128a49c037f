import assert from "node:assert/strict";
import {
  calibratedParts,
  calibrationSummary,
  calibrationTable,
  shifts,
} from "./docs_report_calibration.ts";
import { readRecords, recordNamed, RECORDS_DIR } from "./docs_records.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const records = await readRecords(`${ROOT}${RECORDS_DIR}`);

Deno.test("calibration: a row per part, one claim's rows, shifts and the summary", () => {
  const parts = calibratedParts(records);
  assert.deepEqual(shifts(parts), [1, 2, 4]);
  const rows = calibrationTable(records).split("\n").length - 2;
  assert.equal(rows, parts.length);
  const c7 = calibrationTable(records, "C7").split("\n").slice(2);
  assert.ok(c7.length > 0 && c7.every((row) => row.startsWith("| C7 |")));
  assert.match(calibrationSummary(records), /exceeds nominal \+ 3 binomial SE: none\./);
  assert.throws(() => calibrationTable(records, "C99"), /no part of C99/);
  // A claim calibrated on its own reads its own record.
  const own = calibrationTable(records, "C12", "calibration-c12").split("\n").slice(2);
  assert.ok(own.length >= 5 && own.every((row) => row.startsWith("| C12 ")), own.join("\n"));
  assert.throws(
    () => calibrationTable(records, "C7", "calibration-c12"),
    /calibration-c12 has no part of C7/,
  );
});

Deno.test("control: a part whose size exceeds its nominal is named", () => {
  const record = structuredClone(recordNamed(records, "calibration"));
  const data = record.data as { sizeWithinNominal: boolean; claim: string; part: string }[];
  data[0].sizeWithinNominal = false;
  const summary = calibrationSummary(new Map(records).set("calibration", record));
  assert.match(
    summary,
    new RegExp(`exceeds nominal \\+ 3 binomial SE: ${data[0].claim} \`${data[0].part}\``),
  );
});
