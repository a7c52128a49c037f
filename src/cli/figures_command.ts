/**
 * `figures`: reproduces the paper's experiments as figures (SVG + JSON/CSV data +
 * index.html + summary.json). `--out` is checked for writability before any
 * work; a progress bar follows the stages on a terminal.
 *
 * @module
 */

import { generateFigures, type GenerateOptions, type GenerateResult } from "../figures/generate.ts";
import {
  type FigureSizes,
  FULL_SIZES,
  QUICK_SIZES,
  resolveSizes,
} from "../experiments/figure_sizes.ts";
import { resolveBackendFlag } from "./backend_flag.ts";
import { defineFlags, type FlagValues } from "./flag_table.ts";
import { parseFlags, replayCommand, UsageError } from "./options.ts";
import { commandHelp } from "./command_help.ts";
import { wrap } from "./text.ts";
import { DENO_RUNNER } from "../claims/replay_call.ts";
import {
  BACKEND_FLAG,
  BACKEND_HELP,
  librarySampler,
  resolveTaskFlags,
  SAMPLER_FLAG,
  SAMPLER_HELP,
  SEED_FLAG,
  SEED_HELP,
  TASK_FLAGS,
  TASK_HELP,
} from "./flags.ts";
import { checkSampling, count, LIMITS } from "./limits.ts";
import { defaultJobs } from "../parallel/pool.ts";
import { type BackendRecord, recordHeader, toJson } from "./record.ts";
import { barsOf, type CliIo } from "./io.ts";

/** Default output directory of `figures`. */
export const DEFAULT_FIGURES_OUT = "figures-out";

/** The flags of `figures`, in replay order. */
export const FIGURES_FLAGS = defineFlags({
  out: { kind: "text", default: DEFAULT_FIGURES_OUT },
  quick: { kind: "boolean" },
  sizes: { kind: "text" },
  jobs: { kind: "integer", min: 1, max: 64, default: defaultJobs() },
  ...TASK_FLAGS,
  family: { kind: "rejected", reason: "the figures reproduce the paper's family" },
  covariance: { kind: "rejected", reason: "the figures reproduce the paper's family" },
  ...SEED_FLAG,
  ...SAMPLER_FLAG,
  ...BACKEND_FLAG,
});

/** The parsed values of `figures`. */
type FiguresValues = FlagValues<typeof FIGURES_FLAGS>;

/** Help text of `figures`: its usage from the flag table. */
export const FIGURES_HELP = commandHelp({
  command: "figures",
  table: FIGURES_FLAGS,
  entries: [
    ["out", "DIR", `output directory (default ${DEFAULT_FIGURES_OUT}; checked for writing first)`],
    [
      "quick",
      "",
      `reduced sizes: ${QUICK_SIZES.runs} runs, L_te up to ${QUICK_SIZES.contexts.at(-1)} ` +
      `(default: the paper's sizes, N = ${FULL_SIZES.prompts},\n` +
      `L_tr = ${FULL_SIZES.trainContext}, T = ${FULL_SIZES.depth}, ${FULL_SIZES.testPrompts} test prompts, ` +
      `${FULL_SIZES.runs} runs, L_te up to ${FULL_SIZES.contexts.at(-1)})`,
    ],
    [
      "sizes",
      "JSON",
      `override sizes of the preset, e.g. '{"runs":1,"testPrompts":200}' (fields:\n` +
      wrap(Object.keys(FULL_SIZES).filter((k) => k !== "name").join(", ") + ")", 80).join("\n"),
    ],
    [
      "jobs",
      "N",
      "workers (default: the number of cores); with 2 or more the untied sweep of Fig. 9\n" +
      "runs in a Web Worker beside the other experiments (identical figures)",
    ],
    ["json", "", "print the summary record (files, comparisons, timings) as JSON"],
    ...TASK_HELP.filter(([name]) => name !== "family" && name !== "covariance"),
    SEED_HELP,
    SAMPLER_HELP,
    BACKEND_HELP,
  ],
  about: `Reproduces the paper's experiments (Figs. 2-5 analogues, parameter trajectories,
alpha_T against T, population excess E_T against T) and three beyond it (Fig. 9: untied
against tied cross-attention over T, with the structure of the trained matrices; Fig. 10:
the gradient flow in the (beta, alpha) plane; Fig. 11: depth schedules, a step per layer,
against one shared step, at L = infinity and at finite L_te) and writes, per figure, an SVG
(Vega-Lite, rendered headless) with its data as JSON and CSV, plus index.html and
summary.json (a versioned record: schemas/figures.schema.json). With --backend webgpu the
training and test prompts are sampled in WebGPU kernels; fits and predictions run in
float64 on the host. The model is specified in docs/model.md.`,
  footer: `Example (from a clone's root; the first run downloads Deno):
  ${DENO_RUNNER} run -A mod.ts figures --quick --out figures-out`,
});

function sizesFlag(values: FiguresValues): FigureSizes {
  const base = values.quick ? QUICK_SIZES : FULL_SIZES;
  const text = values.sizes;
  if (text === undefined) return resolveSizes({}, base);
  let partial: unknown;
  try {
    partial = JSON.parse(text);
  } catch {
    throw new UsageError(
      `--sizes must be a JSON object such as '{"runs":1}', got ${JSON.stringify(text)}`,
    );
  }
  if (partial === null || typeof partial !== "object" || Array.isArray(partial)) {
    throw new UsageError(
      `--sizes must be a JSON object such as '{"runs":1}', got ${JSON.stringify(text)}`,
    );
  }
  const known = Object.keys(FULL_SIZES).filter((k) => k !== "name");
  for (const key of Object.keys(partial)) {
    if (!known.includes(key)) {
      throw new UsageError(
        `--sizes has an unknown field ${JSON.stringify(key)} (fields: ${known.join(", ")})`,
      );
    }
  }
  try {
    return resolveSizes({ ...partial, name: "custom" }, base);
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError) {
      throw new UsageError(`--sizes: ${error.message}`);
    }
    throw error;
  }
}

/**
 * Resource limits of Fig. 9's untied sweep, before any work: its prompts (exact statistics),
 * its training work (per start and iteration a Jacobian pass, N sum(T) d^2, and the
 * Gauss-Newton matrix, 4 N d^4; two starts per depth) and its depths.
 */
export function checkUntiedSizes(sizes: FigureSizes, dim: number): void {
  checkSampling(
    [{
      prompts: sizes.untiedPrompts + sizes.untiedTestPrompts,
      context: Infinity,
      promptsFlag: "--sizes untiedPrompts + untiedTestPrompts",
      contextFlag: "L = infinity",
    }],
    dim,
  );
  const deepest = Math.max(...sizes.untiedDepths);
  if (deepest > LIMITS.populationDepth) {
    throw new UsageError(
      `--sizes untiedDepths must be at most ${LIMITS.populationDepth}, got ${deepest}`,
    );
  }
  const depthSum = sizes.untiedDepths.reduce((a, b) => a + b, 0);
  const work = 2 * sizes.untiedSteps * sizes.untiedPrompts *
    (depthSum * dim * dim + 4 * dim ** 4);
  if (work > LIMITS.trainingWork) {
    throw new UsageError(
      `--sizes untiedSteps x untiedPrompts x (sum of untiedDepths x d^2 + 4 d^4) x 2 starts = ` +
        `${count(work)} is over the training-work limit ${count(LIMITS.trainingWork)} ` +
        `(about 2 minutes): lower untiedSteps, untiedPrompts or untiedDepths`,
    );
  }
}

/** Checks that `out` can be created and written, before any work. */
export async function checkWritable(out: string): Promise<void> {
  const fail = (why: string) =>
    new UsageError(`--out must be a writable directory, got ${JSON.stringify(out)} (${why})`);
  try {
    await Deno.mkdir(out, { recursive: true });
  } catch (error) {
    throw fail(error instanceof Error ? error.message.split("\n")[0] : String(error));
  }
  const probe = `${out}/.icl-verify-write-test-${crypto.randomUUID()}`;
  try {
    await Deno.writeTextFile(probe, "");
    await Deno.remove(probe);
  } catch (error) {
    throw fail(error instanceof Error ? error.message.split("\n")[0] : String(error));
  }
}

/** Checks the sampling work of the presets' training and test prompts and of Figs. 9 and 11. */
function checkFigureSizes(sizes: FigureSizes, dim: number): void {
  checkSampling(
    [
      {
        prompts: sizes.prompts * sizes.runs,
        context: sizes.trainContext,
        promptsFlag: "--sizes prompts x runs",
        contextFlag: "trainContext",
      },
      {
        prompts: sizes.testPrompts * sizes.runs,
        context: sizes.contexts.at(-1)!,
        promptsFlag: "--sizes testPrompts x runs",
        contextFlag: "contexts",
      },
      {
        prompts: (sizes.schedulePrompts + sizes.scheduleTestPrompts) *
          sizes.scheduleDepths.length,
        context: Infinity,
        promptsFlag: "--sizes (schedulePrompts + scheduleTestPrompts) x scheduleDepths",
        contextFlag: "L = infinity",
      },
      {
        prompts: sizes.scheduleTestPrompts * sizes.scheduleContexts.length,
        context: sizes.scheduleContexts.at(-1)!,
        promptsFlag: "--sizes scheduleTestPrompts x scheduleContexts",
        contextFlag: "scheduleContexts",
      },
    ],
    dim,
  );
  checkUntiedSizes(sizes, dim);
  const deepest = Math.max(...sizes.scheduleDepths);
  if (deepest > LIMITS.populationDepth) {
    throw new UsageError(
      `--sizes scheduleDepths must be at most ${LIMITS.populationDepth}, got ${deepest}`,
    );
  }
}

/** Generates the figures with a progress bar over the stages (drawn only on a terminal). */
async function generateWithProgress(
  io: CliIo,
  options: Omit<GenerateOptions, "onProgress">,
  runs: number,
): Promise<GenerateResult> {
  const stages = 4 * runs + 13;
  const bar = barsOf(io)("figures", stages);
  let seen = 0;
  try {
    return await generateFigures({
      ...options,
      onProgress: (message) => bar.update(Math.min(stages, seen++), message),
    });
  } finally {
    bar.stop();
    options.backend?.dispose();
  }
}

/** The resolved configuration of a run, keyed by flag (what the replay command passes). */
function figuresConfig(v: FiguresValues, point: boolean, backend: string) {
  return {
    out: v.out,
    quick: v.quick === true,
    sizes: v.sizes,
    d1: v.d1,
    d2: v.d2,
    "m-min": point ? undefined : v["m-min"],
    "m-max": point ? undefined : v["m-max"],
    law: String(v.law).trim(),
    sigma: v.sigma,
    seed: v.seed,
    sampler: v.sampler,
    jobs: v.jobs,
    backend,
  };
}

/** The text summary: files written, and each comparison with theory. */
function describeFigures(result: GenerateResult, out: string, device: BackendRecord): string {
  const failed = result.comparisons.filter((c) => c.required && !c.holds);
  return [
    `wrote ${result.files.length} files to ${out} (${result.sizes.name} size, seed ${result.seed}, ` +
    `${
      result.seconds.total.toFixed(1)
    } s, backend ${device.name}: ${device.adapter}; ${device.reason})`,
    `open ${out}/index.html`,
    ...result.comparisons.map((c) =>
      `  ${c.required ? (c.holds ? "ok  " : "FAIL") : "info"} ${c.id}: ${
        c.estimate.toPrecision(4)
      } ± ${c.standardError.toPrecision(2)} vs ${c.theory.toPrecision(4)} (z = ${c.z.toFixed(2)})${
        c.required ? "" : " [information]"
      }`
    ),
    failed.length === 0
      ? "theory agreement: every required comparison within 3 SE"
      : `theory agreement: ${failed.length} required comparison(s) outside 3 SE`,
  ].join("\n");
}

/** Runs `figures`. */
export async function runFigures(args: string[], io: CliIo): Promise<number> {
  const parsed = parseFlags("figures", args, FIGURES_FLAGS);
  const v = parsed.values;
  if (v.help) {
    io.stdout(FIGURES_HELP);
    return 0;
  }
  const out = v.out;
  const { task, options: taskOptions } = resolveTaskFlags(parsed);
  const sizes = sizesFlag(v);
  checkFigureSizes(sizes, task.dim);
  await checkWritable(out);
  const { backend, device } = await resolveBackendFlag(v.backend, io);
  const result = await generateWithProgress(io, {
    out,
    baseSizes: sizes,
    seed: v.seed,
    task: taskOptions,
    sampler: librarySampler(v.sampler),
    backend,
    jobs: v.jobs,
  }, sizes.runs);
  const config = figuresConfig(v, task.law.kind === "point", device.name);
  const header = recordHeader(
    "figures",
    { ...config, resolvedSizes: result.sizes },
    device,
    replayCommand("figures", FIGURES_FLAGS, config),
  );
  const record = { ...header, ...result, backend: device };
  // summary.json carries the same versioned record (and the settings generateFigures wrote).
  const summaryPath = `${out}/summary.json`;
  const written = JSON.parse(await Deno.readTextFile(summaryPath));
  await Deno.writeTextFile(summaryPath, toJson({ ...header, ...written, backend: device }) + "\n");
  io.stdout(v.json ? toJson(record) : describeFigures(result, out, device));
  return 0;
}
