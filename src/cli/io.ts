/**
 * The CLI's output channels, injectable so tests can capture them.
 *
 * @module
 */

import { NO_BAR, type ProgressFactory, terminalProgress } from "./progress.ts";

/** Where a command writes. */
export interface CliIo {
  /** One line (or block) to standard output. */
  stdout(text: string): void;
  /** One line to standard error. */
  stderr(text: string): void;
  /** Starts a progress bar on standard error (default: none, as when it is not a terminal). */
  bar?: ProgressFactory;
  /** Width for text output (default 100: the width assumed when stdout is not a terminal). */
  columns?: number;
  /** Legacy progress text channel (unused; kept so older test doubles still type-check). */
  progress?(text: string): void;
}

/** The bar factory of `io` (none drawn when it has none). */
export function barsOf(io: CliIo): ProgressFactory {
  return io.bar ?? (() => NO_BAR);
}

/** Columns assumed when standard output is not a terminal. */
export const DEFAULT_COLUMNS = 100;

/** The terminal width of standard output, or 100 when it is not a terminal. */
export function outputColumns(): number {
  try {
    if (Deno.stdout.isTerminal()) return Math.max(40, Deno.consoleSize().columns);
  } catch {
    // not a terminal after all
  }
  return DEFAULT_COLUMNS;
}

/** The process's real standard streams. */
export function processIo(): CliIo {
  return {
    stdout: (text) => console.log(text),
    stderr: (text) => console.error(text),
    bar: terminalProgress(),
    columns: outputColumns(),
  };
}
