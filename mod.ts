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

export * from "./src/errors.ts";
export * from "./src/random.ts";
export * from "./src/law.ts";
export * from "./src/quadrature.ts";
export * from "./src/linalg.ts";
export * from "./src/reconstructed.ts";
export * from "./src/task.ts";
export * from "./src/statistics.ts";
export * from "./src/models.ts";
export * from "./src/predictors.ts";
export * from "./src/population.ts";
export * from "./src/losses.ts";
export * from "./src/optimizer.ts";
export * from "./src/risk.ts";
export * from "./src/training.ts";
export * from "./src/backend.ts";
export * from "./src/training_backend.ts";
export { CLAIMS, selectClaims, verifyClaims } from "./src/verify/claims.ts";
export type { Claim } from "./src/verify/claims.ts";
export type {
  CheckOptions,
  CheckSize,
  ClaimPart,
  ClaimResult,
  PropertyReport,
} from "./src/verify/result.ts";

if (import.meta.main) {
  const { main } = await import("./src/cli/main.ts");
  Deno.exit(await main(Deno.args));
}
