/**
 * The paper's experiments as figures: Vega-Lite SVGs with their data (JSON, CSV),
 * an index.html and a summary of the theory comparisons.
 *
 * @example Generate the quick set
 * ```ts
 * import assert from "node:assert/strict";
 * import { generateFigures, QUICK_SIZES } from "./mod.ts";
 * const result = await generateFigures({ out: "figures-out", baseSizes: QUICK_SIZES });
 * assert.ok(result.files.includes("index.html"));
 * ```
 *
 * @module
 */

export { generateFigures, type GenerateOptions, type GenerateResult } from "./generate.ts";
export { type FigureSizes, FULL_SIZES, QUICK_SIZES } from "../experiments/figure_sizes.ts";
export type { Comparison } from "../experiments/theory_comparisons.ts";
