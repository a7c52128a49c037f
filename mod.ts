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
 * - `./claims` (`src/claims/mod.ts`): the built-in claims (C1-C10, C11-C13, E1-E3) one by
 *   one, their controls, and the parts machinery;
 * - `./webgpu` (`src/backends/webgpu/mod.ts`): the WebGPU backend class;
 * - `./figures` (`src/figures/mod.ts`): figure generation.
 *
 * Running this module as a program starts the CLI (loaded lazily):
 * `deno run -A mod.ts population --json`.
 *
 * @example Population quantities of the default law
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseSpikeLaw, populationSummary } from "./mod.ts";
 * const law = parseSpikeLaw("uniform", 0.5, 4);
 * const p = populationSummary(law, 0.1, 10);
 * assert.equal(p.alphaStar, 2 / 6.5); // alpha* = 2 / (2 + m_lo + m_hi) = 0.30769...
 * // Values shown to 5 digits are checked to half a unit of the last digit.
 * assert.ok(Math.abs(p.alphaT - 0.30003) < 5e-6);
 * assert.ok(Math.abs(p.twoParam.alpha - 0.30065) < 5e-6);
 * assert.ok(Math.abs(p.twoParam.beta + 0.30061) < 5e-6);
 * ```
 *
 * @example A call over a budget is refused before any work, naming the argument
 * ```ts
 * import assert from "node:assert/strict";
 * import { lcaExcess, parseSpikeLaw, RESOURCE_LIMITS, samplePromptStatistics } from "./mod.ts";
 * assert.equal(RESOURCE_LIMITS.memoryBytes, 2 * 2 ** 30); // 2 GiB of prompts a call
 * assert.throws(
 *   () => samplePromptStatistics({ prompts: 1e9, context: 100, seed: 0 }),
 *   /^RangeError: prompts 1e9 need about 432 GiB .*: lower prompts/,
 * );
 * // A result that would overflow is refused too, naming the arguments.
 * const law = parseSpikeLaw("uniform", 0.5, 4);
 * assert.throws(() => lcaExcess(law, { alpha: 1e300, beta: -1e300, depth: 10 }), /alpha = 1e\+300/);
 * ```
 *
 * @example Every built-in claim from the library
 * ```ts
 * import assert from "node:assert/strict";
 * import { ALL_CLAIMS, selectClaims } from "./mod.ts";
 * assert.equal(ALL_CLAIMS.length, 16); // C1..C10, C11..C13, E1..E3
 * assert.deepEqual(selectClaims(["C11", "E1"]).map((c) => c.id), ["C11", "E1"]);
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
export type { Target } from "./src/model/task.ts";
export type {
  PromptBatch,
  PromptStatistics,
  SampleOptions,
  StatisticsSampler,
  TaskBatch,
  TaskConfig,
  TaskFamily,
  TaskOptions,
} from "./src/model/model_types.ts";
export {
  bayesTarget,
  samplePromptStatistics,
  statisticsFromBatch,
} from "./src/model/prompt_statistics.ts";
export { lsaFromGamma, oneParameterLca } from "./src/model/models.ts";
export type { DeepLsaParameters, LcaParameters, LsaParameters } from "./src/model/models.ts";
export type { ScheduleParameters } from "./src/model/schedule_models.ts";
export { SOFTMAX_MODELS, softmaxTokenPredict, tiedSoftmax } from "./src/model/softmax_models.ts";
export type { SoftmaxModel, SoftmaxParameters } from "./src/model/softmax_models.ts";
export { softmaxLoss } from "./src/model/softmax_loss.ts";
export type { SoftmaxLossAndGradient } from "./src/model/softmax_loss.ts";
export {
  bayesPredict,
  deepLsaPredict,
  lcaPredict,
  lcaWithoutSkipStreamPredict,
  lsaPredict,
  lsaReducedPredict,
  olsPredict,
  sampleMeanPredict,
} from "./src/model/predictors.ts";
export {
  deepLsaTokenPredict,
  lcaTokenPredict,
  lsaTokenPredict,
} from "./src/model/token_predictors.ts";
export type { LcaTokenOptions } from "./src/model/token_predictors.ts";
export { estimateMean, pairedExcess, squaredRisk } from "./src/model/risk.ts";
export type { Estimate } from "./src/model/risk.ts";
export type { LossAndGradient } from "./src/model/losses.ts";

// Theory: population quantities (L -> infinity) by quadrature.
export {
  alphaStar,
  bayesRisk,
  contractionRate,
  geometricBound,
  rhoStar,
  zeroPredictorExcess,
} from "./src/theory/population.ts";
export { bestAlphaForBeta, lcaExcess, lcaExcessWithDerivatives } from "./src/theory/lca_excess.ts";
export { deepLsaExcess } from "./src/theory/deep_lsa_excess.ts";
export { gammaStar, lsaGap } from "./src/theory/gamma_star.ts";
export { oneParameterExcess } from "./src/theory/one_parameter_excess.ts";
export { optimalDepthStep } from "./src/theory/optimal_depth_step.ts";
export { populationSummary } from "./src/theory/population_summary.ts";
export { twoParameterOptimum } from "./src/theory/two_parameter_optimum.ts";
export type { QuadratureOptions } from "./src/theory/population.ts";
export type { ExcessWithDerivatives } from "./src/theory/lca_excess.ts";
export type { PopulationSummary } from "./src/theory/population_summary.ts";
export type {
  TwoParameterOptimum,
  TwoParameterOptions,
} from "./src/theory/two_parameter_optimum.ts";

// Training.
export { train } from "./src/training/training.ts";
export { MODELS, TRAIN_DEFAULTS } from "./src/training/train_options.ts";
export type { ModelName, TrainOptions } from "./src/training/train_options.ts";
export type { InitialValueOptions } from "./src/training/check_initial_values.ts";
export type {
  ScheduleArrays,
  SoftmaxArrays,
  TrainedParameters,
} from "./src/training/trained_parameters.ts";
export type { SchedulePopulationExcess, TrainResult } from "./src/training/summarize_training.ts";
export { trainOnBackend } from "./src/training/training_backend.ts";
export type { BackendTrainResult, Placement } from "./src/training/training_backend.ts";
export { gradientDescent } from "./src/training/optimizer.ts";
export type {
  GradientDescentOptions,
  GradientDescentResult,
  Objective,
  TrajectoryPoint,
} from "./src/training/optimizer.ts";
export type { StopInfo, StopReason } from "./src/training/stopping_rules.ts";

// Resource limits: the budgets every sampler, trainer and quadrature checks before any work
// (raise them with the `limits` option, or lift them with `limits: "none"`).
export { RESOURCE_LIMITS } from "./src/validation/resource_limits.ts";
export type { LimitsOption, ResourceLimits } from "./src/validation/resource_limits.ts";

// Backends.
export { BACKEND_KINDS, createBackend, webGpuAvailable } from "./src/backends/create_backend.ts";
export type {
  Backend,
  BackendKind,
  BackendOptions,
  LcaForwardOptions,
  LcaTrainer,
  SoftmaxTrainer,
} from "./src/backends/backend.ts";
export { CpuBackend } from "./src/backends/cpu/cpu_backend.ts";

// Claims.
export {
  ALL_CLAIMS,
  CLAIMS,
  claimsOfModule,
  loadClaimsModule,
  selectClaims,
  verifyClaims,
} from "./src/claims/claims.ts";
export type { AnyClaim } from "./src/claims/claims.ts";
export { defineClaim, isClaim } from "./src/claims/define.ts";
export type { Claim, ClaimDefinition, ClaimPartsOutput } from "./src/claims/define.ts";
export type { CheckSize, ClaimPart, PropertyReport, ReplaySpec } from "./src/claims/claim_part.ts";
export type { ClaimResult } from "./src/claims/claim_result.ts";
export type { CheckOptions, ResolvedCheck } from "./src/claims/resolve_check.ts";

if (import.meta.main) {
  // No top-level await: a claims module run by `verify --claims-module` imports this
  // very module, which must finish evaluating first.
  import("./src/cli/main.ts")
    .then(({ main }) => main(Deno.args))
    .then((code) => Deno.exit(code));
}
