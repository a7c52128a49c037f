import assert from "node:assert/strict";
import { parseSpikeLaw, type SpikeLaw } from "../model/law.ts";
import { alphaStar } from "./population.ts";
import { oneParameterExcessScaled } from "./one_parameter_excess.ts";
import { optimalDepthStep, optimalDepthStepSearch } from "./optimal_depth_step.ts";
import { LAWS, referenceAlphaT, relClose, UNIFORM } from "../../testkit/population_reference.ts";

Deno.test("optimalDepthStep: agrees with an independent quadrature and 1-D search to 1e-6", () => {
  for (const [name, low, high] of LAWS) {
    const law = parseSpikeLaw(name, low, high);
    const what = (q: string) => `${name}[${low}, ${high}] ${q}`;
    for (const T of [1, 3, 10]) {
      const ref = referenceAlphaT(law, T);
      relClose(optimalDepthStep(law, T), ref, 1e-6, what(`alpha_${T}`));
    }
  }
});

Deno.test("optimalDepthStep: alpha_T = 1/(1+s) for a point mass", () => {
  const law = parseSpikeLaw("point:1.5", 0, 1);
  relClose(optimalDepthStep(law, 7), 1 / 2.5, 1e-12, "alpha_T");
});

Deno.test("optimalDepthStep: the reference computation itself is sensitive (negative control)", () => {
  assert.ok(Math.abs(optimalDepthStep(UNIFORM, 10) - referenceAlphaT(UNIFORM, 9)) > 1e-5);
});

Deno.test("optimalDepthStep: safeguarded Newton from alpha* reaches a bracketed root in few steps", () => {
  // E_T is convex in alpha, so Newton on dE/dalpha from alpha* converges; a Newton step that
  // leaves the bracket or is longer than half the step before last is replaced by bisection
  // (rtsafe). 1-26 steps measured for T = 1..1000 on these laws.
  const certify = (law: SpikeLaw, T: number, maxSteps: number, what: string) => {
    const search = optimalDepthStepSearch(law, T);
    const text = `${what} T=${T}: ${search.iterations} steps, stop ${search.stop}`;
    assert.equal(search.stop, "newton", text);
    assert.ok(search.iterations >= 1 && search.iterations <= maxSteps, text);
    assert.equal(optimalDepthStep(law, T), search.alpha);
    // The root is bracketed: dE/dalpha changes sign across alpha (1 -+ 1e-9).
    const slope = (alpha: number) => oneParameterExcessScaled(law, alpha, T).derivative;
    assert.ok(slope(search.alpha * (1 - 1e-9)) < 0 && slope(search.alpha * (1 + 1e-9)) > 0, text);
    return search.alpha;
  };
  for (const [name, low, high] of LAWS) {
    const law = parseSpikeLaw(name, low, high);
    for (const T of [1, 2, 3, 6, 10, 20, 50, 100, 1000]) certify(law, T, 30, name);
  }
  // Skewed laws on supports spanning 1e5, at T = 2000: E_T is a polynomial of degree 4000 and
  // plain Newton from alpha* shrinks its steps by ~1/4000 each (before the bisection fallback,
  // 500 steps ended 3.4% and 1.4% from the root, unreported); now 22 steps.
  for (const name of ["beta:0.3:5", "beta:1:20", "beta:5:0.3"]) {
    certify(parseSpikeLaw(name, 0.01, 1000), 2000, 60, `${name}[0.01, 1000]`);
  }
  // Control: the certificate rejects the old stall point (500 Newton steps, 0.0020712 against
  // the root 0.0020035): the slope is positive on both sides of it.
  const law = parseSpikeLaw("beta:0.3:5", 0.01, 1000);
  const slope = (alpha: number) => oneParameterExcessScaled(law, alpha, 2000).derivative;
  const stalled = 0.002071242591931053;
  assert.ok(slope(stalled * (1 - 1e-9)) > 0 && slope(stalled * (1 + 1e-9)) > 0);
  assert.ok(Math.abs(optimalDepthStep(law, 2000) / stalled - 1) > 0.03);
  // A point mass: E_T(alpha) = (1 - alpha (1 + s))^(2T) s/(1+s) has its root at alpha* exactly.
  assert.deepEqual(optimalDepthStepSearch(parseSpikeLaw("point:1.5", 0, 1), 5), {
    alpha: 1 / 2.5,
    iterations: 0,
    stop: "stationary",
  });
  // s = 0 almost surely: E_T is identically 0; alpha* is returned.
  assert.deepEqual(optimalDepthStepSearch(parseSpikeLaw("point:0", 0, 1), 5), {
    alpha: 1,
    iterations: 0,
    stop: "flat",
  });
});

Deno.test("optimalDepthStep: names in errors, s = 0 a.s.", () => {
  assert.throws(
    () => optimalDepthStep(UNIFORM, 0),
    /^RangeError: depth must be a positive integer/,
  );
  const zero = parseSpikeLaw("point:0", 0, 1);
  assert.equal(optimalDepthStep(zero, 3), alphaStar(zero));
});
