/**
 * The mutation report, rendered from the `mutation` record (which imports
 * `docs/mutation-runs.json` and `docs/mutation-verdicts.json`): the latest run of every
 * targeted module, the aggregates, and the counts of the verdicts on the survivors.
 *
 * @module
 */

import { recordNamed, type Records } from "./docs_records.ts";
import { percent, table } from "./docs_markdown.ts";

/** The latest mutation run of one module, as `tools/mutation_doc.py --record` stores it. */
export interface MutationRun {
  commit: string;
  where: string;
  mutants: number;
  detected: number;
  equivalent: number;
  notKilled?: number | null;
  killedSince?: number | null;
}

/** The data of the `mutation` record. */
export interface MutationData {
  "mutation-runs": Record<string, MutationRun>;
  "mutation-verdicts": Record<string, Record<string, string>>;
}

/** Whether `module` is a claim checker (`src/claims/c<digit>...` or `e<digit>...`). */
export function isChecker(module: string): boolean {
  const name = module.split("/").at(-1)!;
  return module.startsWith("src/claims/") && /^[ce]\d/.test(name);
}

/** Module names with numbers zero-padded, so that c2 sorts before c10. */
function natural(module: string): string {
  return module.replace(/\d+/g, (digits) => digits.padStart(3, "0"));
}

/** The modules in the report's order: the checkers first, then the others, each naturally. */
export function moduleOrder(modules: readonly string[]): string[] {
  return [...modules].sort((a, b) =>
    Number(!isChecker(a)) - Number(!isChecker(b)) || natural(a).localeCompare(natural(b))
  );
}

function aggregateRow(label: string, runs: MutationRun[]): string[] {
  const n = runs.reduce((s, r) => s + r.mutants, 0);
  const detected = runs.reduce((s, r) => s + r.detected, 0);
  const equivalent = runs.reduce((s, r) => s + r.equivalent, 0);
  return [
    `**${label}** (${runs.length})`,
    "",
    String(n),
    String(detected),
    `**${percent(detected / n)}**`,
    String(equivalent),
    `**${percent(detected / (n - equivalent))}**`,
    "",
    "",
  ];
}

/** The table of the latest run of every module, with the two aggregate rows. */
export function mutationTable(data: MutationData): string {
  const runs = data["mutation-runs"];
  const order = moduleOrder(Object.keys(runs));
  const rows = order.map((module) => {
    const r = runs[module];
    const n = r.mutants;
    return [
      `\`${module}\``,
      r.where,
      String(n),
      String(r.detected),
      percent(r.detected / n),
      String(r.equivalent),
      percent(r.detected / (n - r.equivalent)),
      r.notKilled == null ? "-" : String(r.notKilled),
      r.killedSince == null ? "-" : String(r.killedSince),
    ];
  });
  rows.push(aggregateRow("all targeted modules", order.map((m) => runs[m])));
  rows.push(aggregateRow("the claim checkers", order.filter(isChecker).map((m) => runs[m])));
  const headers = [
    "module",
    "measured in",
    "mutants",
    "detected",
    "Stryker score",
    "equivalent",
    "without equivalents",
    "not killed",
    "killed since",
  ];
  return table(headers, rows, ["left", "left", ...Array(7).fill("right")]);
}

/** The kinds of verdict, by the words a verdict starts with. */
export const VERDICT_KINDS: readonly string[] = [
  "equivalent",
  "not killed",
  "killed since",
  "removed since",
];

/** The kind of a verdict: the kind it starts with, else "other". */
export function verdictKind(verdict: string): string {
  return VERDICT_KINDS.find((kind) => verdict.startsWith(kind)) ?? "other";
}

/** The verdict counts: survivors of the latest runs by kind, and every entry of the ledger. */
export function verdictCounts(data: MutationData): string {
  const runs = Object.values(data["mutation-runs"]);
  const latest: Record<string, number> = {
    equivalent: runs.reduce((s, r) => s + r.equivalent, 0),
    "not killed": runs.reduce((s, r) => s + (r.notKilled ?? 0), 0),
    "killed since": runs.reduce((s, r) => s + (r.killedSince ?? 0), 0),
  };
  const ledger: Record<string, number> = {};
  for (const verdicts of Object.values(data["mutation-verdicts"])) {
    for (const verdict of Object.values(verdicts)) {
      const kind = verdictKind(verdict);
      ledger[kind] = (ledger[kind] ?? 0) + 1;
    }
  }
  const kinds = [...new Set([...Object.keys(latest), ...Object.keys(ledger)])];
  const rows = kinds.map((kind) => [kind, String(latest[kind] ?? 0), String(ledger[kind] ?? 0)]);
  return table(
    ["verdict", "survivors of the latest runs", "entries in the verdict ledger (every run)"],
    rows,
    ["left", "right", "right"],
  );
}

/** The summary sentence: mutants detected over all modules and over the claim checkers. */
export function mutationSummary(data: MutationData): string {
  const runs = data["mutation-runs"];
  const sentence = (label: string, modules: string[]) => {
    const rs = modules.map((m) => runs[m]);
    const n = rs.reduce((s, r) => s + r.mutants, 0);
    const detected = rs.reduce((s, r) => s + r.detected, 0);
    const equivalent = rs.reduce((s, r) => s + r.equivalent, 0);
    return `${label} (${modules.length} modules): ${detected} of ${n} mutants detected, ` +
      `${percent(detected / n)} (Stryker's score), ${percent(detected / (n - equivalent))} ` +
      `without the ${equivalent} equivalent mutants.`;
  };
  const all = Object.keys(runs);
  return [
    `- ${sentence("Over all targeted modules", all)}`,
    `- ${sentence("The claim checkers alone", all.filter(isChecker))}`,
  ].join("\n");
}

/** The `mutation` record's data. */
export function mutationData(records: Records): MutationData {
  return recordNamed(records, "mutation").data as MutationData;
}
