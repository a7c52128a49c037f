/**
 * `population`: every population quantity for a law, noise level and depth.
 *
 * @module
 */

import { populationSummary } from "../theory/population.ts";
import { resolveTask } from "../model/task.ts";
import { formatSpikeLaw } from "../model/law.ts";
import { regressionPopulation } from "./_regression_population.ts";
import { requirePositiveInteger } from "../validation/errors.ts";
import {
  backendOption,
  formatNumber,
  formatTable,
  numberOption,
  parseCommand,
  TASK_OPTION_HELP,
  TASK_OPTION_SPECS,
  taskOptions,
  toJson,
} from "./args.ts";
import type { CliIo } from "./io.ts";

/** Help text of `population`. */
export const POPULATION_HELP =
  `Usage: population [--m-min A] [--m-max B] [--law L] [--depth T] [--sigma S] [--json]

Population (L -> infinity) quantities by Gauss-Jacobi quadrature over the law of s:
alphaStar, rhoStar, bayesRisk, gammaStar, lsaGap, alphaT (the depth-T one-parameter
minimiser), excessAtAlphaT, excessAtAlphaStar, twoParam {alpha, beta} (the depth-T
two-parameter optimum), geometricBound (rho*^{2T} E[s/(1+s)]), twoParamExcess.

With --family regression: lsaGamma (the optimal single-layer LSA matrix Gamma*, as rows)
and lsaRisk (its risk) for --context L (E1, E2 of the README), and etaStar for identity.

Options:
  --depth T       number of layers (default 10)
  --context L     regression only: context length L (default 100; "inf" for the limit)
  --nodes N       quadrature nodes (default 256 + 2T)
  --json          print JSON
${TASK_OPTION_HELP}`;

/** Population quantities are float64 quadratures on the host, whatever the --backend. */
const HOST = { name: "cpu", adapter: "CPU (float64)", precision: "float64" } as const;

/** Runs `population`. */
export function runPopulation(args: string[], io: CliIo): number {
  const { values } = parseCommand(args, {
    ...TASK_OPTION_SPECS,
    depth: { type: "string" },
    nodes: { type: "string" },
    context: { type: "string" },
  });
  if (values.help) {
    io.stdout(POPULATION_HELP);
    return 0;
  }
  const task = resolveTask(taskOptions(values));
  if (task.family === "regression") {
    return regressionPopulation(
      task,
      numberOption(values, "context", { allowInfinity: true }),
      values,
      io,
    );
  }
  const backend = backendOption(values);
  if (backend === "webgpu") {
    throw new RangeError(
      `backend must be cpu or auto for population (float64 quadrature on the host), got "webgpu"`,
    );
  }
  const depth = requirePositiveInteger("depth", numberOption(values, "depth") ?? 10);
  const nodesValue = numberOption(values, "nodes");
  const nodes = nodesValue === undefined ? undefined : requirePositiveInteger("nodes", nodesValue);
  const summary = populationSummary(task.law, task.sigma, depth, { nodes });
  if (values.json) {
    io.stdout(
      toJson({
        law: formatSpikeLaw(task.law),
        sigma: task.sigma,
        depth,
        backend: HOST,
        ...summary,
      }),
    );
    return 0;
  }
  const rows: [string, number][] = [
    ["alphaStar", summary.alphaStar],
    ["rhoStar", summary.rhoStar],
    ["bayesRisk", summary.bayesRisk],
    ["gammaStar", summary.gammaStar],
    ["lsaGap", summary.lsaGap],
    ["alphaT", summary.alphaT],
    ["excessAtAlphaT", summary.excessAtAlphaT],
    ["excessAtAlphaStar", summary.excessAtAlphaStar],
    ["geometricBound", summary.geometricBound],
    ["twoParam.alpha", summary.twoParam.alpha],
    ["twoParam.beta", summary.twoParam.beta],
    ["twoParamExcess", summary.twoParamExcess],
  ];
  io.stdout(
    `law ${formatSpikeLaw(task.law)}, sigma ${task.sigma}, depth T = ${depth}, ` +
      `backend ${HOST.name} (${HOST.adapter}, ${HOST.precision}: quadrature on the host)`,
  );
  io.stdout(formatTable(["quantity", "value"], rows.map(([k, v]) => [k, formatNumber(v, 8)])));
  return 0;
}
