/**
 * Building blocks for your own properties and claims: fast-check arbitraries over
 * laws, tasks, prompt batches, model parameters and sizes; statistical
 * assertions with margins from standard errors (and the Bonferroni multiplier);
 * fast-check properties as replayable claim parts; and `testClaim`, which runs a
 * claim under `deno test` with one step per part.
 *
 * @example A property over drawn laws
 * ```ts
 * import fc from "npm:fast-check@^4";
 * import { spikeLaws } from "./mod.ts";
 * import { alphaStar, rhoStar } from "../theory/population.ts";
 * fc.assert(fc.property(spikeLaws(), (law) => rhoStar(law) < 1 && alphaStar(law) > 0), {
 *   seed: 1,
 *   numRuns: 50,
 * });
 * ```
 *
 * @module
 */

export * from "./arbitraries.ts";
export * from "./assertions.ts";
export * from "./register.ts";
export { bonferroniZ, normalQuantile, summationErrorBound } from "../claims/margins.ts";
export { expect } from "../claims/expect.ts";
export { propertyPart } from "../claims/property_part.ts";
export { WorstCase } from "../claims/worst_case.ts";
export type { Arbitrary, Random, Stream, Value } from "npm:fast-check@^4";
