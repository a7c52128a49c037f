import assert from "node:assert/strict";
import { fc, fcParameters } from "../../testkit/config.ts";
import {
  assertStatistical,
  bonferroniZ,
  checkClaimSteps,
  comparisonPart,
  lcaParameters,
  lsaParameters,
  meanAtLeast,
  meanAtMost,
  meanEquals,
  pairedDifferencePositive,
  sampleOptions,
  sizes,
  spikeLaws,
  supports,
  tasks,
} from "./mod.ts";
import { defineClaim } from "../claims/define.ts";
import { resolveSample } from "../model/task.ts";
import { validateSpikeLaw } from "../model/law.ts";

// Two values m - a, m + a: mean m, sample sd a sqrt(2), SE a exactly.
const pair = (m: number, a: number) => [m - a, m + a];

Deno.test("meanAtMost: holds just inside z SE, fails just outside (one-sided)", () => {
  const z = bonferroniZ(1);
  assert.ok(Math.abs(z - 5) < 1e-6, `z(1) = ${z}`);
  const inside = meanAtMost(pair(1, 0.1), 1 - 0.1 * z * (1 - 1e-9));
  const outside = meanAtMost(pair(1, 0.1), 1 - 0.1 * z * (1 + 1e-9));
  assert.equal(inside.passed, true, inside.message);
  assert.equal(outside.passed, false, outside.message);
  assert.match(outside.message, /violates mean <=/);
  // A mean far below the bound holds however small the SE.
  assert.equal(meanAtMost(pair(0, 1e-12), 1).passed, true);
});

Deno.test("meanAtLeast and meanEquals: margins on the right side", () => {
  const z = 5;
  assert.equal(meanAtLeast(pair(1, 0.1), 1 + 0.5 * (1 - 1e-9), { z }).passed, true);
  assert.equal(meanAtLeast(pair(1, 0.1), 1 + 0.5 * (1 + 1e-9), { z }).passed, false);
  assert.equal(meanEquals(pair(1, 0.1), 1 - 0.5 * (1 - 1e-9), { z }).passed, true);
  assert.equal(meanEquals(pair(1, 0.1), 1 + 0.5 * (1 + 1e-9), { z }).passed, false);
  assert.equal(meanEquals(pair(1, 0.1), 1 - 0.5 * (1 + 1e-9), { z }).passed, false);
  // The allowance widens the margin by exactly its value.
  assert.equal(meanEquals(pair(1, 0.1), 1.6 * (1 - 1e-12), { z, allowance: 0.1 }).passed, true);
  assert.equal(meanEquals(pair(1, 0.1), 1.6 * (1 + 1e-9), { z, allowance: 0.1 }).passed, false);
});

Deno.test("Bonferroni default: more comparisons widen the margin", () => {
  const one = meanAtMost(pair(1, 0.1), 0.4);
  const many = meanAtMost(pair(1, 0.1), 0.4, { comparisons: 1000 });
  assert.ok(many.z > one.z, `${many.z} > ${one.z}`);
  assert.equal(many.z, bonferroniZ(1000));
  // Bound 1 - 5.2 SE: fails at z(1) = 5 is false (fails), holds at z(1000) ~ 6.
  const bound = 1 - 0.1 * 5.2;
  assert.equal(meanAtMost(pair(1, 0.1), bound).passed, false);
  assert.equal(meanAtMost(pair(1, 0.1), bound, { comparisons: 1000 }).passed, true);
});

Deno.test("pairedDifferencePositive: the difference must clear z SE above zero", () => {
  // differences 0.5 ± 0.1 (SE 0.1): clears 5 SE = 0.5 only if mean > 0.5.
  const base = [0, 0];
  assert.equal(pairedDifferencePositive(pair(0.5 * (1 + 1e-9), 0.1), base, { z: 5 }).passed, true);
  assert.equal(pairedDifferencePositive(pair(0.5 * (1 - 1e-9), 0.1), base, { z: 5 }).passed, false);
  const part = comparisonPart("gap", pairedDifferencePositive(pair(1, 0.1), base, { z: 5 }));
  assert.equal(part.passed, true);
  assert.equal(part.sense, "at-least");
  assert.ok(Math.abs(part.targetValue! - 0.5) < 1e-12, `${part.targetValue}`);
  assert.equal(part.measuredValue, 1);
});

Deno.test("statistical assertions refuse what has no standard error", () => {
  assert.throws(() => meanAtMost([1], 2), { name: "RangeError", message: /at least 2 samples/ });
  assert.throws(() => meanAtMost([1, NaN], 2), { name: "RangeError", message: /finite/ });
  assert.throws(() => meanAtMost([1, 2], NaN), { name: "RangeError", message: /target/ });
  assert.throws(() => meanAtMost([1, 2], 1, { z: -1 }), { name: "RangeError", message: /^z/ });
  assert.throws(() => meanAtMost([1, 2], 1, { comparisons: 0 }), {
    name: "RangeError",
    message: /comparisons/,
  });
  assert.throws(() => pairedDifferencePositive([1, 2], [1]), {
    name: "RangeError",
    message: /second/,
  });
  assert.throws(() => assertStatistical(meanAtMost(pair(1, 0.01), 0)), {
    name: "AssertionError",
    message: /violates/,
  });
});

Deno.test("arbitraries respect their constraints and draw valid values", () => {
  fc.assert(
    fc.property(
      supports({ minLow: 1, maxLow: 2, minWidth: 0.5, maxWidth: 1 }),
      spikeLaws({ kinds: ["beta", "point"], minShape: 1, maxShape: 2 }),
      tasks({ maxModalityDim: 2, maxSigma: 0.2 }),
      sampleOptions({ maxPrompts: 3, maxContext: 5, infiniteContext: true }),
      lcaParameters({ tied: true, maxDepth: 4, maxMagnitude: 0.5 }),
      sizes({ maxDepth: 2 }),
      (support, law, task, sample, lca, size) => {
        assert.ok(support.low >= 1 && support.low <= 2, `low ${support.low}`);
        const width = support.high - support.low;
        assert.ok(width >= 0.5 - 1e-9 && width <= 1 + 1e-9, `width ${width}`);
        assert.ok(law.kind === "beta" || law.kind === "point");
        if (law.kind === "beta") assert.ok(law.a >= 1 && law.a <= 2 && law.b >= 1 && law.b <= 2);
        validateSpikeLaw(law);
        assert.ok(task.d1 <= 2 && task.d2 <= 2 && task.sigma <= 0.2);
        const resolved = resolveSample(sample);
        assert.ok(resolved.prompts <= 3);
        assert.ok(resolved.context === Infinity || resolved.context <= 5);
        assert.ok(lca.beta === -lca.alpha, `beta ${lca.beta} = -alpha ${lca.alpha}`);
        assert.ok(lca.depth <= 4 && Math.abs(lca.alpha) <= 0.5);
        assert.ok(size.depth <= 2 && size.prompts >= 1);
      },
    ),
    fcParameters(100),
  );
  const [lsa] = fc.sample(lsaParameters(3), { seed: 1, numRuns: 1 });
  assert.equal(lsa.p.length, 4);
  assert.equal(lsa.k.length, 12);
});

Deno.test("arbitraries reject impossible constraints, naming the field", () => {
  assert.throws(() => supports({ minLow: 2, maxLow: 1 }), {
    name: "RangeError",
    message: /minLow/,
  });
  assert.throws(() => supports({ minWidth: 0 }), { name: "RangeError", message: /minWidth/ });
  assert.throws(() => spikeLaws({ kinds: [] }), { name: "RangeError", message: /kinds/ });
  assert.throws(() => tasks({ maxModalityDim: 0 }), {
    name: "RangeError",
    message: /maxModalityDim/,
  });
  assert.throws(() => sampleOptions({ minPrompts: 5, maxPrompts: 2 }), {
    name: "RangeError",
    message: /minPrompts/,
  });
  assert.throws(() => lcaParameters({ maxMagnitude: NaN }), {
    name: "RangeError",
    message: /maxMagnitude/,
  });
});

Deno.test("checkClaimSteps reports each part as a step and fails the failing one", async (t) => {
  const claim = defineClaim({
    id: "T1",
    title: "two parts",
    theorem: "test",
    statement: "part a holds",
    parts: () => Promise.resolve([comparisonPart("a", meanEquals(pair(1, 0.1), 1))]),
  });
  const result = await checkClaimSteps(t, claim);
  assert.equal(result.parts.length, 1);
  assert.equal(result.passed, true);
});
