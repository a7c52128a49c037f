/**
 * A fast-check property run as a reportable claim part ({@linkcode propertyPart}), with
 * its seed, replay path, shrunk counterexample and replay command.
 *
 * @module
 */

import fc from "npm:fast-check@^4";
import type { Arbitrary, RunDetails } from "npm:fast-check@^4";
import type { ClaimPart, PartSense, PropertyReport, ReplaySpec } from "./claim_part.ts";
import type { Gauge } from "./gauge.ts";
import { perturbationMargins } from "./perturbation_margins.ts";
import type { ResolvedCheck } from "./resolve_check.ts";

/**
 * Runs a fast-check property (synchronous or asynchronous predicate, always
 * awaited) and reports it as a claim part. `measured` is read after the run
 * (usually a `WorstCase`).
 *
 * @example A fast-check property as a replayable claim part
 * ```ts
 * import assert from "node:assert/strict";
 * import fc from "npm:fast-check@^4";
 * import { expect } from "./expect.ts";
 * import { propertyPart } from "./property_part.ts";
 * import { resolveCheck } from "./resolve_check.ts";
 * const part = await propertyPart(
 *   resolveCheck({ seed: 1 }),
 *   "U9",
 *   "squares",
 *   fc.integer({ min: -100, max: 100 }),
 *   (n) => expect(n * n >= 0, () => `${n}^2 < 0`),
 *   { measured: () => "every square >= 0", target: "n^2 >= 0", margin: "exact", numRuns: 50 },
 * );
 * assert.equal(part.passed, true);
 * // The replay is a shell command (run from a clone's root) that makes the library call.
 * assert.match(part.property?.replay ?? "", /^npx -y deno@[\d.]+ eval '.*verifyClaims\(\["U9"\]/);
 * ```
 */
export async function propertyPart<T>(
  check: ResolvedCheck,
  claimId: string,
  name: string,
  arbitrary: Arbitrary<T>,
  predicate: (value: T) => void | Promise<void>,
  describe: {
    measured: () => string;
    target: string;
    margin: string;
    numRuns: number;
    /** The part's comparison (numeric fields, perturbation); else `sense` alone. */
    gauge?: Gauge;
    /** The part's sense when it has no gauge (default "property"). */
    sense?: PartSense;
  },
): Promise<ClaimPart> {
  requireGaugeOfPart(name, describe.gauge);
  const path = check.paths[name];
  const perturbed = perturbationMargins(check, name) > 0;
  const details = await fc.check(
    fc.asyncProperty(arbitrary, async (value) => {
      await predicate(value);
    }),
    {
      seed: check.seed,
      numRuns: describe.numRuns,
      path,
      // Under a perturbation (power controls, calibration) only the verdict matters: no shrinking.
      endOnFailure: perturbed,
    },
  );
  const property = propertyReport(check, claimId, name, path, details);
  const fields = describe.gauge?.fields() ??
    {
      measuredValue: null,
      targetValue: null,
      marginValue: null,
      sense: describe.sense ?? "property",
      statistical: false,
    };
  return {
    name,
    measured: (details.failed ? `FAILED: ${property.error}` : describe.measured()) +
      (perturbed ? ` (perturbed by ${perturbationMargins(check, name)} margins)` : ""),
    target: describe.target,
    margin: describe.margin,
    passed: !details.failed,
    property,
    ...fields,
  };
}

/** Refuses a gauge named otherwise: it would miss perturbations addressed to the part by name. */
function requireGaugeOfPart(name: string, gauge: Gauge | undefined): void {
  if (gauge !== undefined && gauge.part !== name) {
    throw new RangeError(
      `gauge must be named after its part ${JSON.stringify(name)}, got ${
        JSON.stringify(gauge.part)
      }`,
    );
  }
}

/** The report of a property run: seed, runs and replay, and a failure's path, counterexample and message. */
function propertyReport<Ts>(
  check: ResolvedCheck,
  claimId: string,
  name: string,
  path: string | undefined,
  details: RunDetails<Ts>,
): PropertyReport {
  const replayPath = details.counterexamplePath ?? path;
  const spec: ReplaySpec = {
    claim: claimId,
    seed: check.seed,
    size: check.size,
    backend: check.backend.name,
    claimsModule: check.claimsModule,
    part: name,
    path: replayPath ?? undefined,
  };
  const property: PropertyReport = {
    seed: check.seed,
    numRuns: details.numRuns,
    replay: check.formatReplay(spec),
    replaySpec: spec,
  };
  if (details.failed) {
    property.path = details.counterexamplePath ?? undefined;
    property.counterexample = JSON.stringify(
      details.counterexample,
      (_k, v) => ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v,
    );
    const error = details.errorInstance;
    property.error = error instanceof Error ? error.message : String(error);
  }
  return property;
}
