import assert from "node:assert/strict";
import { gradientDescentAtTime, gradientFlow } from "./gradient_flow.ts";

// A stiff quadratic l = (theta_1^2 + 1e-10 theta_2^2)/2 has theta(t) = theta_0 e^{-h t}.
const H = [1, 1e-10];
const quadratic = (theta: Float64Array) => ({
  loss: 0.5 * (H[0] * theta[0] ** 2 + H[1] * theta[1] ** 2),
  gradient: new Float64Array([H[0] * theta[0], H[1] * theta[1]]),
});

Deno.test("gradient flow: stiff quadratic to t = 1e10 against the exact solution", () => {
  const r = gradientFlow(quadratic, new Float64Array([1, 1]), {
    time: 1e10,
    outputTimes: [1, 1e10],
    relativeTolerance: 1e-10,
    absoluteTolerance: 1e-14,
  });
  // Local error control at 1e-10: a global error of 1e-7 relative over O(1e3) steps.
  assert.ok(Math.abs(r.outputs[0].parameters[0] - Math.exp(-1)) <= 1e-7 * Math.exp(-1));
  assert.ok(Math.abs(r.outputs[1].parameters[1] - Math.exp(-1)) <= 1e-7 * Math.exp(-1));
  assert.ok(Math.abs(r.outputs[1].parameters[0]) <= 1e-14);
  // L-stability: the 1e10 horizon takes few steps once the fast component has decayed.
  assert.ok(r.accepted < 20000, `accepted ${r.accepted}`);
});

Deno.test("gradient flow control: a flow on the wrong curvature misses the exact solution", () => {
  const wrong = (theta: Float64Array) => ({
    loss: 0,
    gradient: new Float64Array([1.001 * theta[0], H[1] * theta[1]]),
  });
  const r = gradientFlow(wrong, new Float64Array([1, 1]), { time: 1, relativeTolerance: 1e-10 });
  assert.ok(Math.abs(r.parameters[0] - Math.exp(-1)) > 1e-7 * Math.exp(-1));
});

Deno.test("gradient descent at matched time: error O(eta) on the quadratic", () => {
  const exact = Math.exp(-1);
  const e1 = Math.abs(
    gradientDescentAtTime(quadratic, new Float64Array([1, 1]), 0.01, 1)[0] - exact,
  );
  const e2 = Math.abs(
    gradientDescentAtTime(quadratic, new Float64Array([1, 1]), 0.005, 1)[0] - exact,
  );
  // (1 - eta)^{1/eta} = e^{-1} (1 - eta/2 + O(eta^2)): halving eta halves the error.
  assert.ok(Math.abs(e1 / e2 - 2) < 0.02, `ratio ${e1 / e2}`);
});

Deno.test("gradient flow on the empirical Bayes-target loss reaches the full-batch descent's minimiser", async () => {
  const { samplePromptStatistics } = await import("../model/prompt_statistics.ts");
  const { empiricalBayesTwoParameter } = await import("./flow_objectives.ts");
  const { train } = await import("./training.ts");
  const depth = 3;
  const stats = samplePromptStatistics({ prompts: 500, context: Infinity, seed: 3 });
  const f = empiricalBayesTwoParameter(stats, depth);
  const flow = gradientFlow(f.objective, new Float64Array([0.2, -0.2]), {
    time: 1e30,
    relativeTolerance: 1e-10,
    absoluteTolerance: 1e-14,
  });
  const gd = train({
    model: "lca2",
    depth,
    prompts: 500,
    context: Infinity,
    target: "bayes",
    seed: 3,
    steps: 5000,
    testPrompts: 2,
  });
  if (gd.parameters.model !== "lca2") throw new Error("unreachable");
  // Both reach a stationary point of the same loss: the gradient is at rounding level, and the
  // two minimisers agree to 1e-6 (the loss is strictly convex near its minimum at T = 3).
  assert.ok(flow.gradientNorm < 1e-12, `flow gradient ${flow.gradientNorm}`);
  assert.ok(
    Math.hypot(
      flow.parameters[0] - gd.parameters.lca.alpha,
      flow.parameters[1] - gd.parameters.lca.beta,
    ) < 1e-6,
    `flow ${
      Array.from(flow.parameters)
    } vs descent ${gd.parameters.lca.alpha}, ${gd.parameters.lca.beta}`,
  );
});
