/** The text summary of a training run: header, trajectory, stop reason, parameters, risks. */
import assert from "node:assert/strict";
import { train } from "../training/training.ts";
import { describeTrainResult } from "./describe_train_result.ts";

const CPU = { name: "cpu", adapter: "CPU (float64)", precision: "float64", reason: "test" };

Deno.test("describeTrainResult: one line per fact, the parameters by model, warnings last", () => {
  const sizes = { prompts: 100, testPrompts: 20, steps: 30, context: 50, seed: 1 };
  const lca1 = describeTrainResult(train({ model: "lca1", depth: 3, ...sizes }), CPU, undefined, {
    illPosedTestContext: true,
    illPosedTrainContext: false,
    messages: ["warning: a test warning"],
  }).split("\n");
  assert.match(lca1[0], /^model lca1, depth T = 3, N = 100, L_tr = 50, target label$/);
  assert.equal(lca1[1], "backend cpu (CPU (float64), float64): test");
  assert.equal(lca1[2], "trajectory (step: loss | parameters):");
  assert.ok(lca1.some((l) => /^stopped after \d+ steps?: .*; converged: (yes|no)$/.test(l)));
  assert.ok(lca1.some((l) => /^final parameters: alpha = \S+ \(beta = -alpha\)$/.test(l)));
  assert.ok(lca1.some((l) => /^test risk \(20 prompts, L_te = 50\): \S+ ± \S+ \(SE\)$/.test(l)));
  assert.equal(lca1.at(-1), "warning: a test warning");
  const lca2 = describeTrainResult(train({ model: "lca2", depth: 2, ...sizes }), CPU);
  assert.match(lca2, /final parameters: alpha = \S+, beta = \S+, alpha\/\(-beta\) = \S+/);
  const lsa = describeTrainResult(train({ model: "lsa", ...sizes, steps: 5 }), CPU);
  assert.match(
    lsa,
    /final parameters: reduced Gamma \(least squares\): trace\/d = \S+; full p, K: \d+ weights/,
  );
  assert.match(lsa, /full-LSA train loss per init: /);
  assert.ok(
    lca1.some((l) =>
      /^excess given each prompt's task \(mean \(y_hat - f_Bayes\)\^2, no label noise\): \S+ ± \S+$/
        .test(l)
    ),
  );
  assert.doesNotMatch(lca2, /population excess/, "only the schedules report E_T");
});

Deno.test("describeTrainResult: the schedules' steps per layer and their population excess", () => {
  const sizes = { prompts: 100, testPrompts: 20, steps: 30, context: 50, seed: 1, depth: 3 };
  const one = describeTrainResult(train({ model: "lca-schedule", ...sizes }), CPU);
  assert.match(
    one,
    /^final parameters: alpha_t = \[\S+, \S+, \S+\] \(beta_t = -alpha_t\), layer 1 first$/m,
  );
  assert.match(
    one,
    /^population excess E_T \(L -> inf\) of the trained steps: \S+; optimal schedule \S+, tied alpha_T \S+$/m,
  );
  const two = describeTrainResult(train({ model: "lca2-schedule", ...sizes }), CPU);
  assert.match(two, /^final parameters: alpha_t = \[\S+, \S+, \S+\], beta_t = \[\S+, \S+, \S+\]$/m);
  // Control: the regression family has no spike law, so no population excess.
  const regression = train({ model: "lca-schedule", ...sizes, family: "regression" });
  assert.equal(regression.populationExcess, undefined);
  assert.doesNotMatch(describeTrainResult(regression, CPU), /population excess/);
});

Deno.test("describeTrainResult: the softmax models' alpha, beta, tau (per layer for sca-layerwise)", () => {
  const sizes = { prompts: 40, testPrompts: 10, steps: 10, context: 12, seed: 1, depth: 2 };
  const sca = describeTrainResult(train({ model: "sca-centred", ...sizes }), CPU);
  assert.match(
    sca,
    /^final parameters: alpha = \S+, beta = \S+, tau = \S+ \(W_V = beta\/tau = \S+; attention centred, A_t - x_bar\)$/m,
  );
  const layerwise = describeTrainResult(train({ model: "sca-layerwise", ...sizes }), CPU);
  assert.match(
    layerwise,
    /^final parameters: alpha_t = \[\S+, \S+\], beta_t = \[\S+, \S+\], tau_t = \[\S+, \S+\], layer 1 first$/m,
  );
});
