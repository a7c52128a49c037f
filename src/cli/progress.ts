/**
 * Progress bars on standard error with `npm:cli-progress`: one bar per phase
 * (sampling, training, each claim, each figure stage) with its ETA. Nothing is
 * drawn when standard error is not a terminal.
 *
 * The bar redraws synchronously inside `update` (cli-progress's
 * `synchronousUpdate`), so it moves during synchronous work too.
 *
 * @module
 */

import cliProgress from "npm:cli-progress@^3";
import process from "node:process";

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

/** A bar that draws nothing. */
export const NO_BAR: ProgressBar = { update() {}, setTotal() {}, stop() {} };

/** Bars drawn by cli-progress on the process's standard error (none when it is not a terminal). */
export function terminalProgress(
  isTerminal: boolean = Deno.stderr.isTerminal(),
  columns?: number,
): ProgressFactory {
  if (!isTerminal) return () => NO_BAR;
  return (label, total) => {
    const bar = new cliProgress.SingleBar({
      stream: process.stderr,
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
      ...(columns ? { terminalWidth: columns } : {}),
    });
    bar.start(Math.max(1, total), 0, { label, note: "" });
    return {
      update: (done, note) => bar.update(done, note === undefined ? {} : { note }),
      setTotal: (t) => bar.setTotal(Math.max(1, t)),
      stop: () => bar.stop(),
    };
  };
}
