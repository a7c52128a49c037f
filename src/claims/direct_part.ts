/**
 * A claim part computed directly, not by a property ({@linkcode directPart}), compared
 * through a {@linkcode Gauge}.
 *
 * @module
 */

import type { ClaimPart } from "./claim_part.ts";
import type { Gauge } from "./gauge.ts";

/**
 * A part computed directly (not by a property), compared through a {@linkcode Gauge}.
 *
 * @example A rounding bound as a part
 * ```ts
 * import assert from "node:assert/strict";
 * import { directPart } from "./direct_part.ts";
 * import { Gauge } from "./gauge.ts";
 * import { resolveCheck } from "./resolve_check.ts";
 * const gauge = new Gauge(resolveCheck(), "agreement", "rounding");
 * const part = directPart(gauge, 1e-17, 0, 1e-15, {
 *   measured: "difference 1e-17",
 *   target: "difference <= rounding bound",
 *   margin: "float64 rounding",
 * });
 * assert.equal(part.passed, true);
 * assert.equal(part.sense, "rounding");
 * ```
 */
export function directPart(
  gauge: Gauge,
  measured: number,
  target: number,
  margin: number,
  text: { measured: string; target: string; margin: string },
): ClaimPart {
  const passed = gauge.compare(measured, target, margin);
  return {
    name: gauge.part,
    measured: gauge.margins > 0
      ? `${text.measured} (perturbed by ${gauge.margins} margins)`
      : text.measured,
    target: text.target,
    margin: text.margin,
    passed,
    ...gauge.fields(),
  };
}
