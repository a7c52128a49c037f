import assert from "node:assert/strict";
import { SNAPSHOT_RELATIVE, snapshotDifference } from "../testkit/snapshot.ts";

Deno.test("snapshotDifference: numbers within 1e-12 relative, text and structure exactly", () => {
  const expected = { a: [1.5, { b: "text", c: 2e-300 }], d: null, e: true };
  const same = JSON.parse(JSON.stringify(expected));
  assert.equal(snapshotDifference(same, expected), null);
  // Within the tolerance: a change of half of it passes.
  same.a[0] = 1.5 * (1 + SNAPSHOT_RELATIVE / 2);
  assert.equal(snapshotDifference(same, expected), null);
  // Controls near the margin and beyond: each names the path that moved.
  same.a[0] = 1.5 * (1 + 3 * SNAPSHOT_RELATIVE);
  assert.match(snapshotDifference(same, expected)!, /^\$\.a\[0\]: /);
  same.a[0] = 1.5;
  same.a[1].b = "texT";
  assert.match(snapshotDifference(same, expected)!, /^\$\.a\[1\]\.b: "texT" vs "text"/);
  same.a[1].b = "text";
  same.a[1].c = 4e-300;
  assert.match(snapshotDifference(same, expected)!, /^\$\.a\[1\]\.c: /);
  same.a[1].c = 2e-300;
  delete same.e;
  assert.match(snapshotDifference(same, expected)!, /^\$\.e: missing/);
  same.e = true;
  same.f = 1;
  assert.match(snapshotDifference(same, expected)!, /^\$\.f: unexpected 1/);
  delete same.f;
  same.a.push(0);
  assert.match(snapshotDifference(same, expected)!, /^\$\.a: length 3 vs 2/);
  assert.match(snapshotDifference({ d: 0 }, { d: null })!, /^\$\.d: 0 vs null/);
});
