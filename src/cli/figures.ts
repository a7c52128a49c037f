/**
 * `figures`: reproduces the paper's experiments as figures (SVG + JSON/CSV data +
 * index.html). Progress lines go to stderr.
 *
 * @module
 */

import { generateFigures } from "../figures/generate.ts";
import { FULL_SIZES, QUICK_SIZES } from "../figures/sizes.ts";
import { createBackend } from "../backends/backend.ts";
import { resolveTask } from "../model/task.ts";
import {
  backendOption,
  numberOption,
  parseCommand,
  TASK_OPTION_HELP,
  TASK_OPTION_SPECS,
  taskOptions,
  toJson,
  UsageError,
} from "./args.ts";
import type { CliIo } from "./io.ts";

/** Default output directory of `figures`. */
export const DEFAULT_FIGURES_OUT = "figures-out";

/** Help text of `figures`. */
export const FIGURES_HELP = `Usage: figures [--out DIR] [--quick] [--seed S] [--json]

Reproduces the paper's experiments (Figs. 2-5 analogues, parameter trajectories,
alpha_T against T, population excess risk against T) and writes, per figure, an SVG
(Vega-Lite, rendered headless) with its data as JSON and CSV, plus index.html and
summary.json (theory comparisons, timings). With --backend webgpu (or auto) the
training and test prompts are sampled in WebGPU kernels; fits and predictions run in
float64 on the host.

Options:
  --out DIR       output directory (default ${DEFAULT_FIGURES_OUT})
  --quick         reduced sizes: ${QUICK_SIZES.runs} runs, ${QUICK_SIZES.testPrompts} test prompts, L_te up to ${
  QUICK_SIZES.contexts.at(-1)
}
                  (default: the paper's sizes, N = ${FULL_SIZES.prompts}, L_tr = ${FULL_SIZES.trainContext}, T = ${FULL_SIZES.depth},
                  ${FULL_SIZES.testPrompts} test prompts, ${FULL_SIZES.runs} runs, L_te up to ${
  FULL_SIZES.contexts.at(-1)
})
  --json          print the result (files, comparisons, timings) as JSON
${TASK_OPTION_HELP}`;

/** Runs `figures`. */
export async function runFigures(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(args, {
    ...TASK_OPTION_SPECS,
    out: { type: "string" },
    quick: { type: "boolean" },
  });
  if (values.help) {
    io.stdout(FIGURES_HELP);
    return 0;
  }
  if (positionals.length > 0) {
    throw new UsageError(
      `figures takes no positional arguments, got ${JSON.stringify(positionals[0])}`,
    );
  }
  // Prompts are sampled on the chosen backend; fits and predictions stay float64 on the host.
  const choice = backendOption(values);
  const out = values.out === undefined ? DEFAULT_FIGURES_OUT : String(values.out);
  if (out.trim() === "") {
    throw new TypeError(`out must be a directory path, got ${JSON.stringify(out)}`);
  }
  const seed = numberOption(values, "seed");
  const task = taskOptions(values);
  const sizes = values.quick ? QUICK_SIZES : FULL_SIZES;
  resolveTask(task); // bad input fails before a device is requested
  const backend = choice === "cpu" ? undefined : await createBackend(choice);
  const started = performance.now();
  let result;
  try {
    result = await generateFigures({
      out,
      baseSizes: sizes,
      seed,
      task,
      backend,
      onProgress: (message) =>
        io.stderr(`figures [${((performance.now() - started) / 1000).toFixed(1)} s] ${message}`),
    });
  } finally {
    backend?.dispose();
  }
  if (values.json) {
    io.stdout(toJson(result));
    return 0;
  }
  const failed = result.comparisons.filter((c) => c.required && !c.holds);
  io.stdout(
    [
      `wrote ${result.files.length} files to ${out} (${result.sizes.name} size, seed ${result.seed}, ` +
      `${
        result.seconds.total.toFixed(1)
      } s, backend ${result.backend.name}: ${result.backend.adapter})`,
      `open ${out}/index.html`,
      ...result.comparisons.map((c) =>
        `  ${c.required ? (c.holds ? "ok  " : "FAIL") : "info"} ${c.id}: ${
          c.estimate.toPrecision(4)
        } ± ${c.standardError.toPrecision(2)} vs ${c.theory.toPrecision(4)} (z = ${
          c.z.toFixed(2)
        })${c.required ? "" : " [information]"}`
      ),
      failed.length === 0
        ? "theory agreement: every required comparison within 3 SE"
        : `theory agreement: ${failed.length} required comparison(s) outside 3 SE`,
    ].join("\n"),
  );
  return 0;
}
