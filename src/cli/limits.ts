/**
 * Resource limits of the CLI, checked before any work. Each limit keeps one run
 * within minutes and a few GiB on a laptop; the messages say which limit was hit
 * and which flags bring a run under it.
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

/** The limits. */
export const LIMITS = {
  /** d = d1 + d2. */
  dimension: 64,
  /** d for the LSA least-squares fit (d^2 features). */
  lsaDimension: 32,
  /** Upper end of the support of s. */
  spike: 1e6,
  /** Label noise standard deviation. */
  sigma: 1e6,
  /** Beta shape parameters (quadrature and quantile accuracy). */
  betaShapeMin: 1e-3,
  /** Beta shape parameters. */
  betaShapeMax: 1e4,
  /** Sampling work: tokens x (d^2 + d), about 2 minutes at d = 4. */
  samplingWork: 2e9,
  /** Host memory for the prompt statistics, bytes. */
  memoryBytes: 2 * 2 ** 30,
  /** Training work: steps x prompts x d x depth (x4 for deep LSA), about 2 minutes. */
  trainingWork: 2e10,
  /** Quadrature nodes (O(n^2) eigenvalue solve; about 1.5 s at the limit). */
  nodes: 4352,
  /** Depth of the population quantities (the default node count 256 + 2T stays under `nodes`). */
  populationDepth: 2048,
  /** Test prompts and training prompts. */
  prompts: 2 ** 32 - 1,
} as const;

/** Formats a large count compactly (3 significant digits). */
export function count(value: number): string {
  return value < 1e6
    ? String(value)
    : Number(value.toPrecision(3)).toExponential().replace("e+", "e");
}

/** Sampling work of prompts x (context + 1) tokens at dimension d (context Infinity: 2d + 1 tokens). */
export function samplingWork(prompts: number, context: number, dim: number): number {
  const tokens = Number.isFinite(context) ? context + 1 : 1;
  return prompts * tokens * (dim * dim + dim);
}

/** Bytes of the prompt statistics of `prompts` prompts at dimension d (with the spectral form). */
export function statisticsBytes(prompts: number, dim: number): number {
  return 8 * prompts * (2 * dim * dim + 5 * dim + 6);
}

/** Checks the sampling work and memory of training and test prompts. */
export function checkSampling(
  phases: { prompts: number; context: number; promptsFlag: string; contextFlag: string }[],
  dim: number,
): void {
  let work = 0, bytes = 0;
  for (const p of phases) {
    work += samplingWork(p.prompts, p.context, dim);
    bytes += statisticsBytes(p.prompts, dim);
  }
  const flags = phases.flatMap((p) => [p.promptsFlag, p.contextFlag]).join(", ");
  if (bytes > LIMITS.memoryBytes) {
    throw new UsageError(
      `${phases.map((p) => `${p.promptsFlag} ${count(p.prompts)}`).join(" and ")} need about ${
        (bytes / 2 ** 30).toPrecision(3)
      } GiB for the prompt statistics at d = ${dim}, over the memory limit of ${
        LIMITS.memoryBytes / 2 ** 30
      } GiB: lower ${phases.map((p) => p.promptsFlag).join(" or ")}`,
    );
  }
  if (work > LIMITS.samplingWork) {
    const tokens = phases.map((p) =>
      `${p.promptsFlag} ${count(p.prompts)} x (${p.contextFlag} ${
        Number.isFinite(p.context) ? count(p.context) : "inf"
      } + 1)`
    ).join(" + ");
    throw new UsageError(
      `sampling ${tokens} tokens at d = ${dim} is ${
        count(work)
      } token-units (tokens x (d^2 + d)), ` +
        `over the limit of ${count(LIMITS.samplingWork)} (about 2 minutes): lower ${flags}, ` +
        `or use --context inf (exact task statistics)`,
    );
  }
}

/** Checks the training work steps x prompts x d x depth. */
export function checkTraining(
  steps: number,
  prompts: number,
  dim: number,
  depth: number,
  factor: number,
): void {
  const work = steps * prompts * dim * depth * factor;
  if (work > LIMITS.trainingWork) {
    throw new UsageError(
      `training work --steps ${count(steps)} x --prompts ${count(prompts)} x d ${dim} x --depth ${
        count(depth)
      }${factor === 1 ? "" : ` x ${factor} (cost per layer)`} = ${
        count(work)
      } is over the limit of ${
        count(LIMITS.trainingWork)
      } (about 2 minutes): lower --depth, --prompts or --steps`,
    );
  }
}
