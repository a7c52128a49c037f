/**
 * One LCA training step (loss and exact gradient in alpha, beta) at the paper's
 * sizes (N = 2000, L_tr = 100, d = 4, T = 10): the token-level attention pass
 * with forward-mode tangents (the baseline, O(N T L d)) against the spectral
 * step on per-prompt sufficient statistics (each Sigma_hat diagonalised once
 * outside the timed region, O(N d T)).
 *
 * Run: `deno task bench` (or `deno bench -A bench/training_bench.ts`).
 */

import { lcaSpectralLoss, lcaTokenLoss } from "../src/model/losses.ts";
import { samplePromptBatch } from "../src/model/task.ts";
import { spectralStatistics, statisticsFromBatch } from "../src/model/prompt_statistics.ts";

const batch = samplePromptBatch({ prompts: 2000, context: 100, seed: 1 });
const stats = statisticsFromBatch(batch);
const spectral = spectralStatistics(stats);
const target = stats.queryLabel;
const params = { alpha: 0.2, beta: -0.2, depth: 10 };

Deno.bench("token-level step (N=2000, L=100, d=4, T=10)", {
  group: "lca training step",
  baseline: true,
}, () => {
  lcaTokenLoss(batch, target, params);
});

Deno.bench("spectral step on statistics (same prompts)", { group: "lca training step" }, () => {
  lcaSpectralLoss(spectral, target, params);
});

Deno.bench("diagonalise every Sigma_hat once (N=2000, d=4)", { group: "one-time setup" }, () => {
  spectralStatistics(stats);
});
