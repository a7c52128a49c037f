/**
 * The command-line interface: `npx -y deno@2.9.6 run -A mod.ts <command> [options]`, from
 * the root of a clone (only Node.js and npm needed).
 *
 * Exit codes: 0 success; 1 a claim fails (`verify`) or an internal error (a
 * bug); 2 a usage error: bad flags or values, limits, an unwritable --out, a missing
 * WebGPU adapter for `--backend webgpu`. A
 * usage error prints one line `error: <message>` naming the flag and the value;
 * never a stack trace.
 *
 * @module
 */

import type { CliIo } from "./io.ts";
import { processIo } from "./io.ts";
import { UsageError } from "./options.ts";
import { TOOL_NAME, TOOL_VERSION } from "./record.ts";
import { DENO_RUNNER } from "../claims/replay_call.ts";
import { claimGroups } from "./claim_groups.ts";
import { wrap } from "./text.ts";

type Command = (args: string[], io: CliIo) => number | Promise<number>;

/** The registries the help is written from: claims, models, sweep studies. */
export interface HelpRegistries {
  /** The built-in claims (id and group). */
  claims: readonly { id: string; group: string }[];
  /** The model names of `train`. */
  models: readonly string[];
  /** The study names of `sweep`. */
  studies: readonly string[];
}

/**
 * The commands, each loaded when it runs: `train` does not load the claims'
 * fast-check nor the figures' Vega, so a run starts (and its progress bar
 * appears) quickly. Each summary is written from the registries.
 */
const COMMANDS: Record<string, { run: Command; summary: (r: HelpRegistries) => string }> = {
  population: {
    run: async (args, io) => (await import("./population_command.ts")).runPopulation(args, io),
    summary: () => "population quantities by quadrature (alpha*, gap, alpha_T, ...)",
  },
  verify: {
    run: async (args, io) => (await import("./verify_command.ts")).runVerify(args, io),
    summary: (r) =>
      `the main job: check the ${r.claims.length} claims, ${claimGroups(r.claims)}; ` +
      "--quick (the default) at CI size, --full at full size",
  },
  train: {
    run: async (args, io) => (await import("./train_command.ts")).runTrain(args, io),
    summary: (r) => `train ${r.models.join(" | ")} and evaluate on fresh prompts`,
  },
  figures: {
    run: async (args, io) => (await import("./figures_command.ts")).runFigures(args, io),
    summary: () => "reproduce the paper's experiments as figures (SVG + data)",
  },
  calibrate: {
    run: async (args, io) => (await import("./calibrate_command.ts")).runCalibrate(args, io),
    summary: () => "measured size and power of every claim part over K seeds",
  },
  sweep: {
    run: async (args, io) => (await import("./sweep_command.ts")).runSweep(args, io),
    summary: (r) =>
      `studies beyond the paper, one JSON row per point (sweep ${r.studies.join(" | ")})`,
  },
  merge: {
    run: async (args, io) => (await import("./merge_command.ts")).runMerge(args, io),
    summary: () => "combine the part records of a run sharded with --shard I/N",
  },
};

/** Registers a command (used by later modules such as `verify`). */
export function registerCommand(name: string, run: Command, summary: string): void {
  COMMANDS[name] = { run, summary: () => summary };
}

/** The registries, loaded (the claims bring fast-check, so only for the help). */
export async function helpRegistries(): Promise<HelpRegistries> {
  const [{ ALL_CLAIMS }, { MODELS }, { STUDIES }] = await Promise.all([
    import("../claims/claims.ts"),
    import("../training/train_options.ts"),
    import("./sweep_command.ts"),
  ]);
  return { claims: ALL_CLAIMS, models: MODELS, studies: Object.keys(STUDIES) };
}

/** Top-level help text: the commands, each summary written from `registries`. */
export function mainHelp(registries: HelpRegistries): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length));
  const indent = " ".repeat(width + 4);
  return [
    `${TOOL_NAME} ${TOOL_VERSION}: models and theorems of 'Multi-layer Cross-Attention is`,
    "Provably Optimal for Multi-modal In-context Learning' (arXiv 2602.04872)",
    "",
    `Usage: ${DENO_RUNNER} run -A mod.ts <command> [options]`,
    `       ${DENO_RUNNER} run -A mod.ts --version`,
    "from the root of a clone (only Node.js and npm needed; each command takes --help).",
    "",
    "Commands:",
    ...names.flatMap((n) =>
      wrap(COMMANDS[n].summary(registries), 88, indent)
        .map((line, i) => (i === 0 ? `  ${n.padEnd(width)}  ${line}` : line))
    ),
    "",
    "The model and every formula: docs/model.md. Exit codes: 0 ok, 1 a claim fails",
    "(or an internal error), 2 a usage error (bad flag or value, over a resource limit,",
    "a missing WebGPU adapter for --backend webgpu).",
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

async function printHelp(io: CliIo): Promise<number> {
  io.stdout(mainHelp(await helpRegistries()));
  return 0;
}

/** The options that take the place of a command. */
const TOP_LEVEL: Readonly<Record<string, (io: CliIo) => number | Promise<number>>> = {
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
    await printHelp(io);
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
