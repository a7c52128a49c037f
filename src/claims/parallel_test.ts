import assert from "node:assert/strict";
import { runClaimsInWorkers } from "./parallel.ts";
import { runClaimById } from "./claim_job.ts";
import { claimsOfModule } from "./claims.ts";
import type { ClaimResult } from "./claim_result.ts";
import { setProgressSink } from "../parallel/worker_progress.ts";
import * as fixture from "./testdata/echo_claims.ts";

const MODULE_URL = new URL("./testdata/echo_claims.ts", import.meta.url).href;
const REGISTRY = claimsOfModule(fixture);
const strip = (results: ClaimResult[]) => results.map((r) => ({ ...r, seconds: 0 }));

Deno.test("runClaimsInWorkers: a module's claims, options passed to every worker, results in id order", async () => {
  for (const jobs of [1, 2]) {
    const progress: string[] = [];
    const seen: string[] = [];
    const results = await runClaimsInWorkers(["z2", "z1"], {
      size: "full",
      seed: 11,
      paths: { echo: "3:1" },
      claimsModule: "echo_claims.ts",
      moduleUrl: MODULE_URL,
      registry: REGISTRY,
      onProgress: (id, message) => progress.push(`${id}: ${message}`),
      onResult: (result) => seen.push(result.id),
    }, jobs);
    assert.deepEqual(results.map((r) => r.id), ["z2", "Z1"], `jobs ${jobs}`);
    assert.deepEqual(results.map((r) => r.passed), [false, true]);
    assert.deepEqual(results[1].details, {
      size: "full",
      seed: 11,
      paths: { echo: "3:1" },
      backend: "cpu",
      claimsModule: "echo_claims.ts",
    });
    assert.deepEqual(progress, ["Z1: seed 11"], "progress is forwarded with the claim's id");
    assert.deepEqual(seen.toSorted(), ["Z1", "z2"], "onResult is called once per claim");
    // The replay of the failing property names the claims module (default formatter).
    assert.match(
      results[0].parts[0].property?.replay ?? "",
      /verifyClaims\(\["Z2"\], \{ size: "full", seed: 11, paths: .*\}, await loadClaimsModule\("echo_claims.ts"\)\)/,
    );
  }
});

Deno.test("runClaimsInWorkers: formatReplay re-formats the replays of results from workers", async () => {
  const reported: string[] = [];
  const [result] = await runClaimsInWorkers(["Z2"], {
    moduleUrl: MODULE_URL,
    registry: REGISTRY,
    formatReplay: (spec) => `replay ${spec.claim} ${spec.seed} ${spec.part}`,
    onResult: (r) => reported.push(r.parts[0].property?.replay ?? "none"),
  }, 2);
  assert.equal(result.parts[0].property?.replay, "replay Z2 0 small");
  assert.deepEqual(reported, ["replay Z2 0 small"], "onResult sees the re-formatted replay");
});

Deno.test("runClaimsInWorkers: a registry without its moduleUrl is a TypeError", async () => {
  await assert.rejects(
    () => runClaimsInWorkers(["Z1"], { registry: REGISTRY }, 1),
    (e: unknown) =>
      e instanceof TypeError &&
      e.message === "moduleUrl must name the module the registry came from",
  );
  // Unknown ids are rejected before any worker starts.
  await assert.rejects(() => runClaimsInWorkers(["C99"], {}, 2), /got "C99"/);
});

Deno.test("runClaimsInWorkers: the longest claims start first (cost hints), results stay in id order", async () => {
  // One worker runs the jobs in schedule order, so onResult shows the schedule.
  const order = async (ids: string[], size: "quick" | "full") => {
    const seen: string[] = [];
    const results = await runClaimsInWorkers(ids, { size, onResult: (r) => seen.push(r.id) }, 1);
    assert.deepEqual(results.map((r) => r.id), ids);
    return seen;
  };
  // quick: C2 0.12 s before C3 0.04 s; C3 and C4 tie (0.04 s) and keep their order.
  assert.deepEqual(await order(["C3", "C2"], "quick"), ["C2", "C3"]);
  assert.deepEqual(await order(["C4", "C3"], "quick"), ["C4", "C3"]);
  // full: C4 0.31 s before C3 0.29 s (the full hints, not the quick ones).
  assert.deepEqual(await order(["C3", "C4"], "full"), ["C4", "C3"]);
  // Claims without a hint count 1 s each and keep their order among themselves (three
  // ties: a tie-break that is not by position would reorder some of them).
  for (const ids of [["z2", "Z1", "Z3"], ["Z3", "z2", "Z1"], ["Z1", "Z3", "z2"]]) {
    const seen: string[] = [];
    await runClaimsInWorkers(ids, {
      moduleUrl: MODULE_URL,
      registry: REGISTRY,
      onResult: (r) => seen.push(r.id.toUpperCase()),
    }, 1);
    assert.deepEqual(seen, ids.map((id) => id.toUpperCase()));
  }
});

Deno.test("runClaimById: built-in by default, a module's claim with moduleUrl, progress to the job's sink", async () => {
  const built = await runClaimById("c7", { seed: 2 });
  assert.equal(built.id, "C7");
  assert.equal(built.seed, 2);
  assert.equal(built.backend.name, "cpu");
  const lines: string[] = [];
  setProgressSink((m) => lines.push(m));
  try {
    const echo = await runClaimById("Z1", { moduleUrl: MODULE_URL, size: "full", seed: 4 });
    assert.equal(echo.details?.seed, 4);
    assert.equal(echo.details?.size, "full");
  } finally {
    setProgressSink(null);
  }
  assert.deepEqual(lines, ["seed 4"]);
  // Without moduleUrl a module's id is unknown.
  await assert.rejects(() => runClaimById("Z1", {}), RangeError);
});

Deno.test("runClaimById: backend webgpu creates a WebGPU backend in the job (llvmpipe in CI)", async () => {
  const echo = await runClaimById("Z1", { moduleUrl: MODULE_URL, backend: "webgpu" });
  assert.equal(echo.details?.backend, "webgpu");
  assert.equal(echo.backend.name, "webgpu");
  // Control: the default is the float64 CPU reference.
  const cpu = await runClaimById("Z1", { moduleUrl: MODULE_URL });
  assert.equal(cpu.details?.backend, "cpu");
});

Deno.test("runClaimsInWorkers: jobs 1 and 3 give the same results for a module's claims", async () => {
  const options = { seed: 5, moduleUrl: MODULE_URL, registry: REGISTRY };
  const one = await runClaimsInWorkers(["Z1", "Z2"], options, 1);
  const three = await runClaimsInWorkers(["Z1", "Z2"], options, 3);
  assert.deepEqual(strip(three), strip(one));
  // Control: another seed changes the echoed details.
  const other = await runClaimsInWorkers(["Z1"], { ...options, seed: 6 }, 1);
  assert.notDeepEqual(other[0].details, one[0].details);
});
