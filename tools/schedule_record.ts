/**
 * Writes docs/records/schedules.json, the numbers docs/reference/schedules.md refers to: for
 * each law, the optimal schedule against the best tied step and the Chebyshev schedule at
 * T = 1..8 and beyond, the fitted log-slope of the optimal excess against 2 log rho_c, the
 * brute-force agreement (Nelder-Mead from random starts, `testkit/schedule_brute_force.ts`),
 * the controls, and the rounding amplification of the two layer orders.
 *
 *   npx -y deno@2.9.6 run -A tools/schedule_record.ts
 *
 * @module
 */

import type { SpikeLaw } from "../src/model/law.ts";
import { formatSpikeLaw } from "../src/model/law.ts";
import {
  chebyshevSchedule,
  optimalSchedule,
  scheduleExcess,
  type ScheduleOrder,
  scheduleRate,
} from "../src/theory/optimal_schedule.ts";
import { optimalDepthStep } from "../src/theory/optimal_depth_step.ts";
import { oneParameterExcess } from "../src/theory/one_parameter_excess.ts";
import { populationRule, rhoStar } from "../src/theory/population.ts";
import { gaussRuleOfJacobi, lanczosJacobi } from "../src/theory/lanczos_jacobi.ts";
import { bruteForceSchedule } from "../testkit/schedule_brute_force.ts";
import { fitSlope } from "../src/numeric/slope.ts";

/** The command that makes the record. */
export const SCHEDULE_RECORD_COMMAND = "npx -y deno@2.9.6 run -A tools/schedule_record.ts";

/** The laws of the record: the default, a Beta shape on its support, two on [0, 6]. */
export const RECORD_LAWS: readonly SpikeLaw[] = [
  { kind: "uniform", low: 0.5, high: 4 },
  { kind: "beta", a: 2, b: 5, low: 0.5, high: 4 },
  { kind: "beta", a: 0.5, b: 3, low: 0, high: 6 },
  { kind: "beta", a: 5, b: 5, low: 0, high: 6 },
];

/** One row of the depth table. */
function depthRow(law: SpikeLaw, depth: number) {
  const best = optimalSchedule(law, depth);
  const alphaT = optimalDepthStep(law, depth);
  const tied = oneParameterExcess(law, alphaT, depth).value;
  const chebyshev = chebyshevSchedule(law, depth);
  const chebyshevExcess = scheduleExcess(law, chebyshev.alphas);
  return {
    depth,
    optimum: best.excess,
    optimumByQuadrature: scheduleExcess(law, best.alphas),
    alphaT,
    tied,
    ratioToTied: best.excess / tied,
    chebyshev: chebyshevExcess,
    ratioChebyshevToOptimum: chebyshevExcess / best.excess,
    chebyshevBound: chebyshev.bound,
    optimumOverRateC: best.excess / best.rate ** (2 * depth),
    alphas: depth <= 8 ? best.alphas : undefined,
  };
}

/** The log-slope fits and log E_T - 2 T log rho_c at growing T. */
function asymptotics(law: SpikeLaw) {
  const target = 2 * Math.log(scheduleRate(law));
  const fit = (from: number, to: number) => {
    const depths: number[] = [];
    for (let T = from; T <= to; T += 4) depths.push(T);
    const slope = fitSlope(depths, depths.map((T) => optimalSchedule(law, T).logExcess));
    return { from, to, slope, relativeToTarget: slope / target - 1 };
  };
  const offset = (T: number) => ({
    depth: T,
    logExcessMinusTarget: optimalSchedule(law, T).logExcess - T * target,
  });
  return {
    twoLogRateC: target,
    twoLogRhoStar: 2 * Math.log(rhoStar(law)),
    fits: [fit(16, 32), fit(32, 64), fit(96, 128)],
    offsets: [16, 32, 64, 128, 256].map(offset),
  };
}

/** Brute force (Nelder-Mead, 4 starts) against the optimum at T = 1..8. */
function bruteForce(law: SpikeLaw, depths: readonly number[]) {
  return depths.map((depth) => {
    const found = bruteForceSchedule(law, depth, 4, depth);
    const best = optimalSchedule(law, depth, { order: "ascending" });
    const steps = found.alphas.map((a, t) => Math.abs(a / best.alphas[t] - 1));
    return {
      depth,
      excessRelativeDifference: found.excess / best.excess - 1,
      stepsMaxRelativeDifference: Math.max(...steps),
    };
  });
}

/** The controls at T = 6: one step 1% larger, and the Gauss nodes of s/(1+s) dP. */
function controls(law: SpikeLaw) {
  const best = optimalSchedule(law, 6);
  const perturbed = best.alphas.map((_, t) =>
    scheduleExcess(law, best.alphas.map((a, u) => (u === t ? 1.01 * a : a))) / best.excess
  );
  const rule = populationRule(law, 6);
  const weights = Float64Array.from(rule.nodes, (s, i) => rule.weights[i] * s / (1 + s));
  const wrong = gaussRuleOfJacobi(lanczosJacobi(rule.nodes, weights, 6)).nodes.map((s) =>
    1 / (1 + s)
  );
  return {
    depth: 6,
    perturbedOverOptimumMin: Math.min(...perturbed),
    wrongMeasureOverOptimum: scheduleExcess(law, wrong) / best.excess,
  };
}

/**
 * The largest factor a rounding error of layer t is multiplied by in the remaining layers,
 * max over t and over lambda in [1, 1 + m_hi] (400 points) of |prod_{u>t} (1 - alpha_u lambda)|.
 */
export function tailAmplification(alphas: readonly number[], high: number): number {
  let worst = 0;
  for (let k = 0; k <= 400; k++) {
    const lambda = 1 + high * k / 400;
    let p = 1;
    for (let t = alphas.length - 1; t >= 0; t--) {
      worst = Math.max(worst, Math.abs(p));
      p *= 1 - alphas[t] * lambda;
    }
  }
  return worst;
}

/** Rounding amplification of each layer order at T = 64 and 128, two supports. */
function orders() {
  const laws: SpikeLaw[] = [RECORD_LAWS[0], { kind: "uniform", low: 0, high: 20 }];
  return laws.flatMap((law) =>
    [64, 128].map((depth) => {
      const amplification = (order: ScheduleOrder) =>
        tailAmplification(
          optimalSchedule(law, depth, { order }).alphas,
          (law as { high: number }).high,
        );
      return {
        law: formatSpikeLaw(law),
        depth,
        descending: amplification("descending"),
        ascending: amplification("ascending"),
      };
    })
  );
}

/** Sizes of the record (smaller ones for its test). */
export interface RecordSizes {
  /** The laws. */
  laws: readonly SpikeLaw[];
  /** Depths of the table. */
  depths: readonly number[];
  /** Depths of the brute-force comparison. */
  bruteDepths: readonly number[];
  /** Include the slope fits and layer orders (slow: T up to 256). */
  asymptotics: boolean;
}

/** The record's data. */
export function scheduleRecordData(sizes: RecordSizes) {
  return {
    laws: sizes.laws.map((law) => ({
      law: formatSpikeLaw(law),
      rhoStar: rhoStar(law),
      rateC: scheduleRate(law),
      table: sizes.depths.map((T) => depthRow(law, T)),
      asymptotics: sizes.asymptotics ? asymptotics(law) : undefined,
      bruteForce: bruteForce(law, sizes.bruteDepths),
      controls: controls(law),
    })),
    orders: sizes.asymptotics ? orders() : undefined,
  };
}

async function git(args: string[]): Promise<string> {
  const out = await new Deno.Command("git", { args, stdout: "piped" }).output();
  return new TextDecoder().decode(out.stdout).trim();
}

if (import.meta.main) {
  const start = performance.now();
  const data = scheduleRecordData({
    laws: RECORD_LAWS,
    depths: [1, 2, 3, 4, 5, 6, 7, 8, 16, 32, 64],
    bruteDepths: [1, 2, 3, 4, 5, 6, 7, 8],
    asymptotics: true,
  });
  const wallSeconds = Math.round((performance.now() - start) / 10) / 100;
  const mine = [
    "src/theory/optimal_schedule.ts",
    "src/theory/lanczos_jacobi.ts",
    "tools/schedule_record.ts",
  ];
  const dirty = (await git(["status", "--porcelain", "--", ...mine])) !== "";
  const record = {
    schema: "icl-verify/docs-record/1",
    name: "schedules",
    command: SCHEDULE_RECORD_COMMAND,
    commit: await git(["rev-parse", "HEAD"]),
    source: dirty
      ? "the working tree on top of the commit (the schedule modules were not yet committed)"
      : "the working tree of the commit",
    created: new Date().toISOString(),
    wallSeconds,
    host: `${navigator.hardwareConcurrency} CPU cores, shared with other jobs`,
    data,
  };
  await Deno.writeTextFile(
    new URL("../docs/records/schedules.json", import.meta.url),
    JSON.stringify(record, null, 2) + "\n",
  );
  console.log(`docs/records/schedules.json written (${wallSeconds} s)`);
}
