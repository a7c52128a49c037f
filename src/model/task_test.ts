import assert from "node:assert/strict";
import { lawQuantile } from "./law.ts";
import { resolveSample, sampleTaskBatch } from "./task.ts";

// Under the model the strength s ~ P and the direction v ~ uniform on the sphere are
// independent, and |m|^2 = s. With N prompts a correlation is ~ N(0, 1/N) under
// independence, so |corr| <= 5/sqrt(N) fails by chance with probability 5.7e-7.
Deno.test("sampler: spike strength and direction are independent, and |m|^2 = s", () => {
  const law = { kind: "uniform" as const, low: 0.5, high: 4 };
  const n = 20000;
  const batch = sampleTaskBatch(
    resolveSample({ law, d1: 2, d2: 1, prompts: n, context: 4, seed: 3 }),
  );
  const d = 3;
  const rank = new Float64Array(n); // (s - low)/(high - low): the law's CDF, uniform on [0, 1]
  const features: Float64Array[] = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  for (let i = 0; i < n; i++) {
    const s = batch.strength[i];
    let norm2 = 0;
    for (let j = 0; j < d; j++) norm2 += batch.spike[i * d + j] ** 2;
    assert.ok(Math.abs(norm2 - s) <= 1e-12 * s, `|m|^2 = ${norm2} vs s = ${s}`);
    rank[i] = (s - 0.5) / 3.5;
    const v0 = batch.spike[i * d] / Math.sqrt(norm2);
    const v2 = batch.spike[i * d + 2] / Math.sqrt(norm2);
    features[0][i] = v0; // the sign of a coordinate
    features[1][i] = v0 * v0; // its square (E = 1/d regardless of s)
    features[2][i] = v2; // the last coordinate (another normal draw)
  }
  const corr = (a: Float64Array, b: Float64Array) => {
    let ma = 0, mb = 0;
    for (let i = 0; i < n; i++) {
      ma += a[i] / n;
      mb += b[i] / n;
    }
    let sab = 0, saa = 0, sbb = 0;
    for (let i = 0; i < n; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) ** 2;
      sbb += (b[i] - mb) ** 2;
    }
    return sab / Math.sqrt(saa * sbb);
  };
  for (const [k, f] of features.entries()) {
    const r = corr(rank, f);
    assert.ok(Math.abs(r) <= 5 / Math.sqrt(n), `feature ${k}: corr(s, v) = ${r}`);
  }
  // The strengths follow the law: the mean CDF value is 1/2 within 5 SE (SE = sqrt(1/12/N)).
  const meanRank = rank.reduce((a, b) => a + b, 0) / n;
  assert.ok(Math.abs(meanRank - 0.5) <= 5 * Math.sqrt(1 / 12 / n), `mean rank ${meanRank}`);
  assert.equal(lawQuantile(law, 0.5), 2.25);
});
