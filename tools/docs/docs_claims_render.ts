/**
 * The claims as Markdown, rendered from the `verify` records: the README's claims table and,
 * for each claim page of `docs/claims/`, its statement and its latest results part by part.
 *
 * @module
 */

import { ALL_CLAIMS } from "../../src/claims/claims.ts";
import { type DocsRecord, recordNamed, type Records } from "./docs_records.ts";
import { table } from "./docs_markdown.ts";
import { folderOf, relativePath } from "./docs_site_paths.ts";

/** One checked part of a claim, as `verify --json` reports it. */
export interface PartResult {
  name: string;
  measured: string;
  target: string;
  margin: string;
  passed: boolean;
}

/** One claim, as `verify --json` reports it. */
export interface ClaimRecord {
  id: string;
  title: string;
  theorem: string;
  statement: string;
  passed: boolean;
  seconds: number;
  size: string;
  seed: number;
  parts: PartResult[];
}

/** The records of `verify` the claims are rendered from: CI size and full size. */
export const VERIFY_RECORDS = ["verify-quick", "verify-full"] as const;

/** The claims of a `verify` record's data. */
export function claimsOf(record: DocsRecord): ClaimRecord[] {
  const data = record.data as { claims?: ClaimRecord[] };
  if (!Array.isArray(data.claims)) throw new TypeError(`record ${record.name} has no claims`);
  return data.claims;
}

/** The claim `id` of a `verify` record, or an Error naming the record. */
export function claimIn(record: DocsRecord, id: string): ClaimRecord {
  const claim = claimsOf(record).find((c) => c.id === id);
  if (claim === undefined) throw new Error(`record ${record.name} has no claim ${id}`);
  return claim;
}

/** The page of a claim, relative to the repository root (`docs/claims/c1.md`). */
export function claimPage(id: string): string {
  return `docs/claims/${id.toLowerCase()}.md`;
}

/** How the docs name each group of the registry. */
const GROUP_TEXT: Readonly<Record<string, string>> = {
  paper: "the paper",
  beyond: "beyond the paper",
  external: "external anchor (the prior work's theorem on its own setting)",
};

/**
 * The group of a built-in claim, from the registry (`ALL_CLAIMS`): the paper's (C1..C10),
 * beyond the paper (C11..C13), external (E1..E3). An id the registry lacks is an Error.
 */
export function claimGroup(id: string): string {
  const claim = ALL_CLAIMS.find((c) => c.id === id);
  if (claim === undefined) throw new Error(`no built-in claim ${id}`);
  return GROUP_TEXT[claim.group] ?? claim.group;
}

/** A relative link from the file `from` to the file `to` (both repository-relative). */
export function relativeLink(from: string, to: string): string {
  return relativePath(folderOf(from), to);
}

function verdict(claim: ClaimRecord | undefined): string {
  if (claim === undefined) return "not run";
  return claim.passed ? "holds" : "**fails**";
}

/** The README's claims table: one row per claim of the quick record, with both verdicts. */
export function claimsTable(records: Records, file: string): string {
  const quick = recordNamed(records, "verify-quick");
  const full = recordNamed(records, "verify-full");
  const fullClaims = new Map(claimsOf(full).map((c) => [c.id, c]));
  const rows = claimsOf(quick).map((claim) => [
    `[${claim.id}](${relativeLink(file, claimPage(claim.id))})`,
    claim.title,
    claim.theorem,
    verdict(claim),
    verdict(fullClaims.get(claim.id)),
  ]);
  const headers = ["claim", "statement (short)", "source", "CI size", "full size"];
  const held = claimsOf(quick).filter((c) => c.passed).length;
  const heldFull = claimsOf(full).filter((c) => c.passed).length;
  return [
    table(headers, rows),
    "",
    `${held} of ${claimsOf(quick).length} claims hold at CI size (${
      recordLink(file, quick.name)
    })` +
    ` and ${heldFull} of ${claimsOf(full).length} at full size (${recordLink(file, full.name)}).`,
  ].join("\n");
}

/** The repository-relative path of a record's file. */
export function recordFile(name: string): string {
  return `docs/records/${name}.json`;
}

/** A Markdown link to a record's file from `file`, labelled with the record's path. */
export function recordLink(file: string, name: string): string {
  return `[${recordFile(name)}](${relativeLink(file, recordFile(name))})`;
}

/** The statement block of a claim page: the statement, its source and its group. */
export function claimStatement(records: Records, id: string): string {
  const claim = claimIn(recordNamed(records, "verify-quick"), id);
  return [
    `> ${claim.statement}`,
    "",
    `Source: ${claim.theorem}. Group: ${claimGroup(id)}. Short title: "${claim.title}".`,
  ].join("\n");
}

function partsTable(claim: ClaimRecord): string {
  return table(
    ["part", "measured", "target", "margin", "verdict"],
    claim.parts.map((p) => [
      `\`${p.name}\``,
      p.measured,
      p.target,
      p.margin,
      p.passed ? "holds" : "**fails**",
    ]),
  );
}

function recordHeading(record: DocsRecord, claim: ClaimRecord): string {
  const data = record.data as { backend?: { name?: string } };
  return `**${claim.size === "full" ? "Full size" : "CI size"}** (seed ${claim.seed}, ` +
    `backend ${data.backend?.name ?? "cpu"}): ${verdict(claim)} in ${claim.seconds.toFixed(1)} s ` +
    `of claim time; recorded on ${record.created.slice(0, 10)} by`;
}

/** The results block of a claim page: every part at full size and at CI size. */
export function claimResult(records: Records, id: string, file: string): string {
  const out: string[] = [];
  for (const name of [...VERIFY_RECORDS].reverse()) {
    const record = recordNamed(records, name);
    const claim = claimIn(record, id);
    out.push(
      `${recordHeading(record, claim)} \`${record.command}\` (${recordLink(file, name)}).`,
      "",
      partsTable(claim),
      "",
    );
  }
  return out.join("\n");
}
