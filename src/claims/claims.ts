/**
 * The registry of every claim check, in order C1..C10.
 *
 * @module
 */

import { C1, checkC1 } from "./c1_lsa_gap.ts";
import { C2, checkC2 } from "./c2_bayes.ts";
import { C3, C4, checkC3, checkC4 } from "./c3_c4_geometric.ts";
import { C5, checkC5 } from "./c5_one_parameter.ts";
import { C6, checkC6 } from "./c6_two_parameter.ts";
import { C7, checkC7 } from "./c7_support_only.ts";
import { C8, checkC8 } from "./c8_depth_one_and_ablation.ts";
import { C9, checkC9 } from "./c9_finite_context.ts";
import { C10, checkC10 } from "./c10_training_context.ts";
import type { CheckOptions, ClaimResult } from "./result.ts";

/** A registered claim. */
export interface Claim {
  /** Claim id, `C1` .. `C10`. */
  id: string;
  /** Short title, e.g. "LSA gap". */
  title: string;
  /** The paper's result it checks, e.g. "Theorem 4.1". */
  theorem: string;
  /** The statement checked, in words and formulas. */
  statement: string;
  /** Runs the check (default options: float64 CPU, `quick`, seed 0). */
  check: (options?: CheckOptions) => Promise<ClaimResult>;
}

/** Every claim, C1..C10. */
export const CLAIMS: readonly Claim[] = [
  { ...C1, check: checkC1 },
  { ...C2, check: checkC2 },
  { ...C3, check: checkC3 },
  { ...C4, check: checkC4 },
  { ...C5, check: checkC5 },
  { ...C6, check: checkC6 },
  { ...C7, check: checkC7 },
  { ...C8, check: checkC8 },
  { ...C9, check: checkC9 },
  { ...C10, check: checkC10 },
];

/** Looks up claims by id (case-insensitive); throws a RangeError naming unknown ids. */
export function selectClaims(ids?: readonly string[]): Claim[] {
  if (!ids || ids.length === 0) return [...CLAIMS];
  return ids.map((raw) => {
    const id = raw.trim().toUpperCase();
    const claim = CLAIMS.find((c) => c.id === id);
    if (!claim) {
      throw new RangeError(
        `claims must be a comma-separated list of ${CLAIMS.map((c) => c.id).join(", ")}, got ${
          JSON.stringify(raw)
        }`,
      );
    }
    return claim;
  });
}

/** Runs the selected claims in order. */
export async function verifyClaims(
  ids: readonly string[] | undefined,
  options: CheckOptions = {},
): Promise<ClaimResult[]> {
  const results: ClaimResult[] = [];
  for (const claim of selectClaims(ids)) results.push(await claim.check(options));
  return results;
}
