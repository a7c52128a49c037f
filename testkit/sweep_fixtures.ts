/**
 * The tiny C11 sweep of the untied-sweep tests: one depth, 200 training and 100 test prompts,
 * 15 steps, d1 = d2 = 1, seed 3 (tests override what they vary).
 *
 * @module
 */

import type { UntiedSweepOptions } from "../src/experiments/untied_sweep_options.ts";

/** Tiny untied-sweep options: depth 2, 200 / 100 prompts, 15 steps, d1 = d2 = 1, seed 3. */
export const TINY_UNTIED_SWEEP: UntiedSweepOptions = {
  depths: [2],
  prompts: 200,
  testPrompts: 100,
  steps: 15,
  d1: 1,
  d2: 1,
  seed: 3,
};
