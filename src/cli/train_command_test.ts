/** `train` through `main`: records, stop reasons told truthfully, ill-posed contexts, WebGPU. */
import assert from "node:assert/strict";
import { mainJson, quietIo as capture } from "../../testkit/cli_capture.ts";
import { main } from "./main.ts";

Deno.test("train --json: --target bayes, --context inf, and no NaN anywhere", async () => {
  const io = capture();
  const code = await main([
    "train",
    "--model",
    "lca2",
    "--prompts",
    "200",
    "--context",
    "inf",
    "--target",
    "bayes",
    "--steps",
    "300",
    "--test-prompts",
    "200",
    "--json",
  ], io);
  assert.equal(code, 0, io.err.join("\n"));
  const text = io.out.join("\n");
  assert.ok(!text.includes("NaN") && !text.includes("null"), "no NaN/null in JSON");
  const json = JSON.parse(text);
  assert.equal(json.context, "inf"); // JSON has no Infinity
  assert.equal(json.target, "bayes");
  assert.equal(json.backend.name, "cpu");
  assert.equal(json.backend.adapter, "CPU (float64)");
  assert.ok(json.parameters.lca.alpha > 0);
});

Deno.test("train: the stop reason is told truthfully (flat loss at T = 100000 is not 'converged')", async () => {
  const args = ["train", "--model", "lca1", "--depth", "100000", "--prompts", "200"];
  const json = await mainJson(main, [...args, "--test-prompts", "50", "--steps", "20", "--json"]);
  assert.equal(json.stop.reason, "stagnation");
  assert.equal(json.converged, false);
  // control: the default problem converges on its Newton certificate, and says which rule
  const ok = capture();
  assert.equal(
    await main(["train", "--model", "lca1", "--prompts", "300", "--test-prompts", "50"], ok),
    0,
  );
  assert.match(
    ok.out.join("\n"),
    /stopped after \d+ steps: converged \(Newton step \|g\|\/H = .* <= 1e-10 \|theta\|.*\); converged: yes/,
  );
  // control: a step budget too small is a step cap, not convergence
  const cap = capture();
  assert.equal(
    await main([
      "train",
      "--model",
      "lca1",
      "--prompts",
      "300",
      "--test-prompts",
      "50",
      "--steps",
      "2",
    ], cap),
    0,
  );
  assert.match(cap.out.join("\n"), /step-cap \(step budget --steps 2 used up/);
  assert.match(cap.out.join("\n"), /converged: no/);
});

Deno.test("train: an ill-posed test context is flagged in text and JSON; a well-posed one is not", async () => {
  const base = ["train", "--model", "lca1", "--prompts", "300", "--test-prompts", "60"];
  const text = capture();
  assert.equal(await main([...base, "--test-context", "5"], text), 0);
  assert.match(text.out.join("\n"), /warning: test context L_te = 5 <= d \+ 1 = 5/);
  const json = await mainJson(main, [...base, "--test-context", "5", "--json"]);
  assert.equal(json.illPosedTestContext, true);
  const record = await mainJson(main, [...base, "--test-context", "6", "--json"]);
  assert.equal(record.illPosedTestContext, false);
  assert.deepEqual(record.warnings, []);
});

const webgpuAdapter = "gpu" in navigator ? await navigator.gpu.requestAdapter() : null;
Deno.test({
  name: "train --backend webgpu: a float32 run says it stopped at the noise floor, not 'converged'",
  ignore: webgpuAdapter === null && Deno.env.get("ICL_REQUIRE_WEBGPU") !== "1",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const args = ["train", "--model", "lca2", "--backend", "webgpu", "--prompts", "500"];
    const json = await mainJson(main, [...args, "--test-prompts", "100", "--json"]);
    assert.equal(json.backend.precision, "float32");
    assert.equal(json.stop.reason, "float32-noise-floor", json.stop.rule);
    assert.equal(json.converged, false);
    assert.equal(json.config.backend, "webgpu");
  },
});

Deno.test("train --sampler: a bad value exits 2 naming --sampler; the replay keeps the sampler", async () => {
  const bad = capture();
  assert.equal(await main(["train", "--model", "lca2", "--sampler", "bartlett"], bad), 2);
  assert.match(bad.err.join("\n"), /--sampler/);
  const args = ["train", "--model", "lca2", "--prompts", "200", "--steps", "20", "--sampler"];
  const json = await mainJson(main, [...args, "tokens", "--test-prompts", "50", "--json"]);
  assert.equal(json.config.sampler, "tokens");
  assert.match(json.replay, /--sampler tokens/);
});

/** Final (alpha, beta) of `train --json` with `args` on `backend`. */
async function trainedLca(args: string[], backend: string): Promise<[number, number]> {
  const lca = (await mainJson(main, [...args, "--backend", backend, "--json"])).parameters.lca;
  return [lca.alpha, lca.beta];
}

Deno.test({
  name: "train --backend cpu and webgpu, same seed: parameters within 1e-3 for both samplers",
  ignore: webgpuAdapter === null && Deno.env.get("ICL_REQUIRE_WEBGPU") !== "1",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    // The command (acceptance: within 1e-3; props/webgpu_sampler_parity_test.ts
    // measures the difference and has the controls).
    const base = ["train", "--model", "lca2", "--depth", "10", "--prompts", "2000"];
    const rest = ["--context", "100", "--steps", "200", "--seed", "7", "--test-prompts", "200"];
    const gap = (a: number[], b: number[]) =>
      Math.max(Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1]));
    const runs: Record<string, number[]> = {};
    for (const sampler of ["exact", "tokens"]) {
      const args = [...base, ...rest, "--sampler", sampler];
      runs[`cpu ${sampler}`] = await trainedLca(args, "cpu");
      runs[`webgpu ${sampler}`] = await trainedLca(args, "webgpu");
      const diff = gap(runs[`cpu ${sampler}`], runs[`webgpu ${sampler}`]);
      assert.ok(diff <= 1e-3, `--sampler ${sampler}: parameters differ by ${diff}`);
    }
    // Control: different samplers on the two backends (the state the issue measured: the
    // prompts differ) give parameters more than 1e-3 apart.
    const control = gap(runs["cpu tokens"], runs["webgpu exact"]);
    assert.ok(control > 1e-3, `different samplers trained within ${control}`);
  },
});

Deno.test("train --model lca-schedule --depth 4 --context inf --target bayes --json: the optimal excess within 2 SE (claim C12)", async () => {
  const run = async (model: string) => {
    const args = ["train", "--model", model, "--depth", "4", "--context", "inf"];
    return await mainJson(main, [...args, "--target", "bayes", "--json"]);
  };
  const json = await run("lca-schedule");
  const measured = json.conditionalTestExcess;
  const optimum = json.populationExcess.optimalSchedule;
  assert.ok(
    Math.abs(measured.mean - optimum) <= 2 * measured.standardError,
    JSON.stringify(measured),
  );
  assert.equal(json.parameters.schedule.alphas.length, 4);
  assert.equal(json.config["alphas-init"].split(",").length, 4);
  // Control: the tied model at the same depth stays well above the optimum.
  const tied = (await run("lca1")).conditionalTestExcess;
  assert.ok(tied.mean - optimum > 5 * tied.standardError, JSON.stringify(tied));
});
