/**
 * The command-line interface: `deno run -A mod.ts <command> [options]`.
 *
 * Errors from bad input (TypeError, RangeError, usage errors) print one line
 * `error: <message>` to stderr and exit with code 2; other failures print one
 * line and exit with 1. Never a stack trace.
 *
 * @module
 */

import { type CliIo, processIo } from "./io.ts";
import { UsageError } from "./args.ts";
import { runPopulation } from "./population.ts";
import { runTrain } from "./train.ts";
import { runVerify } from "./verify.ts";
import { runFigures } from "./figures.ts";
import { runCalibrate } from "./calibrate.ts";

type Command = (args: string[], io: CliIo) => number | Promise<number>;

const COMMANDS: Record<string, { run: Command; summary: string }> = {
  population: {
    run: runPopulation,
    summary: "population quantities by quadrature (alpha*, gap, alpha_T, ...)",
  },
  verify: {
    run: runVerify,
    summary: "check every claim C1..C10 (the main job; --quick for CI size, --full)",
  },
  train: {
    run: runTrain,
    summary: "train lca1 | lca2 | lsa | deep-lsa and evaluate on fresh prompts",
  },
  figures: {
    run: runFigures,
    summary: "reproduce the paper's experiments as figures (SVG + data)",
  },
  calibrate: { run: runCalibrate, summary: "measured size and power of every claim part" },
};

/** Registers a command (used by later modules such as `verify`). */
export function registerCommand(name: string, run: Command, summary: string): void {
  COMMANDS[name] = { run, summary };
}

/** Top-level help text. */
export function mainHelp(): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length));
  return [
    "icl-verify: models and theorems of 'Multi-layer Cross-Attention is Provably Optimal",
    "for Multi-modal In-context Learning' (arXiv 2602.04872)",
    "",
    "Usage: deno run -A mod.ts <command> [options]   (each command takes --help)",
    "",
    "Commands:",
    ...names.map((n) => `  ${n.padEnd(width)}  ${COMMANDS[n].summary}`),
  ].join("\n");
}

/** Runs the CLI and returns the exit code. */
export async function main(args: string[], io: CliIo = processIo()): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    io.stdout(mainHelp());
    return command === undefined ? 2 : 0;
  }
  const entry = COMMANDS[command];
  if (!entry) {
    io.stderr(
      `error: command must be one of ${Object.keys(COMMANDS).join(", ")}, got ${
        JSON.stringify(command)
      }`,
    );
    return 2;
  }
  try {
    return await entry.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof TypeError || error instanceof RangeError) {
      io.stderr(`error: ${error.message.split("\n")[0]}`);
      return 2;
    }
    io.stderr(`error: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
    return 1;
  }
}
