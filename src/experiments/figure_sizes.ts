/**
 * Experiment sizes of the `figures` command: the paper's settings (MODEL.md,
 * "Defaults" and the experiments of Figs. 2-5) and a reduced `--quick` preset.
 *
 * @module
 */

import { requirePositiveInteger } from "../validation/errors.ts";

/** Every size an experiment of the figures uses. */
export interface FigureSizes {
  /** Preset name written into captions and data ("full", "quick" or "custom"). */
  name: string;
  /** Training prompts N (paper: 2000). */
  prompts: number;
  /** Training context L_tr (paper: 100). */
  trainContext: number;
  /** Depth T of the L_te sweep (Figs. 2 and 5; paper: 10). */
  depth: number;
  /** Test prompts per evaluation (paper: 1000). */
  testPrompts: number;
  /** Separate training runs (seeds seed, seed + 1, ...; paper: 10). */
  runs: number;
  /** Test context lengths L_te of Figs. 2 and 5 (ascending; the last is the "largest L_te"). */
  contexts: number[];
  /** Depths T of Figs. 3 and 4. */
  depths: number[];
  /** Test context of Figs. 3 and 4 (paper: 64). */
  depthContext: number;
  /** Depths T of the trained-alpha_T figure. */
  alphaDepths: number[];
  /** Largest depth of the population excess-risk figure (T = 1..excessMaxDepth). */
  excessMaxDepth: number;
  /** Most gradient-descent steps of the plotted parameter trajectories (Barzilai-Borwein steps, as `train`). */
  trajectorySteps: number;
  /** Depths T of the untied-against-tied figures (Fig. 9; `untiedSweep`). */
  untiedDepths: number[];
  /** Training prompts of the untied LCA (exact statistics, L = infinity, Bayes target). */
  untiedPrompts: number;
  /** Fresh test prompts of the paired untied-against-tied excess. */
  untiedTestPrompts: number;
  /** Most gradient-descent steps per untied training run (two initialisations per depth). */
  untiedSteps: number;
  /**
   * Depths T of the trained schedule and of the finite-context comparison of Fig. 11 (its
   * population curves run over T = 1..the largest).
   */
  scheduleDepths: number[];
  /** Training prompts of the trained schedule (`lca-schedule`, exact statistics, Bayes target). */
  schedulePrompts: number;
  /** Most gradient-descent steps per schedule training run. */
  scheduleSteps: number;
  /** Test prompts of the trained schedule and per test context of Fig. 11. */
  scheduleTestPrompts: number;
  /** Test contexts L_te of Fig. 11's finite-context panel. */
  scheduleContexts: number[];
}

/**
 * The paper's sizes (MODEL.md): N = 2000, L_tr = 100, T = 10, 1000 test prompts, 10 runs.
 *
 * @example The paper's sizes
 * ```ts
 * import assert from "node:assert/strict";
 * import { FULL_SIZES } from "./figure_sizes.ts";
 * assert.equal(FULL_SIZES.prompts, 2000);
 * assert.equal(FULL_SIZES.runs, 10);
 * ```
 */
export const FULL_SIZES: Readonly<FigureSizes> = Object.freeze({
  name: "full",
  prompts: 2000,
  trainContext: 100,
  depth: 10,
  testPrompts: 1000,
  runs: 10,
  contexts: [16, 32, 64, 128, 256, 512, 1024, 2048, 4096],
  depths: [1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20],
  depthContext: 64,
  alphaDepths: [1, 2, 3, 5, 7, 10, 15, 20, 30, 50],
  excessMaxDepth: 60,
  trajectorySteps: 2000,
  untiedDepths: [1, 2, 3, 4, 6, 8],
  untiedPrompts: 1000,
  untiedTestPrompts: 5000,
  untiedSteps: 500,
  scheduleDepths: [1, 2, 3, 4, 6, 8, 12, 16],
  schedulePrompts: 2000,
  scheduleSteps: 2000,
  scheduleTestPrompts: 4000,
  scheduleContexts: [64, 256, 1024],
});

/**
 * The `--quick` sizes: 3 runs and shorter grids (same N, L_tr, T and test prompts).
 *
 * @example The quick sizes
 * ```ts
 * import assert from "node:assert/strict";
 * import { QUICK_SIZES } from "./figure_sizes.ts";
 * assert.equal(QUICK_SIZES.runs, 3);
 * ```
 */
export const QUICK_SIZES: Readonly<FigureSizes> = Object.freeze({
  name: "quick",
  prompts: 2000,
  trainContext: 100,
  depth: 10,
  testPrompts: 1000,
  runs: 3,
  contexts: [16, 32, 64, 128, 256, 512, 1024, 2048],
  depths: [1, 2, 3, 4, 5, 6, 8, 10, 12, 15],
  depthContext: 64,
  alphaDepths: [1, 2, 3, 5, 10, 20],
  excessMaxDepth: 40,
  trajectorySteps: 2000,
  untiedDepths: [1, 2, 3, 4],
  untiedPrompts: 500,
  untiedTestPrompts: 2000,
  untiedSteps: 300,
  scheduleDepths: [1, 2, 3, 4, 6, 8],
  schedulePrompts: 1000,
  scheduleSteps: 1000,
  scheduleTestPrompts: 2000,
  scheduleContexts: [64, 256, 1024],
});

function requireGrid(name: string, values: unknown, minimum: number): number[] {
  if (!Array.isArray(values) || values.length === 0) {
    throw new TypeError(`${name} must be a non-empty array of integers, got ${String(values)}`);
  }
  const grid = values.map((v, i) => requirePositiveInteger(`${name}[${i}]`, v));
  for (let i = 0; i < grid.length; i++) {
    if (grid[i] < minimum) {
      throw new RangeError(`${name}[${i}] must be >= ${minimum}, got ${grid[i]}`);
    }
    if (i > 0 && grid[i] <= grid[i - 1]) {
      throw new RangeError(`${name} must be strictly increasing, got ${grid.join(", ")}`);
    }
  }
  return grid;
}

function requireAtLeast(name: string, value: unknown, minimum: number): number {
  const n = requirePositiveInteger(name, value);
  if (n < minimum) throw new RangeError(`${name} must be >= ${minimum}, got ${n}`);
  return n;
}

/**
 * Validates sizes, filling unset fields from `base` (default {@linkcode FULL_SIZES}).
 * A test context must be at least 2 so that the sample statistics are defined.
 */
export function resolveSizes(
  sizes: Partial<FigureSizes> = {},
  base: Readonly<FigureSizes> = FULL_SIZES,
): FigureSizes {
  const merged = { ...base, ...sizes };
  const depth = requirePositiveInteger("depth", merged.depth);
  const alphaDepths = requireGrid("alphaDepths", merged.alphaDepths, 1);
  const depths = requireGrid("depths", merged.depths, 1);
  return {
    name: String(merged.name ?? "custom"),
    prompts: requirePositiveInteger("prompts", merged.prompts),
    trainContext: requirePositiveInteger("trainContext", merged.trainContext),
    depth,
    testPrompts: requirePositiveInteger("testPrompts", merged.testPrompts),
    runs: requirePositiveInteger("runs", merged.runs),
    contexts: requireGrid("contexts", merged.contexts, 2),
    depths,
    depthContext: requirePositiveInteger("depthContext", merged.depthContext),
    alphaDepths,
    excessMaxDepth: requirePositiveInteger("excessMaxDepth", merged.excessMaxDepth),
    trajectorySteps: requirePositiveInteger("trajectorySteps", merged.trajectorySteps),
    untiedDepths: requireGrid("untiedDepths", merged.untiedDepths, 1),
    untiedPrompts: requirePositiveInteger("untiedPrompts", merged.untiedPrompts),
    untiedTestPrompts: requirePositiveInteger("untiedTestPrompts", merged.untiedTestPrompts),
    untiedSteps: requirePositiveInteger("untiedSteps", merged.untiedSteps),
    scheduleDepths: requireGrid("scheduleDepths", merged.scheduleDepths, 1),
    schedulePrompts: requirePositiveInteger("schedulePrompts", merged.schedulePrompts),
    scheduleSteps: requirePositiveInteger("scheduleSteps", merged.scheduleSteps),
    scheduleTestPrompts: requireAtLeast("scheduleTestPrompts", merged.scheduleTestPrompts, 2),
    scheduleContexts: requireGrid("scheduleContexts", merged.scheduleContexts, 2),
  };
}

/** One line describing the sizes, for captions. */
export function describeSizes(sizes: FigureSizes): string {
  return `N = ${sizes.prompts} training prompts, L_tr = ${sizes.trainContext}, ` +
    `${sizes.testPrompts} test prompts, ${sizes.runs} training run${sizes.runs === 1 ? "" : "s"} ` +
    `(${sizes.name} size)`;
}
