/**
 * The finite-context study of softmax cross-attention (claim C13's measurement): at each test
 * context L_te and depth T, `sca` and `sca-centred` trained on prompts of context L_te
 * against the trained two-parameter LCA (`lca2`) and the optimal schedule of C12
 * (`theory/optimal_schedule.ts`, steps from the population law, evaluated at L_te), each by its
 * excess over the Bayes prediction, mean of (y_hat - w^T x_q)^2 over fresh test prompts
 * (the test stream of the same seed). Measured, not checked: whatever it says is reported.
 *
 * @module
 */

import { samplePromptStatistics } from "../model/prompt_statistics.ts";
import { compareScheduleOnStatistics } from "../model/schedule_finite_context.ts";
import { resolveTask } from "../model/task.ts";
import type { Estimate } from "../model/risk.ts";
import { optimalDepthStep } from "../theory/optimal_depth_step.ts";
import { optimalSchedule } from "../theory/optimal_schedule.ts";
import { requireKnownKeys, requirePositiveInteger } from "../validation/errors.ts";
import { train } from "./training.ts";
import type { StopReason } from "./stopping_rules.ts";

/** Options of {@linkcode softmaxStudy}. */
export interface SoftmaxStudyOptions {
  /** Test (and training) contexts L_te (default 16, 32, 64, 128, 256). */
  contexts?: readonly number[];
  /** Depths T (default 1, 2, 4, 8). */
  depths?: readonly number[];
  /** Training prompts N per model (default 500). */
  prompts?: number;
  /** Test prompts per cell (default 2000). */
  testPrompts?: number;
  /** Gradient-descent steps of each trained model (default 1000: at 200 some `sca` descents of the study stop at the cap). */
  steps?: number;
  /** Seed of the training and test prompts (default 0). */
  seed?: number;
  /** Called before each cell. */
  onProgress?: (message: string) => void;
}

/** One cell of the study: excess over Bayes of each model at (L_te, T). */
export interface SoftmaxStudyCell {
  /** Test and training context. */
  context: number;
  /** Layers T. */
  depth: number;
  /**
   * Trained `sca`: excess, its parameters (alpha, beta, tau) and why its descent stopped
   * (`converged`, `stagnation`, `step-cap`, ...: a step cap means it may not be a minimiser).
   */
  sca: { excess: Estimate; alpha: number; beta: number; tau: number; stop: StopReason };
  /** Trained `sca-centred`. */
  scaCentred: { excess: Estimate; alpha: number; beta: number; tau: number; stop: StopReason };
  /** Trained `lca2`. */
  lca2: { excess: Estimate; alpha: number; beta: number; stop: StopReason };
  /** The optimal schedule (population steps) at L_te, and the tied population optimum. */
  schedule: { excess: Estimate; alphas: number[]; tied: Estimate; tiedAlpha: number };
}

/** The study's sizes and table. */
export interface SoftmaxStudy {
  /** Training prompts per model. */
  prompts: number;
  /** Test prompts per cell. */
  testPrompts: number;
  /** Descent steps per model. */
  steps: number;
  /** Seed. */
  seed: number;
  /** One row per (context, depth), contexts outer. */
  cells: SoftmaxStudyCell[];
}

/** Trains a softmax model and reads its shared (alpha, beta, tau) and test excess. */
function trainedSoftmax(
  model: "sca" | "sca-centred",
  base: {
    depth: number;
    context: number;
    prompts: number;
    testPrompts: number;
    steps: number;
    seed: number;
  },
): SoftmaxStudyCell["sca"] {
  const result = train({ model, target: "bayes", ...base });
  const p = result.parameters;
  if (p.model !== model) throw new TypeError(`expected ${model}, got ${p.model}`);
  return {
    excess: result.conditionalTestExcess,
    alpha: p.softmax.alphas[0],
    beta: p.softmax.betas[0],
    tau: p.softmax.taus[0],
    stop: result.stop.reason,
  };
}

/** One cell: the three trained models and the optimal schedule on the test stream. */
function studyCell(
  context: number,
  depth: number,
  sizes: { prompts: number; testPrompts: number; steps: number; seed: number },
): SoftmaxStudyCell {
  const base = { depth, context, ...sizes };
  const lca = train({ model: "lca2", target: "bayes", sampler: "tokens", ...base });
  if (lca.parameters.model !== "lca2") throw new TypeError("expected lca2");
  const law = resolveTask().law;
  const alphas = optimalSchedule(law, depth).alphas;
  const tiedAlpha = optimalDepthStep(law, depth);
  const test = samplePromptStatistics({
    prompts: sizes.testPrompts,
    context,
    seed: sizes.seed,
    stream: 1,
    sampler: "tokens",
  });
  const row = compareScheduleOnStatistics(test, alphas, tiedAlpha);
  return {
    context,
    depth,
    sca: trainedSoftmax("sca", base),
    scaCentred: trainedSoftmax("sca-centred", base),
    lca2: {
      excess: lca.conditionalTestExcess,
      alpha: lca.parameters.lca.alpha,
      beta: lca.parameters.lca.beta,
      stop: lca.stop.reason,
    },
    schedule: { excess: row.schedule, alphas, tied: row.tied, tiedAlpha },
  };
}

/**
 * The finite-context study on the default task (d = 4, s ~ Uniform[0.5, 4], sigma = 0.1): per
 * (L_te, T), `sca`, `sca-centred` and `lca2` trained on N prompts of context L_te (Bayes
 * target; softmax models from the lca2 optimum and tau = 1/sqrt(d)) and the optimal schedule,
 * each with its conditional excess over Bayes on the test prompts. The default sweep (5
 * contexts x 4 depths, N = 500, 200 steps, 2000 test prompts) takes a few minutes on one core.
 *
 * @example One small cell
 * ```ts
 * import assert from "node:assert/strict";
 * import { softmaxStudy } from "./softmax_study.ts";
 * const study = softmaxStudy({ contexts: [16], depths: [1], prompts: 100, testPrompts: 200, steps: 5 });
 * assert.equal(study.cells.length, 1);
 * const cell = study.cells[0];
 * assert.ok(cell.sca.excess.mean > 0 && cell.scaCentred.excess.mean > 0);
 * assert.ok(cell.lca2.excess.mean > 0 && cell.schedule.excess.mean > 0);
 * ```
 */
export function softmaxStudy(options: SoftmaxStudyOptions = {}): SoftmaxStudy {
  requireKnownKeys("options", options, [
    "contexts",
    "depths",
    "prompts",
    "testPrompts",
    "steps",
    "seed",
    "onProgress",
  ]);
  const contexts = options.contexts ?? [16, 32, 64, 128, 256];
  const depths = options.depths ?? [1, 2, 4, 8];
  const sizes = {
    prompts: requirePositiveInteger("prompts", options.prompts ?? 500),
    testPrompts: requirePositiveInteger("testPrompts", options.testPrompts ?? 2000),
    steps: requirePositiveInteger("steps", options.steps ?? 1000),
    seed: options.seed ?? 0,
  };
  const cells: SoftmaxStudyCell[] = [];
  for (const context of contexts) {
    requirePositiveInteger("contexts", context);
    for (const depth of depths) {
      requirePositiveInteger("depths", depth);
      options.onProgress?.(`softmax study: L_te = ${context}, T = ${depth}`);
      cells.push(studyCell(context, depth, sizes));
    }
  }
  return { ...sizes, cells };
}
