/**
 * Running the CLI in tests: in process with captured output channels, or as the real process
 * (`deno run -A mod.ts ...`) with its exit code and both streams.
 *
 * @module
 */

import type { CliIo } from "../src/cli/io.ts";

/** CLI channels that collect what the command writes. */
export type CapturedIo = CliIo & { out: string[]; err: string[] };

/** Output channels that collect stdout and stderr lines; `extra` adds or overrides channels. */
export function captureIo(extra: Partial<CliIo> = {}): CapturedIo {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), ...extra };
}

/** The path of the repository's `mod.ts`. */
export const MOD_PATH: string = new URL("../mod.ts", import.meta.url).pathname;

/** Runs `deno run -A mod.ts ...args` (NO_COLOR=1) and returns its exit code and output. */
export async function runCliProcess(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MOD_PATH, ...args],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}
