/**
 * `verify` through the worker pool: runs the claims with `--jobs 2` and `--jobs 1`
 * (alternated, `--reps` pairs), reports both wall times and their ratio, and checks that
 * the results are identical apart from `seconds`. Not run in CI (minutes at full size).
 *
 * Run: `deno run -A bench/verify_jobs.ts [--full] [--reps 1] [--seed 0]`
 *
 * @module
 */

import { parseArgs } from "node:util";
import { runClaimsInWorkers } from "../src/claims/parallel.ts";
import type { ClaimResult } from "../src/claims/claim_result.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    full: { type: "boolean", default: false },
    reps: { type: "string", default: "1" },
    seed: { type: "string", default: "0" },
  },
});
const size = values.full ? "full" : "quick";
const seed = Number(values.seed);
const strip = (r: ClaimResult[]) => JSON.stringify(r.map((c) => ({ ...c, seconds: 0 })));
const walls: Record<number, number[]> = { 1: [], 2: [] };
let reference: string | undefined;
for (let rep = 0; rep < Number(values.reps); rep++) {
  for (const jobs of [2, 1]) {
    const t = performance.now();
    const results = await runClaimsInWorkers(undefined, { size, seed }, jobs);
    walls[jobs].push((performance.now() - t) / 1000);
    const text = strip(results);
    if (reference === undefined) reference = text;
    else if (text !== reference) throw new Error(`results with --jobs ${jobs} differ`);
    if (!results.every((r) => r.passed)) throw new Error(`a claim fails with --jobs ${jobs}`);
  }
}
const min = (a: number[]) => Math.min(...a);
console.log(
  `verify --${size} --seed ${seed}: jobs 2 ${min(walls[2]).toFixed(1)} s, jobs 1 ${
    min(walls[1]).toFixed(1)
  } s (min of ${values.reps}), ratio ${
    (min(walls[2]) / min(walls[1])).toFixed(2)
  }; results identical apart from seconds`,
);
