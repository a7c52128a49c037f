/**
 * The two Monte Carlo sweeps behind Figs. 2-5, over separate training runs:
 * - the L_te sweep (Figs. 2 and 5): test risk against the test context L_te at depth T;
 * - the depth sweep (Figs. 3 and 4): test risk against the depth T at one L_te.
 * Run r uses seed + r: its training prompts are stream 0 of that seed (as `train`)
 * and its test prompts stream 1, so every L_te shares the tasks and queries of a run
 * (context examples of a smaller L are a prefix of those of a larger L).
 *
 * @module
 */

import type { LcaParameters } from "../model/models.ts";
import {
  bayesPredict,
  deepLsaPredict,
  lcaPredict,
  lcaWithoutSkipStreamPredict,
  lsaReducedPredict,
  olsPredict,
  sampleMeanPredict,
} from "../model/predictors.ts";
import { lcaExcess } from "../theory/lca_excess.ts";
import type { PromptStatistics } from "../model/prompt_statistics.ts";
import type { SampleOptions } from "../model/task.ts";
import type { TaskConfig } from "../model/task.ts";
import { evaluatePredictions } from "./evaluate.ts";
import { fitAblation, fitDeepLsa, fitLca, fitLsa, type TrainingSet } from "./fit.ts";
import {
  isotropicGamma,
  type PopulationConstants,
  type PopulationLca,
} from "./population_models.ts";
import type { FigureSizes } from "./figure_sizes.ts";
import {
  type Comparison,
  excessAgainst,
  pairedExcessDifference,
  pairedRiskDifference,
} from "./theory_comparisons.ts";

/** One evaluated point: a series at one x (L_te or T) in one run. */
export interface SweepRow {
  run: number;
  series: string;
  x: number;
  risk: number;
  riskSE: number;
  excess: number;
  excessSE: number;
}

/** Trained parameters of one run of the L_te sweep. */
export interface ContextRunParameters {
  run: number;
  seed: number;
  lca1: LcaParameters;
  lca2: LcaParameters;
  deepLsa: { alpha: number; beta: number; depth: number };
  /** Reduced-LSA Gamma (row-major d x d). */
  lsaGamma: number[];
}

/** Result of {@linkcode contextSweep}. */
export interface ContextSweepResult {
  rows: SweepRow[];
  parameters: ContextRunParameters[];
  /** Theory comparisons on run 0 at the largest L_te and at L_te = infinity. */
  comparisons: Comparison[];
}

/** Everything a sweep needs beyond the sizes. */
export interface SweepInputs {
  task: TaskConfig;
  sizes: FigureSizes;
  /** Seed of run 0. */
  seed: number;
  /** Training set of each run (labels, L_tr, N). */
  trainingSets: TrainingSet[];
  constants: PopulationConstants;
  /** Progress lines (default: none). */
  onProgress?: (message: string) => void;
  /** Samples test statistics (the CPU reference, or a backend's kernels). */
  sample: (options: SampleOptions) => Promise<PromptStatistics>;
}

function testSet(inputs: SweepInputs, run: number, context: number): Promise<PromptStatistics> {
  return inputs.sample({
    d1: inputs.task.d1,
    d2: inputs.task.d2,
    law: inputs.task.law,
    sigma: inputs.task.sigma,
    prompts: inputs.sizes.testPrompts,
    context,
    seed: inputs.seed + run,
    stream: 1,
  });
}

function rowsFor(
  run: number,
  x: number,
  test: PromptStatistics,
  predictions: Record<string, Float64Array>,
  bayes: Float64Array,
): SweepRow[] {
  return Object.entries(predictions).map(([series, p]) => {
    const e = evaluatePredictions(p, test.queryLabel, bayes);
    return {
      run,
      series,
      x,
      risk: e.risk.mean,
      riskSE: e.risk.standardError,
      excess: e.excess.mean,
      excessSE: e.excess.standardError,
    };
  });
}

/**
 * The L_te sweep at depth `sizes.depth`: trained LCA (one- and two-parameter), deep
 * LSA and reduced LSA, the population-optimal LCA and gamma* LSA, in-context OLS and
 * the Bayes predictor, on `sizes.testPrompts` test prompts per L_te and run.
 */
export async function contextSweep(
  inputs: SweepInputs,
  population: PopulationLca,
): Promise<ContextSweepResult> {
  const { sizes, task, constants } = inputs;
  const rows: SweepRow[] = [];
  const parameters: ContextRunParameters[] = [];
  let comparisons: Comparison[] = [];
  const gammaStarMatrix = isotropicGamma(constants.gammaStar, task.dim);
  for (let run = 0; run < sizes.runs; run++) {
    inputs.onProgress?.(`L_te sweep: run ${run + 1}/${sizes.runs}`);
    const set = inputs.trainingSets[run];
    const lca1 = fitLca(set, { depth: sizes.depth }).parameters;
    const lca2 = fitLca(set, { depth: sizes.depth, twoParameter: true }).parameters;
    const deepLsa = fitDeepLsa(set, sizes.depth).parameters;
    const gamma = fitLsa(set);
    parameters.push({
      run,
      seed: inputs.seed + run,
      lca1,
      lca2,
      deepLsa,
      lsaGamma: Array.from(gamma),
    });
    const predictAll = (test: PromptStatistics): Record<string, Float64Array> => ({
      "lca1": lcaPredict(test, lca1),
      "lca2": lcaPredict(test, lca2),
      "lca1-pop": lcaPredict(test, population.oneParameter),
      "lca2-pop": lcaPredict(test, population.twoParameter),
      "deep-lsa": deepLsaPredict(test, deepLsa),
      "lsa": lsaReducedPredict(test, gamma),
      "lsa-pop": lsaReducedPredict(test, gammaStarMatrix),
      "ols": olsPredict(test),
      "bayes": bayesPredict(test),
    });
    for (const context of sizes.contexts) {
      const test = await testSet(inputs, run, context);
      const predictions = predictAll(test);
      rows.push(...rowsFor(run, context, test, predictions, predictions.bayes));
      if (run === 0 && context === sizes.contexts[sizes.contexts.length - 1]) {
        comparisons = comparisons.concat(
          largestContextComparisons(context, test, predictions, constants, sizes.depth),
        );
      }
    }
    if (run === 0) {
      const exact = await testSet(inputs, run, Infinity);
      comparisons = comparisons.concat(
        infiniteContextComparisons(predictAll(exact), constants, population, task, lca1),
      );
    }
  }
  return { rows, parameters, comparisons };
}

/** The required comparisons at the largest L_te (run 0): the LSA gap, and LCA against OLS. */
function largestContextRequired(
  context: number,
  test: PromptStatistics,
  p: Record<string, Float64Array>,
  constants: PopulationConstants,
  depth: number,
): Comparison[] {
  const at = `L_te = ${context}`;
  return [
    excessAgainst(
      {
        id: "lsa-gap@largest",
        description: `${at}: excess of the gamma* LSA over Bayes, mean (y_hat - w^T x_q)^2, ` +
          `against the population gap lsaGap (finite-L_te bias O(1/L_te) ignored)`,
        context,
      },
      p["lsa-pop"],
      p.bayes,
      constants.lsaGap,
    ),
    pairedRiskDifference(
      {
        id: "lca1-vs-ols@largest",
        description: `${at}: one-parameter LCA (alpha_T, T = ${depth}) minus in-context OLS, ` +
          `paired risk difference mean (a - y)^2 - (b - y)^2 against 0`,
        context,
      },
      p["lca1-pop"],
      p.ols,
      test.queryLabel,
    ),
    pairedRiskDifference(
      {
        id: "lca2-vs-ols@largest",
        description: `${at}: two-parameter LCA (population optimum, T = ${depth}) minus ` +
          `in-context OLS, paired risk difference against 0`,
        context,
      },
      p["lca2-pop"],
      p.ols,
      test.queryLabel,
    ),
  ];
}

/** The information comparisons at the largest L_te (run 0): not required to hold. */
function largestContextInformation(
  context: number,
  test: PromptStatistics,
  p: Record<string, Float64Array>,
  constants: PopulationConstants,
): Comparison[] {
  const at = `L_te = ${context}`;
  return [
    pairedExcessDifference(
      {
        id: "lca1-vs-ols-excess@largest",
        description: `${at}: one-parameter LCA (alpha_T) minus OLS, paired difference of ` +
          `(y_hat - w^T x_q)^2 against 0 (information: this smallest-SE comparison resolves ` +
          `LCA's real advantage at finite L_te: after T steps a fraction (1 - alpha lambda)^T ` +
          `of the bulk-direction noise of mu_hat is not fitted)`,
        context,
        required: false,
      },
      p["lca1-pop"],
      p.ols,
      p.bayes,
    ),
    excessAgainst(
      {
        id: "trained-lsa-gap@largest",
        description: `${at}: excess of the LSA trained at L_tr against lsaGap (information: ` +
          `trained at finite L_tr, its limit is not the gap)`,
        context,
        required: false,
      },
      p.lsa,
      p.bayes,
      constants.lsaGap,
    ),
    pairedRiskDifference(
      {
        id: "trained-lca1-vs-ols@largest",
        description: `${at}: one-parameter LCA trained at L_tr minus OLS, paired risk ` +
          `difference (information: the trained alpha is far below alpha_T, claim C10)`,
        context,
        required: false,
      },
      p.lca1,
      p.ols,
      test.queryLabel,
    ),
  ];
}

function largestContextComparisons(
  context: number,
  test: PromptStatistics,
  p: Record<string, Float64Array>,
  constants: PopulationConstants,
  depth: number,
): Comparison[] {
  return [
    ...largestContextRequired(context, test, p, constants, depth),
    ...largestContextInformation(context, test, p, constants),
  ];
}

function infiniteContextComparisons(
  p: Record<string, Float64Array>,
  constants: PopulationConstants,
  population: PopulationLca,
  task: TaskConfig,
  trainedLca1: LcaParameters,
): Comparison[] {
  const at = "L_te = inf (exact task statistics; OLS = Bayes)";
  return [
    excessAgainst(
      {
        id: "lsa-gap@inf",
        description: `${at}: excess of the gamma* LSA over Bayes against lsaGap`,
        context: Infinity,
      },
      p["lsa-pop"],
      p.bayes,
      constants.lsaGap,
    ),
    excessAgainst(
      {
        id: "lca1-excess@inf",
        description: `${at}: excess of one-parameter LCA (alpha_T, T = ${population.depth}) ` +
          `over OLS = Bayes against E_T(alpha_T)`,
        context: Infinity,
      },
      p["lca1-pop"],
      p.bayes,
      population.oneParameterExcess,
    ),
    excessAgainst(
      {
        id: "lca2-excess@inf",
        description: `${at}: excess of two-parameter LCA (population optimum) over Bayes ` +
          `against E_T at the optimum`,
        context: Infinity,
      },
      p["lca2-pop"],
      p.bayes,
      population.twoParameterExcess,
    ),
    excessAgainst(
      {
        id: "trained-lca1-excess@inf",
        description: `${at}: excess of the trained one-parameter LCA (alpha = ` +
          `${trainedLca1.alpha.toPrecision(5)}) against E_T(alpha) at its own alpha`,
        context: Infinity,
      },
      p.lca1,
      p.bayes,
      lcaExcess(task.law, trainedLca1),
    ),
  ];
}

/** Trained parameters of one run and depth of the depth sweep. */
export interface DepthRunParameters {
  run: number;
  depth: number;
  lca1: LcaParameters;
  lca2: LcaParameters;
  /** W_V of the ablation without S_t. */
  ablationBeta: number;
}

/** Result of {@linkcode depthSweep}. */
export interface DepthSweepResult {
  rows: SweepRow[];
  parameters: DepthRunParameters[];
}

/**
 * The depth sweep at L_te = `sizes.depthContext`: trained LCA (one- and
 * two-parameter) and the ablation without S_t at every depth, the population
 * optimal LCA, and the depth-free baselines (OLS, sample mean, Bayes).
 */
export async function depthSweep(
  inputs: SweepInputs,
  population: ReadonlyMap<number, PopulationLca>,
): Promise<DepthSweepResult> {
  const { sizes } = inputs;
  const rows: SweepRow[] = [];
  const parameters: DepthRunParameters[] = [];
  for (let run = 0; run < sizes.runs; run++) {
    inputs.onProgress?.(`depth sweep: run ${run + 1}/${sizes.runs}`);
    const set = inputs.trainingSets[run];
    const test = await testSet(inputs, run, sizes.depthContext);
    const bayes = bayesPredict(test);
    const ols = olsPredict(test);
    const mean = sampleMeanPredict(test);
    for (const depth of sizes.depths) {
      const lca1 = fitLca(set, { depth }).parameters;
      const lca2 = fitLca(set, { depth, twoParameter: true }).parameters;
      const ablation = fitAblation(set, depth).parameters;
      const pop = population.get(depth);
      if (!pop) throw new RangeError(`population models must cover depth ${depth}`);
      parameters.push({ run, depth, lca1, lca2, ablationBeta: ablation.beta });
      rows.push(
        ...rowsFor(run, depth, test, {
          "lca1": lcaPredict(test, lca1),
          "lca2": lcaPredict(test, lca2),
          "ablation": lcaWithoutSkipStreamPredict(test, ablation),
          "lca1-pop": lcaPredict(test, pop.oneParameter),
          "lca2-pop": lcaPredict(test, pop.twoParameter),
          "ols": ols,
          "mean": mean,
          "bayes": bayes,
        }, bayes),
      );
    }
  }
  return { rows, parameters };
}
