/**
 * Progress bars on standard error with `npm:cli-progress`: one bar per phase
 * (sampling, training, each claim, each figure stage) with its ETA. Nothing is
 * drawn when standard error is not a terminal.
 *
 * The bar redraws synchronously inside `update` (cli-progress's
 * `synchronousUpdate`), and writes through `Deno.stderr.writeSync` (Node's
 * `process.stderr` flushes only when the event loop turns, which a synchronous
 * sampling loop never lets it do), so it moves during synchronous work too.
 *
 * @module
 */

import { Writable } from "node:stream";
import cliProgress from "npm:cli-progress@^3";

/** One phase's bar. */
export interface ProgressBar {
  /** Sets the completed amount and an optional note. */
  update(done: number, note?: string): void;
  /** Changes the total (for phases whose size becomes known late). */
  setTotal(total: number): void;
  /** Removes the bar. */
  stop(): void;
}

/** Starts bars. */
export type ProgressFactory = (label: string, total: number) => ProgressBar;

/** An ETA as "12s", "3m05s" or "1h02m"; "?" while unknown. */
export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, "0")}m`;
}

/** A bar that draws nothing. */
export const NO_BAR: ProgressBar = { update() {}, setTotal() {}, stop() {} };

/**
 * Standard error as the Node stream cli-progress draws on: a terminal of `columns`
 * columns (default: the console's width) whose `write` goes through
 * `Deno.stderr.writeSync`, so it appears at once.
 */
export class StderrStream extends Writable {
  /** cli-progress draws only on a terminal. */
  readonly isTTY = true;
  readonly #columns: number | undefined;
  readonly #encoder = new TextEncoder();

  /** A stream `columns` wide (default: the console's width, or 100 without a console). */
  constructor(columns?: number) {
    super();
    this.#columns = columns;
  }

  /** The terminal's width. */
  get columns(): number {
    try {
      return this.#columns ?? Deno.consoleSize().columns;
    } catch {
      return 100;
    }
  }

  /** Writes text (or bytes) synchronously, then calls the callback if one is given. */
  override write(chunk: unknown, encodingOrCallback?: unknown, callback?: unknown): boolean {
    const bytes = chunk instanceof Uint8Array ? chunk : this.#encoder.encode(String(chunk));
    let written = 0;
    while (written < bytes.length) written += Deno.stderr.writeSync(bytes.subarray(written));
    const done = typeof encodingOrCallback === "function" ? encodingOrCallback : callback;
    if (typeof done === "function") done();
    return true;
  }
}

/** Bars drawn by cli-progress on the process's standard error (none when it is not a terminal). */
export function terminalProgress(
  isTerminal: boolean = Deno.stderr.isTerminal(),
  columns?: number,
): ProgressFactory {
  if (!isTerminal) return () => NO_BAR;
  const stream = new StderrStream(columns);
  return (label, total) => {
    const bar = new cliProgress.SingleBar({
      stream,
      format: "{label} [{bar}] {percentage}% | ETA {eta_formatted} | {note}",
      barsize: 20,
      hideCursor: false,
      clearOnComplete: true,
      linewrap: false,
      fps: 10,
      etaBuffer: 20,
      synchronousUpdate: true,
      forceRedraw: false,
      autopadding: true,
      barCompleteChar: "#",
      barIncompleteChar: ".",
      formatTime: (seconds: number) => formatEta(seconds),
    });
    bar.start(Math.max(1, total), 0, { label, note: "" });
    return {
      update: (done, note) => bar.update(done, note === undefined ? {} : { note }),
      setTotal: (t) => bar.setTotal(Math.max(1, t)),
      stop: () => bar.stop(),
    };
  };
}
