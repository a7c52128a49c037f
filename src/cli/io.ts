/**
 * The CLI's output channels, injectable so tests can capture them.
 *
 * Standard error carries errors and warnings always, but anything drawn (progress bars,
 * the backend line, per-row progress) only when it is a terminal: `cmd --json 2>&1`
 * or `cmd 2>log` gets no progress noise.
 *
 * @module
 */

import { NO_BAR, type ProgressFactory, terminalProgress } from "./progress.ts";

/** Where a command writes. */
export interface CliIo {
  /** One line (or block) to standard output. */
  stdout(text: string): void;
  /** One line to standard error (errors and warnings). */
  stderr(text: string): void;
  /** Starts a progress bar on standard error (default: none, as when it is not a terminal). */
  bar?: ProgressFactory;
  /** Width for text output (default 100: the width assumed when stdout is not a terminal). */
  columns?: number;
  /**
   * Whether standard error is a terminal (default false): only then are progress notes
   * (the backend line, per-row progress) written; see {@linkcode note}.
   */
  stderrIsTerminal?: boolean;
  /**
   * Whether a WebGPU adapter can be obtained (default: ask `navigator.gpu`). Tests inject a
   * missing adapter here; `--backend webgpu` without one is a usage error.
   */
  hasWebGpuAdapter?: () => Promise<boolean>;
  /** Legacy progress text channel (unused; kept so older test doubles still type-check). */
  progress?(text: string): void;
}

/** The bar factory of `io` (none drawn when it has none). */
export function barsOf(io: CliIo): ProgressFactory {
  return io.bar ?? (() => NO_BAR);
}

/**
 * Writes a progress note to standard error, only when it is a terminal (never into a
 * pipe or a file, where it would mix with the output).
 *
 * @example No note off a terminal
 * ```ts
 * import assert from "node:assert/strict";
 * import { note } from "./io.ts";
 * const err: string[] = [];
 * const io = { stdout: () => {}, stderr: (t: string) => err.push(t) };
 * note(io, "backend cpu");
 * note({ ...io, stderrIsTerminal: true }, "row 1 done");
 * assert.deepEqual(err, ["row 1 done"]);
 * ```
 */
export function note(io: CliIo, text: string): void {
  if (io.stderrIsTerminal === true) io.stderr(text);
}

/** Columns assumed when standard output is not a terminal and COLUMNS is not set. */
export const DEFAULT_COLUMNS = 100;

/** The narrowest width text output is fitted to. */
const MIN_COLUMNS = 40;

/**
 * The width of text output: the COLUMNS environment variable when it holds a positive
 * integer, else the terminal's width when standard output is one, else 100; never below 40.
 *
 * @example An explicit width
 * ```ts
 * import assert from "node:assert/strict";
 * import { outputColumns } from "./io.ts";
 * assert.equal(outputColumns("120"), 120);
 * assert.equal(outputColumns("20"), 40);
 * ```
 */
export function outputColumns(columns: string | undefined = readColumns()): number {
  const given = columns === undefined ? NaN : Number(columns.trim());
  if (Number.isSafeInteger(given) && given > 0) return Math.max(MIN_COLUMNS, given);
  try {
    if (Deno.stdout.isTerminal()) return Math.max(MIN_COLUMNS, Deno.consoleSize().columns);
  } catch {
    // not a terminal after all
  }
  return DEFAULT_COLUMNS;
}

/** COLUMNS, when the environment may be read. */
function readColumns(): string | undefined {
  try {
    return Deno.env.get("COLUMNS");
  } catch {
    return undefined;
  }
}

/** The process's real standard streams. */
export function processIo(): CliIo {
  const stderrIsTerminal = Deno.stderr.isTerminal();
  return {
    stdout: (text) => console.log(text),
    stderr: (text) => console.error(text),
    bar: terminalProgress(stderrIsTerminal),
    columns: outputColumns(),
    stderrIsTerminal,
  };
}
