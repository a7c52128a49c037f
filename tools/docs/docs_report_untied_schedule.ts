/**
 * The untied sweep against the optimal scalar schedule (claim C12), rendered from an untied
 * record whose rows carry `schedule` (the optimal schedule evaluated on the sweep's prompts):
 * a table per depth and a summary whose every number comes from the rows.
 *
 * @module
 */

import type { Records } from "./docs_records.ts";
import { sig, table } from "./docs_markdown.ts";
import { type UntiedRow, untiedRows } from "./docs_report_untied.ts";

/** A row of the sweep with the schedule reference. */
export type ScheduleRow = Omit<UntiedRow, "untied" | "inits"> & {
  untied: UntiedRow["untied"] & { trainLoss: number };
  inits: { init: string; steps: number; stop: string }[];
  schedule: {
    alphas: number[];
    population: number;
    excess: number;
    trainLoss: number;
    difference: { mean: number; standardError: number };
  };
};

/** The rows of the record `name`, each with its schedule reference. */
export function scheduleRows(records: Records, name: string): ScheduleRow[] {
  const rows = untiedRows(records, name);
  for (const r of rows) {
    if (!("schedule" in r)) {
      throw new TypeError(`record ${name}: row T = ${r.depth} has no schedule`);
    }
  }
  return rows as unknown as ScheduleRow[];
}

const paired = (p: { mean: number; standardError: number }) =>
  `${sig(p.mean, 3)} ± ${sig(p.standardError, 2)}`;

/** The table: per depth, tied optimum, optimal schedule, the trained layerwise model. */
export function untiedScheduleTable(records: Records, name: string): string {
  const rows = scheduleRows(records, name).map((r) => [
    String(r.depth),
    sig(r.tied.excess, 4),
    sig(r.schedule.population, 4),
    sig(r.schedule.excess, 4),
    sig(r.untied.excess, 4),
    paired(r.schedule.difference),
    (r.untied.excess / r.schedule.excess).toFixed(3),
    sig(r.tied.excess / r.schedule.excess, 3),
    `${sig(r.untied.trainLoss, 3)}, ${sig(r.schedule.trainLoss, 3)}`,
    `${r.untied.init} (${r.untied.steps} it., ${r.untied.stop})`,
  ]);
  const headers = [
    "T",
    "tied optimum",
    "optimal schedule (quadrature)",
    "optimal schedule",
    "layerwise untied",
    "untied - schedule (± SE)",
    "untied / schedule",
    "tied / schedule",
    "training loss: untied, schedule",
    "kept start",
  ];
  return table(headers, rows, [...Array(9).fill("right"), "left"]);
}

const list = (rows: ScheduleRow[]) =>
  rows.length === 0 ? "none" : rows.map((r) => r.depth).join(", ");

/** The settings and what the rows show against the optimal schedule, in sentences. */
export function untiedScheduleSummary(records: Records, name: string): string {
  const rows = scheduleRows(records, name);
  const first = rows[0];
  const d = (r: ScheduleRow) => r.schedule.difference;
  const below = rows.filter((r) => d(r).mean + 5 * d(r).standardError < 0);
  const above = rows.filter((r) => d(r).mean - 5 * d(r).standardError > 0);
  const within = rows.filter((r) => !below.includes(r) && !above.includes(r));
  const ratio = (r: ScheduleRow) => r.untied.excess / r.schedule.excess;
  const lo = rows.reduce((a, b) => (ratio(b) < ratio(a) ? b : a));
  const hi = rows.reduce((a, b) => (ratio(b) > ratio(a) ? b : a));
  const fitsBetter = rows.filter((r) => r.untied.trainLoss < r.schedule.trainLoss);
  const fitsWorse = rows.filter((r) => r.untied.trainLoss >= r.schedule.trainLoss);
  const capped = rows.filter((r) => r.inits.some((i) => i.stop === "step-cap"));
  const gain = (r: ScheduleRow) => r.tied.excess / r.schedule.excess;
  const deep = rows.filter((r) => r.depth > 1);
  const gains = deep.length === 0
    ? ""
    : ` The ratio of the tied optimum's excess to the optimal schedule's is ` +
      `${sig(gain(deep[0]), 3)} at T = ${deep[0].depth} and ${sig(gain(deep.at(-1)!), 3)} at ` +
      `T = ${deep.at(-1)!.depth}.`;
  return [
    `- Settings: d = ${first.d}, N = ${first.prompts} training prompts, training context ` +
    `${first.context === "inf" ? "inf (exact task statistics)" : first.context}, target ` +
    `${first.target}, ${first.layerwise ? "layerwise" : "shared"} matrices, ` +
    `${first.inits.length} starts per depth; at least one start stopped at its step cap at ` +
    `T = ${list(capped)}.`,
    `- Against the optimal schedule on the same test prompts: below it by more than 5 paired SE ` +
    `at T = ${list(below)}; above it by more than 5 SE at T = ${list(above)}; within 5 SE at ` +
    `T = ${list(within)}. The ratio of the excesses runs from ${sig(ratio(lo), 3)} ` +
    `(T = ${lo.depth}) to ${sig(ratio(hi), 3)} (T = ${hi.depth}).${gains}`,
    `- Training loss of the kept model below the optimal schedule's on the same training ` +
    `prompts: T = ${list(fitsBetter)}; at or above it: T = ${list(fitsWorse)}.`,
  ].join("\n");
}

/**
 * The same depths at two training sizes (records `small` and `large`, the same sweep at two N):
 * per common depth, the ratio to the optimal schedule and the paired gap at both sizes.
 */
export function untiedSchedulePrompts(records: Records, small: string, large: string): string {
  const a = scheduleRows(records, small), b = scheduleRows(records, large);
  const lines = b.flatMap((rb) => {
    const ra = a.find((r) => r.depth === rb.depth);
    if (ra === undefined) return [];
    const ratio = (r: ScheduleRow) => (r.untied.excess / r.schedule.excess).toFixed(3);
    const gap = (r: ScheduleRow) => r.schedule.difference.mean;
    return [
      `- T = ${rb.depth}: untied / schedule ${ratio(ra)} at N = ${ra.prompts} and ${ratio(rb)} ` +
      `at N = ${rb.prompts}; the paired gap untied - schedule ` +
      `${Math.abs(gap(rb)) < Math.abs(gap(ra)) ? "falls" : "rises"} from ` +
      `${paired(ra.schedule.difference)} to ${paired(rb.schedule.difference)} (by a factor ` +
      `${sig(gap(ra) / gap(rb), 3)}); training loss below the schedule's at N = ${rb.prompts}: ` +
      `${rb.untied.trainLoss < rb.schedule.trainLoss ? "yes" : "no"}.`,
    ];
  });
  if (lines.length === 0) throw new RangeError(`records ${small} and ${large} share no depth`);
  return lines.join("\n");
}
