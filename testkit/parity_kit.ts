/**
 * What every WebGPU parity property shares: the backend (or, with no adapter, a failing test
 * under ICL_REQUIRE_WEBGPU=1 and a printed reason otherwise), tests ignored without it, the
 * elementwise tolerance check that records the largest error / tolerance ratio, the token
 * sampling options the kernels reproduce, and WGSL mutations for the injected-bug controls.
 *
 * @module
 */

import assert from "node:assert/strict";
import { createBackend } from "../src/backends/create_backend.ts";
import { requestAdapter } from "../src/backends/webgpu/context.ts";
import type { WebGpuBackend } from "../src/backends/webgpu/webgpu_backend.ts";
import type { SampleOptions } from "../src/model/model_types.ts";

const NO_ADAPTER = "no WebGPU adapter (navigator.gpu.requestAdapter() returned null)";

/** A parity suite's WebGPU backend (null without an adapter) and its test registrar. */
export interface ParitySuite {
  /** The WebGPU backend, or null when no adapter was found. */
  backend: WebGpuBackend | null;
  /** Registers a test that is ignored when there is no backend. */
  gpuTest(name: string, fn: () => Promise<void>): void;
}

/**
 * Opens the WebGPU backend of the suite `label`. Without an adapter, ICL_REQUIRE_WEBGPU=1 makes
 * that a failing test; otherwise the suite's tests are ignored and the reason is printed.
 */
export async function openParitySuite(label: string): Promise<ParitySuite> {
  const adapter = await requestAdapter();
  if (adapter === null) {
    if (Deno.env.get("ICL_REQUIRE_WEBGPU") === "1") {
      Deno.test(`${label}: adapter required by ICL_REQUIRE_WEBGPU=1`, () => {
        throw new Error(`${NO_ADAPTER}, but ICL_REQUIRE_WEBGPU=1 requires one`);
      });
    } else {
      console.log(`${label} tests ignored: ${NO_ADAPTER}`);
    }
  }
  const backend = adapter === null ? null : await createBackend("webgpu") as WebGpuBackend;
  if (backend !== null) console.log(`WebGPU adapter: ${backend.adapter}`);
  const gpuTest = (name: string, fn: () => Promise<void>) =>
    Deno.test({ name, ignore: backend === null, sanitizeResources: false, sanitizeOps: false, fn });
  return { backend, gpuTest };
}

/** Registers a test that receives a fresh WebGPU backend, disposed after it. */
export type FreshBackendTest = (
  name: string,
  fn: (backend: WebGpuBackend) => Promise<void>,
) => void;

/**
 * A registrar of tests that each get their own WebGPU backend (the proofs that mutate kernels
 * need a fresh pipeline cache per test). Without an adapter the tests are ignored with a printed
 * reason, or fail when ICL_REQUIRE_WEBGPU=1.
 */
export async function freshBackendTests(label: string): Promise<FreshBackendTest> {
  const adapter = await requestAdapter();
  const required = Deno.env.get("ICL_REQUIRE_WEBGPU") === "1";
  if (adapter === null && !required) console.log(`${label} tests ignored: ${NO_ADAPTER}`);
  return (name, fn) =>
    Deno.test({
      name,
      ignore: adapter === null && !required,
      sanitizeResources: false,
      sanitizeOps: false,
      fn: async () => {
        assert.ok(adapter, `${NO_ADAPTER}, but ICL_REQUIRE_WEBGPU=1 requires one`);
        const backend = await createBackend("webgpu");
        assert.equal(backend.name, "webgpu");
        try {
          await fn(backend as WebGpuBackend);
        } finally {
          backend.dispose();
        }
      },
    });
}

/** Largest error / tolerance ratio seen per check name. */
export type WorstRatios = Record<string, number>;

/** An elementwise tolerance check: throws naming the first element outside. */
export type ToleranceCheck = (
  name: string,
  gpu: ArrayLike<number>,
  ref: ArrayLike<number>,
  tol: ArrayLike<number>,
) => void;

/**
 * The check |gpu - ref| <= tol elementwise, naming the first element outside, that records
 * the largest error / tolerance ratio of each check name in `worst`.
 */
export function toleranceCheck(worst: WorstRatios): ToleranceCheck {
  return (name, gpu, ref, tol) => {
    assert.equal(gpu.length, ref.length, `${name}: length`);
    for (let i = 0; i < ref.length; i++) {
      const err = Math.abs(gpu[i] - ref[i]);
      if (!(err <= tol[i])) {
        assert.fail(`${name}[${i}]: gpu ${gpu[i]} vs cpu ${ref[i]}, |err| ${err} > tol ${tol[i]}`);
      }
      worst[name] = Math.max(worst[name] ?? 0, err === 0 ? 0 : err / tol[i]);
    }
  };
}

/**
 * Sampling options of N prompts of context L in dimension d drawn by the token sampler (the
 * stream the kernels reproduce), not the exact statistics sampler `auto` picks for L >= d + 2.
 */
export function tokenSampleOptions(
  prompts: number,
  context: number,
  d: number,
  seed: number,
): SampleOptions {
  const d1 = Math.ceil(d / 2);
  return { prompts, context, seed, d1, d2: d - d1, stream: seed % 3, sampler: "tokens" };
}

/**
 * Runs `fn` with `correct` replaced by `wrong` in every WGSL source the backend compiles, and
 * fails unless the replacement reached at least one kernel (`kernels` names them).
 */
export async function withKernelMutation(
  backend: WebGpuBackend,
  kernels: string,
  correct: string,
  wrong: string,
  fn: () => Promise<void>,
): Promise<void> {
  const gpu = backend.gpu;
  const original = gpu.pipeline;
  let injected = 0;
  gpu.pipeline = (source: string, label?: string) => {
    if (source.includes(correct)) injected++;
    return original.call(gpu, source.replace(correct, wrong), label);
  };
  try {
    await fn();
  } finally {
    gpu.pipeline = original;
  }
  assert.ok(injected > 0, `the mutation reached no ${kernels} kernel`);
}
