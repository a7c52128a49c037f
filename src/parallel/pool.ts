/**
 * A pool of Web Workers that runs jobs named by (module URL, exported function name,
 * structured-clone arguments) and returns their results in submission order.
 *
 * Determinism: a job's result depends only on its module, function and arguments (the
 * functions run here are pure given their arguments: counter-based random numbers,
 * seeds in the arguments), so the results are identical for any number of workers.
 * With `jobs <= 1` the jobs run in-process, one after another (the reference run).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mapInWorkers } from "./pool.ts";
 * import { samplePromptStatistics } from "../model/prompt_statistics.ts";
 * const module = new URL("../model/prompt_statistics.ts", import.meta.url).href;
 * const [a, b] = await mapInWorkers([
 *   { module, name: "samplePromptStatistics", args: [{ prompts: 2, context: 50, seed: 1 }] },
 *   { module, name: "samplePromptStatistics", args: [{ prompts: 2, context: 50, seed: 2 }] },
 * ], { jobs: 2 });
 * // In submission order, and identical to the in-process run.
 * assert.deepEqual(a, samplePromptStatistics({ prompts: 2, context: 50, seed: 1 }));
 * assert.deepEqual(b, samplePromptStatistics({ prompts: 2, context: 50, seed: 2 }));
 * ```
 *
 * @module
 */

import { requirePositiveInteger } from "../validation/errors.ts";
import { setProgressSink } from "./worker_progress.ts";

/** One job: `module`'s export `name` called with `args` (structured-clone values). */
export interface PoolJob {
  /** Absolute module URL (e.g. `new URL("./x.ts", import.meta.url).href`). */
  module: string;
  /** Name of the exported (possibly async) function. */
  name: string;
  /** Its arguments; they and the result must survive structured cloning. */
  args: unknown[];
}

/** Options of {@linkcode mapInWorkers}. */
export interface PoolOptions {
  /** Number of workers (default `defaultJobs()`, the number of cores); 1 runs in-process. */
  jobs?: number;
  /** Progress lines a job reports (`reportProgress`), with the job's index. */
  onProgress?: (job: number, message: string) => void;
  /** Called with each result as soon as it is known (in completion order). */
  onResult?: (job: number, value: unknown) => void;
}

/** The default number of workers: `navigator.hardwareConcurrency` (at least 1). */
export function defaultJobs(): number {
  const cores = (globalThis.navigator as { hardwareConcurrency?: number } | undefined)
    ?.hardwareConcurrency;
  return Number.isInteger(cores) && cores! > 0 ? cores! : 1;
}

/** Validates a `jobs` option (a positive integer). */
export function requireJobs(value: unknown): number {
  return requirePositiveInteger("jobs", value);
}

interface Pending {
  job: number;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

function toError(error: { name: string; message: string; stack: string }): Error {
  const ctor = error.name === "RangeError"
    ? RangeError
    : error.name === "TypeError"
    ? TypeError
    : Error;
  const e: Error = new ctor(error.message);
  if (ctor === Error) e.name = error.name;
  e.stack = `${e.name}: ${error.message}\n    (in worker)\n${error.stack}`;
  return e;
}

async function runInline(jobs: readonly PoolJob[], options: PoolOptions): Promise<unknown[]> {
  const results: unknown[] = [];
  for (let i = 0; i < jobs.length; i++) {
    const { module, name, args } = jobs[i];
    setProgressSink((message) => options.onProgress?.(i, message));
    try {
      const imported = await import(module);
      if (typeof imported[name] !== "function") {
        throw new TypeError(`name must name an exported function of ${module}, got ${name}`);
      }
      // A structured-clone round trip, as for a worker: the same values either way.
      const value = structuredClone(await imported[name](...structuredClone(args)));
      options.onResult?.(i, value);
      results.push(value);
    } finally {
      setProgressSink(null);
    }
  }
  return results;
}

/** Checks that `jobs` is an array of {@linkcode PoolJob}s, naming the first bad one. */
function requirePoolJobs(jobs: readonly PoolJob[]): void {
  if (!Array.isArray(jobs)) throw new TypeError(`jobs must be an array, got ${String(jobs)}`);
  for (const [i, job] of jobs.entries()) {
    if (job === null || typeof job !== "object" || typeof job.module !== "string") {
      throw new TypeError(`jobs[${i}].module must be a module URL string, got ${String(job)}`);
    }
    if (typeof job.name !== "string" || !Array.isArray(job.args)) {
      throw new TypeError(`jobs[${i}] must have a string name and an args array`);
    }
  }
}

/**
 * Runs every job and resolves with their results in submission order. Jobs are handed
 * to the next free worker in submission order. The first failing job rejects the whole
 * map (with its error, re-created in this thread) and terminates the workers.
 */
export async function mapInWorkers<T = unknown>(
  jobs: readonly PoolJob[],
  options: PoolOptions = {},
): Promise<T[]> {
  requirePoolJobs(jobs);
  const count = Math.min(requireJobs(options.jobs ?? defaultJobs()), Math.max(1, jobs.length));
  if (count <= 1) return await runInline(jobs, options) as T[];
  const results: unknown[] = new Array(jobs.length);
  const workers: Worker[] = [];
  let next = 0;
  let done = 0;
  let failed = false;
  return await new Promise<T[]>((resolve, reject) => {
    const pending = new Map<Worker, Pending>();
    const stop = (error: Error) => {
      if (failed) return;
      failed = true;
      for (const w of workers) w.terminate();
      reject(error);
    };
    const feed = (worker: Worker) => {
      if (failed) return;
      if (next >= jobs.length) {
        worker.terminate();
        return;
      }
      const job = next++;
      pending.set(worker, {
        job,
        resolve: (value) => {
          results[job] = value;
          options.onResult?.(job, value);
          done++;
          if (done === jobs.length) {
            for (const w of workers) w.terminate();
            resolve(results as T[]);
          } else feed(worker);
        },
        reject: stop,
      });
      const { module, name, args } = jobs[job];
      worker.postMessage({ id: job, module, name, args });
    };
    for (let i = 0; i < count; i++) {
      const worker = new Worker(new URL("./pool_worker.ts", import.meta.url).href, {
        type: "module",
      });
      workers.push(worker);
      worker.onmessage = (event: MessageEvent) => {
        const message = event.data as {
          id: number;
          kind: "progress" | "result" | "error";
          message?: string;
          value?: unknown;
          error?: { name: string; message: string; stack: string };
        };
        const entry = pending.get(worker);
        if (!entry || entry.job !== message.id) return;
        if (message.kind === "progress") options.onProgress?.(entry.job, message.message!);
        else if (message.kind === "error") entry.reject(toError(message.error!));
        else {
          pending.delete(worker);
          entry.resolve(message.value);
        }
      };
      worker.onerror = (event: ErrorEvent) => {
        event.preventDefault();
        stop(new Error(`a pool worker failed: ${event.message}`));
      };
      feed(worker);
    }
  });
}
