/**
 * Shards without Slurm: `--shard I/N` parsing (bad values name --shard), the partition of
 * work items (the blocks of 0..N-1, in order, are the items; sizes differ by at most one),
 * the part record's reading, and the checks that refuse parts that do not belong together.
 *
 * @module
 */

import assert from "node:assert/strict";
import fc from "npm:fast-check@^4";
import { fcParameters } from "../../testkit/config.ts";
import { UsageError } from "./options.ts";
import {
  checkParts,
  parseShard,
  type PartRecord,
  partRecord,
  readPartRecord,
  type Shard,
  shardItems,
  withoutFields,
  withoutTimings,
} from "./shards.ts";

Deno.test("parseShard: I/N with 0 <= I < N; anything else is a usage error naming --shard", () => {
  assert.deepEqual(parseShard("0/1"), { index: 0, count: 1 });
  assert.deepEqual(parseShard(" 3 / 4 "), { index: 3, count: 4 });
  for (const bad of ["4/4", "1/0", "-1/4", "1", "a/b", "1/4/2", "", "1.5/4", "0/100001"]) {
    assert.throws(
      () => parseShard(bad),
      (e: unknown) => e instanceof UsageError && /^--shard must be I\/N/.test(e.message),
      bad,
    );
  }
});

type Partition = (items: readonly number[], shard: Shard) => number[];

/** Whether the N blocks of `partition`, in order, are the items with sizes within one. */
function partitionHolds(partition: Partition): boolean {
  const property = fc.property(
    fc.array(fc.integer(), { maxLength: 60 }),
    fc.integer({ min: 1, max: 70 }),
    (items, count) => {
      const blocks = Array.from(
        { length: count },
        (_, index) => partition(items, { index, count }),
      );
      assert.deepEqual(blocks.flat(), items);
      const sizes = blocks.map((b) => b.length);
      assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `sizes ${sizes}`);
    },
  );
  return !fc.check(property, fcParameters(200)).failed;
}

Deno.test("shardItems: the N blocks, in order, are the items, sizes within one", () => {
  assert.ok(partitionHolds(shardItems));
  // Control: blocks that end at the ceiling overlap their neighbours, and the check says so.
  const overlapping: Partition = (items, { index, count }) =>
    items.slice(
      Math.floor(index * items.length / count),
      Math.ceil((index + 1) * items.length / count),
    );
  assert.equal(partitionHolds(overlapping), false);
});

/** The parts of a run over `work` in `count` shards, each result the item doubled. */
function partsOf(
  work: number[],
  count: number,
  config: Record<string, unknown> = { seed: 1, config: { jobs: 2 }, replay: "r" },
): { name: string; part: PartRecord }[] {
  return Array.from({ length: count }, (_, index) => {
    const items = shardItems(work, { index, count });
    const part = partRecord("sweep", config, work, { index, count }, items.map((i) => 2 * i), 1);
    return { name: `part-${index}.json`, part };
  });
}

Deno.test("checkParts: the N parts of one run, in any order, come back by index", () => {
  const parts = partsOf([5, 6, 7, 8, 9], 3);
  const ordered = checkParts([parts[2], parts[0], parts[1]]);
  assert.deepEqual(ordered.map((p) => p.shard.index), [0, 1, 2]);
  assert.deepEqual(ordered.flatMap((p) => p.results), [10, 12, 14, 16, 18]);
  // More shards than items: the empty shards are parts too.
  assert.equal(checkParts(partsOf([1], 3)).length, 3);
});

Deno.test("checkParts: parts that do not belong together are usage errors naming the problem", () => {
  const parts = partsOf([5, 6, 7, 8], 2);
  const other = partsOf([5, 6, 7, 8], 2, { seed: 2, config: { jobs: 2 }, replay: "r" });
  const fewer = partsOf([5, 6, 7, 8], 4);
  const longer = partsOf([5, 6, 7, 8, 9], 2);
  const wrongKind = { name: "v.json", part: { ...parts[1].part, kind: "verify" as const } };
  const tampered = { name: "t.json", part: { ...parts[1].part, items: [7, 9] } };
  const shortResults = { name: "s.json", part: { ...parts[1].part, results: [14] } };
  const cases: [{ name: string; part: PartRecord }[], RegExp][] = [
    [[], /got none/],
    [[parts[0]], /shard 1\/2 missing \(got 1 of 2 parts\)/],
    [[parts[0], parts[0], parts[1]], /shard 0\/2 is repeated \(part-0.json and part-0.json\)/],
    [[parts[0], other[1]], /different runs \(their config.seed differ\)/],
    [[parts[0], fewer[1]], /shard counts differ/],
    [[parts[0], longer[1]], /different runs \(their work differ\)/],
    [[parts[0], wrongKind], /v.json is a verify part but part-0.json is a sweep part/],
    [[parts[0], tampered], /t.json \(shard 1\/2\) does not hold its block/],
    [[parts[0], shortResults], /s.json \(shard 1\/2\) does not hold its block/],
  ];
  for (const [given, message] of cases) {
    assert.throws(
      () => checkParts(given),
      (e: unknown) => e instanceof UsageError && message.test(e.message),
      String(message),
    );
  }
});

Deno.test("checkParts: the execution fields (--jobs, replay) may differ between shards", () => {
  const parts = partsOf([5, 6, 7, 8], 2);
  const elsewhere = partsOf([5, 6, 7, 8], 2, { seed: 1, config: { jobs: 16 }, replay: "x" });
  assert.equal(checkParts([parts[0], elsewhere[1]]).length, 2);
  // Control: the same difference outside the execution fields is refused.
  const seedDiffers = partsOf([5, 6, 7, 8], 2, { seed: 1, config: { jobs: 2, d: 1 }, replay: "r" });
  assert.throws(() => checkParts([parts[0], seedDiffers[1]]), /config.config.d differ/);
});

Deno.test("readPartRecord: a written part reads back; other JSON is a usage error naming the file", () => {
  const [{ part }] = partsOf([1, 2], 1);
  assert.deepEqual(readPartRecord(JSON.stringify(part), "p.json"), part);
  const cases: [string, RegExp][] = [
    ["{", /p.json is not JSON/],
    ["[]", /p.json is not a part record: not a JSON object/],
    [JSON.stringify({ ...part, schema: "x" }), /schema must be icl-verify\/part\/1/],
    [JSON.stringify({ ...part, kind: "train" }), /kind must be one of calibrate, verify, sweep/],
    [JSON.stringify({ ...part, shard: { index: 2, count: 2 } }), /0 <= index < count/],
    [JSON.stringify({ ...part, results: {} }), /must be arrays/],
  ];
  for (const [text, message] of cases) {
    assert.throws(
      () => readPartRecord(text, "p.json"),
      (e: unknown) => e instanceof UsageError && message.test(e.message),
      String(message),
    );
  }
});

Deno.test("withoutTimings: drops exactly the named wall-clock fields", () => {
  const verify = { seconds: 2, passed: true, claims: [{ id: "C3", seconds: 1, parts: [] }] };
  assert.deepEqual(withoutTimings("verify", verify), {
    passed: true,
    claims: [{ id: "C3", parts: [] }],
  });
  assert.deepEqual(withoutTimings("calibrate", [{ part: "a", seconds: 1, runs: 2 }]), [
    { part: "a", runs: 2 },
  ]);
  // Control: another field is kept, so records that differ there still differ.
  assert.notDeepEqual(
    withoutTimings("sweep", { seconds: 1, rows: [1] }),
    withoutTimings("sweep", { seconds: 1, rows: [2] }),
  );
  assert.deepEqual(withoutFields({ a: { b: 1, c: 2 } }, [["a", "b"]]), { a: { c: 2 } });
});
