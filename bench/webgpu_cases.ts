/**
 * Benchmark cases shared by `webgpu_bench.ts` and `webgpu_report.ts`: sampling +
 * statistics, the token-level LCA forward pass, and one LCA training step
 * (loss + gradient on statistics kept on the device), from small to large.
 * The largest sizes (N = L = 4096, d = 64) run only with `ICL_BENCH_LARGE=1`.
 *
 * @module
 */

import type { Backend, LcaTrainer } from "../src/backends/backend.ts";
import { bayesTarget, samplePromptStatistics } from "../src/model/prompt_statistics.ts";
import type { SampleOptions } from "../src/model/task.ts";

/** One benchmark case. */
export interface BenchCase {
  group: "statistics" | "lca-forward" | "lca-train-step";
  name: string;
  prompts: number;
  context: number;
  dim: number;
  depth: number;
  /** Floating-point operations of the useful arithmetic (FMA = 2). */
  flops: number;
  large: boolean;
}

/** True when the large sizes are requested. */
export function largeEnabled(): boolean {
  try {
    return Deno.env.get("ICL_BENCH_LARGE") === "1";
  } catch {
    return false;
  }
}

function options(c: BenchCase): SampleOptions {
  const d1 = Math.ceil(c.dim / 2);
  return { prompts: c.prompts, context: c.context, seed: 1, d1, d2: c.dim - d1 };
}

/** The cases, small to large. */
export function benchCases(): BenchCase[] {
  const cases: BenchCase[] = [];
  const stat = (N: number, L: number, d: number, large = false) =>
    cases.push({
      group: "statistics",
      name: `statistics N=${N} L=${L} d=${d}`,
      prompts: N,
      context: L,
      dim: d,
      depth: 0,
      flops: N * L * (d + 2) * (d + 3),
      large,
    });
  const fwd = (N: number, L: number, d: number, T: number, large = false) =>
    cases.push({
      group: "lca-forward",
      name: `lca forward N=${N} L=${L} d=${d} T=${T}`,
      prompts: N,
      context: L,
      dim: d,
      depth: T,
      flops: N * L * (T + 1) * 4 * (d + 1),
      large,
    });
  const train = (N: number, d: number, T: number, large = false) =>
    cases.push({
      group: "lca-train-step",
      name: `lca train step N=${N} d=${d} T=${T}`,
      prompts: N,
      context: 100,
      dim: d,
      depth: T,
      flops: N * T * 4 * d * d,
      large,
    });
  stat(256, 256, 4);
  stat(1024, 1024, 16);
  stat(4096, 1024, 64, true);
  stat(4096, 4096, 64, true);
  fwd(64, 256, 4, 10);
  fwd(256, 1024, 16, 10);
  fwd(4096, 4096, 64, 10, true);
  train(2000, 4, 10);
  train(4096, 64, 10);
  return cases;
}

/** Prepares a case on a backend; returns the timed operation and a cleanup. */
export async function prepareCase(
  backend: Backend,
  c: BenchCase,
): Promise<{ run: () => Promise<unknown>; dispose: () => void }> {
  const o = options(c);
  const params = { alpha: 0.3, beta: -0.3, depth: Math.max(1, c.depth) };
  if (c.group === "statistics") return { run: () => backend.statistics(o), dispose: () => {} };
  if (c.group === "lca-forward") {
    return { run: () => backend.lcaForward(o, params), dispose: () => {} };
  }
  const stats = samplePromptStatistics(o);
  const trainer: LcaTrainer = await backend.lcaTrainer(stats, bayesTarget(stats));
  return { run: () => trainer.lossAndGradient(params), dispose: () => trainer.dispose() };
}
