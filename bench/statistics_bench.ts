/**
 * Sampling sufficient statistics: the token sampler (draw every context token, reduce
 * to Sigma_hat, mu_hat) against the exact statistics sampler (Bartlett Wishart, O(d^3)
 * per prompt whatever L; `src/model/wishart.ts`), at the sizes. The numpy
 * comparison is `bench/peers_compare.ts` (not run in CI).
 *
 * Run: `deno bench -A bench/statistics_bench.ts`.
 */

import { samplePromptStatistics } from "../src/model/prompt_statistics.ts";
import { CounterStream, philox4x32 } from "../src/numeric/random.ts";

for (const [N, L, d] of [[2000, 100, 8], [1024, 1024, 64]]) {
  const group = `statistics N=${N}, L=${L}, d=${d}`;
  // The token sampler at N = L = 1024, d = 64 is over the default sampling budget (4.4e9
  // token-units): lifted here, as the benchmark means to time it.
  const o = { prompts: N, context: L, d1: d / 2, d2: d / 2, seed: 1, limits: "none" as const };
  Deno.bench(`tokens (${group})`, { group, baseline: true }, () => {
    samplePromptStatistics({ ...o, sampler: "tokens" });
  });
  Deno.bench(`wishart (${group})`, { group }, () => {
    samplePromptStatistics({ ...o, sampler: "wishart" });
  });
}

Deno.bench("wishart N=4096, L=4096, d=64", { group: "large" }, () => {
  samplePromptStatistics({ prompts: 4096, context: 4096, d1: 32, d2: 32, seed: 1 });
});

const out = new Uint32Array(4);
Deno.bench("Philox4x32-10 (the JS reference): 10^5 blocks", { group: "random" }, () => {
  for (let i = 0; i < 1e5; i++) philox4x32(i, 1, 2, 3, 4, 5, out);
});
const normals = new Float64Array(1000);
const stream = new CounterStream({ seed: 1, stream: 0 });
Deno.bench("10^5 normals (Philox + Box-Muller, WebAssembly)", { group: "random" }, () => {
  for (let t = 0; t < 100; t++) stream.normals(0, t, 2, 1000, normals);
});
