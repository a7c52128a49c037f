/**
 * The claims of a registry named in one phrase, group by group, for the help texts:
 * `C1..C10 (the paper), C11 (beyond the paper), E1..E3 (external anchors)`. Written from
 * the registry, so a claim added to it appears in every help at once.
 *
 * @module
 */

/** What the phrase reads of a claim. */
export interface GroupedClaim {
  /** The id, e.g. `C3`. */
  readonly id: string;
  /** The group, e.g. `paper`. */
  readonly group: string;
}

/** How each known group is named. */
const GROUP_NAMES: Readonly<Record<string, string>> = {
  paper: "the paper",
  beyond: "beyond the paper",
  external: "external anchors",
  user: "user claims",
};

/** Ids as runs of consecutive numbers with the same prefix: `C1..C10`, `C11`, `E1..E3`. */
function runsOf(ids: readonly string[]): string[] {
  const runs: string[][] = [];
  const split = (id: string) => /^(.*?)(\d+)$/.exec(id);
  for (const id of ids) {
    const last = runs.at(-1);
    const previous = last === undefined ? null : split(last[last.length - 1]);
    const current = split(id);
    if (
      last !== undefined && previous !== null && current !== null &&
      previous[1] === current[1] && Number(current[2]) === Number(previous[2]) + 1
    ) {
      last.push(id);
    } else runs.push([id]);
  }
  return runs.map((run) =>
    run.length === 1 ? run[0] : run.length === 2 ? run.join(", ") : `${run[0]}..${run.at(-1)}`
  );
}

/**
 * The claims of `claims`, group by group in order of first appearance, each group's ids as
 * runs (`C1..C10`) followed by the group's name.
 *
 * @example The built-in groups
 * ```ts
 * import assert from "node:assert/strict";
 * import { claimGroups } from "./claim_groups.ts";
 * const claims = [
 *   ...["C1", "C2", "C3"].map((id) => ({ id, group: "paper" })),
 *   { id: "C11", group: "beyond" },
 *   { id: "E1", group: "external" },
 * ];
 * assert.equal(claimGroups(claims), "C1..C3 (the paper), C11 (beyond the paper), E1 (external anchors)");
 * ```
 */
export function claimGroups(claims: readonly GroupedClaim[]): string {
  const groups = new Map<string, string[]>();
  for (const claim of claims) groups.set(claim.group, [...groups.get(claim.group) ?? [], claim.id]);
  return [...groups].map(([group, ids]) =>
    `${runsOf(ids).join(", ")} (${Object.hasOwn(GROUP_NAMES, group) ? GROUP_NAMES[group] : group})`
  ).join(", ");
}
