/**
 * icl-verify: the models of "Multi-layer Cross-Attention is Provably Optimal for
 * Multi-modal In-context Learning" (arXiv 2602.04872) with a float64 CPU
 * reference, population mathematics by quadrature, training by gradient
 * descent, and empirical checks of every theorem.
 *
 * This module is the curated public API: the model (laws, sampling,
 * predictors, risks), the population theory, training, the backends and the
 * claims. Larger areas have their own entry points (subpath exports):
 *
 * - `./testing` (`src/testing/mod.ts`): fast-check arbitraries, statistical
 *   assertions with SE margins, `testClaim`;
 * - `./claims` (`src/claims/mod.ts`): the built-in claims C1-C10 one by one, their
 *   controls, and the parts machinery;
 * - `./webgpu` (`src/backends/webgpu/mod.ts`): the WebGPU backend class;
 * - `./figures` (`src/figures/mod.ts`): figure generation.
 *
 * Running this module as a program starts the CLI (loaded lazily):
 * `deno run -A mod.ts population --json`.
 *
 * @example Population quantities of the default law
 * ```ts
 * import { parseSpikeLaw, populationSummary } from "./mod.ts";
 * const law = parseSpikeLaw("uniform", 0.5, 4);
 * const p = populationSummary(law, 0.1, 10);
 * console.log(p.alphaStar, p.alphaT, p.twoParam); // 0.3077 0.3000 { alpha: 0.30065, beta: -0.30061 }
 * ```
 *
 * @module
 */

// The model: law -> task -> statistics -> predictors -> risk.
export { formatSpikeLaw, parseSpikeLaw } from "./src/model/law.ts";
export type { SpikeLaw } from "./src/model/law.ts";
export { RECONSTRUCTED_CHOICES } from "./src/model/reconstructed.ts";
export type { ReconstructedChoice } from "./src/model/reconstructed.ts";
export { samplePromptBatch, TARGETS, TASK_DEFAULTS } from "./src/model/task.ts";
export type {
  PromptBatch,
  SampleOptions,
  StatisticsSampler,
  Target,
  TaskBatch,
  TaskConfig,
  TaskOptions,
} from "./src/model/task.ts";
export {
  bayesTarget,
  samplePromptStatistics,
  statisticsFromBatch,
} from "./src/model/prompt_statistics.ts";
export type { PromptStatistics } from "./src/model/prompt_statistics.ts";
export type { TaskFamily } from "./src/model/families/regression.ts";
export { lsaFromGamma, oneParameterLca } from "./src/model/models.ts";
export type { DeepLsaParameters, LcaParameters, LsaParameters } from "./src/model/models.ts";
export {
  bayesPredict,
  deepLsaPredict,
  deepLsaTokenPredict,
  lcaPredict,
  lcaTokenPredict,
  lcaWithoutSkipStreamPredict,
  lsaPredict,
  lsaReducedPredict,
  lsaTokenPredict,
  olsPredict,
  sampleMeanPredict,
} from "./src/model/predictors.ts";
export type { LcaTokenOptions } from "./src/model/predictors.ts";
export { estimateMean, pairedExcess, squaredRisk } from "./src/model/risk.ts";
export type { Estimate } from "./src/model/risk.ts";
export type { LossAndGradient } from "./src/model/losses.ts";

// Theory: population quantities (L -> infinity) by quadrature.
export {
  alphaStar,
  bayesRisk,
  bestAlphaForBeta,
  contractionRate,
  deepLsaExcess,
  gammaStar,
  geometricBound,
  lcaExcess,
  lcaExcessWithDerivatives,
  lsaGap,
  oneParameterExcess,
  optimalDepthStep,
  populationSummary,
  rhoStar,
  twoParameterOptimum,
  zeroPredictorExcess,
} from "./src/theory/population.ts";
export type {
  ExcessWithDerivatives,
  PopulationSummary,
  QuadratureOptions,
  TwoParameterOptimum,
  TwoParameterOptions,
} from "./src/theory/population.ts";

// Training.
export { MODELS, train, TRAIN_DEFAULTS } from "./src/training/training.ts";
export type {
  ModelName,
  TrainedParameters,
  TrainOptions,
  TrainResult,
} from "./src/training/training.ts";
export { trainOnBackend } from "./src/training/training_backend.ts";
export type { BackendTrainResult, Placement } from "./src/training/training_backend.ts";
export { gradientDescent } from "./src/training/optimizer.ts";
export type {
  GradientDescentOptions,
  GradientDescentResult,
  Objective,
  StopInfo,
  StopReason,
  TrajectoryPoint,
} from "./src/training/optimizer.ts";

// Backends.
export { BACKEND_KINDS, createBackend, webGpuAvailable } from "./src/backends/backend.ts";
export type {
  Backend,
  BackendKind,
  BackendOptions,
  LcaForwardOptions,
  LcaTrainer,
} from "./src/backends/backend.ts";
export { CpuBackend } from "./src/backends/cpu/cpu_backend.ts";

// Claims.
export {
  CLAIMS,
  claimsOfModule,
  loadClaimsModule,
  selectClaims,
  verifyClaims,
} from "./src/claims/claims.ts";
export type { AnyClaim } from "./src/claims/claims.ts";
export { defineClaim, isClaim } from "./src/claims/define.ts";
export type { Claim, ClaimDefinition, ClaimPartsOutput } from "./src/claims/define.ts";
export type {
  CheckOptions,
  CheckSize,
  ClaimPart,
  ClaimResult,
  PropertyReport,
  ReplaySpec,
  ResolvedCheck,
} from "./src/claims/result.ts";

if (import.meta.main) {
  // No top-level await: a claims module run by `verify --claims-module` imports this
  // very module, which must finish evaluating first.
  import("./src/cli/main.ts")
    .then(({ main }) => main(Deno.args))
    .then((code) => Deno.exit(code));
}
