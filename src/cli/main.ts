/**
 * The command-line interface: `deno run -A mod.ts <command> [options]`.
 *
 * Exit codes: 0 success; 1 a claim fails (`verify`) or an internal error (a
 * bug); 2 a usage error: bad flags or values, limits, an unwritable --out. A
 * usage error prints one line `error: <message>` naming the flag and the value;
 * never a stack trace.
 *
 * @module
 */

import type { CliIo } from "./io.ts";
import { processIo } from "./io.ts";
import { UsageError } from "./options.ts";
import { TOOL_NAME, TOOL_VERSION } from "./record.ts";
type Command = (args: string[], io: CliIo) => number | Promise<number>;

/**
 * The commands, each loaded when it runs: `train` does not load the claims'
 * fast-check nor the figures' Vega, so a run starts (and its progress bar
 * appears) quickly.
 */
const COMMANDS: Record<string, { run: Command; summary: string }> = {
  population: {
    run: async (args, io) => (await import("./population_command.ts")).runPopulation(args, io),
    summary: "population quantities by quadrature (alpha*, gap, alpha_T, ...)",
  },
  verify: {
    run: async (args, io) => (await import("./verify_command.ts")).runVerify(args, io),
    summary: "check every claim C1..C10 (the main job; --quick for CI size, --full)",
  },
  train: {
    run: async (args, io) => (await import("./train_command.ts")).runTrain(args, io),
    summary: "train lca1 | lca2 | lsa | deep-lsa and evaluate on fresh prompts",
  },
  figures: {
    run: async (args, io) => (await import("./figures_command.ts")).runFigures(args, io),
    summary: "reproduce the paper's experiments as figures (SVG + data)",
  },
  calibrate: {
    run: async (args, io) => (await import("./calibrate_command.ts")).runCalibrate(args, io),
    summary: "measured size and power of every claim part over K seeds",
  },
  sweep: {
    run: async (args, io) => (await import("./sweep_command.ts")).runSweep(args, io),
    summary: "studies beyond the paper, one JSON row per point (sweep untied: C11 over T)",
  },
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
    `${TOOL_NAME} ${TOOL_VERSION}: models and theorems of 'Multi-layer Cross-Attention is`,
    "Provably Optimal for Multi-modal In-context Learning' (arXiv 2602.04872)",
    "",
    "Usage: deno run -A mod.ts <command> [options]   (each command takes --help)",
    "       deno run -A mod.ts --version",
    "",
    "Commands:",
    ...names.map((n) => `  ${n.padEnd(width)}  ${COMMANDS[n].summary}`),
    "",
    "The model and every formula: docs/model.md. Exit codes: 0 ok, 1 a claim fails",
    "(or an internal error), 2 a usage error (bad flag or value, over a resource limit).",
  ].join("\n");
}

/** Library parameter names and the flags that set them. */
const FLAG_OF: Record<string, string> = {
  m_lo: "--m-min",
  m_hi: "--m-max",
  testPrompts: "--test-prompts",
  testContext: "--test-context",
  alphaInit: "--alpha-init",
  betaInit: "--beta-init",
  learningRate: "--lr",
  lr: "--lr",
  prompts: "--prompts",
  context: "--context",
  depth: "--depth",
  steps: "--steps",
  seed: "--seed",
  sigma: "--sigma",
  d1: "--d1",
  d2: "--d2",
  nodes: "--nodes",
  law: "--law",
  backend: "--backend",
  target: "--target",
  model: "--model",
  claims: "--claims",
};

/**
 * Rewrites a library message so it names flags: a leading parameter name, and
 * `name=value` pairs (a fallback: the CLI validates flags itself first).
 */
export function namingFlags(message: string): string {
  return message
    .replace(/^([A-Za-z_][A-Za-z0-9_]*)(?=\s)/, (m) => FLAG_OF[m] ?? m)
    .replace(
      /\b([A-Za-z_][A-Za-z0-9_]*)=/g,
      (m, name) => (FLAG_OF[name] ? `${FLAG_OF[name]} ` : m),
    );
}

function printVersion(io: CliIo): number {
  io.stdout(`${TOOL_NAME} ${TOOL_VERSION}`);
  return 0;
}

function printHelp(io: CliIo): number {
  io.stdout(mainHelp());
  return 0;
}

/** The options that take the place of a command. */
const TOP_LEVEL: Readonly<Record<string, (io: CliIo) => number>> = {
  "--version": printVersion,
  "-V": printVersion,
  "--help": printHelp,
  "-h": printHelp,
  help: printHelp,
};

/** Runs the CLI and returns the exit code. */
export async function main(args: string[], io: CliIo = processIo()): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined) {
    io.stdout(mainHelp());
    return 2;
  }
  if (Object.hasOwn(TOP_LEVEL, command)) return TOP_LEVEL[command](io);
  const entry = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!entry) {
    io.stderr(
      `error: command must be one of ${Object.keys(COMMANDS).join(", ")}, got ${
        JSON.stringify(command)
      } (see: --help)`,
    );
    return 2;
  }
  try {
    return await entry.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`error: ${error.message.split("\n")[0]}`);
      return 2;
    }
    if (error instanceof TypeError || error instanceof RangeError) {
      io.stderr(`error: ${namingFlags(error.message.split("\n")[0])}`);
      return 2;
    }
    io.stderr(
      `error: internal error (a bug; please report it with the command line): ${
        error instanceof Error ? error.message.split("\n")[0] : String(error)
      }`,
    );
    return 1;
  }
}
