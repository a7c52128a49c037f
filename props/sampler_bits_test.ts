/**
 * Pins of the random streams, bit for bit: SHA-256 digests of Philox blocks, the fused
 * normals, the Marsaglia-Tsang gamma variates (shapes below, at and above 1) and whole
 * sampled batches (the exact statistics sampler at d = 2, 4, 8 and 64, Bartlett and
 * outer-product increments, nested lengths, the regression family; the token sampler),
 * computed with the sampler as it was before its speed-ups (issue 24, part 4). A faster
 * sampler must draw the very same bits: the WebGPU port reproduces these streams, and the
 * committed snapshots and records depend on them. Any change of one bit changes a digest.
 *
 * The same digests are checked without WebAssembly (a `--jitless` subprocess: the JS code
 * paths of `random.ts` and `wishart_increment.ts`). The control flips the lowest bit of one
 * draw and checks that the digest then differs.
 *
 * @module
 */

import assert from "node:assert/strict";
import { CounterStream, philox4x32 } from "../src/numeric/random.ts";
import {
  samplePromptStatistics,
  samplePromptStatisticsNested,
} from "../src/model/prompt_statistics.ts";
import type { PromptStatistics, SampleOptions } from "../src/model/model_types.ts";

async function digest(parts: readonly (Float64Array | Uint32Array)[]): Promise<string> {
  const total = parts.reduce((s, a) => s + a.byteLength, 0);
  const all = new Uint8Array(total);
  let at = 0;
  for (const a of parts) {
    all.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += a.byteLength;
  }
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", all));
  return [...hash].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Philox blocks over counters and keys with low, middle and high words. */
function philoxBlocks(): Uint32Array {
  const words = [0, 1, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xdeadbeef, 0xffffffff];
  const out = new Uint32Array(words.length ** 2 * 4 * 4);
  const block = new Uint32Array(4);
  let k = 0;
  for (const a of words) {
    for (const b of words) {
      for (let r = 0; r < 4; r++) {
        philox4x32(a, b, (a ^ Math.imul(r, 0x9e3779b9)) >>> 0, r, (b ^ r) >>> 0, a, block);
        out.set(block, k);
        k += 4;
      }
    }
  }
  return out;
}

/** Normals of every count 1..9 and 257, uniforms, and bits(), for seeds below and above 2^32. */
function streamDraws(): Float64Array[] {
  const parts: Float64Array[] = [];
  for (const seed of [0, 7, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER]) {
    for (const stream of [0, 1, 0xffffffff]) {
      const g = new CounterStream({ seed, stream });
      for (const count of [1, 2, 3, 4, 5, 6, 7, 8, 9, 257]) {
        const out = new Float64Array(count + 3);
        g.normals(count, 0xffffffff - count, count % 5, count, out, 3);
        parts.push(out);
      }
      parts.push(Float64Array.from({ length: 64 }, (_, i) => g.uniform(i, 3 * i, i % 5)));
      parts.push(Float64Array.from(g.bits(5, 6, 3, 1023)));
    }
  }
  return parts;
}

/** Gamma variates of shapes below, at and above 1 (the Wishart sampler's half-integers too). */
function gammaDraws(): Float64Array {
  const shapes = [0.05, 0.3, 0.5, 0.7, 1, 1.5, 2, 3.5, 49.5, 511.5, 4095.5];
  const g = new CounterStream({ seed: 2 ** 33 + 17, stream: 1 });
  const out = new Float64Array(shapes.length * 200);
  let k = 0;
  for (const shape of shapes) {
    for (let i = 0; i < 200; i++) out[k++] = g.gamma(i, i >> 3, 4, shape, (i % 7) * 1024);
  }
  return out;
}

const STAT_FIELDS = [
  "strength",
  "spike",
  "sigmaHat",
  "muHat",
  "meanY",
  "meanY2",
  "query",
  "queryLabel",
] as const;

const statParts = (s: PromptStatistics) => STAT_FIELDS.map((f) => s[f]);

/** Whole batches of both families and samplers, one and several context lengths. */
function batches(): Float64Array[] {
  const parts: Float64Array[] = [];
  const cases: SampleOptions[] = [
    { prompts: 40, context: 100, d1: 1, d2: 1, seed: 3 },
    { prompts: 40, context: 100, d1: 2, d2: 2, seed: 4, stream: 1, promptOffset: 11 },
    { prompts: 40, context: 100, d1: 4, d2: 4, seed: 2 ** 40 + 1 },
    { prompts: 3, context: 1024, d1: 32, d2: 32, seed: 5 },
    { prompts: 30, context: 4, d1: 1, d2: 1, seed: 6 }, // L = p: a chi^2_1 (shape 1/2)
    { prompts: 30, context: 3, d1: 1, d2: 1, seed: 6, sampler: "wishart" }, // outer products
    { prompts: 30, context: 50, d1: 2, d2: 1, seed: 8, sampler: "tokens" },
    { prompts: 30, context: 60, d1: 2, d2: 2, seed: 9, family: "regression" },
    { prompts: 30, context: 60, d1: 1, d2: 2, seed: 9, law: "beta:2:3", sigma: 0.5 },
  ];
  for (const o of cases) parts.push(...statParts(samplePromptStatistics(o)));
  const nested = samplePromptStatisticsNested(
    { prompts: 25, d1: 2, d2: 2, seed: 12, sampler: "wishart" },
    [7, 8, 20, 100, 1000],
  );
  for (const s of nested) parts.push(...statParts(s));
  return parts;
}

/** A batch whose Bartlett factor is over WebAssembly's size (p = 259 > 256): the JS product. */
function largeOrder(): Float64Array[] {
  return statParts(
    samplePromptStatistics({ prompts: 2, context: 300, d1: 128, d2: 129, seed: 13 }),
  );
}

async function digests(): Promise<Record<string, string>> {
  return {
    philox: await digest([philoxBlocks()]),
    stream: await digest(streamDraws()),
    gamma: await digest([gammaDraws()]),
    batches: await digest(batches()),
    largeOrder: await digest(largeOrder()),
  };
}

/** Digests computed before the sampler's speed-ups (issue 24, part 4). */
const PINNED = {
  philox: "a68aad22ac873e8000ff47166ab2b78d2145201b57ee8be44fc262a7e79a3668",
  stream: "f09b14428178c2f38f9ef9d672d2b289529cc4eb9a325c55ba32d5789ab77524",
  gamma: "c4f951bef39a44bbdb1404ca39470b5efaed1ae9421defdc139355fddca318c7",
  batches: "29386490ef20f12f8e524084222a6474ed5bd43ccbf35d056278160672b05c38",
  largeOrder: "53c6d921909b5fcdc303b0d9010b6d43eec962be437d23719b0016e9a2126bdb",
};

Deno.test("random streams and sampled batches are bit-identical to their pins", async () => {
  assert.deepEqual(await digests(), PINNED);
});

Deno.test("without WebAssembly (V8 --jitless), the JS fallback draws the pinned bits", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--v8-flags=--jitless", new URL(import.meta.url).pathname],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  assert.ok(out.success, "the --jitless run exits 0");
  const got = JSON.parse(new TextDecoder().decode(out.stdout));
  // Control: the flag really removed WebAssembly, so the JS code paths ran.
  assert.equal(got.webAssembly, "undefined");
  assert.deepEqual(got.digests, PINNED);
});

Deno.test("sampler pin control: one flipped low bit of one draw changes the digest", async () => {
  const draws = gammaDraws();
  const before = await digest([draws]);
  const bits = new Uint32Array(draws.buffer);
  bits[2 * 777] ^= 1; // the lowest mantissa bit of draw 777 (little-endian)
  const after = await digest([draws]);
  assert.notEqual(after, before, "a one-bit change must change the digest");
  assert.equal(before, PINNED.gamma, "the unflipped draws match their pin");
});

if (import.meta.main) {
  console.log(JSON.stringify({ webAssembly: typeof WebAssembly, digests: await digests() }));
}
