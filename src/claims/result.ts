/**
 * Structured results of claim checks, and the runner that turns a fast-check
 * property into a reportable part (seed, path, shrunk counterexample, replay command).
 *
 * @module
 */

import fc from "npm:fast-check@^4";
import type { Backend } from "../backends/backend.ts";
import { type PromptStatistics, samplePromptStatistics } from "../model/statistics.ts";
import type { SampleOptions } from "../model/task.ts";
import { train as trainOnCpu, type TrainOptions, type TrainResult } from "../training/training.ts";
import { trainOnBackend } from "../training/training_backend.ts";

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
  /** A command that replays exactly this property run. */
  replay: string;
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
  /** The measured value as a number (null where the part has none). */
  measuredValue?: number | null;
  /** The target as a number (null where the part has none). */
  targetValue?: number | null;
  /** The margin as a number (null where the part has none). */
  marginValue?: number | null;
  /**
   * How measured, target and margin relate: `at-most` (measured <= target + margin),
   * `at-least` (measured >= target - margin), `equal` (|measured - target| <= margin),
   * `property` (a fast-check property over many draws) or `rounding` (a float64
   * rounding bound).
   */
  sense?: "at-most" | "at-least" | "equal" | "property" | "rounding";
  /** How the fast-check property ran (parts checked by a property only). */
  property?: PropertyReport;
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
   * `verify --claims-module`); replay commands then name it. Default: none
   * (a built-in claim).
   */
  claimsModule?: string;
}

/** Resolved options. */
export interface ResolvedCheck {
  size: CheckSize;
  seed: number;
  paths: Record<string, string>;
  progress: (message: string) => void;
  /** Samples prompt statistics on the chosen backend. */
  sample: (options: SampleOptions) => Promise<PromptStatistics>;
  /** Trains on the chosen backend. */
  train: (options: TrainOptions) => Promise<TrainResult>;
  /** The backend's name, adapter and precision. */
  backend: { name: string; adapter: string; precision: string };
  /** The claims module the claim came from, if any (for replay commands). */
  claimsModule?: string;
}

/** Fills in defaults. */
export function resolveCheck(options: CheckOptions = {}): ResolvedCheck {
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
  };
}

/** Thrown inside a property to report a violated statement with its numbers. */
export class ClaimViolation extends Error {
  override name = "ClaimViolation";
}

/** Asserts a statement inside a property. */
export function expect(condition: boolean, message: () => string): void {
  if (!condition) throw new ClaimViolation(message());
}

/** Tracks the worst measured value across property runs. */
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
 */
export async function propertyPart<T>(
  check: ResolvedCheck,
  claimId: string,
  name: string,
  arbitrary: fc.Arbitrary<T>,
  predicate: (value: T) => void | Promise<void>,
  describe: { measured: () => string; target: string; margin: string; numRuns: number },
): Promise<ClaimPart> {
  const path = check.paths[name];
  const details = await fc.check(
    fc.asyncProperty(arbitrary, async (value) => {
      await predicate(value);
    }),
    {
      seed: check.seed,
      numRuns: describe.numRuns,
      path,
      endOnFailure: false,
    },
  );
  const replayPath = details.counterexamplePath ?? path;
  const replay = `deno task verify --claims ${claimId} --seed ${check.seed}` +
    (check.claimsModule ? ` --claims-module ${shellQuote(check.claimsModule)}` : "") +
    (check.size === "full" ? " --full" : " --quick") +
    (check.backend.name === "cpu" ? "" : ` --backend ${check.backend.name}`) +
    (replayPath ? ` --path ${name}=${replayPath}` : "");
  const property: PropertyReport = { seed: check.seed, numRuns: details.numRuns, replay };
  if (details.failed) {
    property.path = details.counterexamplePath ?? undefined;
    property.counterexample = JSON.stringify(
      details.counterexample,
      (_k, v) => ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v,
    );
    const error = details.errorInstance;
    property.error = error instanceof Error ? error.message : String(error);
  }
  return {
    name,
    measured: details.failed ? `FAILED: ${property.error}` : describe.measured(),
    target: describe.target,
    margin: describe.margin,
    passed: !details.failed,
    property,
  };
}

/** Quotes a shell word when it holds characters the shell would interpret. */
function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
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
