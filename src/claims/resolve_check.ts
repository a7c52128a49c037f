/**
 * The options every checker takes, and {@linkcode resolveCheck}, which fills in their
 * defaults. A resolved check carries the size, seed, replay paths, progress callback,
 * and the sampling, training and model-evaluation functions of the chosen backend.
 *
 * @module
 */

import type { Backend } from "../backends/backend.ts";
import { type PromptStatistics, samplePromptStatistics } from "../model/prompt_statistics.ts";
import type { SampleOptions } from "../model/task.ts";
import { train as trainOnCpu } from "../training/training.ts";
import type { TrainOptions } from "../training/train_options.ts";
import type { TrainResult } from "../training/summarize_training.ts";
import { trainOnBackend } from "../training/training_backend.ts";
import { requireChoice, requireNonNegativeInteger } from "../validation/errors.ts";
import type { CheckSize, ReplaySpec } from "./claim_part.ts";
import type { Perturbation } from "./perturbation_margins.ts";
import { replayCall } from "./replay_call.ts";
import { backendEvaluation, hostEvaluation, type ModelEvaluation } from "./model_evaluation.ts";

/** Options every checker takes. */
export interface CheckOptions {
  /**
   * Compute backend for the Monte Carlo parts (default: the float64 CPU reference).
   * With WebGPU, prompts are sampled in kernels (float32), the models are trained by the
   * backend's trainers and evaluated on the sampled statistics by its forward kernels
   * (`evaluate`, float32, with derived rounding bounds added to the margins); the rest of a
   * check's arithmetic (references, estimates, margins) stays in float64 on the host.
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
  /** Evaluates models on given statistics on the chosen backend (float64 host on CPU). */
  evaluate: ModelEvaluation;
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
 * import assert from "node:assert/strict";
 * import { resolveCheck } from "./resolve_check.ts";
 * const check = resolveCheck({ seed: 3 });
 * assert.deepEqual([check.size, check.seed, check.backend.name], ["quick", 3, "cpu"]);
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
    evaluate: backend ? backendEvaluation(backend) : hostEvaluation(),
    backend: backend
      ? { name: backend.name, adapter: backend.adapter, precision: backend.precision }
      : { name: "cpu", adapter: "CPU (float64)", precision: "float64" },
    claimsModule: options.claimsModule,
    formatReplay: options.formatReplay ?? replayCall,
    perturb: options.perturb,
  };
}
