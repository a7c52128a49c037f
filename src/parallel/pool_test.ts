import assert from "node:assert/strict";
import { mapInWorkers, type PoolJob } from "./pool.ts";
import { samplePromptStatisticsInWorkers } from "./statistics_in_workers.ts";
import { runClaimsInWorkers } from "../claims/parallel.ts";
import { samplePromptStatistics } from "../model/prompt_statistics.ts";
import type { ClaimResult } from "../claims/claim_result.ts";

const fixture = new URL("./testdata/pool_fixture.ts", import.meta.url).href;

Deno.test("mapInWorkers: results in submission order, identical for 1, 2 and 3 workers", async () => {
  const jobs: PoolJob[] = Array.from({ length: 7 }, (_, i) => ({
    module: fixture,
    name: "slowSquare",
    args: [i, (7 - i) * 5],
  }));
  const one = await mapInWorkers<number>(jobs, { jobs: 1 });
  assert.deepEqual(one, [0, 1, 4, 9, 16, 25, 36]);
  assert.deepEqual(await mapInWorkers<number>(jobs, { jobs: 2 }), one);
  assert.deepEqual(await mapInWorkers<number>(jobs, { jobs: 3 }), one);
});

Deno.test("mapInWorkers: negative control, a job that depends on its worker differs", async () => {
  // callCount counts the calls seen by one module instance: in-process it counts every
  // job, in two workers each counts its own; the identity check must see that.
  const jobs: PoolJob[] = Array.from({ length: 4 }, () => ({
    module: fixture,
    name: "callCount",
    args: [],
  }));
  const one = await mapInWorkers<number>(jobs, { jobs: 1 });
  const two = await mapInWorkers<number>(jobs, { jobs: 2 });
  assert.notDeepEqual(two, one);
});

Deno.test("mapInWorkers: errors keep their class and message; bad jobs are rejected", async () => {
  const bad: PoolJob[] = [{ module: fixture, name: "fail", args: ["depth"] }];
  for (const jobs of [1, 2]) {
    await assert.rejects(
      () => mapInWorkers([...bad, ...bad], { jobs }),
      (e: unknown) => e instanceof RangeError && /depth must be positive/.test(e.message),
    );
  }
  await assert.rejects(
    () => mapInWorkers([{ module: fixture, name: "missing", args: [] }], { jobs: 1 }),
    TypeError,
  );
  await assert.rejects(() => mapInWorkers([], { jobs: 0 }), RangeError);
});

Deno.test("samplePromptStatisticsInWorkers: byte-identical to one thread", async () => {
  const options = { prompts: 37, context: 64, seed: 5, d1: 3, d2: 2 };
  const reference = samplePromptStatistics(options);
  for (const jobs of [1, 2, 3]) {
    const parallel = await samplePromptStatisticsInWorkers(options, jobs);
    for (const f of ["sigmaHat", "muHat", "meanY", "meanY2", "query", "strength"] as const) {
      assert.deepEqual(parallel[f], reference[f], `${f} differs with ${jobs} workers`);
    }
  }
  // Control: another seed is not identical.
  const other = await samplePromptStatisticsInWorkers({ ...options, seed: 6 }, 2);
  assert.notDeepEqual(other.sigmaHat, reference.sigmaHat);
});

const strip = (results: ClaimResult[]) => results.map((r) => ({ ...r, seconds: 0 }));

Deno.test("runClaimsInWorkers: --jobs 2 gives the results of --jobs 1 (apart from timings)", async () => {
  const ids = ["C3", "C6", "C7", "C2"];
  const messages: string[] = [];
  const one = await runClaimsInWorkers(ids, { size: "quick", seed: 0 }, 1);
  const two = await runClaimsInWorkers(ids, {
    size: "quick",
    seed: 0,
    onProgress: (id, m) => messages.push(`${id}: ${m}`),
  }, 2);
  assert.deepEqual(two.map((r) => r.id), ids);
  assert.deepEqual(strip(two), strip(one));
  assert.ok(two.every((r) => r.passed));
  assert.ok(messages.some((m) => m.startsWith("C2: ")), "progress is forwarded");
  // Control: another seed changes the measured numbers, and the comparison sees it.
  const other = await runClaimsInWorkers(["C2"], { size: "quick", seed: 1 }, 2);
  assert.notDeepEqual(strip(other), strip(one.slice(3)));
});
