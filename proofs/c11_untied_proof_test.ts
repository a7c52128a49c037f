import { C11_CLAIM } from "../src/claims/c11_untied.ts";
import { assertSnapshot } from "../testkit/snapshot.ts";
import assert from "node:assert/strict";
import { C11, checkC11 } from "../src/claims/c11_untied.ts";
import type { UntiedLcaParameters } from "../src/model/untied.ts";
import type { ClaimResult } from "../src/claims/claim_result.ts";
import {
  assertCaught,
  assertPowerControl,
  PROOF_SEED,
  stepParts,
} from "../testkit/proof_support.ts";

Deno.test(`${C11.id} report snapshot (seed 0, quick)`, (t) => assertSnapshot(t, C11_CLAIM));

/** The numbers captured by `pattern`'s groups in `text`. */
function numbers(text: string, pattern: RegExp): number[] {
  const match = pattern.exec(text);
  assert.ok(match, `${pattern} not in ${text}`);
  return match.slice(1).map(Number);
}

// The steps of the main proof below, one function each (in step order).

async function twoSidedPowerControl(): Promise<void> {
  assertPowerControl(
    await checkC11({ seed: PROOF_SEED, perturb: { part: "*", margins: 3 } }),
    3,
    {
      "rotation-invariance": /T=\d: loss difference \S+ ± \S+/,
      "depth-one-no-gain": /untied - tied excess = \S+ ± \S+/,
    },
  );
}

async function rotationPowerControl(): Promise<void> {
  const result = await checkC11({
    seed: PROOF_SEED,
    controls: { rotationPerturbation: 3, only: ["rotation-invariance"] },
  });
  assert.equal(result.parts.length, 1);
  assertCaught(result, "rotation-invariance");
  assert.match(result.parts[0].measured, /T=\d: loss difference \S+ ± \S+/);
}

async function depthOneGainControl(): Promise<void> {
  const result = await checkC11({
    seed: PROOF_SEED,
    controls: { perturbation: -3, only: ["depth-one-no-gain"] },
  });
  assert.equal(result.parts.length, 1);
  assertCaught(result, "depth-one-no-gain");
}

/** `main` is the unperturbed check, whose scalar parts the projection must keep. */
async function symmetricOnlyControl(main: ClaimResult): Promise<void> {
  const result = await checkC11({
    seed: PROOF_SEED,
    controls: { symmetricOnly: true, only: ["depth-three"] },
  });
  assert.deepEqual(result.parts.map((p) => p.name), [
    "gain-at-depth-three",
    "structure-at-depth-three",
  ]);
  assertCaught(result, "gain-at-depth-three");
  assertCaught(result, "structure-at-depth-three");
  // The projection removes the skew parts exactly and keeps the scalar parts.
  const [skewA, skewB] = numbers(result.parts[1].measured, /relative skew A (\S+), B (\S+);/);
  assert.ok(Math.abs(skewA) < 1e-12 && Math.abs(skewB) < 1e-12, result.parts[1].measured);
  const scalars = numbers(result.parts[1].measured, /tr A\/d (\S+), tr B\/d (\S+);/);
  assert.deepEqual(scalars, numbers(main.parts[3].measured, /tr A\/d (\S+), tr B\/d (\S+);/));
}

async function depthOneLossControl(): Promise<void> {
  const result = await checkC11({
    seed: PROOF_SEED,
    controls: { perturbation: 50, only: ["depth-one-no-gain"] },
  });
  assert.equal(result.parts.length, 1);
  assertCaught(result, "depth-one-no-gain");
}

Deno.test(`${C11.id} (${C11.theorem}): ${C11.statement}`, async (t) => {
  const main = await checkC11({ seed: PROOF_SEED });
  await stepParts(t, main);
  await t.step(
    "power control: the two-sided parts shifted by 3 of their margins fail (the gain at T = 3 " +
      "is far more than 4 margins above zero, and the structure thresholds are fixed, not " +
      "margins: their controls are the symmetric projection and the transforms below)",
    twoSidedPowerControl,
  );
  await t.step(
    "power control: the rotation comparison moved by 3 margins is caught",
    rotationPowerControl,
  );
  await t.step("power control: a gain of 3 margins at T = 1 is caught", depthOneGainControl);
  await t.step(
    "negative control: without the skew parts (A, B projected on symmetric) the gain at T = 3 is gone",
    () => symmetricOnlyControl(main),
  );
  // One condition of the structure at a time: each transform breaks exactly one of the four.
  const symmetricPart = (m: Float64Array, d: number) =>
    m.map((_, i) => (m[i] + m[(i % d) * d + Math.floor(i / d)]) / 2);
  const withTraceless = (m: Float64Array, d: number) => {
    const scalar = Array.from({ length: d }, (_, j) => m[j * d + j]).reduce((a, b) => a + b) / d;
    return m.map((v, i) => i === 0 ? v + 0.5 * scalar : i === d + 1 ? v - 0.5 * scalar : v);
  };
  const transforms: [string, (p: UntiedLcaParameters) => UntiedLcaParameters][] = [
    ["A symmetric", (p) => ({ ...p, a: symmetricPart(p.a, p.dim) })],
    ["B symmetric", (p) => ({ ...p, b: symmetricPart(p.b, p.dim) })],
    ["A with a symmetric traceless part", (p) => ({ ...p, a: withTraceless(p.a, p.dim) })],
    ["B with a symmetric traceless part", (p) => ({ ...p, b: withTraceless(p.b, p.dim) })],
  ];
  for (const [label, transform] of transforms) {
    await t.step(`negative control: ${label} fails structure-at-depth-three`, async () => {
      const result = await checkC11({
        seed: PROOF_SEED,
        controls: { transform, only: ["depth-three"] },
      });
      assertCaught(result, "structure-at-depth-three");
    });
  }
  await t.step(
    "negative control: a loss of 50 margins at T = 1 fails the upper side",
    depthOneLossControl,
  );
});
