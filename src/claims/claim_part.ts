/**
 * The parts a claim check reports. Each part carries its measured value, target and
 * margin, how its comparison combines them, and, for parts checked by a fast-check
 * property, how the property ran and how to replay it.
 *
 * @module
 */

/** How a fast-check property ran. */
export interface PropertyReport {
  /** The fast-check seed. */
  seed: number;
  /** Runs performed. */
  numRuns: number;
  /** Replay path of the shrunk counterexample (failures only). */
  path?: string;
  /** The shrunk counterexample, as JSON (failures only). */
  counterexample?: string;
  /** The failure message (failures only). */
  error?: string;
  /**
   * How to replay exactly this property run: the `verify` command line when run
   * from the CLI, else the library call (`replayCall`).
   */
  replay: string;
  /** The replay as data. */
  replaySpec: ReplaySpec;
}

/** What identifies a property run for its replay. */
export interface ReplaySpec {
  /** Claim id. */
  claim: string;
  /** The seed of the run. */
  seed: number;
  /** Check size. */
  size: CheckSize;
  /** Backend name (`cpu` or `webgpu`). */
  backend: string;
  /** The claims module the claim came from (none for a built-in claim). */
  claimsModule?: string;
  /** The part's name. */
  part: string;
  /** fast-check replay path (a failure's counterexample path, or the replayed one). */
  path?: string;
}

/** One checked part of a claim. */
export interface ClaimPart {
  /** Name of the part, unique within its claim (the key of `CheckOptions.paths`). */
  name: string;
  /** What was measured (the worst case over a property's runs where relevant). */
  measured: string;
  /** The bound or target. */
  target: string;
  /** The margin used and where it comes from. */
  margin: string;
  /** Whether the part holds. */
  passed: boolean;
  /** How the fast-check property ran (parts checked by a property only). */
  property?: PropertyReport;
  /**
   * The checked quantity of the comparison nearest to failing (after any
   * perturbation), or null where the part has no single numeric comparison.
   */
  measuredValue?: number | null;
  /** The target the measured value is compared with (null: none). */
  targetValue?: number | null;
  /** The margin of that comparison (null: none). */
  marginValue?: number | null;
  /**
   * How measured, target and margin combine: `at-most` (measured <= target + margin,
   * a one-sided bound), `at-least` (measured >= target - margin, one-sided),
   * `equal` (|measured - target| <= margin, two-sided), `rounding` (the margin is a
   * float64 rounding or resolution bound, not a statistical one) or `property`
   * (a qualitative property such as monotonicity; no single margin).
   */
  sense?: PartSense;
  /**
   * True when the margin is statistical (standard errors, Bonferroni z): the part may
   * fail by chance with at most the family-wise rate; false for exact, rounding and
   * asymptotic bounds, which must never fail under the truth.
   */
  statistical?: boolean;
}

/** How a part's measured value, target and margin combine (see {@linkcode ClaimPart.sense}). */
export type PartSense = "at-most" | "at-least" | "equal" | "property" | "rounding";

/** Check sizes: `quick` (CI, minutes in all) or `full`. */
export type CheckSize = "quick" | "full";
