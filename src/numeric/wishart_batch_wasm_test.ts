import assert from "node:assert/strict";
import wabtInit from "npm:wabt@1.0.39";
import {
  wasmChunkPrompts,
  WISHART_BATCH_WASM_BASE64,
  wishartBatchWasm,
  wishartBatchWasmBytes,
} from "./wishart_batch_wasm.ts";
import { CounterStream, StreamTag } from "./random.ts";

Deno.test("wishart batch wasm: the embedded bytes are wishart_batch.wat assembled by wabt 1.0.39", async () => {
  const wabt = await wabtInit();
  const source = await Deno.readTextFile(new URL("./wishart_batch.wat", import.meta.url));
  const parsed = wabt.parseWat("wishart_batch.wat", source);
  parsed.resolveNames();
  parsed.validate();
  const assembled = parsed.toBinary({}).buffer;
  const base64 = btoa(String.fromCharCode(...assembled));
  assert.equal(
    WISHART_BATCH_WASM_BASE64,
    base64,
    "re-embed the assembled bytes after editing the .wat",
  );
  assert.deepEqual(wishartBatchWasmBytes(), Uint8Array.from(assembled));
});

Deno.test("wishart batch wasm: tasks draws CounterStream's strength uniforms and direction normals", () => {
  const fast = wishartBatchWasm();
  assert.ok(fast !== null, "WebAssembly is available under deno test");
  // A key past 2^32, a stream and prompt counters past 2^31 (i32 parameters wrap).
  const seed = 2 ** 40 + 9, stream = 2 ** 31 + 3, first = 2 ** 31 + 11, count = 7;
  for (const d of [1, 2, 5, 8]) {
    fast.tasks(first, count, stream, seed % 2 ** 32, Math.floor(seed / 2 ** 32), d);
    const generator = new CounterStream({ seed, stream });
    const g = new Float64Array(d);
    for (let n = 0; n < count; n++) {
      const bits = generator.bits(first + n, 0, StreamTag.strength, 0);
      assert.equal(fast.chunkWords[2 * count * d + n], bits[0], `strength word of prompt ${n}`);
      generator.normals(first + n, 0, StreamTag.direction, d, g);
      assert.deepEqual(
        [...fast.chunk.subarray(n * d, n * d + d)],
        [...g],
        `normals of prompt ${n}`,
      );
    }
  }
});

Deno.test("wishart batch wasm control: another stream's draws differ", () => {
  const fast = wishartBatchWasm();
  assert.ok(fast !== null);
  fast.tasks(3, 1, 1, 5, 0, 2);
  const g = new Float64Array(2);
  new CounterStream({ seed: 5, stream: 0 }).normals(3, 0, StreamTag.direction, 2, g);
  assert.notDeepEqual([...fast.chunk.subarray(0, 2)], [...g]);
});

Deno.test("wasmChunkPrompts: prompts of a given size per chunk", () => {
  const all = wasmChunkPrompts(1);
  assert.equal(all, (48 * 65536 - 1968128) / 8);
  assert.equal(wasmChunkPrompts(3239), Math.floor(all / 3239));
  assert.equal(wasmChunkPrompts(all + 1), 0);
});
