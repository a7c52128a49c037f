/**
 * Claim C12's finite-context measurement, rendered from a `verify` record (the claim's
 * `details.finiteContext`, `model/schedule_finite_context.ts`): per depth T and test context
 * L_te, the optimal schedule's and the tied optimum's excess over Bayes on the same fresh
 * prompts, their paired difference in standard errors, and the population values.
 *
 * @module
 */

import { claimIn } from "./docs_claims_render.ts";
import { sig, table } from "./docs_markdown.ts";
import { recordNamed, type Records } from "./docs_records.ts";

/** A mean with its standard error, as recorded. */
interface Estimate {
  mean: number;
  standardError: number;
}

/** One depth of the measurement, as far as the docs read it. */
interface DepthEntry {
  depth: number;
  prompts: number;
  population: { schedule: number; tied: number };
  contexts: { context: number; schedule: Estimate; tied: Estimate; difference: Estimate }[];
}

/** The depths of C12's measurement in the record `name`, checked for the fields read. */
function depthEntries(records: Records, name: string): DepthEntry[] {
  const claim = claimIn(recordNamed(records, name), "C12") as {
    details?: { finiteContext?: unknown };
  };
  const entries = claim.details?.finiteContext;
  if (!Array.isArray(entries) || entries.length === 0) {
    throw new TypeError(`record ${name}: C12 has no details.finiteContext`);
  }
  return entries as DepthEntry[];
}

/** `mean ± se` with two significant digits each. */
function estimate(value: Estimate): string {
  return `${sig(value.mean, 3)} ± ${sig(value.standardError, 2)}`;
}

/**
 * The table of the record `name`: one row per depth and test context (then the population,
 * L_te = inf), with the schedule's and the tied optimum's excess, their paired difference
 * and the difference over its standard error (negative: the schedule keeps its advantage).
 */
export function scheduleContextTable(records: Records, name: string): string {
  const rows: string[][] = [];
  for (const entry of depthEntries(records, name)) {
    for (const row of entry.contexts) {
      const z = row.difference.mean / row.difference.standardError;
      rows.push([
        String(entry.depth),
        String(row.context),
        estimate(row.schedule),
        estimate(row.tied),
        estimate(row.difference),
        sig(z, 2),
      ]);
    }
    const { schedule, tied } = entry.population;
    rows.push([
      String(entry.depth),
      "inf",
      sig(schedule, 3),
      sig(tied, 3),
      sig(schedule - tied, 3),
      "",
    ]);
  }
  const headers = [
    "T",
    "L_te",
    "schedule excess",
    "tied excess",
    "schedule - tied (paired)",
    "difference / SE",
  ];
  return table(headers, rows, headers.map(() => "right"));
}
