/**
 * icl-verify: the models of "Multi-layer Cross-Attention is Provably Optimal for
 * Multi-modal In-context Learning" (arXiv 2602.04872) with a float64 CPU
 * reference, population mathematics by quadrature, training by gradient
 * descent, and empirical checks of every theorem.
 *
 * Running this module as a program starts the CLI (loaded lazily):
 * `deno run -A mod.ts population --json`.
 *
 * @example
 * ```ts
 * import { populationSummary, parseSpikeLaw } from "./mod.ts";
 * const law = parseSpikeLaw("uniform", 0.5, 4);
 * const p = populationSummary(law, 0.1, 10);
 * console.log(p.alphaStar, p.alphaT, p.twoParam); // 0.3077 0.3000 { alpha: 0.30065, beta: -0.30061 }
 * ```
 *
 * @module
 */

export * from "./src/validation/errors.ts";
export * from "./src/numeric/random.ts";
export * from "./src/model/law.ts";
export * from "./src/numeric/quadrature.ts";
export * from "./src/numeric/linalg.ts";
export * from "./src/model/reconstructed.ts";
export * from "./src/model/task.ts";
export * from "./src/model/statistics.ts";
export * from "./src/model/regression.ts";
export * from "./src/model/untied.ts";
export * from "./src/theory/regression.ts";
export * from "./src/model/models.ts";
export * from "./src/model/predictors.ts";
export * from "./src/theory/population.ts";
export * from "./src/model/losses.ts";
export * from "./src/training/optimizer.ts";
export * from "./src/model/risk.ts";
export * from "./src/training/training.ts";
export * from "./src/backends/backend.ts";
export { CpuBackend } from "./src/backends/cpu/cpu_backend.ts";
export { WebGpuBackend } from "./src/backends/webgpu/webgpu_backend.ts";
export * from "./src/training/training_backend.ts";
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
} from "./src/claims/result.ts";

if (import.meta.main) {
  const { main } = await import("./src/cli/main.ts");
  Deno.exit(await main(Deno.args));
}
