/**
 * Structured results of claim checks, and the runner that turns a fast-check
 * property into a reportable part (seed, path, shrunk counterexample, replay command).
 *
 * @module
 */

import fc from "npm:fast-check@^4";
import type { Arbitrary } from "npm:fast-check@^4";
import type { Backend } from "../backends/backend.ts";
import { type PromptStatistics, samplePromptStatistics } from "../model/prompt_statistics.ts";
import type { SampleOptions } from "../model/task.ts";
import { train as trainOnCpu, type TrainOptions, type TrainResult } from "../training/training.ts";
import { trainOnBackend } from "../training/training_backend.ts";
import { requireChoice, requireNonNegativeInteger } from "../validation/errors.ts";

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
   * from the CLI, else the library call ({@linkcode replayCall}).
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

/**
 * A controlled perturbation for power controls and calibration: the checked
 * quantity of `part` ("*": every part) is shifted by `margins` times its own
 * margin in the adverse direction (up for `at-most`, `equal` and `rounding`,
 * down for `at-least`) before it is compared.
 */
export interface Perturbation {
  /** Part name, or "*" for every part of the claim. */
  part: string;
  /** Shift in units of the part's margin (>= 0). */
  margins: number;
}

/** The result of checking one claim. */
export interface ClaimResult {
  /** Claim id, `C1` .. `C10`. */
  id: string;
  /** Short title of the claim. */
  title: string;
  /** The statement checked. */
  statement: string;
  /** The paper's result it checks, e.g. "Theorem 4.1". */
  theorem: string;
  /** The checked parts, in order. */
  parts: ClaimPart[];
  /** True when there is at least one part and every part passed. */
  passed: boolean;
  /** Wall-clock time of the check, in seconds. */
  seconds: number;
  /** The check size it ran at. */
  size: CheckSize;
  /** The seed it ran with. */
  seed: number;
  /** The backend the Monte Carlo parts ran on. */
  backend: { name: string; adapter: string; precision: string };
  /** Extra data a claim records (JSON-serialisable), e.g. C10's alpha_hat curve. */
  details?: Record<string, unknown>;
}

/** Check sizes: `quick` (CI, minutes in all) or `full`. */
export type CheckSize = "quick" | "full";

/** Options every checker takes. */
export interface CheckOptions {
  /**
   * Compute backend for the Monte Carlo parts (default: the float64 CPU reference).
   * With WebGPU, prompts are sampled in kernels (float32) and the checks' arithmetic
   * stays in float64 on the host.
   */
  backend?: Backend;
  /** quick (default) or full. */
  size?: CheckSize;
  /** Seed for fast-check and for every sampled batch (default 0). */
  seed?: number;
  /** Replay paths for properties, keyed by part name. */
  paths?: Record<string, string>;
  /** Progress messages (one line each). */
  onProgress?: (message: string) => void;
  /**
   * The claims module the claim came from (path or URL, as given to
   * `verify --claims-module`); replays then name it. Default: none
   * (a built-in claim).
   */
  claimsModule?: string;
  /** Formats a replay (default {@linkcode replayCall}, the library call). */
  formatReplay?: (spec: ReplaySpec) => string;
  /**
   * Power controls and calibration only: shift a part's checked quantity by a
   * number of its margins (see {@linkcode Perturbation}). Default: none.
   */
  perturb?: Perturbation;
}

/** Resolved options. */
export interface ResolvedCheck {
  /** Check size. */
  size: CheckSize;
  /** Seed of fast-check and of every sampled batch. */
  seed: number;
  /** Replay paths of properties, keyed by part name. */
  paths: Record<string, string>;
  /** Progress messages (one line each). */
  progress: (message: string) => void;
  /** Samples prompt statistics on the chosen backend. */
  sample: (options: SampleOptions) => Promise<PromptStatistics>;
  /** Trains on the chosen backend. */
  train: (options: TrainOptions) => Promise<TrainResult>;
  /** The backend's name, adapter and precision. */
  backend: { name: string; adapter: string; precision: string };
  /** The claims module the claim came from, if any (for replays). */
  claimsModule?: string;
  /** Formats a replay. */
  formatReplay: (spec: ReplaySpec) => string;
  /** The perturbation (power controls, calibration), if any. */
  perturb?: Perturbation;
}

/**
 * Fills in defaults.
 *
 * @example Defaults of a check
 * ```ts
 * import { resolveCheck } from "./result.ts";
 * const check = resolveCheck({ seed: 3 });
 * console.log(check.size, check.seed, check.backend.name); // quick 3 cpu
 * ```
 */
export function resolveCheck(options: CheckOptions = {}): ResolvedCheck {
  requireChoice("size", options.size ?? "quick", ["quick", "full"]);
  requireNonNegativeInteger("seed", options.seed ?? 0);
  const backend = options.backend;
  return {
    size: options.size ?? "quick",
    seed: options.seed ?? 0,
    paths: options.paths ?? {},
    progress: options.onProgress ?? (() => {}),
    sample: backend
      ? (sample) => backend.statistics(sample)
      : (sample) => Promise.resolve(samplePromptStatistics(sample)),
    train: backend
      ? (train) => trainOnBackend(train, backend)
      : (options) => Promise.resolve(trainOnCpu(options)),
    backend: backend
      ? { name: backend.name, adapter: backend.adapter, precision: backend.precision }
      : { name: "cpu", adapter: "CPU (float64)", precision: "float64" },
    claimsModule: options.claimsModule,
    formatReplay: options.formatReplay ?? replayCall,
    perturb: options.perturb,
  };
}

/** The number of margins by which `part`'s checked quantity is shifted (0 without a perturbation). */
export function perturbationMargins(
  check: { perturb?: Perturbation },
  part: string,
): number {
  const p = check.perturb;
  return p && (p.part === "*" || p.part === part) ? p.margins : 0;
}

/**
 * The shared comparison of one part: compares a measured value with a target
 * under a margin, according to the part's sense, after shifting the measured
 * value by the part's perturbation (k margins in the adverse direction). It
 * records the comparison nearest to failing (in units of its margin) for the
 * part's numeric fields. Every checker compares through this, so a perturbation
 * reaches every part, user-defined claims included.
 *
 * @example A two-sided comparison, then the same under a 3-margin perturbation
 * ```ts
 * import { Gauge, resolveCheck } from "./result.ts";
 * const plain = new Gauge(resolveCheck(), "mean", "equal");
 * console.log(plain.compare(1.02, 1, 0.05)); // true
 * const shifted = new Gauge(resolveCheck({ perturb: { part: "mean", margins: 3 } }), "mean", "equal");
 * console.log(shifted.compare(1.02, 1, 0.05)); // false
 * ```
 */
export class Gauge {
  /** The part's name. */
  readonly part: string;
  /** The part's sense. */
  readonly sense: PartSense;
  #margins: number;
  #score = -Infinity;
  #values: { measuredValue: number; targetValue: number; marginValue: number } | null = null;

  readonly #down: boolean;
  /** Whether the margin is statistical (see {@linkcode ClaimPart.statistical}). */
  readonly statistical: boolean;

  /**
   * `statistical`: whether the margin comes from standard errors (default: true for
   * at-most, at-least and equal, false for rounding and property). `direction` matters for
   * `rounding` and `property` parts only: "up" (default) compares like `at-most`, "down"
   * like `at-least`.
   */
  constructor(
    check: { perturb?: Perturbation },
    part: string,
    sense: PartSense,
    options: { direction?: "up" | "down"; statistical?: boolean } = {},
  ) {
    const direction = options.direction ?? (sense === "at-least" ? "down" : "up");
    this.part = part;
    this.sense = sense;
    this.statistical = options.statistical ??
      (sense === "at-most" || sense === "at-least" || sense === "equal");
    this.#down = sense === "at-least" ||
      (sense !== "at-most" && sense !== "equal" && direction === "down");
    this.#margins = perturbationMargins(check, part);
  }

  /** The applied shift, in margins. */
  get margins(): number {
    return this.#margins;
  }

  /**
   * True when `measured` (shifted by the perturbation) satisfies the part's sense
   * against `target` and `margin`: at-most / rounding / property: measured <= target + margin;
   * at-least: measured >= target - margin; equal: |measured - target| <= margin.
   */
  compare(measured: number, target: number, margin: number): boolean {
    const down = this.#down;
    const shifted = measured + (down ? -1 : 1) * this.#margins * margin;
    const excess = this.sense === "equal"
      ? Math.abs(shifted - target)
      : down
      ? target - shifted
      : shifted - target;
    const score = margin > 0 ? excess / margin : excess > 0 ? Infinity : excess < 0 ? -Infinity : 0;
    const passed = excess <= margin;
    if (score > this.#score || this.#values === null || Number.isNaN(score)) {
      this.#score = Number.isNaN(score) ? Infinity : score;
      this.#values = { measuredValue: shifted, targetValue: target, marginValue: margin };
    }
    return passed && !Number.isNaN(score);
  }

  /** Distance past the target in margins of the comparison nearest to failing (> 1: failed). */
  get score(): number {
    return this.#score;
  }

  /** The numeric fields of the part (nulls before any comparison). */
  fields(): Pick<
    ClaimPart,
    "measuredValue" | "targetValue" | "marginValue" | "sense" | "statistical"
  > {
    return {
      statistical: this.statistical,
      measuredValue: this.#values?.measuredValue ?? null,
      targetValue: this.#values?.targetValue ?? null,
      marginValue: this.#values?.marginValue ?? null,
      sense: this.sense,
    };
  }
}

/**
 * A part computed directly (not by a property), compared through a {@linkcode Gauge}.
 *
 * @example A rounding bound as a part
 * ```ts
 * import { directPart, Gauge, resolveCheck } from "./result.ts";
 * const gauge = new Gauge(resolveCheck(), "agreement", "rounding");
 * const part = directPart(gauge, 1e-17, 0, 1e-15, {
 *   measured: "difference 1e-17",
 *   target: "difference <= rounding bound",
 *   margin: "float64 rounding",
 * });
 * console.log(part.passed, part.sense); // true rounding
 * ```
 */
export function directPart(
  gauge: Gauge,
  measured: number,
  target: number,
  margin: number,
  text: { measured: string; target: string; margin: string },
): ClaimPart {
  const passed = gauge.compare(measured, target, margin);
  return {
    name: gauge.part,
    measured: gauge.margins > 0
      ? `${text.measured} (perturbed by ${gauge.margins} margins)`
      : text.measured,
    target: text.target,
    margin: text.margin,
    passed,
    ...gauge.fields(),
  };
}

/** Thrown inside a property to report a violated statement with its numbers. */
export class ClaimViolation extends Error {
  /** The error's name. */
  override name = "ClaimViolation";
}

/**
 * Asserts a statement inside a property.
 *
 * @example Assert inside a property
 * ```ts
 * import { expect } from "./result.ts";
 * expect(1 + 1 === 2, () => "arithmetic is broken"); // holds: nothing thrown
 * ```
 */
export function expect(condition: boolean, message: () => string): void {
  if (!condition) throw new ClaimViolation(message());
}

/**
 * Tracks the worst measured value across property runs.
 *
 * @example Track the worst ratio over draws
 * ```ts
 * import { WorstCase } from "./result.ts";
 * const worst = new WorstCase();
 * for (const ratio of [0.2, 0.9, 0.5]) worst.record(ratio, `ratio ${ratio}`);
 * console.log(worst.text); // ratio 0.9
 * ```
 */
export class WorstCase {
  #value = -Infinity;
  #text = "no runs";
  /** Records a value where larger is worse (e.g. measured / bound). */
  record(value: number, text: string): void {
    if (value > this.#value || this.#text === "no runs") {
      this.#value = value;
      this.#text = text;
    }
  }
  /** Text of the worst case. */
  get text(): string {
    return this.#text;
  }
}

/**
 * Runs a fast-check property (synchronous or asynchronous predicate, always
 * awaited) and reports it as a claim part. `measured` is read after the run
 * (usually a {@linkcode WorstCase}).
 *
 * @example A fast-check property as a replayable claim part
 * ```ts
 * import fc from "npm:fast-check@^4";
 * import { expect, propertyPart, resolveCheck } from "./result.ts";
 * const part = await propertyPart(
 *   resolveCheck({ seed: 1 }),
 *   "U9",
 *   "squares",
 *   fc.integer({ min: -100, max: 100 }),
 *   (n) => expect(n * n >= 0, () => `${n}^2 < 0`),
 *   { measured: () => "every square >= 0", target: "n^2 >= 0", margin: "exact", numRuns: 50 },
 * );
 * console.log(part.passed, part.property?.replay);
 * ```
 */
export async function propertyPart<T>(
  check: ResolvedCheck,
  claimId: string,
  name: string,
  arbitrary: Arbitrary<T>,
  predicate: (value: T) => void | Promise<void>,
  describe: {
    measured: () => string;
    target: string;
    margin: string;
    numRuns: number;
    /** The part's comparison (numeric fields, perturbation); else `sense` alone. */
    gauge?: Gauge;
    /** The part's sense when it has no gauge (default "property"). */
    sense?: PartSense;
  },
): Promise<ClaimPart> {
  if (describe.gauge !== undefined && describe.gauge.part !== name) {
    // A gauge named otherwise would miss perturbations addressed to this part by name.
    throw new RangeError(
      `gauge must be named after its part ${JSON.stringify(name)}, got ${
        JSON.stringify(describe.gauge.part)
      }`,
    );
  }
  const path = check.paths[name];
  const perturbed = perturbationMargins(check, name) > 0;
  const details = await fc.check(
    fc.asyncProperty(arbitrary, async (value) => {
      await predicate(value);
    }),
    {
      seed: check.seed,
      numRuns: describe.numRuns,
      path,
      // Under a perturbation (power controls, calibration) only the verdict matters: no shrinking.
      endOnFailure: perturbed,
    },
  );
  const replayPath = details.counterexamplePath ?? path;
  const spec: ReplaySpec = {
    claim: claimId,
    seed: check.seed,
    size: check.size,
    backend: check.backend.name,
    claimsModule: check.claimsModule,
    part: name,
    path: replayPath ?? undefined,
  };
  const property: PropertyReport = {
    seed: check.seed,
    numRuns: details.numRuns,
    replay: check.formatReplay(spec),
    replaySpec: spec,
  };
  if (details.failed) {
    property.path = details.counterexamplePath ?? undefined;
    property.counterexample = JSON.stringify(
      details.counterexample,
      (_k, v) => ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v,
    );
    const error = details.errorInstance;
    property.error = error instanceof Error ? error.message : String(error);
  }
  const fields = describe.gauge?.fields() ??
    {
      measuredValue: null,
      targetValue: null,
      marginValue: null,
      sense: describe.sense ?? "property",
      statistical: false,
    };
  return {
    name,
    measured: (details.failed ? `FAILED: ${property.error}` : describe.measured()) +
      (perturbed ? ` (perturbed by ${perturbationMargins(check, name)} margins)` : ""),
    target: describe.target,
    margin: describe.margin,
    passed: !details.failed,
    property,
    ...fields,
  };
}

/**
 * The default replay: the library call that reproduces the run, e.g.
 * `verifyClaims(["C3"], { size: "quick", seed: 7, paths: { bound: "17:1:0" } })`.
 * The CLI passes its own formatter, which writes the `verify` command line.
 *
 * @example The library call that replays a run
 * ```ts
 * import { replayCall } from "./result.ts";
 * console.log(replayCall({ claim: "C3", seed: 7, size: "quick", backend: "cpu", part: "bound", path: "17:1:0" }));
 * ```
 */
export function replayCall(spec: ReplaySpec): string {
  const options: string[] = [`size: "${spec.size}"`, `seed: ${spec.seed}`];
  if (spec.path !== undefined) {
    options.push(`paths: { ${JSON.stringify(spec.part)}: ${JSON.stringify(spec.path)} }`);
  }
  if (spec.backend !== "cpu") options.push(`backend: await createBackend("${spec.backend}")`);
  const registry = spec.claimsModule === undefined
    ? ""
    : `, await loadClaimsModule(${JSON.stringify(spec.claimsModule)})`;
  return `verifyClaims([${JSON.stringify(spec.claim)}], { ${options.join(", ")} }${registry})`;
}

/** Assembles a claim result. */
export function claimResult(
  meta: { id: string; title: string; statement: string; theorem: string },
  check: ResolvedCheck,
  started: number,
  parts: ClaimPart[],
): ClaimResult {
  return {
    ...meta,
    parts,
    passed: parts.length > 0 && parts.every((p) => p.passed),
    seconds: (performance.now() - started) / 1000,
    size: check.size,
    seed: check.seed,
    backend: check.backend,
  };
}

/** Formats a number compactly for measured/target text. */
export function fmt(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return "0";
  const abs = Math.abs(value);
  return abs >= 1e-3 && abs < 1e5
    ? Number(value.toPrecision(digits)).toString()
    : value.toExponential(digits - 1);
}
