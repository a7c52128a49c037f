/** `population` through the real process: the documented keys and the reference values. */
import assert from "node:assert/strict";
import { runCliProcess } from "../../testkit/cli_capture.ts";

Deno.test("population --json prints the documented keys and the reference values", async () => {
  const r = await runCliProcess([
    "population",
    "--m-min",
    "0.5",
    "--m-max",
    "4",
    "--law",
    "uniform",
    "--depth",
    "10",
    "--sigma",
    "0.1",
    "--json",
  ]);
  assert.equal(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout);
  for (
    const key of [
      "alphaStar",
      "rhoStar",
      "bayesRisk",
      "gammaStar",
      "lsaGap",
      "alphaT",
      "excessAtAlphaT",
      "excessAtAlphaStar",
      "twoParam",
    ]
  ) {
    assert.ok(key in json, key);
  }
  const sig4 = (x: number) => Number(x.toPrecision(4));
  assert.equal(sig4(json.alphaStar), 0.3077);
  assert.equal(sig4(json.lsaGap), 0.04851);
  assert.equal(sig4(json.alphaT), 0.3000);
  assert.equal(sig4(json.twoParam.alpha), 0.3007);
  assert.equal(sig4(json.twoParam.beta), -0.3006);
  assert.equal(json.alphaStar.toFixed(6), "0.307692");
  // The optimal schedule beside the tied quantities (claim C12): largest step first, below
  // the tied optimum's excess and the Chebyshev bound.
  const schedule = json.schedule;
  assert.equal(schedule.alphas.length, 10);
  assert.equal(sig4(schedule.alphas[0]), 0.6434);
  assert.equal(sig4(schedule.alphas[9]), 0.2017);
  assert.equal(sig4(schedule.excess), 1.423e-11);
  assert.ok(schedule.excess < json.excessAtAlphaT && schedule.excess <= schedule.chebyshevBound);
  assert.equal(sig4(schedule.rate), 0.2922);
});

Deno.test("population prints the schedule rows in its text output", async () => {
  const r = await runCliProcess(["population", "--depth", "3"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^schedule\.alphas +0\.485457, 0\.288859, 0\.214279$/m);
  assert.match(r.stdout, /^schedule\.excess +3\.96063\d*e-4$/m);
  assert.match(r.stdout, /^schedule\.chebyshevBound +\S+$/m);
});
