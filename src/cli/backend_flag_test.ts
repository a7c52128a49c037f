/**
 * `--backend webgpu` without a WebGPU adapter is a usage error (exit code 2) in one line
 * that says what to install and which flag to change; simulated by injecting the adapter
 * request (`CliIo.hasWebGpuAdapter`), so `navigator.gpu` is never touched here.
 */
import assert from "node:assert/strict";
import { main } from "./main.ts";
import type { CliIo } from "./io.ts";
import { NO_ADAPTER_USAGE, resolveBackendFlag } from "./backend_flag.ts";

function noAdapter(): CliIo & { out: string[]; err: string[]; asked: number } {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    out,
    err,
    asked: 0,
    stdout: (t: string) => out.push(t),
    stderr: (t: string) => err.push(t),
    hasWebGpuAdapter: () => {
      io.asked++;
      return Promise.resolve(false);
    },
  };
  return io;
}

Deno.test("--backend webgpu without an adapter: exit 2, one line naming the driver and the flags", async () => {
  const out = await Deno.makeTempDir({ prefix: "icl-no-adapter-" });
  const commands = [
    ["train", "--model", "lca1", "--prompts", "50", "--test-prompts", "20", "--steps", "2"],
    ["verify", "--claims", "C7"],
    ["figures", "--quick", "--out", out],
    ["calibrate", "--claims", "C7", "--seeds", "0"],
  ];
  for (const args of commands) {
    const io = noAdapter();
    assert.equal(await main([...args, "--backend", "webgpu"], io), 2, args[0]);
    assert.deepEqual(io.err, [`error: ${NO_ADAPTER_USAGE}`], args[0]);
    assert.deepEqual(io.out, []);
    assert.equal(io.asked, 1);
  }
  await Deno.remove(out, { recursive: true });
  assert.match(NO_ADAPTER_USAGE, /apt install mesa-vulkan-drivers/);
  assert.match(NO_ADAPTER_USAGE, /--backend cpu/);
  assert.match(NO_ADAPTER_USAGE, /--backend auto/);
  assert.ok(!NO_ADAPTER_USAGE.includes("\n"));
});

Deno.test("controls: --backend cpu never asks for an adapter; a bug is still exit 1", async () => {
  const io = noAdapter();
  const cpu = await resolveBackendFlag("cpu", io);
  assert.equal(cpu.backend, undefined);
  assert.equal(cpu.device.name, "cpu");
  assert.equal(io.asked, 0);
  const broken = noAdapter();
  broken.hasWebGpuAdapter = () => Promise.reject(new Error("adapter probe crashed"));
  assert.equal(await main(["verify", "--claims", "C7", "--backend", "webgpu"], broken), 1);
  assert.match(broken.err[0], /^error: internal error \(a bug/);
});
