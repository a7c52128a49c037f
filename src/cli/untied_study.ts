/**
 * The `untied` study of `sweep` (claim C11, README "Beyond the paper"): untied
 * (full-matrix) against tied LCA over depths T, one row per depth
 * (`src/experiments/untied_sweep.ts`). Its flags are parsed into
 * {@linkcode UntiedSweepOptions}; a bad flag or value is a `UsageError` naming it.
 *
 * @module
 */

import {
  resolveUntiedSweep,
  untiedSweep,
  type UntiedSweepOptions,
} from "../experiments/untied_sweep.ts";
import { defineFlags } from "./flag_table.ts";
import { parseFlags, UsageError } from "./options.ts";
import { commandHelp } from "./command_help.ts";
import { DENO_RUNNER } from "../claims/replay_call.ts";
import { checkSampling, LIMITS } from "./limits.ts";
import { librarySampler, SAMPLER_FLAG, SAMPLER_HELP } from "./flags.ts";
import type { SweepStudy } from "./sweep_study.ts";

/** Flags of `sweep untied`, in replay order. */
export const UNTIED_FLAGS = defineFlags({
  prompts: { kind: "integer", default: 2000, max: LIMITS.prompts },
  "test-prompts": { kind: "integer", default: 20000, min: 2, max: LIMITS.prompts },
  steps: { kind: "integer", default: 2500 },
  depths: { kind: "text", default: "1,2,3,4,6,8" },
  dim1: { kind: "integer", default: 2 },
  dim2: { kind: "integer", default: 2, min: 0 },
  seed: { kind: "integer", default: 0, min: 0 },
  layerwise: { kind: "boolean" },
  "from-shared": { kind: "boolean" },
  "tied-start": { kind: "boolean" },
  context: { kind: "context", default: Infinity },
  target: { kind: "choice", choices: ["bayes", "label"], default: "bayes" },
  ...SAMPLER_FLAG,
  scales: { kind: "text", default: "0.3" },
  seeds: { kind: "text" },
});

/** Help text of `sweep untied`: its usage from the flag table. */
export const UNTIED_HELP = commandHelp({
  command: "sweep untied",
  table: UNTIED_FLAGS,
  entries: [
    ["prompts", "N", "training prompts (default 2000)"],
    ["test-prompts", "N", "test prompts (default 20000)"],
    ["steps", "N", "most training iterations per start (default 2500)"],
    ["depths", "LIST", "comma-separated depths T (default 1,2,3,4,6,8)"],
    ["dim1", "N", "d1 (default 2)"],
    ["dim2", "N", "d2 (default 2)"],
    ["seed", "N", "prompt seed (default 0)"],
    ["layerwise", "", "lca-full-layerwise instead of lca-full"],
    ["from-shared", "", "layerwise: also start from the best shared solution"],
    ["tied-start", "", "also start at the trained tied model, unperturbed"],
    ["context", "L", `training context L_tr, a positive integer or "inf" (default inf)`],
    ["target", "T", "bayes (default) or label (the paper's l_{N,L_tr} with a finite L_tr)"],
    SAMPLER_HELP,
    ["scales", "LIST", "scales of the random starts (default 0.3)"],
    ["seeds", "LIST", "seeds of the random starts (default seed + 1)"],
    ["json", "", "print one versioned record (schemas/sweep.schema.json)"],
  ],
  about: `Claim C11 beyond the paper (README, "Beyond the paper"): per depth T, the untied model
(lca-full: W_S = A, W_V = B, full d x d; or lca-full-layerwise) trained from every random
start (scales x seeds) and from the tied optimum plus noise, against the tied two-parameter
model (its population optimum, and trained on the same loss and prompts), with the structure
of the trained matrices. Prints one JSON row per depth as it is done (an infinite context
written "inf"); with --json, one versioned record (schemas/sweep.schema.json) with the rows
and a replay command. Float64 on the host. The models: docs/model.md.`,
  footer: `Example (from a clone's root; the first run downloads Deno):
  ${DENO_RUNNER} run -A mod.ts sweep untied --depths 1,3 --prompts 500 --steps 200`,
});

function parseList(
  name: string,
  text: string,
  check: (value: number) => boolean,
  what: string,
): number[] {
  return text.split(",").map((item) => {
    const trimmed = item.trim();
    const value = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed) ? Number(trimmed) : NaN;
    if (!check(value)) {
      throw new UsageError(
        `--${name} must be a comma-separated list of ${what}, got ${JSON.stringify(text)}`,
      );
    }
    return value;
  });
}

const isPositiveInteger = (v: number) => Number.isSafeInteger(v) && v > 0;
const isNonNegativeInteger = (v: number) => Number.isSafeInteger(v) && v >= 0;

/** The arguments of `sweep untied`, parsed: the sweep options and how the run is recorded. */
export interface UntiedArgs {
  /** The sweep options (checked by `resolveUntiedSweep`). */
  options: UntiedSweepOptions;
  /** The resolved configuration keyed by flag (lists written as typed: `1,2,3`). */
  config: Record<string, unknown>;
  /** Whether `--json` was given. */
  json: boolean;
}

/**
 * Parses the arguments of `sweep untied` (`undefined` for `--help`) and checks them, with
 * the sampling limits, before any work; a bad value is a `UsageError` naming the flag.
 */
export function parseUntiedArgs(args: readonly string[]): UntiedArgs | undefined {
  const { values, given } = parseFlags("sweep untied", args, UNTIED_FLAGS);
  if (values.help) return undefined;
  if (given.has("from-shared") && !values.layerwise) {
    throw new UsageError("--from-shared applies with --layerwise only, got it without");
  }
  const seed = values.seed;
  const options = {
    depths: parseList("depths", values.depths, isPositiveInteger, "positive integers"),
    prompts: values.prompts,
    testPrompts: values["test-prompts"],
    steps: values.steps,
    d1: values.dim1,
    d2: values.dim2,
    seed,
    layerwise: values.layerwise,
    context: values.context,
    target: values.target,
    sampler: librarySampler(values.sampler),
    scales: parseList("scales", values.scales, (v) => Number.isFinite(v) && v > 0, "numbers > 0"),
    seeds: values.seeds === undefined
      ? [seed + 1]
      : parseList("seeds", values.seeds, isNonNegativeInteger, "non-negative integers"),
    fromShared: values["from-shared"],
    tiedStart: values["tied-start"],
  };
  checkSampling([
    {
      prompts: options.prompts,
      context: options.context,
      promptsFlag: "--prompts",
      contextFlag: "--context",
    },
    {
      prompts: options.testPrompts,
      context: options.context,
      promptsFlag: "--test-prompts",
      contextFlag: "--context",
    },
  ], options.d1 + options.d2);
  resolveUntiedSweep(options);
  const config = {
    prompts: options.prompts,
    "test-prompts": options.testPrompts,
    steps: options.steps,
    depths: options.depths.join(","),
    dim1: options.d1,
    dim2: options.d2,
    seed,
    layerwise: options.layerwise,
    "from-shared": options.fromShared,
    "tied-start": options.tiedStart,
    context: options.context,
    target: options.target,
    sampler: values.sampler,
    scales: options.scales.join(","),
    seeds: options.seeds.join(","),
  };
  return { options, config, json: values.json };
}

/** The `untied` study of `sweep`. */
export const UNTIED_STUDY: SweepStudy = {
  summary: "C11: untied (full-matrix) against tied LCA over depths T, one row per depth",
  help: UNTIED_HELP,
  flags: UNTIED_FLAGS,
  prepare(args) {
    const parsed = parseUntiedArgs(args);
    if (parsed === undefined) return undefined;
    return {
      json: parsed.json,
      config: parsed.config,
      cells: parsed.options.depths,
      run: (onRow, cells) =>
        untiedSweep({ ...parsed.options, depths: [...(cells ?? parsed.options.depths)] }, onRow),
    };
  },
};
