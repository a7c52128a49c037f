/**
 * The C11 sweep: untied (full-matrix) LCA against the tied two-parameter population optimum
 * over depths T, on the population proxy (exact task statistics, Bayes target), with the
 * structure of the trained matrices. Each depth trains `lca-full` from a random
 * initialisation and from the tied optimum plus a small random perturbation (which finds the
 * better basin when descent from random starts has not converged), keeping the lower
 * training loss, and compares on fresh prompts by the exact per-prompt excess (paired).
 *
 * Run: `deno run -A tools/untied_sweep.ts` (options there); one JSON row per depth.
 *
 * @module
 */

import type { SpikeLaw } from "../model/law.ts";
import { bayesTarget, samplePromptStatistics } from "../model/statistics.ts";
import { estimateMean } from "../model/risk.ts";
import { exactExcess, untiedFromTied, untiedPredict, untiedStructure } from "../model/untied.ts";
import { optimalDepthStep, twoParameterOptimum } from "../theory/population.ts";
import { randomUntied, trainUntied } from "../training/untied_training.ts";

/** One depth of the sweep. */
export interface UntiedSweepRow {
  depth: number;
  d: number;
  tied: { alpha: number; beta: number; excess: number };
  untied: {
    excess: number;
    init: string;
    trainLoss: number;
    /** Steps of the kept training run, and why it stopped (`converged`, `step-cap`, ...). */
    steps: number;
    stop: string;
    alpha: number;
    beta: number;
    aSymmetric: number;
    aSkew: number;
    bSymmetric: number;
    bSkew: number;
  };
  difference: { mean: number; standardError: number };
}

/** Options of {@linkcode untiedSweep}. */
export interface UntiedSweepOptions {
  depths: number[];
  prompts: number;
  testPrompts: number;
  steps: number;
  d1: number;
  d2: number;
  /** Law of the spike strength (default: the default law, `docs/model.md`). */
  law?: SpikeLaw;
  /** Label noise sigma (default 0.1). */
  sigma?: number;
  seed: number;
}

/** Runs the sweep (float64 CPU). */
export function untiedSweep(
  o: UntiedSweepOptions,
  onRow?: (row: UntiedSweepRow) => void,
): UntiedSweepRow[] {
  const task = {
    d1: o.d1,
    d2: o.d2,
    ...(o.law === undefined ? {} : { law: o.law }),
    ...(o.sigma === undefined ? {} : { sigma: o.sigma }),
  };
  const train = samplePromptStatistics({
    ...task,
    prompts: o.prompts,
    context: Infinity,
    seed: o.seed,
    stream: 0,
  });
  const test = samplePromptStatistics({
    ...task,
    prompts: o.testPrompts,
    context: Infinity,
    seed: o.seed,
    stream: 1,
  });
  const target = bayesTarget(train);
  const d = train.task.dim;
  const rows: UntiedSweepRow[] = [];
  for (const depth of o.depths) {
    const opt = depth === 1
      ? { alpha: optimalDepthStep(train.task.law, 1), beta: 0 }
      : twoParameterOptimum(train.task.law, depth);
    const tied = untiedFromTied(opt.alpha, opt.beta, d, depth);
    const perturbed = untiedFromTied(opt.alpha, opt.beta, d, depth);
    const noise = randomUntied(d, depth, false, 0.05, o.seed + 5);
    for (let i = 0; i < perturbed.a.length; i++) {
      perturbed.a[i] += noise.a[i];
      perturbed.b[i] += noise.b[i];
    }
    const runs = [
      {
        init: "random (scale 0.3)",
        run: trainUntied(train, target, { depth, scale: 0.3, seed: o.seed + 1, steps: o.steps }),
      },
      {
        init: "tied optimum + N(0, 0.05^2/d)",
        run: trainUntied(train, target, { depth, initial: perturbed, steps: o.steps }),
      },
    ];
    const best = runs.reduce((a, b) => (b.run.loss < a.run.loss ? b : a));
    const eu = exactExcess(test, (s) => untiedPredict(s, best.run.parameters));
    const et = exactExcess(test, (s) => untiedPredict(s, tied));
    const s = untiedStructure(best.run.parameters);
    const row: UntiedSweepRow = {
      depth,
      d,
      tied: { alpha: opt.alpha, beta: opt.beta, excess: estimateMean(et).mean },
      untied: {
        excess: estimateMean(eu).mean,
        init: best.init,
        trainLoss: best.run.loss,
        steps: best.run.run.steps,
        stop: best.run.run.stop.reason,
        alpha: s.alpha,
        beta: s.beta,
        aSymmetric: s.aSymmetric,
        aSkew: s.aSkew,
        bSymmetric: s.bSymmetric,
        bSkew: s.bSkew,
      },
      difference: (({ mean, standardError }) => ({ mean, standardError }))(
        estimateMean(eu.map((v, i) => v - et[i])),
      ),
    };
    rows.push(row);
    onRow?.(row);
  }
  return rows;
}
