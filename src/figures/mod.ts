/**
 * The paper's experiments as figures: Vega-Lite SVGs with their data (JSON, CSV),
 * an index.html and a summary of the theory comparisons.
 *
 * @example Generate the quick set
 * ```ts ignore
 * import { generateFigures, QUICK_SIZES } from "./mod.ts";
 * const result = await generateFigures({ out: "figures-out", baseSizes: QUICK_SIZES });
 * console.log(result.files.length);
 * ```
 *
 * @module
 */

export { generateFigures, type GenerateOptions, type GenerateResult } from "./generate.ts";
export { type FigureSizes, FULL_SIZES, QUICK_SIZES } from "../experiments/figure_sizes.ts";
export type { Comparison } from "../experiments/theory_comparisons.ts";
