import assert from "node:assert/strict";
import wabtInit from "npm:wabt@1.0.39";
import {
  instantiatePhiloxWasm,
  PHILOX_WASM_BASE64,
  type PhiloxWasm,
  philoxWasmBytes,
  WASM_NORMALS_CAPACITY,
} from "./philox_wasm.ts";
import { boxMuller, philox4x32, uniformFromBits } from "./random.ts";

// The Box-Muller angle tables of random.ts (the same expressions).
const HIGH = new Float64Array(8192), LOW = new Float64Array(4096);
for (let i = 0; i < 4096; i++) {
  HIGH[2 * i] = Math.cos((2 * Math.PI * i) / 4096);
  HIGH[2 * i + 1] = Math.sin((2 * Math.PI * i) / 4096);
}
for (let i = 0; i < 2048; i++) {
  LOW[2 * i] = Math.cos((2 * Math.PI * (i + 0.5)) / 8388608);
  LOW[2 * i + 1] = Math.sin((2 * Math.PI * (i + 0.5)) / 8388608);
}

function instance(): PhiloxWasm {
  const wasm = instantiatePhiloxWasm(HIGH, LOW);
  assert.ok(wasm !== null, "Deno has WebAssembly");
  return wasm;
}

/** Marsaglia-Tsang as `CounterStream.gamma` writes it in JS, from JS Philox bits. */
function referenceGamma(
  c: [number, number, number, number],
  key: [number, number],
  shape: number,
  first: number,
  log: (x: number) => number = Math.log,
): number {
  const boosted = shape < 1, dd = (boosted ? shape + 1 : shape) - 1 / 3;
  const cc = 1 / Math.sqrt(9 * dd), b = new Uint32Array(4), z = new Float64Array(4);
  for (let attempt = 0; attempt < 1024; attempt++) {
    philox4x32(c[0], c[1], (c[2] | (first + attempt)) >>> 0, c[3], key[0], key[1], b);
    const r = Math.sqrt(-2 * log(uniformFromBits(b[0])));
    boxMuller(b, z); // z[0] = r cos(2 pi r1), computed with Math.log
    const x = r * (z[0] / Math.sqrt(-2 * Math.log(uniformFromBits(b[0]))));
    const t = 1 + cc * x;
    if (t <= 0) continue;
    const v = t * t * t, u = uniformFromBits(b[2]), x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2 || log(u) < 0.5 * x2 + dd * (1 - v + log(v))) {
      const value = dd * v;
      return boosted ? value * Math.pow(uniformFromBits(b[3]), 1 / shape) : value;
    }
  }
  return NaN;
}

Deno.test("philox wasm: the embedded bytes are philox_wasm.wat assembled by wabt 1.0.39", async () => {
  const wabt = await wabtInit();
  const source = await Deno.readTextFile(new URL("./philox_wasm.wat", import.meta.url));
  const parsed = wabt.parseWat("philox_wasm.wat", source);
  parsed.resolveNames();
  parsed.validate();
  const assembled = parsed.toBinary({}).buffer;
  const base64 = btoa(String.fromCharCode(...assembled));
  assert.equal(PHILOX_WASM_BASE64, base64, "re-embed the assembled bytes after editing the .wat");
  assert.deepEqual(philoxWasmBytes(), Uint8Array.from(assembled));
});

Deno.test("philox wasm: Random123 known answers and JS philox4x32, bit for bit", () => {
  const wasm = instance();
  const hex = () => [...wasm.words].map((u) => u.toString(16).padStart(8, "0"));
  wasm.bits(0, 0, 0, 0, 0, 0);
  assert.deepEqual(hex(), ["6627e8d5", "e169c58d", "bc57ac4c", "9b00dbd8"]);
  const f = 0xffffffff;
  wasm.bits(f, f, f, f, f, f);
  assert.deepEqual(hex(), ["408f276d", "41c83b0e", "a20bc7c6", "6d5451fd"]);
  const out = new Uint32Array(4);
  for (let i = 0; i < 4000; i++) {
    const w = [i, Math.imul(i, 0x9e3779b9) >>> 0, f - i, (i << 20) >>> 0, i * 7919, f ^ i];
    const [c0, c1, c2, c3, k0, k1] = w.map((x) => x >>> 0);
    wasm.bits(c0, c1, c2, c3, k0, k1);
    assert.deepEqual(wasm.words, philox4x32(c0, c1, c2, c3, k0, k1, out), `block ${i}`);
  }
});

Deno.test("philox wasm: normals equal JS Box-Muller of JS Philox bits, bit for bit", () => {
  const wasm = instance();
  const bits = new Uint32Array(4), z = new Float64Array(4);
  for (const [count, first] of [[1, 0], [7, 3], [4096, 5], [WASM_NORMALS_CAPACITY, 1 << 20]]) {
    const tag = (3 << 24) >>> 0;
    wasm.normals(11, 0xffffffff, tag, 2, 0xdeadbeef, 1, first, count);
    for (let k = 0; k < count; k += 4) {
      philox4x32(11, 0xffffffff, (tag | (first + k / 4)) >>> 0, 2, 0xdeadbeef, 1, bits);
      boxMuller(bits, z);
      for (let i = 0; i < 4 && k + i < count; i++) {
        assert.ok(Object.is(wasm.values[k + i], z[i]), `normal ${k + i} of ${count}`);
      }
    }
  }
});

Deno.test("philox wasm: gamma equals the JS Marsaglia-Tsang, bit for bit, below and above 1", () => {
  const wasm = instance();
  for (const shape of [0.05, 0.5, 0.999, 1, 1.5, 49.5, 4095.5]) {
    for (let i = 0; i < 300; i++) {
      const c: [number, number, number, number] = [i, 5, (4 << 24) >>> 0, 1];
      const got = wasm.gamma(i, 5, c[2], 1, 77, 3, shape, (i % 3) * 1024, 1024);
      assert.ok(Object.is(got, referenceGamma(c, [77, 3], shape, (i % 3) * 1024)), `${shape} ${i}`);
    }
  }
  // Exhausted attempts: NaN (CounterStream turns it into a RangeError).
  assert.ok(Number.isNaN(wasm.gamma(0, 0, 0, 0, 0, 0, 2, 0, 0)));
});

Deno.test("philox wasm: chi is sqrt(2 gamma((rest - j) / 2)) per j; exhausted attempts give 1 + j", () => {
  const wasm = instance();
  const tag = (4 << 24) >>> 0;
  assert.equal(wasm.chi(9, 2, tag, 1, 5, 6, 99, 10, 1024), 0);
  for (let j = 0; j < 10; j++) {
    const expected = Math.sqrt(2 * referenceGamma([9, 2, tag, 1], [5, 6], (99 - j) / 2, j * 1024));
    assert.ok(Object.is(wasm.diagonal[j], expected), `chi ${j}`);
  }
  assert.equal(wasm.chi(9, 2, tag, 1, 5, 6, 99, 10, 0), 1, "no attempts: entry 0 fails");
});

Deno.test("philox wasm: lowerProduct sums A A^T in the JS order (0 + a0 b0 + a1 b1 + ...)", () => {
  const wasm = instance();
  for (const p of [1, 3, 4, 9, 66]) {
    const P = (p + 3) & ~3;
    wasm.factorColumns.fill(0, 0, P * P);
    const a = (r: number, c: number) => Math.sin(1 + 7 * r + 3 * c) * 10 ** ((r + c) % 5 - 2);
    for (let r = 0; r < p; r++) {
      for (let c = 0; c <= r; c++) wasm.factorColumns[c * P + r] = a(r, c);
    }
    wasm.lowerProduct(P);
    for (let r = 0; r < p; r++) {
      for (let b = 0; b <= r; b++) {
        let s = 0;
        for (let c = 0; c <= b; c++) s += a(r, c) * a(b, c);
        assert.ok(Object.is(wasm.products[r * P + b], s), `p = ${p}: (${r}, ${b})`);
      }
    }
  }
});

Deno.test("philox wasm control: a log off by 2^-40, or a changed multiplier, is caught", () => {
  const wasm = instance();
  const c: [number, number, number, number] = [3, 5, (4 << 24) >>> 0, 1];
  const offLog = (x: number) => Math.log(x) * (1 + 2 ** -40); // 4096 ulp
  let differ = 0;
  for (let i = 0; i < 200; i++) {
    const got = wasm.gamma(3, 5, c[2], 1, 77, 3, 2.5, i * 1024, 1024);
    if (!Object.is(got, referenceGamma(c, [77, 3], 2.5, i * 1024, offLog))) differ++;
  }
  assert.ok(differ > 100, `a 2^-40 change of log must change most variates, changed ${differ}`);
  // M0 = 0xD2511F53 is the LEB128 bytes d3 be c4 92 0d; its low byte changed to 0xd4 in every
  // round (with a zero counter the first round's product is zero whatever the multiplier).
  const bytes = philoxWasmBytes();
  let changed = 0;
  for (let i = 0; i + 4 < bytes.length; i++) {
    if ([0xd3, 0xbe, 0xc4, 0x92, 0x0d].every((b, k) => bytes[i + k] === b)) {
      bytes[i] = 0xd4;
      changed++;
    }
  }
  assert.ok(changed >= 10, `the multiplier's bytes are in every round, found ${changed}`);
  const mutated = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
    math: { log: Math.log, pow: Math.pow },
  }).exports;
  const bitsOf = mutated.bits as (...w: number[]) => void;
  const memory = mutated.memory as WebAssembly.Memory;
  bitsOf(0, 0, 0, 0, 0, 0);
  const words = [...new Uint32Array(memory.buffer, 98304, 4)].map((u) => u.toString(16));
  assert.notDeepEqual(words, ["6627e8d5", "e169c58d", "bc57ac4c", "9b00dbd8"]);
});

Deno.test("instantiatePhiloxWasm: angle tables of the wrong size are a RangeError", () => {
  assert.throws(() => instantiatePhiloxWasm(new Float64Array(8), LOW), /angle tables must have/);
});
