/**
 * Runs every experiment of the figures and writes, per figure, an SVG (Vega-Lite
 * rendered headless), its data as JSON and CSV, and an `index.html` showing them
 * all with captions; `summary.json` holds the theory comparisons and timings.
 *
 * @module
 */

import { formatSpikeLaw } from "../model/law.ts";
import {
  resolveTask,
  type SampleOptions,
  STATISTICS_SAMPLERS,
  type StatisticsSampler,
  type TaskConfig,
  type TaskOptions,
} from "../model/task.ts";
import type { Backend } from "../backends/backend.ts";
import { type PromptStatistics, samplePromptStatistics } from "../model/prompt_statistics.ts";
import { requireChoice, requireNonNegativeInteger } from "../validation/errors.ts";
import {
  figure2,
  figure3,
  figure4,
  figure5,
  type FigureContext,
  type FigureDefinition,
} from "./definitions.ts";
import { trajectoryFigure } from "./trajectory_figure.ts";
import { alphaDepthFigure } from "./alpha_depth_figure.ts";
import { excessDepthFigure } from "./excess_depth_figure.ts";
import {
  type TrainingSet,
  trainingSetFromStatistics,
  trainingSetSample,
} from "../experiments/fit.ts";
import { indexHtml } from "../rendering/page.ts";
import {
  alphaAgainstDepth,
  type AlphaDepthRow,
  trajectories,
  type TrajectoryRow,
} from "./parameters.ts";
import { excessAgainstDepth, type ExcessDepthRow } from "../experiments/population_curve.ts";
import {
  type PopulationConstants,
  populationConstants,
  type PopulationLca,
  populationLca,
} from "../experiments/population_models.ts";
import { type FigureSizes, resolveSizes } from "../experiments/figure_sizes.ts";
import { contextSweep, depthSweep } from "../experiments/sweeps.ts";
import { type Comparison, formatZ, Z_TOLERANCE } from "../experiments/theory_comparisons.ts";
import { geometricBound } from "../theory/population.ts";
import { defaultJobs, mapInWorkers, requireJobs } from "../parallel/pool.ts";
import { gradientFlowFigure } from "./fig10_gradient_flow.ts";
import { jsonText, writeFigure } from "./figure_files.ts";
import { untiedExcessFigure, untiedStructureFigure } from "./fig9_untied.ts";
import type { UntiedSweepOptions, UntiedSweepRow } from "../experiments/untied_sweep.ts";
import { type ScheduleDepths, scheduleDepths } from "../experiments/schedule_depths.ts";
import { depthSchedulesFigure } from "./fig11_depth_schedules.ts";

const UNTIED_SWEEP_MODULE = new URL("../experiments/untied_sweep.ts", import.meta.url).href;

/** Options of {@linkcode generateFigures}. */
export interface GenerateOptions {
  /** Output directory (created if missing). */
  out: string;
  /** Sizes (default: the paper's, {@linkcode FULL_SIZES}); partial sizes fill from it. */
  sizes?: Partial<FigureSizes>;
  /** Base sizes the partial `sizes` fill from (default FULL_SIZES). */
  baseSizes?: Readonly<FigureSizes>;
  /** Seed of run 0 (default 0); run r uses seed + r. */
  seed?: number;
  /** Task distribution (default MODEL.md's). */
  task?: TaskOptions;
  /**
   * Statistics sampler of every sampled prompt (`SampleOptions.sampler`; default `auto`, the
   * exact sampler for d + 2 <= L < Infinity), on the backend and on the host alike.
   */
  sampler?: StatisticsSampler;
  /** Progress lines (default none). */
  onProgress?: (message: string) => void;
  /**
   * Backend that samples the training and test prompts (default: the float64 CPU
   * reference). Fits and predictions run in float64 on the host either way.
   */
  backend?: Backend;
  /**
   * Workers (default: the number of cores). With 2 or more, the untied sweep of Fig. 9 runs
   * in a Web Worker beside the other experiments; 1 runs everything in this thread. The
   * figures are identical either way.
   */
  jobs?: number;
}

/** What {@linkcode generateFigures} wrote. */
export interface GenerateResult {
  /** The output directory. */
  out: string;
  /** The resolved sizes. */
  sizes: FigureSizes;
  /** Seed of run 0. */
  seed: number;
  /** File names written, relative to `out`. */
  files: string[];
  /** Each figure: id, title, SVG file and data files. */
  figures: { id: string; title: string; svg: string; data: string[] }[];
  /** The theory comparisons (estimate, standard error, theory value, z). */
  comparisons: Comparison[];
  /** Seconds per stage and in total. */
  seconds: Record<string, number>;
  /** The backend that sampled the prompts. */
  backend: { name: string; adapter: string; precision: string };
}

/** Seconds per stage, each lap from the end of the previous one. */
function stopwatch(): { seconds: Record<string, number>; lap: (name: string) => void } {
  const seconds: Record<string, number> = {};
  let mark = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    seconds[name] = (now - mark) / 1000;
    mark = now;
  };
  return { seconds, lap };
}

/** What every stage reads: sizes, seed, task, population constants and the progress sink. */
interface Setup {
  sizes: FigureSizes;
  seed: number;
  task: TaskConfig;
  constants: PopulationConstants;
  taskText: string;
  progress: (message: string) => void;
  jobs: number;
  sampler: StatisticsSampler;
}

function setupOf(options: GenerateOptions): Setup {
  const sizes = resolveSizes(options.sizes ?? {}, options.baseSizes);
  const seed = requireNonNegativeInteger("seed", options.seed ?? 0);
  const task = resolveTask(options.task ?? {});
  const progress = options.onProgress ?? (() => {});
  const constants = populationConstants(task.law, task.sigma);
  const taskText = `Task: d = ${task.dim} (d1 = ${task.d1}, d2 = ${task.d2}), s ~ ` +
    `${formatSpikeLaw(task.law)}, sigma = ${task.sigma}`;
  const jobs = requireJobs(options.jobs ?? defaultJobs());
  const sampler = requireChoice("sampler", options.sampler ?? "auto", STATISTICS_SAMPLERS);
  return { sizes, seed, task, constants, taskText, progress, jobs, sampler };
}

/**
 * Fig. 9's untied sweep (float64 on the host), started first, in a worker when jobs >= 2:
 * its rows, and its own duration once they are there.
 */
function startUntiedSweep(
  { sizes, task, seed, jobs, sampler }: Setup,
): { rows: Promise<UntiedSweepRow[]>; seconds: () => number } {
  const untiedOptions: UntiedSweepOptions = {
    depths: sizes.untiedDepths,
    prompts: sizes.untiedPrompts,
    testPrompts: sizes.untiedTestPrompts,
    steps: sizes.untiedSteps,
    d1: task.d1,
    d2: task.d2,
    law: task.law,
    sigma: task.sigma,
    seed,
    sampler,
  };
  const untiedStarted = performance.now();
  let untiedSeconds = 0;
  const rows = mapInWorkers<UntiedSweepRow[]>(
    [{ module: UNTIED_SWEEP_MODULE, name: "untiedSweep", args: [untiedOptions] }],
    { jobs: Math.min(jobs, 2) },
  ).then(([rows]) => {
    untiedSeconds = (performance.now() - untiedStarted) / 1000;
    return rows;
  });
  return { rows, seconds: () => untiedSeconds };
}

/** The training sets of every run (label targets), sampled by the backend or on the host. */
async function sampleTrainingSets(
  { sizes, seed, task, progress }: Setup,
  sample: (o: SampleOptions) => Promise<PromptStatistics>,
): Promise<TrainingSet[]> {
  const taskOptions = { d1: task.d1, d2: task.d2, law: task.law, sigma: task.sigma };
  const trainingSets: TrainingSet[] = [];
  for (let run = 0; run < sizes.runs; run++) {
    progress(`sampling training prompts: run ${run + 1}/${sizes.runs}`);
    const setOptions = {
      task: taskOptions,
      prompts: sizes.prompts,
      context: sizes.trainContext,
      seed: seed + run,
      target: "label" as const,
    };
    trainingSets.push(
      trainingSetFromStatistics(setOptions, await sample(trainingSetSample(setOptions))),
    );
  }
  return trainingSets;
}

/** The results of every experiment behind the figures. */
interface Experiments {
  population: Map<number, PopulationLca>;
  excessRows: ExcessDepthRow[];
  context: Awaited<ReturnType<typeof contextSweep>>;
  depth: Awaited<ReturnType<typeof depthSweep>>;
  trajectoryRows: TrajectoryRow[];
  alphaRows: AlphaDepthRow[];
  untied: UntiedSweepRow[];
  schedules: ScheduleDepths;
}

/** Runs the experiments in order, one lap each (the untied sweep was started before). */
async function runExperiments(
  setup: Setup,
  backend: Backend | undefined,
  { seconds, lap }: ReturnType<typeof stopwatch>,
  untiedSweep: ReturnType<typeof startUntiedSweep>,
): Promise<Experiments> {
  const { sizes, seed, task, constants, progress } = setup;
  progress("population quantities (quadrature)");
  const depthsNeeded = [...new Set([sizes.depth, ...sizes.depths])];
  const population = new Map<number, PopulationLca>(
    depthsNeeded.map((t) => [t, populationLca(task.law, t)]),
  );
  const excessRows = excessAgainstDepth(task.law, sizes.excessMaxDepth);
  lap("population");
  const sampler = setup.sampler;
  const sample = backend
    ? (o: SampleOptions) => backend.statistics({ ...o, sampler })
    : (o: SampleOptions) => Promise.resolve(samplePromptStatistics({ ...o, sampler }));
  const trainingSets = await sampleTrainingSets(setup, sample);
  lap("training sets");
  const inputs = { task, sizes, seed, trainingSets, constants, onProgress: progress, sample };
  const context = await contextSweep(inputs, population.get(sizes.depth)!);
  lap("L_te sweep");
  const depth = await depthSweep(inputs, population);
  lap("depth sweep");
  progress("parameter trajectories");
  const trajectoryRows = trajectories({ task, sizes, seed, labelSet: trainingSets[0] });
  const alphaRows = alphaAgainstDepth({
    task,
    sizes,
    seed,
    labelSets: trainingSets,
    onProgress: progress,
  });
  lap("parameters");
  progress("depth schedules (Fig. 11)");
  const schedules = scheduleDepths({
    task: { d1: task.d1, d2: task.d2, law: task.law, sigma: task.sigma },
    maxDepth: Math.max(...sizes.scheduleDepths),
    depths: sizes.scheduleDepths,
    prompts: sizes.schedulePrompts,
    steps: sizes.scheduleSteps,
    testPrompts: sizes.scheduleTestPrompts,
    contexts: sizes.scheduleContexts,
    seed,
    sampler,
  });
  lap("depth schedules");
  progress("untied against tied sweep (Fig. 9)");
  const untied = await untiedSweep.rows;
  lap("untied sweep (wait)");
  seconds["untied sweep"] = untiedSweep.seconds();
  return {
    population,
    excessRows,
    context,
    depth,
    trajectoryRows,
    alphaRows,
    untied,
    schedules,
  };
}

/** Every figure, in the order of the index. */
function figureDefinitions(ctx: FigureContext, e: Experiments): FigureDefinition[] {
  const { sizes, law } = ctx;
  const contextExtra = { comparisons: e.context.comparisons, parameters: e.context.parameters };
  return [
    figure2(ctx, e.context.rows, contextExtra),
    figure3(
      ctx,
      e.depth.rows,
      sizes.depths.map((t) => ({ depth: t, bound: geometricBound(law, t) })),
      { parameters: e.depth.parameters.filter((p) => p.run === 0) },
    ),
    figure4(ctx, e.depth.rows, { parameters: e.depth.parameters }),
    figure5(ctx, e.context.rows, contextExtra),
    trajectoryFigure(ctx, e.trajectoryRows),
    alphaDepthFigure(ctx, e.alphaRows),
    excessDepthFigure(ctx, e.excessRows),
    untiedExcessFigure(ctx, e.untied),
    untiedStructureFigure(ctx, e.untied),
    gradientFlowFigure(ctx, law),
    depthSchedulesFigure(ctx, e.schedules),
  ];
}

/** index.html: every figure with its caption and data files, then the comparisons table (run 0). */
function indexPage(
  { sizes, seed, taskText }: Setup,
  comparisons: Comparison[],
  entries: { title: string; caption: string; svg: string; data: string[] }[],
): Promise<string> {
  const fmt = (v: number) => (Number.isFinite(v) ? v.toPrecision(4) : String(v));
  return indexHtml({
    heading: "icl-verify: the paper's experiments as figures",
    summary: `Figures reproducing the experiments of arXiv 2602.04872 with icl-verify ` +
      `(${sizes.name} size, seed ${seed}; timings in summary.json). ${taskText}. ` +
      `The table after the figures compares plotted numbers with theory (run 0): a ` +
      `comparison holds when ` +
      `|z| <= ${Z_TOLERANCE} standard errors; z is shown with the digits that decide it.`,
    table: {
      heading: "Plotted numbers against theory (run 0)",
      header: ["check", "L_te", "estimate", "SE", "theory", "z", "holds", "required"],
      rows: comparisons.map((c) => [
        c.description,
        Number.isFinite(c.context) ? String(c.context) : "inf",
        fmt(c.estimate),
        fmt(c.standardError),
        fmt(c.theory),
        formatZ(c.z),
        c.holds ? "yes" : "no",
        c.required ? "yes" : "no (information)",
      ]),
    },
    entries,
  });
}

/**
 * Runs the experiments and writes every figure. Progress goes to `onProgress`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { generateFigures } from "./generate.ts";
 * import { QUICK_SIZES } from "../experiments/figure_sizes.ts";
 * const result = await generateFigures({ out: "figures-out", baseSizes: QUICK_SIZES });
 * assert.equal(result.files[0], "fig2_risk_vs_context.svg");
 * ```
 */
export async function generateFigures(options: GenerateOptions): Promise<GenerateResult> {
  const started = performance.now();
  const clock = stopwatch();
  const setup = setupOf(options);
  const { sizes, seed, task, constants, taskText, progress } = setup;
  const ctx: FigureContext = { sizes, constants, taskText, seed, law: task.law };
  const untiedSweep = startUntiedSweep(setup);
  const backend = options.backend;
  const experiments = await runExperiments(setup, backend, clock, untiedSweep);
  const settings = {
    sizes,
    seed,
    task: { d1: task.d1, d2: task.d2, law: formatSpikeLaw(task.law), sigma: task.sigma },
    population: { ...constants, ...experiments.population.get(sizes.depth)! },
  };
  const definitions = figureDefinitions(ctx, experiments);

  await Deno.mkdir(options.out, { recursive: true });
  const files: string[] = [];
  const write = async (name: string, text: string) => {
    await Deno.writeTextFile(`${options.out}/${name}`, text);
    files.push(name);
  };
  const figures: GenerateResult["figures"] = [];
  const entries = [];
  for (const def of definitions) {
    progress(`rendering ${def.id}.svg`);
    const caption = await writeFigure(def, settings, write);
    const figure = {
      id: def.id,
      title: def.title,
      svg: `${def.id}.svg`,
      data: [`${def.id}.json`, `${def.id}.csv`],
    };
    figures.push(figure);
    entries.push({ title: def.title, caption, svg: figure.svg, data: figure.data });
  }
  clock.lap("rendering");
  clock.seconds.total = (performance.now() - started) / 1000;
  const comparisons = experiments.context.comparisons;
  await write("index.html", await indexPage(setup, comparisons, entries));
  const result: GenerateResult = {
    out: options.out,
    sizes,
    seed,
    files: [...files, "summary.json"],
    figures,
    comparisons,
    seconds: clock.seconds,
    backend: backend
      ? { name: backend.name, adapter: backend.adapter, precision: backend.precision }
      : { name: "cpu", adapter: "CPU (float64)", precision: "float64" },
  };
  await Deno.writeTextFile(`${options.out}/summary.json`, jsonText({ ...result, settings }));
  return result;
}
