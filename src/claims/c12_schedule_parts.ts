/**
 * The population parts of claim C12 (depth schedules), each a fast-check property over laws
 * and depths with a float64 or asymptotic margin:
 * - `brute-force-optimum`: a brute force over the T steps from several starts
 *   (`c12_brute_force.ts`) neither beats the optimal schedule nor stays above it, beyond the
 *   rounding bounds of both evaluations and the brute force's own Newton gap;
 * - `depth-one-equals-tied`: at T = 1, and for point masses at every T, the optimum's excess is
 *   the tied optimum's (to rounding);
 * - `below-tied`: from T = 2 the optimum's excess is below the tied optimum's by more than
 *   rounding;
 * - `chebyshev-rate`: the log-slope of the optimal excess over T in [64, 128] is 2 log rho_c.
 *
 * @module
 */

import fc from "npm:fast-check@^4";
import { lawSupport, type SpikeLaw } from "../model/law.ts";
import { optimalDepthStep } from "../theory/optimal_depth_step.ts";
import { optimalSchedule, scheduleExcess, scheduleRate } from "../theory/optimal_schedule.ts";
import { zeroPredictorExcess } from "../theory/population.ts";
import type { ClaimPart } from "./claim_part.ts";
import { bruteForceSchedule, scheduleRoundingBound } from "./c12_brute_force.ts";
import { expect } from "./expect.ts";
import { fmt } from "./format_number.ts";
import { Gauge } from "./gauge.ts";
import { lawArbitrary, pointLawArbitrary } from "./law_arbitraries.ts";
import { FLOAT64_UNIT_ROUNDOFF } from "./margins.ts";
import { propertyPart } from "./property_part.ts";
import type { ResolvedCheck } from "./resolve_check.ts";
import { WorstCase } from "./worst_case.ts";

const U = FLOAT64_UNIT_ROUNDOFF;

/** The claim id the parts report under. */
const ID = "C12";

/** Hooks of the population parts (negative controls). */
export interface ScheduleControls {
  /** Replaces the optimal steps (layer order) in the brute-force and tied comparisons. */
  schedule?: (law: SpikeLaw, depth: number) => readonly number[];
  /** Replaces rho_c, whose 2 log is the target slope of `chebyshev-rate`. */
  rate?: (law: SpikeLaw) => number;
}

/** The steps compared: the optimal schedule's, or the control's. */
function stepsOf(controls: ScheduleControls, law: SpikeLaw, depth: number): number[] {
  return [...(controls.schedule?.(law, depth) ?? optimalSchedule(law, depth).alphas)];
}

/** A law, a depth T in [1, 8] and `count` starts of T steps, each step in thousandths. */
function bruteForceDraw(count: number) {
  return fc.record({ law: lawArbitrary, depth: fc.integer({ min: 1, max: 8 }) }).chain((
    { law, depth },
  ) =>
    fc.record({
      law: fc.constant(law),
      depth: fc.constant(depth),
      starts: fc.array(
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: depth, maxLength: depth }),
        { minLength: count, maxLength: count },
      ),
    })
  );
}

/**
 * (a) The brute force against the optimum, two comparisons per draw with one gauge (centred
 * on half the Newton gap g, margin = rounding bounds + g/2, i.e. r in [-rounding, rounding +
 * g]): r = E_bf/E(steps) - 1, the optimality of the steps, and E_bf/(1/K_T(0, 0)) - 1, the
 * reported excess (its margin adds gamma_{N (T + 1)} for the Lanczos process).
 */
export async function bruteForcePart(
  check: ResolvedCheck,
  controls: ScheduleControls,
): Promise<ClaimPart> {
  const full = check.size === "full";
  const starts = full ? 6 : 3, runs = full ? 150 : 30;
  const gauge = new Gauge(check, "brute-force-optimum", "equal", { statistical: false });
  const worst = new WorstCase();
  check.progress("C12: brute force over the steps against the optimal schedule");
  return await propertyPart(check, ID, "brute-force-optimum", bruteForceDraw(starts), (draw) => {
    const { law, depth } = draw;
    const support = lawSupport(law);
    const low = 1 / (1 + support.high), high = 1 / (1 + support.low);
    const steps = stepsOf(controls, law, depth);
    const found = bruteForceSchedule(
      law,
      depth,
      draw.starts.map((start) => start.map((v) => low + (high - low) * v / 1000)),
    );
    const brute = scheduleExcess(law, found.alphas);
    const bruteBound = scheduleRoundingBound(law, found.alphas);
    const nodes = 256 + 2 * depth;
    const comparisons = [
      ["steps", scheduleExcess(law, steps), scheduleRoundingBound(law, steps)],
      ["1/K_T(0, 0)", optimalSchedule(law, depth).excess, gamma(nodes * (depth + 1))],
    ] as const;
    for (const [label, optimum, bound] of comparisons) {
      const r = brute / optimum - 1;
      const centre = found.gap / 2, margin = bruteBound + bound + U + found.gap / 2;
      worst.record(
        Math.abs(r - centre) / margin,
        `largest |E_bf/E_opt - 1| = ${fmt(Math.abs(r), 2)} (${label}, T=${depth}, margin ${
          fmt(margin, 2)
        })`,
      );
      expect(
        gauge.compare(r, centre, margin),
        () =>
          `T=${depth}: brute force ${brute} ${
            r < centre ? "beats" : "stays above"
          } the optimum's ` +
          `${label} ${optimum} by ${fmt(r, 3)} relative (margin ${fmt(margin, 2)})`,
      );
    }
  }, {
    measured: () => worst.text,
    target: "E_bf/E_opt - 1 in [-rounding, rounding + Newton gap] (two-sided; T <= 8, " +
      `${starts} starts)`,
    margin: "float64 rounding bounds of both excesses (first-order analysis of the Gauss-rule " +
      "sum; gamma_{N (T + 1)} for the Lanczos value 1/K_T(0, 0)) + the brute force's Newton " +
      "gap g^T H^-1 g / (2 E); the same rule on both sides",
    numRuns: runs,
    gauge,
  });
}

/** gamma_n = n u/(1 - n u). */
function gamma(n: number): number {
  return n * U / (1 - n * U);
}

/** The optimum's and the tied optimum's excess at depth T with their rounding bounds. */
function optimumAndTied(controls: ScheduleControls, law: SpikeLaw, depth: number) {
  const steps = stepsOf(controls, law, depth);
  const tiedSteps = new Array<number>(depth).fill(optimalDepthStep(law, depth));
  const optimum = scheduleExcess(law, steps), tied = scheduleExcess(law, tiedSteps);
  const rounding = optimum * scheduleRoundingBound(law, steps) +
    tied * scheduleRoundingBound(law, tiedSteps);
  return { optimum, tied, rounding };
}

/**
 * (b) At T = 1 (any law) and for point masses (any T <= 12) the optimum's excess equals the
 * tied optimum's: |E_opt - E_tied| / E[s/(1+s)] at most the rounding bounds plus (4u)^2, the
 * excess of steps 1/(1 + s0) rounded to a few ulps.
 */
export async function depthOnePart(
  check: ResolvedCheck,
  controls: ScheduleControls,
): Promise<ClaimPart> {
  const runs = check.size === "full" ? 200 : 40;
  const gauge = new Gauge(check, "depth-one-equals-tied", "rounding");
  const worst = new WorstCase();
  const draws = fc.oneof(
    lawArbitrary.map((law) => ({ law, depth: 1 })),
    fc.record({ law: pointLawArbitrary, depth: fc.integer({ min: 1, max: 12 }) }),
  );
  check.progress("C12: T = 1 and point masses: the optimum is the tied optimum");
  return await propertyPart(check, ID, "depth-one-equals-tied", draws, ({ law, depth }) => {
    const { optimum, tied, rounding } = optimumAndTied(controls, law, depth);
    const scale = zeroPredictorExcess(law);
    const difference = scale > 0 ? Math.abs(optimum - tied) / scale : 0;
    const margin = (scale > 0 ? rounding / scale : 0) + (4 * U) ** 2;
    worst.record(
      difference / margin,
      `largest |E_opt - E_tied|/E[s/(1+s)] = ${fmt(difference, 2)} (T=${depth}, ${law.kind})`,
    );
    expect(
      gauge.compare(difference, 0, margin),
      () => `T=${depth} (${law.kind}): optimum ${optimum} differs from the tied optimum ${tied}`,
    );
  }, {
    measured: () => worst.text,
    target: "E_opt = E_tied at T = 1 and for point masses (T <= 12)",
    margin: "float64 rounding bounds of both excesses + (4u)^2 E[s/(1+s)] (steps 1/(1+s0) to " +
      "a few ulps)",
    numRuns: runs,
    gauge,
  });
}

/**
 * (b) From T = 2 (T <= 12, non-degenerate laws) the optimum is strictly below the tied optimum:
 * the relative gain 1 - E_opt/E_tied exceeds the rounding bound of the ratio (one-sided).
 */
export async function belowTiedPart(
  check: ResolvedCheck,
  controls: ScheduleControls,
): Promise<ClaimPart> {
  const runs = check.size === "full" ? 200 : 40;
  const gauge = new Gauge(check, "below-tied", "rounding", { direction: "down" });
  const worst = new WorstCase();
  const smallest = new WorstCase();
  const draws = fc.record({ law: lawArbitrary, depth: fc.integer({ min: 2, max: 12 }) });
  check.progress("C12: T >= 2: the optimum below the tied optimum");
  return await propertyPart(check, ID, "below-tied", draws, ({ law, depth }) => {
    const { optimum, tied, rounding } = optimumAndTied(controls, law, depth);
    const gain = 1 - optimum / tied;
    const margin = rounding / tied + 2 * U;
    smallest.record(-gain, `smallest gain 1 - E_opt/E_tied = ${fmt(gain, 3)} (T=${depth})`);
    worst.record(
      -gain / margin,
      `smallest gain over its margin ${fmt(gain / margin, 3)} (T=${depth}, margin ${
        fmt(margin, 2)
      })`,
    );
    // gain >= margin: the lower bound 2 margins - 1 margin.
    expect(
      gauge.compare(gain, 2 * margin, margin),
      () => `T=${depth}: optimum ${optimum} not below the tied optimum ${tied} (gain ${gain})`,
    );
  }, {
    measured: () => `${smallest.text}; ${worst.text}`,
    target: "E_opt < E_tied for T in [2, 12] (one-sided: gain > rounding)",
    margin: "float64 rounding bounds of both excesses, relative to E_tied",
    numRuns: runs,
    gauge,
  });
}

/** The windows of the rate part: secant slopes over [32, 64] and [64, 128]. */
const RATE_DEPTHS = [32, 64, 128] as const;

/**
 * Whether T = 64 lies in the asymptotic regime of the law's left endpoint. Near m_lo > 0 the
 * weight s dP looks like (m_lo + x) x^(a-1) dx: like x^a at the scale x ~ w/T^2 (w = m_hi - m_lo)
 * the degree-T polynomials probe while T is below the crossover depth T_x = sqrt(w/m_lo), like
 * m_lo x^(a-1) beyond it; the 1/T term of log E_T changes between the two, so the secants
 * settle only for T well above T_x. Laws with m_lo = 0 (no crossover) or T_x <= 64/8 qualify.
 *
 * @example m_lo = 0 qualifies; m_lo = 0.001 on a width of 6 (T_x = 77) does not
 * ```ts
 * import assert from "node:assert/strict";
 * import { rateResolvable } from "./c12_schedule_parts.ts";
 * assert.equal(rateResolvable({ kind: "uniform", low: 0, high: 6 }), true);
 * assert.equal(rateResolvable({ kind: "uniform", low: 0.001, high: 6.001 }), false);
 * assert.equal(rateResolvable({ kind: "uniform", low: 0.5, high: 4 }), true); // T_x = 2.6
 * ```
 */
export function rateResolvable(law: SpikeLaw): boolean {
  const { low, high } = lawSupport(law);
  return low === 0 || 8 * Math.sqrt((high - low) / low) <= RATE_DEPTHS[1];
}

/**
 * (c) The log-slope of the optimal excess: the secant s = (log E_128 - log E_64)/64 against
 * 2 log rho_c, with the margin |s - s'| (s' the secant over [32, 64]) plus the rounding of the
 * Lanczos values. log E_T = 2 T log rho_c + C + c/T + O(1/T^2) (Szego asymptotics outside the
 * support, docs/reference/schedules.md section 3), so the secant's error falls like 1/T^2: it
 * at least halves when the window doubles, and is then at most the change |s - s'|.
 */
export async function ratePart(
  check: ResolvedCheck,
  controls: ScheduleControls,
): Promise<ClaimPart> {
  const runs = check.size === "full" ? 60 : 12;
  const gauge = new Gauge(check, "chebyshev-rate", "equal", { statistical: false });
  const worst = new WorstCase();
  const [t0, t1, t2] = RATE_DEPTHS;
  // Two log-excesses per slope, each from T + 1 Lanczos steps of N = 256 + 2T-term sums.
  const rounding = 2 * gamma((256 + 2 * t2) * (t2 + 1)) / (t2 - t1);
  check.progress("C12: log-slope of the optimal excess against 2 log rho_c");
  const laws = lawArbitrary.filter(rateResolvable);
  return await propertyPart(check, ID, "chebyshev-rate", laws, (law) => {
    const [l0, l1, l2] = RATE_DEPTHS.map((depth) => optimalSchedule(law, depth).logExcess);
    const slope = (l2 - l1) / (t2 - t1), before = (l1 - l0) / (t1 - t0);
    const target = 2 * Math.log(controls.rate?.(law) ?? scheduleRate(law));
    const margin = Math.abs(slope - before) + rounding;
    worst.record(
      Math.abs(slope - target) / margin,
      `largest |slope - 2 log rho_c| = ${fmt(Math.abs(slope - target), 2)} (margin ${
        fmt(margin, 2)
      }, slope ${fmt(slope, 6)})`,
    );
    expect(
      gauge.compare(slope, target, margin),
      () => `slope ${slope} over T in [${t1}, ${t2}] is not 2 log rho = ${target}`,
    );
  }, {
    measured: () => worst.text,
    target: `secant log-slope of E_T over T in [${t1}, ${t2}] = 2 log rho_c (two-sided; laws ` +
      `with m_lo = 0 or crossover depth sqrt((m_hi - m_lo)/m_lo) <= ${t1 / 8})`,
    margin: `|slope over [${t1}, ${t2}] - slope over [${t0}, ${t1}]| (the error falls like ` +
      `1/T^2, so halves per doubling) + 2 gamma_{N (T + 1)}/${t2 - t1} (float64)`,
    numRuns: runs,
    gauge,
  });
}
