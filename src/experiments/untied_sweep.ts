/**
 * The C11 sweep: untied (full-matrix) LCA against the tied two-parameter model over depths T,
 * with the structure of the trained matrices.
 *
 * Training: N prompts (stream 0) with training context L_tr (`context`, default Infinity: exact
 * task statistics) and target `bayes` (default: w^T x_q, the population proxy) or `label` (the
 * noisy y_q: with a finite L_tr this is the paper's empirical loss l_{N,L_tr}, as in `train()`).
 * Each depth trains the untied model (`lca-full`, or `lca-full-layerwise` with `layerwise`)
 * from every random initialisation in `scales` x `seeds` and from a tied centre plus a small
 * random perturbation N(0, 0.05^2/d) (which finds the better basin when descent from random
 * starts has not converged), keeps the lowest training loss and records every start. The tied
 * centre is the two-parameter population optimum on the population proxy (context Infinity,
 * target bayes; today's sweep) and otherwise the tied model trained on the same loss. With
 * `layerwise` and `fromShared`, the shared model is trained first from the same starts and its
 * best solution, repeated over the layers, is one more layerwise start; with `tiedStart`, the
 * tied model trained on the same loss, unperturbed, is one more start.
 *
 * Comparison: on fresh test prompts (stream 1) by the per-prompt excess over the oracle
 * w^T x_q with the query integrated out, (g - w)^T Sigma (g - w), Sigma = I + m m^T the task
 * covariance and g the predictor's weights on x_q. The headline excess is the population
 * excess (exact task statistics, test context Infinity), paired on the same prompts against
 * (i) the tied two-parameter population optimum (`difference`) and (ii) the tied model
 * trained on the same training loss and prompts (`differenceTrained`). With a finite L_tr, the
 * same comparison is also made at the test context L_te = L_tr on the same tasks and queries
 * (`finiteTest`).
 *
 * Run: `npx -y deno@2.9.6 run -A mod.ts sweep untied` (flags: `sweep untied --help`); one JSON
 * row per depth.
 *
 * @module
 */

import { estimateMean } from "../model/risk.ts";
import {
  exactExcess,
  taskExcess,
  untiedFromTied,
  type UntiedLcaParameters,
  untiedPredict,
  type UntiedStructure,
} from "../model/untied.ts";
import { optimalDepthStep } from "../theory/optimal_depth_step.ts";
import { twoParameterOptimum } from "../theory/two_parameter_optimum.ts";
import { randomUntied, trainUntied, type UntiedTrainResult } from "../training/untied_training.ts";
import { fitOnStatistics } from "../training/fit_on_statistics.ts";
import { resolveTrain } from "../training/train_options.ts";
import type { LcaParameters } from "../model/models.ts";
import type { Target } from "../model/task.ts";
import {
  type ResolvedUntiedSweep,
  resolveUntiedSweep,
  type UntiedSweepOptions,
} from "./untied_sweep_options.ts";
import { type UntiedSweepData, untiedSweepData } from "./untied_sweep_data.ts";
import { replicateLayers, sweepStructure, type UntiedLayerStructure } from "./sweep_structure.ts";
import { type ScheduleReference, scheduleReference } from "./schedule_reference.ts";

// The options are part of the sweep's interface (the `sweep untied` command).
export { type ResolvedUntiedSweep, resolveUntiedSweep, taskExcess, type UntiedSweepOptions };

/** A paired mean difference with its standard error. */
export interface PairedDifference {
  /** Mean of the per-prompt differences. */
  mean: number;
  /** Standard error of that mean. */
  standardError: number;
}

/** One training start of the untied model. */
export interface UntiedInitRecord {
  /** What the start was (`random (scale S)`, `tied ... + N(0, 0.05^2/d)`, `shared best, ...`). */
  init: string;
  /** Scale of a random start (undefined otherwise). */
  scale?: number;
  /** Seed of a random start (undefined otherwise). */
  seed?: number;
  /** Final training loss. */
  trainLoss: number;
  /** Gradient-descent steps taken. */
  steps: number;
  /** Why the descent stopped (`optimizer.ts`). */
  stop: string;
  /** Population excess of this start's trained model on the test prompts. */
  excess: number;
}

/** One depth of the sweep. */
export interface UntiedSweepRow {
  /** Layers T. */
  depth: number;
  /** Covariate dimension d. */
  d: number;
  /** The tied two-parameter population optimum and its population excess. */
  tied: { alpha: number; beta: number; excess: number };
  /**
   * The untied model kept (lowest training loss): population excess, start, training loss,
   * structure (shared: `untiedStructure`; layerwise: tr A/d and tr B/d averaged over layers,
   * the relative symmetric and skew parts the maximum over layers, B over layers 1..T-1 only)
   * and, added, the trained matrices (`a`, `b`, row-major, per layer when layerwise).
   */
  untied: UntiedStructure & {
    excess: number;
    init: string;
    trainLoss: number;
    steps: number;
    stop: string;
    layers?: UntiedLayerStructure[];
    a: number[];
    b: number[];
  };
  /** Untied minus tied-optimum population excess, paired on the same test prompts. */
  difference: PairedDifference;
  /** Shared (false) or layerwise (true) untied model. */
  layerwise: boolean;
  /** Training context L_tr (Infinity: exact task statistics). */
  context: number;
  /** Training target. */
  target: Target;
  /** Training prompts N. */
  prompts: number;
  /** The tied two-parameter model trained on the same loss and prompts (`lca2` in `train`). */
  tiedTrained: { alpha: number; beta: number; trainLoss: number; excess: number };
  /** Untied minus trained-tied population excess, paired on the same test prompts. */
  differenceTrained: PairedDifference;
  /** Every training start, in order (random starts, the tied centre, the shared best). */
  inits: UntiedInitRecord[];
  /**
   * With a finite L_tr: the excess at test context L_te = L_tr (same tasks and queries as the
   * population excess; Sigma_hat, mu_hat from L_te tokens; Sigma = I + m m^T for the query).
   */
  finiteTest?: {
    context: number;
    tied: number;
    tiedTrained: number;
    untied: number;
    difference: PairedDifference;
    differenceTrained: PairedDifference;
  };
  /**
   * The optimal scalar schedule (`lca-schedule`, claim C12) on the same prompts: its training
   * loss, its population excess (test prompts and quadrature) and the kept model's paired
   * difference from it. The layerwise model contains it.
   */
  schedule: ScheduleReference;
  /** Layerwise with `fromShared`: the best shared model on the same prompts. */
  shared?: { init: string; trainLoss: number; excess: number; difference: PairedDifference };
}

function paired(a: Float64Array, b: Float64Array): PairedDifference {
  const { mean, standardError } = estimateMean(a.map((v, i) => v - b[i]));
  return { mean, standardError };
}

interface Start {
  init: string;
  scale?: number;
  seed?: number;
  run: UntiedTrainResult;
}

/** Trains from every start of one layout; returns all runs (in order). */
function trainStarts(
  o: ResolvedUntiedSweep,
  data: UntiedSweepData,
  depth: number,
  layerwise: boolean,
  centre: { alpha: number; beta: number; label: string },
  trained: { alpha: number; beta: number },
): Start[] {
  const d = data.train.task.dim;
  const starts: Start[] = [];
  for (const scale of o.scales) {
    for (const seed of o.seeds) {
      const init = o.seeds.length === 1
        ? `random (scale ${scale})`
        : `random (scale ${scale}, seed ${seed})`;
      const run = trainUntied(data.train, data.target, {
        depth,
        layerwise,
        scale,
        seed,
        steps: o.steps,
      });
      starts.push({ init, scale, seed, run });
    }
  }
  const perturbed = untiedFromTied(centre.alpha, centre.beta, d, depth, layerwise);
  const noise = randomUntied(d, depth, layerwise, 0.05, o.seed + 5);
  for (let i = 0; i < perturbed.a.length; i++) {
    perturbed.a[i] += noise.a[i];
    perturbed.b[i] += noise.b[i];
  }
  starts.push({
    init: `${centre.label} + N(0, 0.05^2/d)`,
    run: trainUntied(data.train, data.target, { depth, initial: perturbed, steps: o.steps }),
  });
  if (o.tiedStart) {
    starts.push({
      init: "tied trained (unperturbed)",
      run: trainUntied(data.train, data.target, {
        depth,
        initial: untiedFromTied(trained.alpha, trained.beta, d, depth, layerwise),
        steps: o.steps,
      }),
    });
  }
  return starts;
}

function lowest(starts: Start[]): Start {
  return starts.reduce((a, b) => (b.run.loss < a.run.loss ? b : a));
}

/** The tied references of one depth: the population optimum and the tied model trained on the same loss. */
interface TiedReferences {
  /** The two-parameter population optimum (beta 0 at T = 1). */
  optimum: { alpha: number; beta: number };
  /** The optimum as an untied model. */
  tied: UntiedLcaParameters;
  /** The tied model trained on the same loss and prompts (the `lca2` path of `train`). */
  trained: LcaParameters;
  /** Its final training loss. */
  trainedLoss: number;
  /** The trained tied model as an untied model. */
  tiedTrained: UntiedLcaParameters;
}

function tiedReferences(
  o: ResolvedUntiedSweep,
  data: UntiedSweepData,
  depth: number,
): TiedReferences {
  const { train } = data;
  const d = train.task.dim;
  const optimum = depth === 1
    ? { alpha: optimalDepthStep(train.task.law, 1), beta: 0 }
    : twoParameterOptimum(train.task.law, depth);
  const tied = untiedFromTied(optimum.alpha, optimum.beta, d, depth);
  const r = resolveTrain({
    model: "lca2",
    d1: o.d1,
    d2: o.d2,
    ...(o.law === undefined ? {} : { law: o.law }),
    ...(o.sigma === undefined ? {} : { sigma: o.sigma }),
    depth,
    prompts: o.prompts,
    context: o.context,
    steps: o.steps,
    target: o.target,
    seed: o.seed,
  });
  const fit = fitOnStatistics(r, train, data.target);
  if (fit.parameters.model !== "lca2") throw new TypeError("the tied fit must be lca2");
  const lca = fit.parameters.lca;
  return {
    optimum,
    tied,
    trained: lca,
    trainedLoss: fit.run.loss,
    tiedTrained: untiedFromTied(lca.alpha, lca.beta, d, depth),
  };
}

/** The kept untied model as the row reports it: excess, start, loss, structure and matrices. */
function keptModel(best: Start, excess: Float64Array): UntiedSweepRow["untied"] {
  const p = best.run.parameters;
  const s = sweepStructure(p);
  return {
    excess: estimateMean(excess).mean,
    init: best.init,
    trainLoss: best.run.loss,
    alpha: s.alpha,
    beta: s.beta,
    aSymmetric: s.aSymmetric,
    aSkew: s.aSkew,
    bSymmetric: s.bSymmetric,
    bSkew: s.bSkew,
    steps: best.run.run.steps,
    stop: best.run.run.stop.reason,
    layers: s.layers,
    a: Array.from(p.a),
    b: Array.from(p.b),
  };
}

/** With a finite L_tr: the three models' excess at L_te = L_tr and the paired differences. */
function finiteComparison(
  context: number,
  testFinite: UntiedSweepData["testFinite"],
  models: {
    untied: UntiedLcaParameters;
    tied: UntiedLcaParameters;
    tiedTrained: UntiedLcaParameters;
  },
): UntiedSweepRow["finiteTest"] {
  if (!testFinite) return undefined;
  const ex = (q: UntiedLcaParameters) => taskExcess(testFinite, (st) => untiedPredict(st, q));
  const fu = ex(models.untied), ft = ex(models.tied), ftt = ex(models.tiedTrained);
  return {
    context,
    tied: estimateMean(ft).mean,
    tiedTrained: estimateMean(ftt).mean,
    untied: estimateMean(fu).mean,
    difference: paired(fu, ft),
    differenceTrained: paired(fu, ftt),
  };
}

/** One depth of the sweep: every start trained, the lowest loss kept and compared. */
function sweepDepth(o: ResolvedUntiedSweep, data: UntiedSweepData, depth: number): UntiedSweepRow {
  const { train, test } = data;
  const d = train.task.dim;
  const proxy = o.context === Infinity && o.target === "bayes";
  const ref = tiedReferences(o, data, depth);
  const lca = ref.trained;
  const centre = proxy
    ? { ...ref.optimum, label: "tied optimum" }
    : { alpha: lca.alpha, beta: lca.beta, label: "tied trained" };
  const starts = trainStarts(o, data, depth, o.layerwise, centre, lca);
  const excessOf = (p: UntiedLcaParameters) => exactExcess(test, (s) => untiedPredict(s, p));
  const et = excessOf(ref.tied);
  const ett = excessOf(ref.tiedTrained);
  let sharedBest: Start | undefined;
  if (o.fromShared) {
    sharedBest = lowest(trainStarts(o, data, depth, false, centre, lca));
    starts.push({
      init: `shared best (${sharedBest.init}), repeated over layers`,
      run: trainUntied(data.train, data.target, {
        depth,
        initial: replicateLayers(sharedBest.run.parameters),
        steps: o.steps,
      }),
    });
  }
  const inits: UntiedInitRecord[] = starts.map((s) => ({
    init: s.init,
    scale: s.scale,
    seed: s.seed,
    trainLoss: s.run.loss,
    steps: s.run.run.steps,
    stop: s.run.run.stop.reason,
    excess: estimateMean(excessOf(s.run.parameters)).mean,
  }));
  const best = lowest(starts);
  const p = best.run.parameters;
  const eu = excessOf(p);
  let shared: UntiedSweepRow["shared"];
  if (sharedBest) {
    const es = excessOf(sharedBest.run.parameters);
    shared = {
      init: sharedBest.init,
      trainLoss: sharedBest.run.loss,
      excess: estimateMean(es).mean,
      difference: paired(eu, es),
    };
  }
  return {
    depth,
    d,
    tied: { alpha: ref.optimum.alpha, beta: ref.optimum.beta, excess: estimateMean(et).mean },
    untied: keptModel(best, eu),
    difference: paired(eu, et),
    layerwise: o.layerwise,
    context: o.context,
    target: o.target,
    prompts: o.prompts,
    tiedTrained: {
      alpha: lca.alpha,
      beta: lca.beta,
      trainLoss: ref.trainedLoss,
      excess: estimateMean(ett).mean,
    },
    differenceTrained: paired(eu, ett),
    schedule: scheduleReference(depth, train, data.target, test, eu),
    inits,
    finiteTest: finiteComparison(o.context, data.testFinite, {
      untied: p,
      tied: ref.tied,
      tiedTrained: ref.tiedTrained,
    }),
    shared,
  };
}

/** Runs the sweep (float64 CPU); `onRow` is called with each row as it is done. */
export function untiedSweep(
  options: UntiedSweepOptions,
  onRow?: (row: UntiedSweepRow) => void,
): UntiedSweepRow[] {
  const o = resolveUntiedSweep(options);
  const data = untiedSweepData(o);
  const rows: UntiedSweepRow[] = [];
  for (const depth of o.depths) {
    const row = sweepDepth(o, data, depth);
    rows.push(row);
    onRow?.(row);
  }
  return rows;
}
