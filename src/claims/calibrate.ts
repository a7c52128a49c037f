/**
 * Measured size and power of every claim part. Each claim runs over K seeds
 * under the truth (its false-failure rate is the part's size, against the
 * nominal family-wise rate) and under perturbations of k margins (see
 * {@linkcode Perturbation}; the detection rate at each k is the power curve).
 * A perturbation of "*" shifts every part of a claim at once; parts are checked
 * independently, so each part's detection is its own.
 *
 * @module
 */

import type { Backend } from "../backends/backend.ts";
import type { CheckSize, ClaimPart, PartSense } from "./claim_part.ts";
import type { ClaimResult } from "./claim_result.ts";
import type { CheckOptions } from "./resolve_check.ts";
import { FAMILY_FALSE_ALARM } from "./margins.ts";

/** A claim as calibration needs it. */
export interface CalibratedClaim {
  /** Claim id. */
  id: string;
  /** Runs the check. */
  check: (options?: CheckOptions) => Promise<ClaimResult>;
}

/** Options of {@linkcode calibrate}. */
export interface CalibrateOptions {
  /** Seeds, one independent run each (K = seeds.length >= 1). */
  seeds: readonly number[];
  /** Check size (default quick). */
  size?: CheckSize;
  /** Perturbations, in margins (default [1, 2, 4]). */
  margins?: readonly number[];
  /** Backend for the Monte Carlo parts (default CPU). */
  backend?: Backend;
  /** Progress messages. */
  onProgress?: (message: string) => void;
}

/** Size and power of one part. */
export interface PartCalibration {
  /** Claim id. */
  claim: string;
  /** Part name. */
  part: string;
  /** The part's sense. */
  sense: PartSense;
  /** Whether its margin is statistical. */
  statistical: boolean;
  /** Seeds run (K). */
  runs: number;
  /** Failures under the truth. */
  falseFailures: number;
  /** falseFailures / K. */
  size: number;
  /** Nominal false-failure rate: the family-wise rate for statistical parts, else 0. */
  nominal: number;
  /** Binomial standard error of the size at the nominal rate, sqrt(p (1 - p) / K). */
  binomialStandardError: number;
  /** Whether size <= nominal + 3 binomial SE. */
  sizeWithinNominal: boolean;
  /** Detection rate per perturbation. */
  detection: { margins: number; rate: number }[];
  /** Seconds spent on this claim (all runs). */
  seconds: number;
}

/** Runs the calibration of the given claims. */
export async function calibrate(
  claims: readonly CalibratedClaim[],
  options: CalibrateOptions,
): Promise<PartCalibration[]> {
  const seeds = options.seeds;
  if (seeds.length === 0) throw new RangeError("seeds must be non-empty, got length 0");
  const margins = options.margins ?? [1, 2, 4];
  const progress = options.onProgress ?? (() => {});
  const out: PartCalibration[] = [];
  for (const claim of claims) {
    const started = performance.now();
    const truth: ClaimPart[][] = [];
    const perturbed = new Map<number, ClaimPart[][]>(margins.map((k) => [k, []]));
    for (const seed of seeds) {
      const base = { size: options.size ?? "quick", seed, backend: options.backend };
      truth.push((await claim.check(base)).parts);
      for (const k of margins) {
        const parts = (await claim.check({ ...base, perturb: { part: "*", margins: k } })).parts;
        perturbed.get(k)!.push(parts);
      }
      progress(`${claim.id}: seed ${seed} done`);
    }
    const seconds = (performance.now() - started) / 1000;
    for (const [index, part] of truth[0].entries()) {
      const at = (runs: ClaimPart[][]) => runs.map((parts) => parts[index]);
      const falseFailures = at(truth).filter((p) => !p.passed).length;
      const statistical = part.statistical ?? false;
      const nominal = statistical ? FAMILY_FALSE_ALARM : 0;
      const k = seeds.length;
      const se = Math.sqrt(nominal * (1 - nominal) / k);
      out.push({
        claim: claim.id,
        part: part.name,
        sense: part.sense ?? "property",
        statistical,
        runs: k,
        falseFailures,
        size: falseFailures / k,
        nominal,
        binomialStandardError: se,
        sizeWithinNominal: falseFailures / k <= nominal + 3 * se,
        detection: margins.map((m) => ({
          margins: m,
          rate: at(perturbed.get(m)!).filter((p) => !p.passed).length / k,
        })),
        seconds,
      });
    }
  }
  return out;
}

/** Renders a calibration as a Markdown table. */
export function formatCalibrationMarkdown(rows: readonly PartCalibration[]): string {
  const margins = rows[0]?.detection.map((d) => d.margins) ?? [];
  const lines = [
    `| claim | part | sense | statistical | K | false failures | size | nominal | size <= nominal + 3 SE | ${
      margins.map((m) => `power @${m}`).join(" | ")
    } |`,
    `| --- | --- | --- | --- | ---: | ---: | ---: | ---: | --- | ${
      margins.map(() => "---:").join(" | ")
    } |`,
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.claim} | ${r.part} | ${r.sense} | ${
        r.statistical ? "yes" : "no"
      } | ${r.runs} | ${r.falseFailures} | ${r.size.toFixed(2)} | ${
        r.nominal === 0 ? "0" : r.nominal.toExponential(1)
      } | ${r.sizeWithinNominal ? "yes" : "NO"} | ${
        r.detection.map((d) => d.rate.toFixed(2)).join(" | ")
      } |`,
    );
  }
  return lines.join("\n");
}
