/**
 * The report of the C11 study, rendered from the `untied` record (one row per depth of the
 * untied sweep): tied optimum against the untied model kept, and the structure of its matrices.
 *
 * @module
 */

import { recordNamed, type Records } from "./docs_records.ts";
import { sig, table } from "./docs_markdown.ts";
import type { PairedDifference, UntiedSweepRow } from "../../src/experiments/untied_sweep.ts";

/** A paired difference with its standard error. */
type Paired = PairedDifference;

/**
 * One depth of the sweep, as far as the report reads it (records of earlier versions of the
 * sweep lack some fields added since: those are left out here).
 */
export type UntiedRow =
  & Pick<
    UntiedSweepRow,
    "depth" | "d" | "prompts" | "layerwise" | "tied" | "difference" | "differenceTrained"
  >
  & {
    context: number | string;
    target: string;
    untied: Omit<UntiedSweepRow["untied"], "trainLoss" | "layers" | "a" | "b">;
    inits: { init: string }[];
    tiedTrained: { alpha: number; beta: number; excess: number };
    finiteTest?: Pick<
      NonNullable<UntiedSweepRow["finiteTest"]>,
      "context" | "tiedTrained" | "untied" | "differenceTrained"
    >;
  };

/** The rows of an untied-sweep record (default `untied`). */
export function untiedRows(records: Records, name = "untied"): UntiedRow[] {
  const data = recordNamed(records, name).data;
  if (!Array.isArray(data)) throw new TypeError(`record ${name}: data is not a list of rows`);
  return data as UntiedRow[];
}

function paired(p: Paired): string {
  return `${sig(p.mean, 3)} ± ${sig(p.standardError, 2)}`;
}

/** The table against the tied optimum: one row per depth. */
export function untiedTable(records: Records, name = "untied"): string {
  const rows = untiedRows(records, name).map((r) => {
    const unusedB = r.depth === 1;
    return [
      String(r.depth),
      `(${r.tied.alpha.toFixed(5)}, ${unusedB ? "—" : r.tied.beta.toFixed(5)})`,
      sig(r.tied.excess, 4),
      sig(r.untied.excess, 4),
      paired(r.difference),
      (r.untied.excess / r.tied.excess).toFixed(3),
      r.untied.alpha.toFixed(4),
      unusedB ? "—" : r.untied.beta.toFixed(4),
      r.untied.aSkew.toFixed(3),
      unusedB ? "— (B unused)" : r.untied.bSkew.toFixed(3),
      unusedB
        ? r.untied.aSymmetric.toFixed(3)
        : `${r.untied.aSymmetric.toFixed(3)}, ${r.untied.bSymmetric.toFixed(3)}`,
      `${r.untied.init} (of ${r.inits.length}; ${r.untied.steps} it., ${r.untied.stop})`,
    ];
  });
  const headers = [
    "T",
    "tied optimum (alpha, beta)",
    "tied excess",
    "untied excess",
    "untied - tied (± SE)",
    "untied / tied",
    "tr A/d",
    "tr B/d",
    "skew A",
    "skew B",
    "sym A, B",
    "kept start",
  ];
  return table(headers, rows, ["right", "left", ...Array(9).fill("right"), "left"]);
}

/**
 * The settings of the sweep and what the rows show, in sentences built from the rows; the
 * comparison is against the tied optimum, or with `against = "trained"` against the tied model
 * trained on the same loss and prompts.
 */
export function untiedSummary(
  records: Records,
  name = "untied",
  against: "optimum" | "trained" = "optimum",
): string {
  const rows = untiedRows(records, name);
  const first = rows[0];
  const difference = (r: UntiedRow) => against === "trained" ? r.differenceTrained : r.difference;
  const tied = (r: UntiedRow) => against === "trained" ? r.tiedTrained.excess : r.tied.excess;
  const ratio = (r: UntiedRow) => r.untied.excess / tied(r);
  const gains = rows.filter((r) => difference(r).mean + 5 * difference(r).standardError < 0);
  const losses = rows.filter((r) => difference(r).mean - 5 * difference(r).standardError > 0);
  const best = rows.reduce((a, b) => (ratio(b) < ratio(a) ? b : a));
  const depths = (rs: UntiedRow[]) => rs.length === 0 ? "none" : rs.map((r) => r.depth).join(", ");
  const label = against === "trained"
    ? "the tied model trained on the same loss"
    : "the tied optimum";
  return [
    `- Settings: d = ${first.d}, N = ${first.prompts} training prompts, training context ` +
    `${first.context === "inf" ? "inf (exact task statistics)" : first.context}, ` +
    `target ${first.target}, ${first.layerwise ? "layerwise" : "shared"} matrices, ` +
    `${first.inits.length} starts per depth.`,
    `- Depths where the untied model is below ${label} by more than 5 paired SE: ` +
    `T = ${depths(gains)}; above it by more than 5 SE: T = ${depths(losses)}.`,
    `- Lowest ratio of the untied excess to that of ${label}: ${sig(ratio(best), 3)} at ` +
    `T = ${best.depth}, with skew parts ${best.untied.aSkew.toFixed(3)} (A) and ` +
    `${best.untied.bSkew.toFixed(3)} (B) and symmetric traceless parts ` +
    `${best.untied.aSymmetric.toFixed(3)} and ${best.untied.bSymmetric.toFixed(3)}.`,
  ].join("\n");
}

/**
 * The table against the tied model trained on the same loss and prompts (for a sweep on the
 * paper's loss): population excess, and the excess at the test context L_te = L_tr.
 */
export function untiedTrainedTable(records: Records, name: string): string {
  const rows = untiedRows(records, name).map((r) => {
    const finite = r.finiteTest;
    return [
      String(r.depth),
      sig(r.tied.excess, 4),
      r.depth === 1
        ? `(${r.tiedTrained.alpha.toFixed(5)}, —)`
        : `(${r.tiedTrained.alpha.toFixed(5)}, ${r.tiedTrained.beta.toFixed(5)})`,
      sig(r.tiedTrained.excess, 4),
      sig(r.untied.excess, 4),
      paired(r.differenceTrained),
      finite === undefined ? "-" : `${sig(finite.tiedTrained, 4)}, ${sig(finite.untied, 4)}`,
      finite === undefined ? "-" : paired(finite.differenceTrained),
      r.untied.aSkew.toFixed(3),
      r.depth === 1 ? "—" : r.untied.bSkew.toFixed(3),
    ];
  });
  const context = untiedRows(records, name)[0].finiteTest?.context ?? "L_tr";
  const headers = [
    "T",
    "tied optimum excess",
    "tied trained (alpha, beta)",
    "tied trained excess",
    "untied excess",
    "untied - tied trained (± SE)",
    `at L_te = ${context}: tied trained, untied`,
    `untied - tied trained at L_te = ${context} (± SE)`,
    "skew A",
    "skew B",
  ];
  return table(headers, rows, ["right", ...Array(9).fill("right")]);
}
