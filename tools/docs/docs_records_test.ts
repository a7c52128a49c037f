import assert from "node:assert/strict";
import {
  asRecord,
  readRecords,
  RECORD_SCHEMA,
  recordNamed,
  RECORDS_DIR,
  recordText,
} from "./docs_records.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

const GOOD = {
  schema: RECORD_SCHEMA,
  name: "x",
  command: "npx -y deno@2.9.6 run -A mod.ts population --json",
  commit: "0".repeat(40),
  source: "a test",
  created: "2026-12-07T00:00:00.000Z",
  data: {},
};

Deno.test("every committed record is well formed", async () => {
  const records = await readRecords(`${ROOT}${RECORDS_DIR}`);
  assert.ok(records.size > 0);
  for (const [name, record] of records) {
    assert.equal(recordText(record), await Deno.readTextFile(`${ROOT}${RECORDS_DIR}/${name}.json`));
  }
});

Deno.test("asRecord names the field that is missing or wrong (controls)", () => {
  assert.equal(asRecord("x", GOOD).name, "x");
  assert.throws(() => asRecord("x", []), /not a JSON object/);
  assert.throws(() => asRecord("x", { ...GOOD, command: "" }), /"command" must be/);
  assert.throws(() => asRecord("x", { ...GOOD, name: "y" }), /the file's name/);
  assert.throws(() => asRecord("x", { ...GOOD, commit: "abc1234" }), /full 40-digit/);
  assert.throws(() => asRecord("x", { ...GOOD, created: "yesterday" }), /ISO 8601/);
  assert.throws(() => asRecord("x", { ...GOOD, schema: "other" }), /schema must be/);
  const { data: _, ...noData } = GOOD;
  assert.throws(() => asRecord("x", noData), /"data" is missing/);
  assert.throws(() => recordNamed(new Map(), "nope"), /no record nope/);
});
