/**
 * `population`: every population quantity for a law, noise level and depth.
 * Quadrature in float64 on the host: no random numbers (so no --seed) and no
 * device (so no --backend).
 *
 * @module
 */

import { type PopulationSummary, populationSummary } from "../theory/population_summary.ts";
import { formatSpikeLaw, type SpikeLaw } from "../model/law.ts";
import {
  type PopulationSchedule,
  populationSchedule,
  SCHEDULE_MAX_DEPTH,
  scheduleRows,
} from "./population_schedule.ts";
import { familyOf } from "../model/families/families.ts";
import { defaultNodeCount } from "../theory/quadrature.ts";
import { defineFlags, type FlagTable } from "./flag_table.ts";
import { parseFlags, replayCommand, UsageError } from "./options.ts";
import { commandHelp } from "./command_help.ts";
import { DENO_RUNNER } from "../claims/replay_call.ts";
import { resolveTaskFlags, TASK_FLAGS, TASK_HELP } from "./flags.ts";
import { LIMITS } from "./limits.ts";
import { regressionPopulation } from "./regression_population.ts";
import { recordHeader, toJson } from "./record.ts";
import { formatNumber, formatTable } from "./text.ts";
import type { CliIo } from "./io.ts";

/** The flags of `population`, in replay order. */
export const POPULATION_FLAGS = defineFlags({
  depth: {
    kind: "integer",
    default: 10,
    max: LIMITS.populationDepth,
    maxHint: `the default ${256}+2T quadrature nodes stay under ${LIMITS.nodes}`,
  },
  nodes: {
    kind: "integer",
    max: LIMITS.nodes,
    maxHint: "Gauss-Jacobi nodes cost O(n^2) time",
  },
  ...withoutDimensions(TASK_FLAGS),
  context: { kind: "context" },
  seed: { kind: "rejected", reason: "quadrature uses no random numbers" },
  backend: { kind: "rejected", reason: "quadrature runs in float64 on the host" },
  d1: { kind: "rejected", reason: "population quantities are integrals over s alone" },
  d2: { kind: "rejected", reason: "population quantities are integrals over s alone" },
});

function withoutDimensions<T extends FlagTable>(table: T): Omit<T, "d1" | "d2"> {
  const { d1: _d1, d2: _d2, ...rest } = table;
  return rest;
}

/** Help text of `population`: its usage from the flag table. */
export const POPULATION_HELP = commandHelp({
  command: "population",
  table: POPULATION_FLAGS,
  entries: [
    ["depth", "T", `number of layers (default 10, at most ${LIMITS.populationDepth})`],
    ["nodes", "N", `quadrature nodes (default 256 + 2T, at most ${LIMITS.nodes})`],
    ["json", "", "print a versioned JSON record (schemas/population.schema.json)"],
    [
      "context",
      "L",
      "--family regression only: context length (default 100; inf); prints lsaGamma, lsaRisk",
    ],
    ...TASK_HELP.filter(([name]) => name !== "d1" && name !== "d2"),
  ],
  about: `Population (L -> infinity) quantities by Gauss-Jacobi quadrature over the law of s, in
float64 on the host (no random numbers: no --seed; no device: no --backend). Definitions
in docs/model.md: alphaStar, rhoStar, bayesRisk, gammaStar, lsaGap, alphaT (the depth-T
one-parameter minimiser), excessAtAlphaT and excessAtAlphaStar (the population excess
E_T), twoParam {alpha, beta} (the depth-T two-parameter optimum), geometricBound
(rho*^{2T} E[s/(1+s)]), twoParamExcess, and schedule {alphas, excess, rate,
chebyshevBound} (the optimal step per layer, layer 1 first, for T <= ${SCHEDULE_MAX_DEPTH}; claim
C12, docs/reference/schedules.md). With --family regression (prior work), the
finite-context LSA optimum at --context L instead.`,
  footer: `Population quantities do not depend on d (they are integrals over s alone), so there
is no --d1 or --d2 here.

Example (from a clone's root; the first run downloads Deno):
  ${DENO_RUNNER} run -A mod.ts population --law beta:2:5 --depth 20`,
});

/** Population quantities are float64 quadratures on the host. */
const HOST = {
  name: "cpu",
  adapter: "CPU (float64)",
  precision: "float64",
  requested: "cpu",
  reason: "population quantities are float64 quadratures on the host",
} as const;

/** Runs `population`. */
export function runPopulation(args: string[], io: CliIo): number {
  const parsed = parseFlags("population", args, POPULATION_FLAGS);
  if (parsed.values.help) {
    io.stdout(POPULATION_HELP);
    return 0;
  }
  const { task } = resolveTaskFlags(parsed);
  if (familyOf(task).finiteContextPopulation) {
    return regressionPopulation(
      task,
      parsed.values.context,
      parsed.values,
      io,
    );
  }
  if (parsed.values.context !== undefined) {
    throw new UsageError(
      `--context applies to --family regression only (population quantities are L -> infinity limits)`,
    );
  }
  const depth = parsed.values.depth;
  const nodes = parsed.values.nodes ?? defaultNodeCount(depth);
  if (nodes > LIMITS.nodes) {
    throw new UsageError(`internal: default nodes ${nodes} over the limit ${LIMITS.nodes}`);
  }
  const summary = populationSummary(task.law, task.sigma, depth, { nodes });
  const schedule = populationSchedule(task.law, depth, nodes);
  const point = task.law.kind === "point";
  const config = {
    depth,
    nodes,
    "m-min": point ? undefined : parsed.values["m-min"],
    "m-max": point ? undefined : parsed.values["m-max"],
    law: String(parsed.values.law).trim(),
    sigma: task.sigma,
  };
  if (parsed.values.json) {
    io.stdout(
      toJson({
        ...recordHeader(
          "population",
          config,
          HOST,
          replayCommand("population", POPULATION_FLAGS, config),
        ),
        law: formatSpikeLaw(task.law),
        sigma: task.sigma,
        depth,
        nodes,
        ...summary,
        ...(schedule === undefined ? {} : { schedule }),
      }),
    );
    return 0;
  }
  io.stdout(populationText(task.law, task.sigma, { depth, nodes }, summary, schedule));
  return 0;
}

/** The text output of `population`: a header line and the table of quantities. */
function populationText(
  law: SpikeLaw,
  sigma: number,
  { depth, nodes }: { depth: number; nodes: number },
  summary: PopulationSummary,
  schedule: PopulationSchedule | undefined,
): string {
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
  const header = `law ${formatSpikeLaw(law)}, sigma ${sigma}, depth T = ${depth}, ${nodes} ` +
    `nodes, backend cpu (float64 quadrature on the host)`;
  const table = formatTable(["quantity", "value"], [
    ...rows.map(([k, v]): [string, string] => [k, formatNumber(v, 8)]),
    ...scheduleRows(schedule, depth),
  ]);
  return `${header}\n${table}`;
}
