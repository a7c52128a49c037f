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
 * Run: `deno run -A tools/untied_sweep.ts` (options there); one JSON row per depth.
 *
 * @module
 */

import type { SpikeLaw } from "../model/law.ts";
import {
  type PromptStatistics,
  samplePromptStatistics,
  samplePromptStatisticsNested,
} from "../model/prompt_statistics.ts";
import { estimateMean } from "../model/risk.ts";
import { requireTarget, type Target } from "../model/task.ts";
import {
  exactExcess,
  taskExcess,
  untiedFromTied,
  type UntiedLcaParameters,
  untiedPredict,
  type UntiedStructure,
  untiedStructure,
} from "../model/untied.ts";
import { optimalDepthStep, twoParameterOptimum } from "../theory/population.ts";
import { randomUntied, trainUntied, type UntiedTrainResult } from "../training/untied_training.ts";
import { fitOnStatistics, resolveTrain, trainingTargets } from "../training/training.ts";
import {
  describeValue,
  requireKnownKeys,
  requireNonNegativeInteger,
  requirePositive,
  requirePositiveInteger,
} from "../validation/errors.ts";

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

/** Structure of one layer of a layerwise solution (`untiedStructure` of (A_t, B_t)). */
export interface UntiedLayerStructure extends UntiedStructure {
  /** Layer index t (0-based). B_0 multiplies Sigma q_0 = 0: unused, excluded from the row's B. */
  layer: number;
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
  untied: {
    excess: number;
    init: string;
    trainLoss: number;
    alpha: number;
    beta: number;
    aSymmetric: number;
    aSkew: number;
    bSymmetric: number;
    bSkew: number;
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
  /** Layerwise with `fromShared`: the best shared model on the same prompts. */
  shared?: { init: string; trainLoss: number; excess: number; difference: PairedDifference };
}

/** Options of {@linkcode untiedSweep}. */
export interface UntiedSweepOptions {
  /** Depths T. */
  depths: number[];
  /** Training prompts N. */
  prompts: number;
  /** Test prompts. */
  testPrompts: number;
  /** Most training iterations per start (a cap: Levenberg-Marquardt stops on its certificate). */
  steps: number;
  /** Spiked coordinates d1. */
  d1: number;
  /** Unspiked coordinates d2 (d = d1 + d2). */
  d2: number;
  /** Seed of the prompts (training stream 0, test stream 1). */
  seed: number;
  /** Law of the spike strength (default: the default law of `docs/model.md`). */
  law?: SpikeLaw;
  /** Label noise sigma (default 0.1). */
  sigma?: number;
  /** Train `lca-full-layerwise` instead of `lca-full` (default false). */
  layerwise?: boolean;
  /** Training context L_tr: a positive integer or Infinity (default: exact statistics). */
  context?: number;
  /** Training target: "bayes" (default) or "label" (the noisy y_q of l_{N,L_tr}). */
  target?: Target;
  /** Scales of the random starts (default [0.3]). */
  scales?: number[];
  /** Seeds of the random starts (default [seed + 1]); every scale with every seed. */
  seeds?: number[];
  /** Layerwise only: also start from the best shared solution repeated over the layers. */
  fromShared?: boolean;
  /**
   * Also start exactly at the tied model trained on the same loss (no perturbation; default
   * false): descent from there ends at a training loss no higher than the tied model's.
   */
  tiedStart?: boolean;
}

const SWEEP_KEYS = [
  "depths",
  "prompts",
  "testPrompts",
  "steps",
  "d1",
  "d2",
  "seed",
  "law",
  "sigma",
  "layerwise",
  "context",
  "target",
  "scales",
  "seeds",
  "fromShared",
  "tiedStart",
];

/** Validated sweep options with the defaults filled in (law and sigma stay optional). */
export type ResolvedUntiedSweep =
  & Required<Omit<UntiedSweepOptions, "law" | "sigma">>
  & Pick<UntiedSweepOptions, "law" | "sigma">;

function requireList(name: string, value: unknown): unknown[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new TypeError(`${name} must be a non-empty array, got ${describeValue(value)}`);
  }
  return value;
}

/** Validates sweep options (TypeError/RangeError naming the value) and fills in the defaults. */
export function resolveUntiedSweep(o: UntiedSweepOptions): ResolvedUntiedSweep {
  requireKnownKeys("options", o, SWEEP_KEYS);
  if (o === undefined) throw new TypeError("options must be an options object, got undefined");
  const seed = requireNonNegativeInteger("seed", o.seed);
  const layerwise = o.layerwise ?? false;
  if (typeof layerwise !== "boolean") {
    throw new TypeError(`layerwise must be a boolean, got ${describeValue(layerwise)}`);
  }
  const fromShared = o.fromShared ?? false;
  if (typeof fromShared !== "boolean") {
    throw new TypeError(`fromShared must be a boolean, got ${describeValue(fromShared)}`);
  }
  const tiedStart = o.tiedStart ?? false;
  if (typeof tiedStart !== "boolean") {
    throw new TypeError(`tiedStart must be a boolean, got ${describeValue(tiedStart)}`);
  }
  if (fromShared && !layerwise) {
    throw new RangeError("fromShared must be false unless layerwise is true, got true");
  }
  const context = o.context === undefined || o.context === Infinity
    ? Infinity
    : requirePositiveInteger("context", o.context);
  const testPrompts = requirePositiveInteger("testPrompts", o.testPrompts);
  if (testPrompts < 2) {
    throw new RangeError(`testPrompts must be at least 2 (a standard error), got ${testPrompts}`);
  }
  return {
    depths: requireList("depths", o.depths).map((v, i) =>
      requirePositiveInteger(`depths[${i}]`, v)
    ),
    prompts: requirePositiveInteger("prompts", o.prompts),
    testPrompts,
    steps: requirePositiveInteger("steps", o.steps),
    d1: requirePositiveInteger("d1", o.d1),
    d2: requireNonNegativeInteger("d2", o.d2),
    seed,
    ...(o.law === undefined ? {} : { law: o.law }),
    ...(o.sigma === undefined ? {} : { sigma: o.sigma }),
    layerwise,
    context,
    target: requireTarget(o.target ?? "bayes"),
    scales: requireList("scales", o.scales ?? [0.3]).map((v, i) =>
      requirePositive(`scales[${i}]`, v)
    ),
    seeds: requireList("seeds", o.seeds ?? [seed + 1]).map((v, i) =>
      requireNonNegativeInteger(`seeds[${i}]`, v)
    ),
    fromShared,
    tiedStart,
  };
}

/** The prompts of a sweep: training statistics and targets, and the test statistics. */
export interface UntiedSweepData {
  /** Training statistics (context L_tr, stream 0). */
  train: PromptStatistics;
  /** Training targets (Bayes prediction or noisy label). */
  target: Float64Array;
  /** Test statistics with exact task moments (stream 1): the population excess. */
  test: PromptStatistics;
  /** With a finite L_tr: the same test tasks and queries at context L_te = L_tr. */
  testFinite?: PromptStatistics;
}

/** Samples the prompts of a sweep (the same as `train()` for the same options). */
export function untiedSweepData(options: UntiedSweepOptions): UntiedSweepData {
  const o = resolveUntiedSweep(options);
  // Law and sigma are validated where the prompts are sampled (resolveTask).
  const task = {
    d1: o.d1,
    d2: o.d2,
    ...(o.law === undefined ? {} : { law: o.law }),
    ...(o.sigma === undefined ? {} : { sigma: o.sigma }),
  };
  const train = samplePromptStatistics({
    ...task,
    prompts: o.prompts,
    context: o.context,
    seed: o.seed,
    stream: 0,
  });
  const target = trainingTargets(train, o.target);
  if (o.context === Infinity) {
    const test = samplePromptStatistics({
      ...task,
      prompts: o.testPrompts,
      context: Infinity,
      seed: o.seed,
      stream: 1,
    });
    return { train, target, test };
  }
  const [testFinite, test] = samplePromptStatisticsNested(
    { ...task, prompts: o.testPrompts, seed: o.seed, stream: 1 },
    [o.context, Infinity],
  );
  return { train, target, test, testFinite };
}

export { taskExcess };

function paired(a: Float64Array, b: Float64Array): PairedDifference {
  const { mean, standardError } = estimateMean(a.map((v, i) => v - b[i]));
  return { mean, standardError };
}

/** The structure of a solution as the row reports it (see {@linkcode UntiedSweepRow}). */
export function sweepStructure(
  p: UntiedLcaParameters,
): UntiedStructure & { layers?: UntiedLayerStructure[] } {
  if (!p.layerwise) return untiedStructure(p);
  const d = p.dim, dd = d * d;
  const layers: UntiedLayerStructure[] = [];
  for (let t = 0; t < p.depth; t++) {
    const s = untiedStructure({
      dim: d,
      depth: 1,
      layerwise: false,
      a: p.a.subarray(t * dd, (t + 1) * dd),
      b: p.b.subarray(t * dd, (t + 1) * dd),
    });
    layers.push({ layer: t, ...s });
  }
  const used = layers.slice(1);
  const mean = (xs: number[]) => xs.length === 0 ? NaN : xs.reduce((x, y) => x + y, 0) / xs.length;
  const max = (xs: number[]) => xs.length === 0 ? NaN : Math.max(...xs);
  return {
    alpha: mean(layers.map((l) => l.alpha)),
    beta: mean(used.map((l) => l.beta)),
    aSymmetric: max(layers.map((l) => l.aSymmetric)),
    aSkew: max(layers.map((l) => l.aSkew)),
    bSymmetric: max(used.map((l) => l.bSymmetric)),
    bSkew: max(used.map((l) => l.bSkew)),
    layers,
  };
}

/** The shared solution repeated over the layers (the same predictor, layerwise layout). */
export function replicateLayers(p: UntiedLcaParameters): UntiedLcaParameters {
  if (p.layerwise) throw new RangeError("p.layerwise must be false to replicate, got true");
  const dd = p.dim * p.dim;
  const a = new Float64Array(p.depth * dd), b = new Float64Array(p.depth * dd);
  for (let t = 0; t < p.depth; t++) {
    a.set(p.a.subarray(0, dd), t * dd);
    b.set(p.b.subarray(0, dd), t * dd);
  }
  return { dim: p.dim, depth: p.depth, layerwise: true, a, b };
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

/** Runs the sweep (float64 CPU); `onRow` is called with each row as it is done. */
export function untiedSweep(
  options: UntiedSweepOptions,
  onRow?: (row: UntiedSweepRow) => void,
): UntiedSweepRow[] {
  const o = resolveUntiedSweep(options);
  const data = untiedSweepData(o);
  const { train, test, testFinite } = data;
  const d = train.task.dim;
  const proxy = o.context === Infinity && o.target === "bayes";
  const rows: UntiedSweepRow[] = [];
  for (const depth of o.depths) {
    const opt = depth === 1
      ? { alpha: optimalDepthStep(train.task.law, 1), beta: 0 }
      : twoParameterOptimum(train.task.law, depth);
    const tied = untiedFromTied(opt.alpha, opt.beta, d, depth);
    // The tied model trained on the same loss (the `lca2` path of `train`).
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
    const tiedTrained = untiedFromTied(lca.alpha, lca.beta, d, depth);
    const centre = proxy
      ? { ...opt, label: "tied optimum" }
      : { alpha: lca.alpha, beta: lca.beta, label: "tied trained" };

    const starts = trainStarts(o, data, depth, o.layerwise, centre, lca);
    const excessOf = (p: UntiedLcaParameters) => exactExcess(test, (s) => untiedPredict(s, p));
    const et = excessOf(tied);
    const ett = excessOf(tiedTrained);
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
    const s = sweepStructure(p);
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
    let finiteTest: UntiedSweepRow["finiteTest"];
    if (testFinite) {
      const ex = (q: UntiedLcaParameters) => taskExcess(testFinite, (st) => untiedPredict(st, q));
      const fu = ex(p), ft = ex(tied), ftt = ex(tiedTrained);
      finiteTest = {
        context: o.context,
        tied: estimateMean(ft).mean,
        tiedTrained: estimateMean(ftt).mean,
        untied: estimateMean(fu).mean,
        difference: paired(fu, ft),
        differenceTrained: paired(fu, ftt),
      };
    }
    const row: UntiedSweepRow = {
      depth,
      d,
      tied: { alpha: opt.alpha, beta: opt.beta, excess: estimateMean(et).mean },
      untied: {
        excess: estimateMean(eu).mean,
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
      },
      difference: paired(eu, et),
      layerwise: o.layerwise,
      context: o.context,
      target: o.target,
      prompts: o.prompts,
      tiedTrained: {
        alpha: lca.alpha,
        beta: lca.beta,
        trainLoss: fit.run.loss,
        excess: estimateMean(ett).mean,
      },
      differenceTrained: paired(eu, ett),
      inits,
      finiteTest,
      shared,
    };
    rows.push(row);
    onRow?.(row);
  }
  return rows;
}
