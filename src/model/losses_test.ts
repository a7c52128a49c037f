import assert from "node:assert/strict";
import {
  deepLsaSpectralLoss,
  deepLsaSpectralLossUnchecked,
  lcaSpectralLoss,
  lcaSpectralLossUnchecked,
  lcaSpectralPredictions,
  lcaSpectralPredictionsUnchecked,
  lcaTokenLoss,
} from "./losses.ts";
import {
  samplePromptStatistics,
  spectralStatistics,
  statisticsFromBatch,
} from "./prompt_statistics.ts";
import { samplePromptBatch } from "./task.ts";

const stats = samplePromptStatistics({ prompts: 200, context: 30, seed: 5, stream: 0 });
const target = stats.queryLabel;

Deno.test("every loss names a wrong-length target and a bad layer parameter", () => {
  const spectral = spectralStatistics(stats);
  const batch = samplePromptBatch({ prompts: 3, context: 4, seed: 1 });
  const layer = { alpha: 0.2, beta: -0.2, depth: 2 };
  const short = new Float64Array(7);
  const calls: [string, () => unknown][] = [
    ["lcaSpectralLoss", () => lcaSpectralLoss(spectral, short, layer)],
    ["deepLsaSpectralLoss", () => deepLsaSpectralLoss(spectral, short, layer)],
    ["lcaTokenLoss", () => lcaTokenLoss(batch, short, layer)],
  ];
  for (const [name, call] of calls) {
    assert.throws(call, /^RangeError: target must have length \d+, got length 7$/, name);
  }
  const bad = { alpha: 0.2, beta: -0.2, depth: 0 };
  assert.throws(() => lcaSpectralLoss(spectral, target, bad), /depth must be a positive integer/);
  assert.throws(() => deepLsaSpectralLoss(spectral, target, bad), /depth must be a positive/);
  assert.throws(
    () => lcaTokenLoss(batch, batch.queryLabel, { ...layer, alpha: NaN }),
    /alpha must be a finite number/,
  );
  assert.throws(
    () => lcaSpectralPredictions(spectral, { ...layer, beta: Infinity }),
    /beta must be a finite number/,
  );
  // Validated and unvalidated entry points agree.
  assert.deepEqual(
    lcaSpectralLoss(spectral, target, layer),
    lcaSpectralLossUnchecked(spectral, target, layer),
  );
  assert.deepEqual(
    deepLsaSpectralLoss(spectral, target, layer),
    deepLsaSpectralLossUnchecked(spectral, target, layer),
  );
  assert.deepEqual(
    lcaSpectralPredictions(spectral, layer),
    lcaSpectralPredictionsUnchecked(spectral, layer),
  );
});

function medianMs(f: () => void, repeats: number): number {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    f();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

Deno.test("a spectral training step is at least 20x faster than the token-level step (same run)", () => {
  // The paper's sizes: N = 2000 prompts, L_tr = 100, d = 4, T = 10.
  const batch = samplePromptBatch({ prompts: 2000, context: 100, seed: 3 });
  const spectral = spectralStatistics(statisticsFromBatch(batch));
  const params = { alpha: 0.25, beta: -0.25, depth: 10 };
  const token = lcaTokenLoss(batch, batch.queryLabel, params);
  const fast = lcaSpectralLoss(spectral, batch.queryLabel, params);
  // Same step: same loss and gradient up to rounding.
  assert.ok(Math.abs(token.loss - fast.loss) <= 1e-9 * token.loss);
  assert.ok(Math.abs(token.alpha - fast.alpha) <= 1e-8 * (Math.abs(token.alpha) + 1e-3));
  for (let i = 0; i < 20; i++) lcaSpectralLoss(spectral, batch.queryLabel, params); // warm up
  const tokenMs = medianMs(() => lcaTokenLoss(batch, batch.queryLabel, params), 5);
  const spectralMs = medianMs(() => lcaSpectralLoss(spectral, batch.queryLabel, params), 41);
  const ratio = tokenMs / spectralMs;
  console.log(
    `token-level ${tokenMs.toFixed(2)} ms, spectral ${(spectralMs * 1000).toFixed(0)} us: ${
      ratio.toFixed(0)
    }x`,
  );
  assert.ok(ratio >= 20, `speed-up ${ratio.toFixed(1)} must be >= 20`);
});
