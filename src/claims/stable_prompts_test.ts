import assert from "node:assert/strict";
import { samplePromptStatistics, spectralStatistics } from "../model/prompt_statistics.ts";
import { alphaStar } from "../theory/population.ts";
import { stablePrompts } from "./stable_prompts.ts";

Deno.test("stablePrompts: keeps exactly the prompts with max |1 - alpha lambda| <= 0.9, every field", () => {
  const stats = samplePromptStatistics({ prompts: 400, context: 12, seed: 3 });
  const d = stats.task.dim;
  const alpha = alphaStar(stats.task.law);
  const spectral = spectralStatistics(stats);
  const expected: number[] = [];
  for (let n = 0; n < stats.prompts; n++) {
    const rates = Array.from(
      { length: d },
      (_, j) => Math.abs(1 - alpha * spectral.lambda[n * d + j]),
    );
    if (Math.max(...rates) <= 0.9) expected.push(n);
  }
  // Both sides of the threshold occur at L = 12 (else the test would not test the selection).
  assert.ok(expected.length > 0 && expected.length < stats.prompts, `${expected.length} kept`);
  const stable = stablePrompts(stats, alpha);
  assert.equal(stable.prompts, expected.length);
  assert.equal(stable.task, stats.task);
  assert.equal(stable.context, stats.context);
  const widths = {
    strength: 1,
    spike: d,
    sigmaHat: d * d,
    muHat: d,
    meanY: 1,
    meanY2: 1,
    query: d,
    queryLabel: 1,
  } as const;
  for (const [field, width] of Object.entries(widths) as [keyof typeof widths, number][]) {
    const rows = expected.flatMap((n) =>
      Array.from(stats[field].subarray(n * width, (n + 1) * width))
    );
    assert.deepEqual(Array.from(stable[field]), rows, field);
  }
  // Every kept prompt is stable by the criterion itself (its own spectrum).
  const kept = spectralStatistics(stable);
  for (let i = 0; i < kept.lambda.length; i++) {
    assert.ok(Math.abs(1 - alpha * kept.lambda[i]) <= 0.9, `lambda ${kept.lambda[i]}`);
  }
});

Deno.test("stablePrompts: alpha = 0 contracts nothing (|1 - 0| = 1 > 0.9), so no prompt is kept", () => {
  const stats = samplePromptStatistics({ prompts: 20, context: 12, seed: 4 });
  const none = stablePrompts(stats, 0);
  assert.equal(none.prompts, 0);
  assert.equal(none.sigmaHat.length, 0);
  assert.equal(none.queryLabel.length, 0);
});
