/**
 * Claim C13's finite-context measurement, rendered from the record `softmax-study`
 * (`tools/softmax_study_record.ts`, `src/training/softmax_study.ts`): per test context L_te
 * and depth T, the excess over Bayes of trained `sca`, `sca-centred` and `lca2` and of the
 * optimal schedule of C12, and the trained temperatures.
 *
 * @module
 */

import { sig, table } from "./docs_markdown.ts";
import { recordNamed, type Records } from "./docs_records.ts";
import { fitSlope } from "../../src/numeric/slope.ts";

/** A mean with its standard error, as recorded. */
interface Estimate {
  mean: number;
  standardError: number;
}

/** One cell of the study, as far as the docs read it. */
interface Cell {
  context: number;
  depth: number;
  sca: { excess: Estimate; tau: number; stop?: string };
  scaCentred: { excess: Estimate; tau: number; stop?: string };
  lca2: { excess: Estimate; stop?: string };
  schedule: { excess: Estimate };
}

/** The cells of the record `softmax-study`, checked for the fields read. */
function studyCells(records: Records): { cells: Cell[]; prompts: number; steps: number } {
  const data = recordNamed(records, "softmax-study").data as {
    cells?: unknown;
    prompts?: number;
    steps?: number;
  };
  if (!Array.isArray(data.cells) || data.cells.length === 0) {
    throw new TypeError("record softmax-study has no cells");
  }
  for (const cell of data.cells as Cell[]) {
    if (
      typeof cell?.sca?.excess?.mean !== "number" ||
      typeof cell?.schedule?.excess?.mean !== "number"
    ) {
      throw new TypeError(`record softmax-study: a cell lacks an excess (${JSON.stringify(cell)})`);
    }
  }
  return { cells: data.cells as Cell[], prompts: data.prompts ?? NaN, steps: data.steps ?? NaN };
}

/** `mean ± se`. */
function estimate(value: Estimate): string {
  return `${sig(value.mean, 3)} ± ${sig(value.standardError, 2)}`;
}

/**
 * The model with the lowest excess when it is below every other by more than 2 combined
 * standard errors, else the models within 2 SE of the lowest joined by " = ".
 */
export function lowest(models: readonly [string, Estimate][]): string {
  const [name, best] = models.reduce((a, b) => (b[1].mean < a[1].mean ? b : a));
  const ties = models.filter(([other, e]) =>
    other !== name && e.mean - best.mean <= 2 * Math.hypot(e.standardError, best.standardError)
  );
  return [name, ...ties.map(([other]) => other)].join(" = ");
}

/**
 * The table: one row per (L_te, T) with the four excesses, the lowest of them ({@linkcode lowest}),
 * the trained temperatures of sca and sca-centred, and why each trained model's descent stopped.
 */
export function softmaxStudyTable(records: Records): string {
  const { cells } = studyCells(records);
  const rows = cells.map((cell) => {
    const best = lowest([
      ["sca", cell.sca.excess],
      ["sca-centred", cell.scaCentred.excess],
      ["lca2", cell.lca2.excess],
      ["schedule", cell.schedule.excess],
    ]);
    return [
      String(cell.context),
      String(cell.depth),
      estimate(cell.sca.excess),
      estimate(cell.scaCentred.excess),
      estimate(cell.lca2.excess),
      estimate(cell.schedule.excess),
      best,
      sig(cell.sca.tau, 3),
      sig(cell.scaCentred.tau, 3),
      [cell.sca, cell.scaCentred, cell.lca2].map((m) => m.stop ?? "not recorded").join(", "),
    ];
  });
  const headers = [
    "L_te",
    "T",
    "sca",
    "sca-centred",
    "lca2",
    "optimal schedule",
    "lowest",
    "tau (sca)",
    "tau (sca-centred)",
    "stop (sca, sca-centred, lca2)",
  ];
  return table(headers, rows, headers.map((_, i) => (i === 6 || i === 9 ? "left" : "right")));
}

/** Least-squares slope of log y over log x (points with y > 0 only; NaN below two points). */
export function logLogSlope(points: readonly [number, number][]): number {
  const kept = points.filter(([, y]) => y > 0);
  if (kept.length < 2) return NaN;
  return fitSlope(kept.map(([x]) => Math.log(x)), kept.map(([, y]) => Math.log(y)));
}

/**
 * z of a difference of two estimates, their standard errors combined as if independent (the
 * study measures every model on the same test prompts, so a paired standard error would be
 * smaller and |z| larger).
 */
function zDifference(a: Estimate, b: Estimate): number {
  return (a.mean - b.mean) / Math.hypot(a.standardError, b.standardError);
}

/**
 * The answer to the finite-context question in words, computed from the record: per depth T > 1,
 * how far `sca` and `sca-centred` are from `lca2` at the smallest and largest L_te, the log-slope
 * over L_te of sca's excess minus lca2's (where positive), the largest |z| of sca-centred minus
 * lca2, and the range of sca's trained tau.
 */
export function softmaxStudySummary(records: Records): string {
  const { cells } = studyCells(records);
  const depths = [...new Set(cells.map((c) => c.depth))].filter((t) => t > 1);
  return depths.map((depth) => {
    const row = cells.filter((c) => c.depth === depth).sort((a, b) => a.context - b.context);
    const first = row[0], last = row[row.length - 1];
    const gap = (c: Cell) => c.sca.excess.mean - c.lca2.excess.mean;
    const slope = logLogSlope(row.map((c) => [c.context, gap(c)]));
    const centredZ = row.map((c) => zDifference(c.scaCentred.excess, c.lca2.excess));
    const worst = centredZ.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a));
    const taus = row.map((c) => c.sca.tau);
    return `- T = ${depth}: sca - lca2 = ${sig(gap(first), 3)} (z ${
      sig(zDifference(first.sca.excess, first.lca2.excess), 3)
    }) at L_te = ${first.context} and ${sig(gap(last), 3)} (z ${
      sig(zDifference(last.sca.excess, last.lca2.excess), 3)
    }) at L_te = ${last.context}, log-slope ${sig(slope, 3)} over L_te; sca-centred - lca2 ` +
      `within ${sig(Math.abs(worst), 2)} combined SE at every L_te (signed: ${
        sig(worst, 2)
      }); trained tau of sca from ${sig(Math.max(...taus), 3)} to ${sig(Math.min(...taus), 3)}.`;
  }).join("\n");
}
