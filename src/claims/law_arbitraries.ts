/**
 * fast-check arbitraries for the claim checks, built by composition. Documented
 * ranges (the README repeats them):
 * - support: m_lo in [0, 3], width m_hi - m_lo in [0.25, 6];
 * - shape: uniform, or Beta(a, b) with a, b in [0.5, 5];
 * - d1, d2 in [1, 4]; sigma in [0, 0.5]; seeds any u32.
 *
 * @module
 */

import fc from "npm:fast-check@^4";
import type { SpikeLaw } from "../model/law.ts";

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** A support [low, high] with low in [0, 3] and width in [0.25, 6] (3 decimals). */
export const supportArbitrary: fc.Arbitrary<{ low: number; high: number }> = fc.record({
  low: fc.integer({ min: 0, max: 3000 }).map((v) => v / 1000),
  width: fc.integer({ min: 250, max: 6000 }).map((v) => v / 1000),
}).map(({ low, width }) => ({ low, high: round3(low + width) }));

/** A Beta shape parameter in [0.5, 5] (2 decimals). */
export const shapeArbitrary: fc.Arbitrary<number> = fc.integer({ min: 50, max: 500 }).map((v) =>
  v / 100
);

/** A non-degenerate law on a support: uniform or a Beta shape. */
export function lawOnSupport(support: { low: number; high: number }): fc.Arbitrary<SpikeLaw> {
  return fc.oneof(
    fc.constant<SpikeLaw>({ kind: "uniform", ...support }),
    fc.tuple(shapeArbitrary, shapeArbitrary).map(([a, b]): SpikeLaw => ({
      kind: "beta",
      a,
      b,
      ...support,
    })),
  );
}

/** A non-degenerate law (uniform or Beta on a drawn support). */
export const lawArbitrary: fc.Arbitrary<SpikeLaw> = supportArbitrary.chain(lawOnSupport);

/** A uniform law on a drawn support. */
export const uniformLawArbitrary: fc.Arbitrary<SpikeLaw> = supportArbitrary.map((s): SpikeLaw => ({
  kind: "uniform",
  ...s,
}));

/** A point mass at S in [0, 9]. */
export const pointLawArbitrary: fc.Arbitrary<SpikeLaw> = fc.integer({ min: 0, max: 9000 }).map((
  v,
): SpikeLaw => ({ kind: "point", value: v / 1000 }));

/** Task settings: a law, modality sizes, noise and a seed. */
export interface TaskDraw {
  /** The law of the spike strength s. */
  law: SpikeLaw;
  /** Dimension of the first modality. */
  d1: number;
  /** Dimension of the second modality. */
  d2: number;
  /** Label noise standard deviation. */
  sigma: number;
  /** Seed of the sampled prompts. */
  seed: number;
}

/** A task with the given law arbitrary. */
export function taskArbitrary(law: fc.Arbitrary<SpikeLaw> = lawArbitrary): fc.Arbitrary<TaskDraw> {
  return fc.record({
    law,
    d1: fc.integer({ min: 1, max: 4 }),
    d2: fc.integer({ min: 1, max: 4 }),
    sigma: fc.integer({ min: 0, max: 50 }).map((v) => v / 100),
    seed: fc.nat({ max: 0xffffffff }),
  });
}
