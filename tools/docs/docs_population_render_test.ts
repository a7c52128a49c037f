import assert from "node:assert/strict";
import {
  populationConstants,
  populationRecords,
  populationTable,
} from "./docs_population_render.ts";
import { readRecords, recordNamed, RECORDS_DIR } from "./docs_records.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const records = await readRecords(`${ROOT}${RECORDS_DIR}`);

Deno.test("population: constants of the default task and a row per recorded depth", () => {
  assert.match(
    populationConstants(records),
    /^For s ~ uniform\[0\.5, 4\] and sigma = 0\.1: alpha\* = 0\.30769,/,
  );
  const rows = populationTable(records).split("\n").slice(2);
  assert.equal(rows.length, populationRecords(records).length);
  assert.match(rows[0], /^\| 1 \| .*\(beta unused\)/);
  // Control: an empty record is refused.
  const empty = { ...recordNamed(records, "population"), data: [] };
  assert.throws(() => populationTable(new Map(records).set("population", empty)), /not a list/);
});
