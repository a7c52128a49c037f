/**
 * The cheap committed records are re-run from their recipes on the tree as it is (in CI, a
 * clean clone) and must reproduce their data exactly, timings aside: a number in the docs that
 * a run no longer gives fails here, not only when someone remakes the record.
 *
 * @module
 */

import assert from "node:assert/strict";
import { makeRecord } from "./docs_record_make.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

/** The records cheap enough to re-run in CI (seconds each). */
const CHEAP_RECORDS = ["population", "verify-quick"] as const;

/** Keys whose values are wall-clock measurements, not results. */
const TIMING_KEY = /^(seconds|elapsed|wallSeconds|timings?|ms)$/;

/** A JSON value with every timing field removed, at any depth. */
function withoutTimings(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTimings);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).filter(([key]) => !TIMING_KEY.test(key)).map((
      [key, inner],
    ) => [key, withoutTimings(inner)]),
  );
}

for (const name of CHEAP_RECORDS) {
  Deno.test(`the committed ${name} record is what its command gives now (timings aside)`, async () => {
    const committed = JSON.parse(await Deno.readTextFile(`${ROOT}docs/records/${name}.json`));
    const fresh = await makeRecord(ROOT, name, true);
    assert.deepEqual(withoutTimings(fresh.data), withoutTimings(committed.data));
  });
}

Deno.test("withoutTimings drops timing fields only; a changed result still differs (control)", () => {
  const record = { seconds: 3, claims: [{ id: "C1", seconds: 1, passed: true, value: 0.5 }] };
  assert.deepEqual(withoutTimings(record), { claims: [{ id: "C1", passed: true, value: 0.5 }] });
  const moved = { ...record, claims: [{ ...record.claims[0], value: 0.51, seconds: 9 }] };
  assert.notDeepEqual(withoutTimings(moved), withoutTimings(record));
});
