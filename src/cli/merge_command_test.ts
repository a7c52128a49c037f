/**
 * `merge` without Slurm: the parts of `calibrate`, `verify` and `sweep` run in this process
 * with `--shard I/N` merge into the record of the unsharded run, equal apart from timings;
 * the per-seed combination of calibrations equals `calibrate` over all seeds; bad merges are
 * one stderr line with exit code 2.
 *
 * @module
 */

import assert from "node:assert/strict";
import { Ajv } from "npm:ajv@^8";
import { captureIo } from "../../testkit/cli_capture.ts";
import { calibrate, type CalibratedClaim } from "../claims/calibrate.ts";
import type { ClaimPart } from "../claims/claim_part.ts";
import type { ClaimResult } from "../claims/claim_result.ts";
import type { CheckOptions } from "../claims/resolve_check.ts";
import { main } from "./main.ts";
import { MERGE_HELP, mergeCalibration, mergeParts } from "./merge_command.ts";
import { type PartKind, readPartRecord, withoutTimings } from "./shards.ts";

const SCHEMA_DIR = new URL("../../schemas/", import.meta.url);

/** The validator of `schemas/<name>.schema.json`. */
async function schema(name: string) {
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
  const text = await Deno.readTextFile(new URL(`${name}.schema.json`, SCHEMA_DIR));
  return ajv.compile(JSON.parse(text));
}

const PART_SCHEMA = await schema("part");

/** A claim whose parts pass or fail by seed and perturbation (one statistical part). */
function fakeClaim(id: string): CalibratedClaim {
  const part = (name: string, passed: boolean, statistical: boolean): ClaimPart => ({
    name,
    measured: "m",
    target: "t",
    margin: "e",
    passed,
    statistical,
    sense: statistical ? "at-most" : "rounding",
  });
  return {
    id,
    check: (options: CheckOptions = {}): Promise<ClaimResult> => {
      const seed = options.seed ?? 0;
      const k = options.perturb?.margins ?? 0;
      const parts = [
        part("stat", k === 0 ? seed % 3 !== 0 : k < 2 && seed % 2 === 0, true),
        part("exact", k === 0 || (seed + k) % 3 === 0, false),
      ];
      return Promise.resolve({
        id,
        title: id,
        statement: "",
        theorem: "",
        parts,
        passed: parts.every((p) => p.passed),
        seconds: 0.25 * (seed + 1),
        size: "quick",
        seed,
        backend: { name: "cpu", adapter: "test", precision: "float64" },
      });
    },
  };
}

Deno.test("mergeCalibration: per-seed calibrations combine into calibrate over all seeds", async () => {
  const claims = [fakeClaim("X1"), fakeClaim("X2")];
  const seeds = [0, 1, 2, 3, 4, 5, 6];
  const options = { margins: [1, 2, 4] };
  const whole = await calibrate(claims, { ...options, seeds });
  const perSeed = await Promise.all(
    seeds.map((seed) => calibrate(claims, { ...options, seeds: [seed] })),
  );
  const merged = mergeCalibration(perSeed);
  assert.deepEqual(withoutTimings("calibrate", merged), withoutTimings("calibrate", whole));
  assert.ok(whole.some((r) => r.falseFailures > 0 && r.detection.some((d) => d.rate > 0)));
  // Control: one seed left out changes the record, and the comparison sees it.
  assert.notDeepEqual(
    withoutTimings("calibrate", mergeCalibration(perSeed.slice(1))),
    withoutTimings("calibrate", whole),
  );
});

/** Runs the CLI in this process: exit code, stdout and stderr. */
async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo();
  const code = await main(args, io);
  return { code, out: io.out.join("\n"), err: io.err.join("\n") };
}

/** Runs `args` unsharded (`--json`) and in `count` shards, and merges the parts. */
async function shardedAndWhole(args: string[], count: number) {
  const whole = await run([...args, "--json"]);
  assert.equal(whole.code, 0, whole.err);
  const parts = [];
  for (let i = count - 1; i >= 0; i--) {
    const part = await run([...args, "--shard", `${i}/${count}`]);
    assert.equal(part.code, 0, part.err);
    parts.push({ name: `part-${i}`, part: readPartRecord(part.out, `part-${i}`) });
  }
  return { whole: JSON.parse(whole.out), parts, merged: mergeParts(parts) };
}

/** `value` with its first number (not a timing) increased by one. */
function bumpFirstNumber(value: unknown[]): unknown[] {
  let done = false;
  const bump = (v: unknown, key: string): unknown => {
    if (done) return v;
    if (typeof v === "number" && key !== "seconds") {
      done = true;
      return v + 1;
    }
    if (Array.isArray(v)) return v.map((x) => bump(x, ""));
    if (typeof v === "object" && v !== null) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, bump(x, k)]));
    }
    return v;
  };
  const out = value.map((v) => bump(v, ""));
  assert.ok(done, "a result holds a number");
  return out;
}

const CASES: [PartKind, string[], number][] = [
  ["calibrate", ["calibrate", "--quick", "--seeds", "0..4", "--claims", "C3,C4"], 3],
  ["verify", ["verify", "--quick", "--claims", "C3,C4,C7", "--jobs", "1"], 2],
  [
    "sweep",
    [
      "sweep",
      "untied",
      "--prompts",
      "40",
      "--test-prompts",
      "20",
      "--steps",
      "5",
      "--depths",
      "1,2,3",
    ],
    2,
  ],
];

for (const [kind, args, count] of CASES) {
  Deno.test(`merge: ${kind} in ${count} shards equals the unsharded record apart from timings`, async () => {
    const { whole, parts, merged } = await shardedAndWhole(args, count);
    assert.equal(merged.code, 0);
    for (const { part } of parts) {
      assert.ok(PART_SCHEMA(part), JSON.stringify(PART_SCHEMA.errors));
    }
    // Control: a part without a shard index fails the schema.
    assert.equal(PART_SCHEMA({ ...parts[0].part, shard: { count: count } }), false);
    if (kind !== "calibrate") {
      const validate = await schema(kind);
      assert.ok(validate(merged.record), JSON.stringify(validate.errors));
    }
    assert.deepEqual(withoutTimings(kind, merged.record), withoutTimings(kind, whole));
    // Control: a part whose first result has one number changed merges into another record.
    const [first, ...rest] = parts;
    const tampered = { ...first.part, results: bumpFirstNumber(first.part.results) };
    const changed = mergeParts([{ name: "tampered", part: tampered }, ...rest]);
    assert.notDeepEqual(withoutTimings(kind, changed.record), withoutTimings(kind, whole));
  });
}

Deno.test("merge: the command merges files; bad sets are one stderr line with exit code 2", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const base = ["calibrate", "--quick", "--seeds", "0..2", "--claims", "C3"];
    const write = async (name: string, args: string[]) => {
      const result = await run(args);
      assert.equal(result.code, 0, result.err);
      await Deno.writeTextFile(`${dir}/${name}`, result.out);
      return `${dir}/${name}`;
    };
    const p0 = await write("p0.json", [...base, "--shard", "0/2"]);
    const p1 = await write("p1.json", [...base, "--shard", "1/2"]);
    const other = await write("o1.json", [...base, "--margins", "1", "--shard", "1/2"]);
    const merged = await run(["merge", p1, p0, "--json"]);
    assert.equal(merged.code, 0, merged.err);
    const whole = await run([...base, "--json"]);
    assert.deepEqual(
      withoutTimings("calibrate", JSON.parse(merged.out)),
      withoutTimings("calibrate", JSON.parse(whole.out)),
    );
    const cases: [string[], RegExp][] = [
      [[p0], /^error: merge: shard 1\/2 missing/],
      [[p0, p1, p1], /^error: merge: shard 1\/2 is repeated/],
      [
        [p0, other],
        /^error: merge: .*o1.json and .*p0.json come from different runs \(their config.margins differ\)/,
      ],
      [[], /^error: merge needs the part records/],
      [[`${dir}/none.json`], /^error: merge could not read/],
      [["--seeds", p0], /^error: merge does not take --seeds|^error: .*--seeds/],
    ];
    for (const [files, message] of cases) {
      const bad = await run(["merge", ...files]);
      assert.equal(bad.code, 2, `${files}: ${bad.err}`);
      assert.match(bad.err, message);
      assert.equal(bad.out, "");
    }
    assert.equal((await run(["merge", "--help"])).out, MERGE_HELP);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--shard: bad values exit 2 naming --shard on every sharded command", async () => {
  for (const args of [["calibrate"], ["verify"], ["sweep", "untied"]]) {
    for (const bad of ["4/4", "x", "1"]) {
      const result = await run([...args, "--shard", bad]);
      assert.equal(result.code, 2, `${args} ${bad}`);
      assert.match(result.err, /^error: --shard must be I\/N/);
    }
  }
  const markdown = await run(["verify", "--shard", "0/2", "--markdown"]);
  assert.equal(markdown.code, 2);
  assert.match(markdown.err, /--shard prints a part record/);
});
