/**
 * The reference values of the default task, rendered from the `population` record
 * (`population --json` at several depths): the depth-free constants and, per depth, the
 * minimiser alpha_T, the two-parameter optimum and their population excess.
 *
 * @module
 */

import { recordNamed, type Records } from "./docs_records.ts";
import { sig, table } from "./docs_markdown.ts";
import type { PopulationSummary } from "../../src/theory/population_summary.ts";

/** One `population --json` record, as far as the docs read it: the summary and its task. */
export type PopulationRecord = PopulationSummary & { law: string; sigma: number; depth: number };

/** The records of the `population` record, one per depth. */
export function populationRecords(records: Records): PopulationRecord[] {
  const data = recordNamed(records, "population").data;
  if (!Array.isArray(data) || data.length === 0) {
    throw new TypeError("record population: data is not a list of population records");
  }
  return data as PopulationRecord[];
}

/** The depth-free constants of the default task, as one sentence. */
export function populationConstants(records: Records): string {
  const p = populationRecords(records)[0];
  return `For s ~ ${p.law} and sigma = ${p.sigma}: alpha* = ${sig(p.alphaStar, 5)}, ` +
    `rho* = ${sig(p.rhoStar, 5)}, gamma* = ${sig(p.gammaStar, 4)}, ` +
    `LSA gap = ${sig(p.lsaGap, 4)}, R_Bayes = ${sig(p.bayesRisk, 5)}.`;
}

/** Per depth: alpha_T, the excess at alpha_T and at alpha*, the bound, the two-parameter optimum. */
export function populationTable(records: Records): string {
  const rows = populationRecords(records).map((p) => [
    String(p.depth),
    sig(p.alphaT, 5),
    sig(p.excessAtAlphaT, 4),
    sig(p.excessAtAlphaStar, 4),
    sig(p.geometricBound, 4),
    p.depth === 1 ? "(beta unused)" : `(${sig(p.twoParam.alpha, 5)}, ${sig(p.twoParam.beta, 5)})`,
    sig(p.twoParamExcess, 4),
  ]);
  return table(
    [
      "T",
      "alpha_T",
      "E_T(alpha_T)",
      "E_T(alpha*)",
      "rho*^{2T} E[s/(1+s)]",
      "two-parameter optimum",
      "its E_T",
    ],
    rows,
    ["right", "right", "right", "right", "right", "left", "right"],
  );
}
