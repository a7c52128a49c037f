/**
 * Test fixture: three cheap claims for the registry and runner tests
 * (`claims_test.ts`, `parallel_test.ts`). Z1 echoes the options it was run with
 * (in its details and a progress line); Z2 is a property that fails (n < 50 over
 * 0..100), so its result carries a replay; Z3 passes.
 *
 * @module
 */

import fc from "npm:fast-check@^4";
import { defineClaim } from "../define.ts";
import { expect } from "../expect.ts";
import { propertyPart } from "../property_part.ts";

/** Z1: passes, and records size, seed, paths, backend and claims module. */
export const ECHO = defineClaim({
  id: "Z1",
  title: "echo",
  theorem: "test fixture",
  statement: "echoes the options it ran with",
  parts: (check) => {
    check.progress(`seed ${check.seed}`);
    return Promise.resolve({
      parts: [{
        name: "echo",
        measured: `${check.size} ${check.seed}`,
        target: "-",
        margin: "-",
        passed: true,
      }],
      details: {
        size: check.size,
        seed: check.seed,
        paths: check.paths,
        backend: check.backend.name,
        claimsModule: check.claimsModule ?? null,
      },
    });
  },
});

/** Z2: a property that fails (some n in 0..100 is >= 50). */
export const FAILING = defineClaim({
  id: "z2",
  title: "failing property",
  theorem: "test fixture",
  statement: "every n in 0..100 is below 50 (false)",
  parts: async (check) => [
    await propertyPart(
      check,
      "Z2",
      "small",
      fc.integer({ min: 0, max: 100 }),
      (n) => expect(n < 50, () => `${n} >= 50`),
      { measured: () => "-", target: "n < 50", margin: "exact", numRuns: 200 },
    ),
  ],
});

/** Z3: passes with one part (a third claim without a cost hint, for scheduling ties). */
export const QUIET = defineClaim({
  id: "Z3",
  title: "quiet",
  theorem: "test fixture",
  statement: "passes",
  parts: () =>
    Promise.resolve([{ name: "quiet", measured: "-", target: "-", margin: "-", passed: true }]),
});

/** The claims again, in a list (a module may export claims in arrays too). */
export const FIXTURE_CLAIMS = [ECHO, FAILING, QUIET, ECHO];
