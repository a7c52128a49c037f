/**
 * Writes docs/records/schedule-float32.json: does the order of the layers matter for the optimal
 * schedule in float32 (WebGPU), as it does for Chebyshev iteration, and which order is stable?
 *
 * For each law and depth T, the optimal schedule's steps (`optimalSchedule`) run in three layer
 * orders: descending (largest step first), ascending, and Leja (`lejaOrder` of the roots). The
 * float32 backend evaluates the closed form q_{t+1} = q_t + alpha_t x_q - alpha_t Sigma_hat q_t,
 * y_hat = q_T^T mu_hat (`scheduleStatisticsForward`) on exact statistics (context Infinity:
 * Sigma_hat = I + m m^T, mu_hat = l m, with sampled spikes m and queries x_q) of many prompts.
 * On these statistics the float64 value is exact without any recursion: along m the residual
 * is p_T(1 + s) = prod_t (1 - alpha_t (1 + s)), so y_hat - y_Bayes = -l p_T(1 + s) (m^T x_q)/(1 + s)
 * with s = |m|^2, free of cancellation and of the order. Per order the record gives the float32
 * excess (1/N) sum_n (y_hat_n - y_Bayes_n)^2, its relative error against the exact value, the
 * float32 floor (the exact predictions merely rounded to float32), the relative RMS forward error
 * of the predictions, the float64 recursion's excess in the same order (the CPU reference), and
 * the largest partial and tail products of the factors on the support, which bound how a
 * rounding error made in a layer grows.
 *
 *   npx -y deno@2.9.6 run -A tools/schedule_float32_record.ts
 *
 * @module
 */

import type { Backend } from "../src/backends/backend.ts";
import { CpuBackend } from "../src/backends/cpu/cpu_backend.ts";
import { createBackend } from "../src/backends/create_backend.ts";
import { formatSpikeLaw, lawSupport, type SpikeLaw } from "../src/model/law.ts";
import type { PromptStatistics } from "../src/model/model_types.ts";
import {
  bayesTarget,
  samplePromptStatistics,
  spectralStatistics,
} from "../src/model/prompt_statistics.ts";
import { RESPONSE_LOADING } from "../src/model/reconstructed.ts";
import { lejaOrder } from "../src/theory/leja_order.ts";
import { optimalSchedule } from "../src/theory/optimal_schedule.ts";
import { RECORD_SCHEMA, recordText } from "./docs/docs_records.ts";

/** The command that makes the record. */
export const SCHEDULE_FLOAT32_COMMAND = "npx -y deno@2.9.6 run -A tools/schedule_float32_record.ts";

/** The layer orders compared. */
export const FLOAT32_ORDERS = ["descending", "ascending", "leja"] as const;

/** A layer order of the steps. */
export type Float32Order = typeof FLOAT32_ORDERS[number];

/** The laws of the record: the default, a Beta shape on its support, a wider Beta law. */
export const FLOAT32_LAWS: readonly SpikeLaw[] = [
  { kind: "uniform", low: 0.5, high: 4 },
  { kind: "beta", a: 2, b: 5, low: 0.5, high: 4 },
  { kind: "beta", a: 0.5, b: 3, low: 0, high: 6 },
];

/** The steps 1/lambda_t of ascending roots in a layer order. */
export function orderedSteps(roots: readonly number[], order: Float32Order): number[] {
  const ordered = order === "leja"
    ? lejaOrder(roots)
    : order === "descending"
    ? [...roots]
    : [...roots].reverse();
  return ordered.map((root) => 1 / root);
}

/**
 * On exact statistics (Sigma_hat = I + m m^T, mu_hat = l m), per prompt: the Bayes prediction
 * l (m^T x_q)/(1 + s) and the exact model prediction l (1 - p_T(1 + s)) (m^T x_q)/(1 + s), s =
 * |m|^2, and their difference computed without cancellation.
 */
export function exactPredictions(stats: PromptStatistics, alphas: readonly number[]) {
  const d = stats.task.dim, N = stats.prompts;
  const bayes = new Float64Array(N), prediction = new Float64Array(N);
  const residual = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    let s = 0, dot = 0;
    for (let j = 0; j < d; j++) {
      s += stats.spike[n * d + j] ** 2;
      dot += stats.spike[n * d + j] * stats.query[n * d + j];
    }
    const lambda = 1 + s;
    const p = alphas.reduce((product, alpha) => product * (1 - alpha * lambda), 1);
    bayes[n] = RESPONSE_LOADING * dot / lambda;
    prediction[n] = RESPONSE_LOADING * (1 - p) * dot / lambda;
    residual[n] = -RESPONSE_LOADING * p * dot / lambda;
  }
  return { bayes, prediction, residual };
}

/**
 * On statistics at a finite context, per prompt: the Bayes prediction (`bayesTarget`) and the
 * model prediction from the eigen-decomposition of Sigma_hat, sum_j w_j (1 - p_T(lambda_j)) /
 * lambda_j with w_j = (u_j^T x_q)(u_j^T mu_hat) (`spectralStatistics`): free of the order.
 */
export function spectralPredictions(stats: PromptStatistics, alphas: readonly number[]) {
  const { lambda, weight, dim } = spectralStatistics(stats);
  const bayes = bayesTarget(stats);
  const prediction = new Float64Array(stats.prompts);
  for (let n = 0; n < stats.prompts; n++) {
    for (let j = n * dim; j < (n + 1) * dim; j++) {
      const p = alphas.reduce((product, alpha) => product * (1 - alpha * lambda[j]), 1);
      prediction[n] += weight[j] * (1 - p) / lambda[j];
    }
  }
  return { bayes, prediction, residual: prediction.map((y, n) => y - bayes[n]) };
}

/** The order-free float64 reference: exact statistics by the spike, others by the spectrum. */
export function referencePredictions(stats: PromptStatistics, alphas: readonly number[]) {
  return stats.context === Infinity
    ? exactPredictions(stats, alphas)
    : spectralPredictions(stats, alphas);
}

/** (1/N) sum_n (a_n - b_n)^2 (b omitted: 0). */
export function meanSquare(a: ArrayLike<number>, b?: ArrayLike<number>): number {
  let sum = 0;
  for (let n = 0; n < a.length; n++) sum += (a[n] - (b === undefined ? 0 : b[n])) ** 2;
  return sum / a.length;
}

/**
 * max over t and lambda in [1 + low, 1 + high] (400 points) of the partial products
 * prod_{u<=t} |1 - alpha_u lambda| (the size of the state) and the tail products
 * prod_{u>t} |1 - alpha_u lambda| (what a rounding error of layer t is multiplied by).
 */
export function stepProducts(alphas: readonly number[], low: number, high: number) {
  let partial = 0, tail = 0;
  for (let k = 0; k <= 400; k++) {
    const lambda = 1 + low + (high - low) * k / 400;
    let head = 1, back = 1;
    for (let t = 0; t < alphas.length; t++) {
      head *= 1 - alphas[t] * lambda;
      back *= 1 - alphas[alphas.length - 1 - t] * lambda;
      partial = Math.max(partial, Math.abs(head));
      tail = Math.max(tail, Math.abs(back));
    }
  }
  return { partial, tail };
}

/** Sizes of the measurement (smaller ones for its test). */
export interface Float32Sizes {
  /** The laws. */
  laws: readonly SpikeLaw[];
  /** The depths T. */
  depths: readonly number[];
  /** Context lengths: Infinity (exact moments) and finite ones (sampled statistics). */
  contexts: readonly number[];
  /** Prompts per law and context (d = 4). */
  prompts: number;
  /** Seed of the prompts. */
  seed: number;
}

/** One order at one depth: the float32 and float64 excesses and the products. */
async function orderEntry(
  backend: Backend,
  reference: Backend,
  stats: PromptStatistics,
  law: SpikeLaw,
  roots: readonly number[],
  order: Float32Order,
) {
  const alphas = orderedSteps(roots, order);
  const exact = referencePredictions(stats, alphas);
  const excess = meanSquare(exact.residual);
  const y32 = await backend.scheduleStatisticsForward(stats, { alphas });
  const y64 = await reference.scheduleStatisticsForward(stats, { alphas });
  const excess32 = meanSquare(y32, exact.bayes);
  const excess64 = meanSquare(y64, exact.bayes);
  const { low, high } = lawSupport(law);
  return {
    order,
    excess32,
    relativeError: Math.abs(excess32 / excess - 1),
    forwardError: Math.sqrt(meanSquare(y32, exact.prediction) / meanSquare(exact.prediction)),
    excess64Recursion: excess64,
    relativeError64: Math.abs(excess64 / excess - 1),
    ...stepProducts(alphas, low, high),
  };
}

/** The rows of one law at one context: per depth the reference excess and every order. */
async function lawRows(backend: Backend, reference: Backend, sizes: Float32Sizes) {
  const rows = [];
  for (const law of sizes.laws) {
    for (const context of sizes.contexts) {
      const stats = samplePromptStatistics({
        prompts: sizes.prompts,
        context,
        seed: sizes.seed,
        law,
        d1: 2,
        d2: 2,
      });
      for (const depth of sizes.depths) {
        const best = optimalSchedule(law, depth);
        const exact = referencePredictions(stats, best.alphas);
        const orders = [];
        for (const order of FLOAT32_ORDERS) {
          orders.push(await orderEntry(backend, reference, stats, law, best.roots, order));
        }
        rows.push({
          law: formatSpikeLaw(law),
          context: context === Infinity ? "Infinity" : context,
          depth,
          population: best.excess,
          excess: meanSquare(exact.residual),
          floor32: meanSquare(exact.prediction.map(Math.fround), exact.bayes),
          orders,
        });
      }
    }
  }
  return rows;
}

/** The record's data: per law, context and depth the reference excess, the floor, every order. */
export async function float32OrderData(
  backend: Backend,
  reference: Backend,
  sizes: Float32Sizes,
) {
  return {
    backend: { name: backend.name, adapter: backend.adapter, precision: backend.precision },
    reference: { name: reference.name, precision: reference.precision },
    prompts: sizes.prompts,
    dim: 4,
    seed: sizes.seed,
    statistics: "context Infinity: exact moments Sigma_hat = I + m m^T, mu_hat = l m (sampled " +
      "spikes m and queries x_q), reference by the spike's eigenvalue; finite contexts: " +
      "sampled statistics, reference by the eigen-decomposition of Sigma_hat",
    orders: FLOAT32_ORDERS,
    rows: await lawRows(backend, reference, sizes),
  };
}

async function git(args: string[]): Promise<string> {
  const out = await new Deno.Command("git", { args, stdout: "piped" }).output();
  return new TextDecoder().decode(out.stdout).trim();
}

if (import.meta.main) {
  const start = performance.now();
  const backend = await createBackend("webgpu");
  const data = await float32OrderData(backend, new CpuBackend(), {
    laws: FLOAT32_LAWS,
    depths: [8, 16, 32, 64],
    contexts: [Infinity, 1024],
    prompts: 4096,
    seed: 0,
  });
  backend.dispose();
  const wallSeconds = Math.round((performance.now() - start) / 10) / 100;
  const mine = [
    "tools/schedule_float32_record.ts",
    "src/backends/webgpu/schedule_kernels.ts",
    "src/theory/leja_order.ts",
  ];
  const dirty = (await git(["status", "--porcelain", "--", ...mine])) !== "";
  const record = {
    schema: RECORD_SCHEMA,
    name: "schedule-float32",
    command: SCHEDULE_FLOAT32_COMMAND,
    commit: await git(["rev-parse", "HEAD"]),
    source: dirty
      ? "the working tree on top of the commit (the float32 schedule modules were not yet committed)"
      : "the working tree of the commit",
    created: new Date().toISOString(),
    wallSeconds,
    host:
      `${data.backend.adapter}, ${navigator.hardwareConcurrency} CPU cores shared with other jobs`,
    data,
  };
  await Deno.writeTextFile(
    new URL("../docs/records/schedule-float32.json", import.meta.url),
    recordText(record),
  );
  console.log(`docs/records/schedule-float32.json written (${wallSeconds} s)`);
}
