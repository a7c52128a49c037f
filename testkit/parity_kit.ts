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
import type { SoftmaxParameters } from "../src/model/softmax_models.ts";
import { fc } from "./config.ts";

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

/** A parity suite with its tolerance check and the record of the largest ratios. */
export interface ParityChecks extends ParitySuite {
  /** Largest error / tolerance ratio seen per check name. */
  worst: WorstRatios;
  /** The elementwise tolerance check that records into `worst`. */
  within: ToleranceCheck;
  /** Registers the test `name` that prints `worst` (register it after the suite's checks). */
  reportWorst(name: string): void;
}

/**
 * `openParitySuite(label)` with a `toleranceCheck` recording into `worst`, a registrar of the
 * report of `worst`, and the backend disposed at unload.
 */
export async function openParityChecks(label: string): Promise<ParityChecks> {
  const suite = await openParitySuite(label);
  const worst: WorstRatios = {};
  globalThis.addEventListener("unload", () => suite.backend?.dispose());
  const reportWorst = (name: string) =>
    suite.gpuTest(name, () => {
      console.log("largest |error| / tolerance:", JSON.stringify(worst));
      return Promise.resolve();
    });
  return { ...suite, worst, within: toleranceCheck(worst), reportWorst };
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

/** The largest |moved - ref| / tol: above 1 when a change leaves the tolerance. */
export function largestExcursion(
  moved: ArrayLike<number>,
  ref: ArrayLike<number>,
  tol: ArrayLike<number>,
): number {
  return Math.max(...Array.from(moved, (v, n) => Math.abs(v - ref[n]) / tol[n]));
}

/** The seeds of the parity properties' samples. */
export const PARITY_SEEDS: fc.Arbitrary<number> = fc.integer({ min: 0, max: 2 ** 40 });

/** An inclusive range of integers, [min, max]. */
export type IntegerRange = readonly [min: number, max: number];

/** A tuple of one number per range. */
export type IntegerTuple<R extends readonly IntegerRange[]> = { -readonly [K in keyof R]: number };

/** A tuple of integers, one drawn from each range (a shape such as (N, L, d)). */
export function integerTuple<R extends readonly IntegerRange[] | []>(
  ranges: R,
): fc.Arbitrary<IntegerTuple<R>> {
  const tuple = fc.tuple(...ranges.map(([min, max]) => fc.integer({ min, max })));
  return tuple as unknown as fc.Arbitrary<IntegerTuple<R>>;
}

/** Shapes drawn from weighted families of ranges (mostly small, sometimes large-but-thin). */
export function integerShapes<R extends readonly IntegerRange[] | []>(
  ...parts: { weight: number; ranges: R }[]
): fc.Arbitrary<IntegerTuple<R>> {
  return fc.oneof(
    ...parts.map(({ weight, ranges }) => ({ weight, arbitrary: integerTuple(ranges) })),
  );
}

/**
 * Per-layer softmax parameters of T layers: alpha, beta in [-0.5, 0.5], tau log-uniform in
 * [0.05, 8], each layer its own; with `tiedTaus`, half the cases share one tau over the layers.
 */
function softmaxLayerParams(
  T: number,
  tiedTaus: boolean,
): fc.Arbitrary<SoftmaxParameters> {
  const steps = (arb: fc.Arbitrary<number>) => fc.array(arb, { minLength: T, maxLength: T });
  const step = fc.double({ min: -0.5, max: 0.5, noNaN: true });
  const tau = fc.double({ min: Math.log(0.05), max: Math.log(8), noNaN: true }).map(Math.exp);
  return fc.record({
    alphas: steps(step),
    betas: steps(step),
    taus: tiedTaus
      ? fc.oneof(steps(tau), tau.map((v) => new Array<number>(T).fill(v)))
      : steps(tau),
    centred: fc.boolean(),
  });
}

/**
 * Softmax parity cases from shapes (N, L, d, T): the token sample options of (N, L, d) and a
 * drawn seed, with T layers of `softmaxLayerParams(T, tiedTaus)`.
 */
export function softmaxParityCases(
  shapes: fc.Arbitrary<[number, number, number, number]>,
  tiedTaus: boolean,
): fc.Arbitrary<[SampleOptions, SoftmaxParameters]> {
  return shapes
    .chain(([N, L, d, T]) =>
      fc.tuple(fc.constant([N, L, d] as const), softmaxLayerParams(T, tiedTaus), PARITY_SEEDS)
    )
    .map(([[N, L, d], params, seed]) => [tokenSampleOptions(N, L, d, seed), params]);
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
