/**
 * Running the CLI in tests: in process with captured output channels, or as the real process
 * (`deno run -A mod.ts ...`) with its exit code and both streams.
 *
 * @module
 */

import assert from "node:assert/strict";
import type { CliIo } from "../src/cli/io.ts";

/** CLI channels that collect what the command writes. */
export type CapturedIo = CliIo & { out: string[]; err: string[] };

/** Output channels that collect stdout and stderr lines; `extra` adds or overrides channels. */
export function captureIo(extra: Partial<CliIo> = {}): CapturedIo {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), ...extra };
}

/** Captured channels that drop the progress lines (the CLI tests' usual channels). */
export function quietIo(): CapturedIo {
  return captureIo({ progress: () => {} });
}

/** The CLI's entry point: argv and channels in, exit code out (`src/cli/main.ts` main). */
export type CliMain = (args: string[], io: CliIo) => Promise<number>;

/**
 * Runs `main(args)` in process with `quietIo()`, asserts exit code 0 (standard error as the
 * message) and returns standard output parsed as JSON.
 */
export async function mainJson(
  main: CliMain,
  args: string[],
): Promise<ReturnType<typeof JSON.parse>> {
  const io = quietIo();
  assert.equal(await main(args, io), 0, io.err.join("\n"));
  return JSON.parse(io.out.join("\n"));
}

/** The path of the repository's `mod.ts`. */
export const MOD_PATH: string = new URL("../mod.ts", import.meta.url).pathname;

/** How `runCliProcess` starts the process. */
export interface CliProcessOptions {
  /** Flags of `deno run` after `-A` (default none), e.g. `--no-lock`. */
  denoFlags?: string[];
  /** Environment variables set besides NO_COLOR=1 (default none). */
  env?: Record<string, string>;
  /** Start from an empty environment: only `env` and NO_COLOR=1 (default false: inherit). */
  clearEnv?: boolean;
}

/**
 * Runs `deno run -A [denoFlags] mod.ts ...args` (NO_COLOR=1) and returns its exit code and
 * output.
 */
export async function runCliProcess(
  args: string[],
  options: CliProcessOptions = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", ...(options.denoFlags ?? []), MOD_PATH, ...args],
    stdout: "piped",
    stderr: "piped",
    clearEnv: options.clearEnv ?? false,
    env: { ...options.env, NO_COLOR: "1" },
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}
