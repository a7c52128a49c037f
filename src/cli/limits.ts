/**
 * Resource limits of the CLI, checked before any work: the library's budgets
 * (`src/validation/resource_limits.ts`: memory, sampling work, training work, the LSA fit's
 * d <= 32), with messages that name the flags the user typed, and the CLI's own flag
 * ranges (d, s, sigma, Beta shapes, the `population` depth and nodes, prompts).
 *
 * Measured on the 2-core development machine (under load): sampling runs at about
 * 0.7 million tokens per second at d = 4 (`samplePromptStatistics`, 4e6 tokens in
 * 5.5 s); the LCA spectral loss costs about 6 ns per prompt x eigenvalue x layer
 * (47 ms per step at N = 2000, d = 4, T = 1000); Gauss-Jacobi nodes cost O(n^2)
 * (2000 nodes 0.3 s, 10000 nodes 8 s).
 *
 * @module
 */

import { UsageError } from "./options.ts";
import {
  checkSamplingBudget,
  checkTrainingBudget,
  formatCount,
  LSA_MAX_DIMENSION,
  RESOURCE_LIMITS,
} from "../validation/resource_limits.ts";

export { samplingWork, statisticsBytes } from "../validation/resource_limits.ts";

/** The limits. */
export const LIMITS = {
  /** d = d1 + d2 (the CLI's flag range; the library bounds d only through the budgets). */
  dimension: 64,
  /** d for the LSA least-squares fit (d^2 features). */
  lsaDimension: LSA_MAX_DIMENSION,
  /** Upper end of the support of s. */
  spike: 1e6,
  /** Label noise standard deviation. */
  sigma: 1e6,
  /** Beta shape parameters (quadrature and quantile accuracy). */
  betaShapeMin: 1e-3,
  /** Beta shape parameters. */
  betaShapeMax: 1e4,
  /** Sampling work: tokens x (d^2 + d), about 2 minutes at d = 4 (the library's budget). */
  samplingWork: RESOURCE_LIMITS.samplingWork,
  /** Host memory for the prompt statistics, bytes (the library's budget). */
  memoryBytes: RESOURCE_LIMITS.memoryBytes,
  /** Training work: steps x prompts x d x depth (x4 for deep LSA), about 2 minutes. */
  trainingWork: RESOURCE_LIMITS.trainingWork,
  /** Quadrature nodes (O(n^2) eigenvalue solve; about 1.5 s at the limit). */
  nodes: 4352,
  /** Depth of the population quantities (the default node count 256 + 2T stays under `nodes`). */
  populationDepth: 2048,
  /** Test prompts and training prompts. */
  prompts: 2 ** 32 - 1,
} as const;

/** Formats a large count compactly (3 significant digits). */
export function count(value: number): string {
  return formatCount(value);
}

/** The library's RangeError of a budget as the CLI's usage error (the message names flags). */
function asUsageError(check: () => void): void {
  try {
    check();
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * Checks the sampling work and memory of training and test prompts. The CLI counts every
 * token (whatever sampler `auto` picks), a bound on the library's count.
 */
export function checkSampling(
  phases: { prompts: number; context: number; promptsFlag: string; contextFlag: string }[],
  dim: number,
): void {
  asUsageError(() =>
    checkSamplingBudget(
      phases.map((p) => ({
        prompts: p.prompts,
        context: p.context,
        promptsName: p.promptsFlag,
        contextName: p.contextFlag,
      })),
      dim,
      RESOURCE_LIMITS,
      { sampling: ", or use --context inf (exact task statistics)" },
    )
  );
}

/** Checks the training work steps x prompts x d x depth. */
export function checkTraining(
  steps: number,
  prompts: number,
  dim: number,
  depth: number,
  factor: number,
): void {
  asUsageError(() =>
    checkTrainingBudget({
      steps,
      prompts,
      dim,
      depth,
      factor,
      names: { steps: "--steps", prompts: "--prompts", depth: "--depth" },
    })
  );
}
