/**
 * Library fuzz property: exported functions fed generated bad arguments (wrong
 * lengths, NaN, infinities, negative or fractional sizes, wrong types, unknown
 * option keys) throw a TypeError or RangeError whose message names the
 * parameter; they never return (and so never return NaN).
 *
 * The table imports each function from its own module (not mod.ts, whose export
 * list is curated separately), one entry per function: add a row to extend it.
 * Each row gives valid arguments and, per parameter, bad values and the name the
 * message must contain. A control checks every row's valid arguments run.
 */

import assert from "node:assert/strict";
import fc from "npm:fast-check@^4";
import { fcParameters } from "../testkit/config.ts";
import { createBackend } from "../src/backends/create_backend.ts";
import { MODEL_ROWS } from "../testkit/fuzz_rows_model.ts";
import { ASYNC_ROWS, THEORY_ROWS } from "../testkit/fuzz_rows_theory.ts";
import { BAD_COUNT, containsNaN, describe, fuzzOnce } from "../testkit/fuzz_cases.ts";

const ROWS = [...MODEL_ROWS, ...THEORY_ROWS];

Deno.test("fuzz: bad arguments to asynchronous exported functions reject naming the parameter", async () => {
  // control: the valid arguments of the cheap rows resolve
  const backend = await createBackend("cpu", {});
  assert.equal(backend.name, "cpu");
  backend.dispose();
  const failures: string[] = [];
  for (const row of ASYNC_ROWS) {
    for (const m of row.mutations) {
      for (const [i, bad] of m.bad.entries()) {
        const args = row.valid();
        const value = bad();
        args[m.at] = value;
        try {
          const out = await row.call(...args);
          failures.push(
            `${row.name} argument ${m.at} #${i} (${describe(value)}): resolved ${describe(out)}`,
          );
        } catch (error) {
          if (
            !(error instanceof TypeError || error instanceof RangeError) ||
            !m.names.test(error.message)
          ) {
            failures.push(
              `${row.name} argument ${m.at} #${i} (${describe(value)}): ${(error as Error).name}: ${
                (error as Error).message
              }`,
            );
          }
        }
      }
    }
  }
  assert.deepEqual(failures, []);
});

Deno.test("fuzz control: every row's valid arguments run and return no NaN", () => {
  for (const row of ROWS) {
    const value = row.call(...row.valid());
    assert.ok(!containsNaN(value), `${row.name} returned NaN on valid input`);
  }
});

/** Generated bad counts: non-positive, fractional, non-finite. */
const badCountArbitrary: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: -1e9, max: 0 }),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }).filter((x) => !Number.isInteger(x)),
  fc.constantFrom(NaN, Infinity, -Infinity),
);

Deno.test("fuzz: bad arguments to exported functions throw TypeError/RangeError naming the parameter", () => {
  const cases = ROWS.flatMap((row) =>
    row.mutations.flatMap((m) => m.bad.map((bad, i) => ({ row, m, bad, i })))
  );
  // Every listed bad value once, then generated ones: a random row, parameter and value.
  const failures: string[] = [];
  for (const { row, m, bad, i } of cases) {
    const value = bad();
    if (Deno.env.get("FUZZ_TRACE")) console.error(`trace ${row.name} ${m.at} #${i}`);
    const why = fuzzOnce(row, m, value);
    if (why !== undefined) {
      failures.push(`${row.name} argument ${m.at} bad value #${i} (${describe(value)}): ${why}`);
    }
  }
  assert.deepEqual(failures, []);
  const counts = cases.filter((c) => c.m.bad === BAD_COUNT);
  fc.assert(
    fc.property(
      fc.constantFrom(...counts),
      badCountArbitrary,
      ({ row, m }, value) => {
        const why = fuzzOnce(row, m, value);
        if (why !== undefined) {
          throw new Error(`${row.name} argument ${m.at} = ${describe(value)}: ${why}`);
        }
      },
    ),
    fcParameters(300),
  );
});
