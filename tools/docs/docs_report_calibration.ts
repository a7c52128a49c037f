/**
 * The calibration report, rendered from the `calibration` record (`calibrate --json`): per
 * claim part, its size under the truth against the nominal rate, and its power at each shift.
 *
 * @module
 */

import { recordNamed, type Records } from "./docs_records.ts";
import { sig, table } from "./docs_markdown.ts";
import type { PartCalibration } from "../../src/claims/calibrate.ts";

/** One part's calibration, as `calibrate --json` reports it. */
export type CalibratedPart = PartCalibration;

/** The parts of a calibration record (default `calibration`, every claim). */
export function calibratedParts(records: Records, name = "calibration"): CalibratedPart[] {
  const data = recordNamed(records, name).data;
  if (!Array.isArray(data)) throw new TypeError(`record ${name}: data is not a list of parts`);
  return data as CalibratedPart[];
}

/** The shifts (in margins) the record measured power at, in order. */
export function shifts(parts: readonly CalibratedPart[]): number[] {
  return [...new Set(parts.flatMap((p) => p.detection.map((d) => d.margins)))].sort((a, b) =>
    a - b
  );
}

/**
 * The calibration table: one row per part (of the claim `claim` only, when given), from the
 * record `name` (default `calibration`; a claim calibrated on its own has its own record).
 */
export function calibrationTable(records: Records, claim?: string, name = "calibration"): string {
  const all = calibratedParts(records, name);
  const parts = claim === undefined ? all : all.filter((p) => p.claim === claim);
  if (parts.length === 0) throw new Error(`record ${name} has no part of ${claim}`);
  const ks = shifts(all);
  const rows = parts.map((p) => [
    p.claim,
    `\`${p.part}\``,
    p.sense,
    p.statistical ? "yes" : "no",
    String(p.runs),
    String(p.falseFailures),
    p.size.toFixed(2),
    sig(p.nominal, 2),
    p.sizeWithinNominal ? "yes" : "**no**",
    ...ks.map((k) => (p.detection.find((d) => d.margins === k)?.rate ?? NaN).toFixed(2)),
  ]);
  const headers = [
    "claim",
    "part",
    "sense",
    "statistical",
    "K",
    "false failures",
    "size",
    "nominal",
    "size <= nominal + 3 SE",
    ...ks.map((k) => `power @${k}`),
  ];
  const align = ["left", "left", "left", "left", "right", "right", "right", "right", "left"];
  return table(headers, rows, [...align, ...ks.map(() => "right")] as ("left" | "right")[]);
}

function partNames(parts: readonly CalibratedPart[]): string {
  return parts.length === 0 ? "none" : parts.map((p) => `${p.claim} \`${p.part}\``).join(", ");
}

/** The summary of the calibration: seeds, sizes, and the parts no shift detects. */
export function calibrationSummary(records: Records): string {
  const parts = calibratedParts(records);
  const ks = shifts(parts);
  const largest = ks.at(-1)!;
  const rate = (p: CalibratedPart, k: number) => p.detection.find((d) => d.margins === k)?.rate;
  const outside = parts.filter((p) => !p.sizeWithinNominal);
  const falseFailures = parts.reduce((s, p) => s + p.falseFailures, 0);
  const undetected = parts.filter((p) => rate(p, largest) === 0);
  const statistical = parts.filter((p) => p.statistical);
  const full = statistical.filter((p) => rate(p, largest) === 1);
  const claims = new Set(parts.map((p) => p.claim));
  return [
    `- ${parts.length} parts of ${claims.size} claims, K = ${parts[0]?.runs ?? 0} seeds each; ` +
    `${falseFailures} false failures under the truth in all.`,
    `- Parts whose size exceeds nominal + 3 binomial SE: ${partNames(outside)}.`,
    `- Statistical parts detected in every seed at ${largest} margins: ${full.length} of ` +
    `${statistical.length}.`,
    `- Parts that a shift of ${largest} margins does not fail in any seed: ` +
    `${partNames(undetected)}.`,
  ].join("\n");
}
