/**
 * The figure context of the figure tests: the quick sizes, the law uniform[0.5, 4] with
 * sigma = 0.1, a placeholder task text and seed 7 (each overridable).
 *
 * @module
 */

import { QUICK_SIZES } from "../src/experiments/figure_sizes.ts";
import { populationConstants } from "../src/experiments/population_models.ts";
import type { FigureContext } from "../src/figures/definitions.ts";
import { parseSpikeLaw, type SpikeLaw } from "../src/model/law.ts";

/** The spike law of the figure tests: uniform on [0.5, 4]. */
export const FIGURE_LAW: SpikeLaw = parseSpikeLaw("uniform", 0.5, 4);

/**
 * A figure context on FIGURE_LAW with sigma = 0.1 (its population constants), task text
 * "Task: test", and sizes QUICK_SIZES and seed 7 unless `overrides` says otherwise.
 */
export function testFigureContext(
  overrides: Partial<Pick<FigureContext, "sizes" | "seed">> = {},
): FigureContext {
  return {
    sizes: QUICK_SIZES,
    constants: populationConstants(FIGURE_LAW, 0.1),
    taskText: "Task: test",
    seed: 7,
    law: FIGURE_LAW,
    ...overrides,
  };
}
