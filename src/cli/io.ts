/**
 * The CLI's output channels, injectable so tests can capture them.
 *
 * @module
 */

/** Where a command writes. */
export interface CliIo {
  /** One line (or block) to standard output. */
  stdout(text: string): void;
  /** One line to standard error. */
  stderr(text: string): void;
  /** Progress text on standard error, only when it is a terminal (carriage-return updates). */
  progress(text: string): void;
}

/** The process's real standard streams. */
export function processIo(): CliIo {
  const encoder = new TextEncoder();
  const terminal = Deno.stderr.isTerminal();
  return {
    stdout: (text) => console.log(text),
    stderr: (text) => console.error(text),
    progress: (text) => {
      if (terminal) Deno.stderr.writeSync(encoder.encode(`\r${text}\x1b[K`));
    },
  };
}

/** A text progress bar: `[#####.....]  50% label`. */
export function progressBar(done: number, total: number, label = ""): string {
  const width = 30;
  const fraction = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(fraction * width);
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${
    (fraction * 100).toFixed(0).padStart(3)
  }% ${label}`;
}
