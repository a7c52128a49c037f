import assert from "node:assert/strict";
import { CounterStream, StreamTag } from "../../numeric/random.ts";
import { lawQuantile } from "../law.ts";
import { RESPONSE_LOADING } from "../reconstructed.ts";
import { resolveSample } from "../task.ts";
import { samplePaperPromptBatch, samplePaperTasks, samplePaperToken } from "./paper_tasks.ts";

// Under the model the strength s ~ P and the direction v ~ uniform on the sphere are
// independent, and |m|^2 = s. With N prompts a correlation is ~ N(0, 1/N) under
// independence, so |corr| <= 5/sqrt(N) fails by chance with probability 5.7e-7.
Deno.test("samplePaperTasks: spike strength and direction are independent, and |m|^2 = s", () => {
  const law = { kind: "uniform" as const, low: 0.5, high: 4 };
  const n = 20000;
  const batch = samplePaperTasks(
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

Deno.test("samplePaperPromptBatch: the stream is pinned (a replayed record draws these tokens)", () => {
  // x = h m + z and y = l h + sigma e with (h, z, e) standard normals from the Philox stream.
  // The signs of z and e do not change the law, so only pinned values can tell them apart; the
  // WebGPU sampler and every JSON record's replay rely on these exact draws.
  const options = { d1: 1, d2: 1, prompts: 2, context: 2, seed: 1, sigma: 0.5 };
  const batch = samplePaperPromptBatch(resolveSample(options, false));
  const pinned = {
    x: [
      -1.0604379557734875,
      -0.31294430868291834,
      1.3289410931852266,
      0.18025833310164252,
      -0.7487375443893165,
      0.45551712137268263,
      -0.3656644138208541,
      -0.30740023264005967,
    ],
    y: [-0.10447093565898258, -0.048296192863213405, -0.1722901014163759, -1.0364797251136857],
    query: [-1.6273666235363025, 0.7897191343367361, 0.15325583925439323, 1.7650619659702922],
    queryLabel: [-0.07315460403102603, 1.5624813843784198],
    strength: [2.6885916888713837, 3.655893951654434],
    spike: [1.293618003195517, -1.007543622221801, 1.2714204233534305, 1.428070046858423],
  };
  for (const [field, values] of Object.entries(pinned)) {
    const got = batch[field as keyof typeof pinned];
    values.forEach((v, i) => {
      assert.ok(Math.abs(got[i] - v) <= 1e-15 * Math.abs(v), `${field}[${i}]: ${got[i]} vs ${v}`);
    });
  }
});

Deno.test("samplePaperToken: x = h m + xi and y = l h + sigma eps from the token's normals", () => {
  const d = 3, sigma = 0.7, spike = Float64Array.from([0.5, -1, 2, 9, 9, 9]);
  const generator = new CounterStream({ seed: 8, stream: 2 });
  const normals = new Float64Array(d + 4), x = new Float64Array(d + 1);
  const y = samplePaperToken(generator, 4, 6, spike, 0, d, sigma, normals, x, 1);
  const z = new Float64Array(d + 2);
  generator.normals(4, 6, StreamTag.token, d + 2, z);
  assert.equal(x[0], 0, "written from xOffset on");
  for (let j = 0; j < d; j++) assert.equal(x[1 + j], z[0] * spike[j] + z[1 + j]);
  assert.equal(y, RESPONSE_LOADING * z[0] + sigma * z[d + 1]);
});
