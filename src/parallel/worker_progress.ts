/**
 * Progress messages from inside a pool job: in a worker they are posted to the
 * parent (which forwards them to the pool's `onProgress`); in-process they go to the
 * sink installed by the inline runner, or nowhere.
 *
 * @module
 */

let sink: ((message: string) => void) | null = null;

/** Installs (or, with `null`, removes) the sink for progress messages of the current job. */
export function setProgressSink(next: ((message: string) => void) | null): void {
  sink = next;
}

/** Reports one progress line of the current pool job (a no-op outside a job). */
export function reportProgress(message: string): void {
  sink?.(message);
}
