/**
 * The Web Worker script of the pool (`pool.ts`): imports a job's module, calls the
 * named export with the job's arguments, and posts the result (or the error) back.
 * One job at a time per worker.
 *
 * @module
 */

import { setProgressSink } from "./worker_progress.ts";

/** A job as posted by the pool. */
interface JobMessage {
  id: number;
  module: string;
  name: string;
  args: unknown[];
}

const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<JobMessage>) => void) | null;
  postMessage: (message: unknown) => void;
};

scope.onmessage = async (event: MessageEvent<JobMessage>) => {
  const { id, module, name, args } = event.data;
  setProgressSink((message) => scope.postMessage({ id, kind: "progress", message }));
  try {
    const imported = await import(module);
    const fn = imported[name];
    if (typeof fn !== "function") {
      throw new TypeError(`name must name an exported function of ${module}, got ${name}`);
    }
    const value = await fn(...args);
    scope.postMessage({ id, kind: "result", value });
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    scope.postMessage({
      id,
      kind: "error",
      error: { name: e.name, message: e.message, stack: e.stack ?? "" },
    });
  } finally {
    setProgressSink(null);
  }
};
