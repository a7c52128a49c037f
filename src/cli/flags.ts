/**
 * Flags shared by several commands (the task distribution, seed, backend) and
 * their validation with the flag names the user typed.
 *
 * @module
 */

import {
  type StatisticsSampler,
  TASK_DEFAULTS,
  type TaskConfig,
  type TaskOptions,
} from "../model/task.ts";
import { resolveTask } from "../model/task.ts";
import type { SpikeLaw } from "../model/law.ts";
import { DEFAULT_FAMILY, FAMILIES, TASK_FAMILIES } from "../model/families/families.ts";
import { defineFlags, type FlagValues, type ParsedFlags } from "./flag_table.ts";
import { shown, UsageError } from "./options.ts";
import { LIMITS } from "./limits.ts";

/** Largest seed: seeds are 31-bit so that fast-check and the Philox key accept them alike. */
export const MAX_SEED = 2 ** 31 - 1;

/** The task flags of every sampling command. */
export const TASK_FLAGS = defineFlags({
  d1: { kind: "integer", default: TASK_DEFAULTS.d1, max: LIMITS.dimension - 1 },
  d2: { kind: "integer", default: TASK_DEFAULTS.d2, max: LIMITS.dimension - 1 },
  "m-min": { kind: "number", min: 0, default: TASK_DEFAULTS.mMin, max: LIMITS.spike },
  "m-max": {
    kind: "number",
    min: 0,
    default: TASK_DEFAULTS.mMax,
    max: LIMITS.spike,
    maxHint: "larger spikes overflow the quadrature and float32 sampling",
  },
  law: { kind: "text", default: TASK_DEFAULTS.law },
  sigma: { kind: "number", min: 0, default: TASK_DEFAULTS.sigma, max: LIMITS.sigma },
  family: { kind: "choice", choices: TASK_FAMILIES, default: DEFAULT_FAMILY },
  covariance: { kind: "text" },
});

/** `--seed` of the sampling commands. */
export const SEED_FLAG = defineFlags({
  seed: { kind: "integer", min: 0, default: 0, max: MAX_SEED },
});

/** `--backend` of the sampling commands. */
export const BACKEND_FLAG = defineFlags({
  backend: { kind: "choice", choices: ["cpu", "webgpu", "auto"], default: "cpu" },
});

/** `--sampler` of the sampling commands: the CLI's names of the statistics samplers. */
export const SAMPLER_FLAG = defineFlags({
  sampler: { kind: "choice", choices: ["auto", "exact", "tokens"], default: "auto" },
});

/** Help line of --sampler. */
export const SAMPLER_HELP: [string, string, string] = [
  "sampler",
  "S",
  "statistics sampler, the same on every backend: exact (each prompt's statistics\n" +
  "drawn from their law: Bartlett factors and chi-square variates, no tokens),\n" +
  "tokens (every context token drawn and reduced) or auto (default: exact when\n" +
  "d + 2 <= L < inf, else tokens; --context inf needs no sampler)",
];

/**
 * The library's name of a `--sampler` value (`SampleOptions.sampler`): exact is `wishart`.
 *
 * @example The CLI's exact sampler is the library's wishart sampler
 * ```ts
 * import assert from "node:assert/strict";
 * import { librarySampler } from "./flags.ts";
 * assert.equal(librarySampler("exact"), "wishart");
 * assert.equal(librarySampler("auto"), "auto");
 * ```
 */
export function librarySampler(value: "auto" | "exact" | "tokens"): StatisticsSampler {
  return value === "exact" ? "wishart" : value;
}

/** Help lines of the task flags. */
export const TASK_HELP: [string, string, string][] = [
  [
    "d1",
    "N",
    `dimension of modality 1 (default ${TASK_DEFAULTS.d1}); d = d1 + d2 <= ${LIMITS.dimension}`,
  ],
  ["d2", "N", `dimension of modality 2 (default ${TASK_DEFAULTS.d2})`],
  ["m-min", "A", `lower end of the support of s = |m|^2 (default ${TASK_DEFAULTS.mMin})`],
  [
    "m-max",
    "B",
    `upper end of the support of s (default ${TASK_DEFAULTS.mMax}, at most ${LIMITS.spike})`,
  ],
  [
    "law",
    "L",
    `uniform | beta:A:B (${LIMITS.betaShapeMin} <= A, B <= ${LIMITS.betaShapeMax}) | point:S (default ${TASK_DEFAULTS.law})`,
  ],
  ["sigma", "S", `label noise standard deviation (default ${TASK_DEFAULTS.sigma})`],
  [
    "family",
    "F",
    "paper (default) | regression (prior work: x ~ N(0, Lambda), w ~ N(0, I), y = w^T x + eps)",
  ],
  [
    "covariance",
    "C",
    "regression only: identity (default, d = d1 + d2) or the diagonal of Lambda, e.g. 4,2,1,0.5",
  ],
];

/** Help lines of --seed and --backend. */
export const SEED_HELP: [string, string, string] = [
  "seed",
  "S",
  `random seed, an integer in [0, 2^31 - 1] (default 0)`,
];
/** Help line of --backend. */
export const BACKEND_HELP: [string, string, string] = [
  "backend",
  "B",
  "cpu (float64, default), webgpu (float32; an error without an adapter) or\n" +
  "auto (a hardware WebGPU adapter if there is one, else cpu; never a software\n" +
  "rasteriser such as llvmpipe)",
];

/** The values of the task flags (a command may reject --d1, --d2, --family, --covariance). */
export type TaskFlagValues =
  & Partial<Pick<FlagValues<typeof TASK_FLAGS>, "d1" | "d2" | "family" | "covariance">>
  & Pick<FlagValues<typeof TASK_FLAGS>, "m-min" | "m-max" | "law" | "sigma">;

/** What {@linkcode resolveTaskFlags} reads of the parsed flags. */
export interface ParsedTaskFlags extends Pick<ParsedFlags, "given" | "raw"> {
  /** The task flags' values. */
  values: TaskFlagValues;
}

/**
 * Validates the task flags with their names (`--m-min must be less than --m-max`),
 * then resolves the task with the library (which cannot fail any more).
 */
export function resolveTaskFlags(
  parsed: ParsedTaskFlags,
): { task: TaskConfig; options: TaskOptions } {
  const v = parsed.values;
  const d1: number = v.d1 ?? TASK_DEFAULTS.d1, d2: number = v.d2 ?? TASK_DEFAULTS.d2;
  if (d1 + d2 > LIMITS.dimension) {
    throw new UsageError(
      `--d1 + --d2 must be at most ${LIMITS.dimension} (the resource limit on d), got ${d1} + ${d2} = ${
        d1 + d2
      }`,
    );
  }
  const law = parseLawFlag(String(v.law), v["m-min"], v["m-max"], parsed);
  const family = FAMILIES[v.family ?? DEFAULT_FAMILY];
  if (!family.acceptsCovariance && v.covariance !== undefined) {
    throw new UsageError(
      `--covariance applies to --family regression only, got --covariance ${
        shown(String(v.covariance))
      } with --family ${family.name}`,
    );
  }
  const options: TaskOptions = {
    d1,
    d2,
    law,
    sigma: v.sigma,
    ...family.taskOptions(v.covariance === undefined ? undefined : String(v.covariance)),
  };
  try {
    return { task: resolveTask(options), options };
  } catch (error) {
    // Only the covariance list can still be invalid here (the other flags are checked above).
    throw new UsageError(`--${error instanceof Error ? error.message : String(error)}`);
  }
}

function parseLawFlag(
  text: string,
  low: number,
  high: number,
  parsed: Pick<ParsedFlags, "given" | "raw">,
): SpikeLaw {
  const parts = text.trim().split(":");
  const bad = (why: string) => new UsageError(`--law must be ${why}, got ${JSON.stringify(text)}`);
  const syntax = "uniform, beta:A:B or point:S";
  const support = () => {
    if (!(low < high)) {
      throw new UsageError(
        `--m-min must be less than --m-max, got --m-min ${shownFlag(parsed, "m-min", low)}, ` +
          `--m-max ${shownFlag(parsed, "m-max", high)}`,
      );
    }
  };
  const number = (
    s: string,
  ) => (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s.trim()) ? Number(s) : NaN);
  switch (parts[0]) {
    case "uniform":
      if (parts.length !== 1) throw bad(syntax);
      support();
      return { kind: "uniform", low, high };
    case "beta": {
      if (parts.length !== 3) throw bad(`${syntax} (beta takes two shapes A and B)`);
      const a = number(parts[1]), b = number(parts[2]);
      const ok = (x: number) => x >= LIMITS.betaShapeMin && x <= LIMITS.betaShapeMax;
      if (!ok(a) || !ok(b)) {
        throw bad(
          `beta:A:B with ${LIMITS.betaShapeMin} <= A, B <= ${LIMITS.betaShapeMax} ` +
            `(outside, Gauss-Jacobi quadrature and the quantile lose accuracy)`,
        );
      }
      support();
      return { kind: "beta", a, b, low, high };
    }
    case "point": {
      if (parts.length !== 2) throw bad(`${syntax} (point takes one value S)`);
      const s = number(parts[1]);
      if (!(s >= 0 && s <= LIMITS.spike)) throw bad(`point:S with 0 <= S <= ${LIMITS.spike}`);
      if (parsed.given.has("m-min") || parsed.given.has("m-max")) {
        throw new UsageError(
          `--m-min and --m-max do not apply to --law point:S (its support is {S}), got --law ${
            JSON.stringify(text)
          }`,
        );
      }
      return { kind: "point", value: s };
    }
    default:
      throw bad(syntax);
  }
}

function shownFlag(parsed: Pick<ParsedFlags, "raw">, name: string, value: number): string {
  return parsed.raw[name] !== undefined ? shown(parsed.raw[name]) : `${value} (default)`;
}
