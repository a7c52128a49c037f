/**
 * Resource limits shared by the library and the CLI: budgets of memory and work for one
 * call, checked before any work. A call over a budget throws a RangeError that names the
 * arguments to lower (the library's option names; the CLI passes its flags instead), and
 * every library entry point with a budget takes a `limits` option to raise it (numbers) or
 * lift it (`"none"`).
 *
 * What each budget measures (on the 2-core development machine, under load):
 *
 * - `memoryBytes`: the host memory of the prompts of one call, statistics with the spectral
 *   form training derives from them (8 N (2 d^2 + 5 d + 6) bytes, {@linkcode statisticsBytes})
 *   or stored tokens (8 N (L (d + 1) + 3 d + 4) bytes, {@linkcode tokenBytes}). Above it, the
 *   JavaScript engine fails with "Array buffer allocation failed", naming nothing.
 * - `samplingWork`: token-units ({@linkcode samplingWork}): the token sampler costs
 *   N (L + 1) (d^2 + d) (about 10 ns a unit at d = 4, under 1 ns at d = 64); the Wishart
 *   sampler N (d + 2)^3 whatever L (about the same per unit).
 * - `trainingWork`: steps x prompts x d x depth x the cost of a layer (1 for LCA, 4 for deep
 *   LSA; LSA counts depth 1 and 4 (d + 1)); the LCA spectral loss costs about 6 ns a unit.
 * - `nodes`: the Gauss-Jacobi nodes of one population quadrature rule, O(n^2) (about
 *   4 ns x n^2, 17 ns x n^2 on the Golub-Welsch fallback).
 *
 * The dimension d = d1 + d2 has no limit of its own: it enters the memory (d^2 a prompt) and
 * the work (d^2 a token, d^3 a Wishart draw). At the default training sizes d = 80 takes
 * about 7 s and passes every budget; d = 200 is refused by the sampling budget. The CLI's
 * flag ranges (d <= 64, --nodes <= 4352, --depth <= 2048 for `population`) are its own,
 * narrower, choice (`src/cli/limits.ts`).
 *
 * @module
 */

import { describeValue } from "./errors.ts";

/** Budgets of one call (see the module documentation for what each measures). */
export interface ResourceLimits {
  /** Host memory for the prompts of one call, in bytes (default 2 GiB). */
  memoryBytes: number;
  /** Sampling work of one call, in token-units (default 2e9: about 20 s to 2 minutes). */
  samplingWork: number;
  /** Training work of one call: steps x prompts x d x depth x cost (default 2e10: ~2 minutes). */
  trainingWork: number;
  /** Nodes of one population quadrature rule (default 65536: about 20 s). */
  nodes: number;
}

/**
 * The default budgets. The CLI checks its flags against the same numbers.
 *
 * @example The defaults
 * ```ts
 * import assert from "node:assert/strict";
 * import { RESOURCE_LIMITS } from "./resource_limits.ts";
 * assert.equal(RESOURCE_LIMITS.memoryBytes, 2 * 2 ** 30);
 * assert.deepEqual(
 *   [RESOURCE_LIMITS.samplingWork, RESOURCE_LIMITS.trainingWork, RESOURCE_LIMITS.nodes],
 *   [2e9, 2e10, 65536],
 * );
 * ```
 */
export const RESOURCE_LIMITS: Readonly<ResourceLimits> = Object.freeze({
  memoryBytes: 2 * 2 ** 30,
  samplingWork: 2e9,
  trainingWork: 2e10,
  nodes: 65536,
});

/**
 * The least-squares LSA fit has d^2 features (a d^2 x d^2 Gram matrix): it supports
 * d <= 32. A property of the algorithm, not a budget: `limits` does not raise it.
 */
export const LSA_MAX_DIMENSION = 32;

/**
 * The `limits` option of the library's entry points: `"default"` (or undefined) for
 * {@linkcode RESOURCE_LIMITS}, `"none"` for no budget at all, or an object whose numbers
 * replace some of the defaults (`Infinity` lifts one budget).
 */
export type LimitsOption = "default" | "none" | Partial<ResourceLimits>;

const LIMIT_KEYS = Object.keys(RESOURCE_LIMITS) as (keyof ResourceLimits)[];

/**
 * Resolves a `limits` option (named `name` in messages) into budgets.
 *
 * @example Raise one budget, keep the others
 * ```ts
 * import assert from "node:assert/strict";
 * import { RESOURCE_LIMITS, resolveLimits } from "./resource_limits.ts";
 * assert.equal(resolveLimits(undefined), RESOURCE_LIMITS);
 * assert.equal(resolveLimits({ memoryBytes: 2 ** 34 }).memoryBytes, 2 ** 34);
 * assert.equal(resolveLimits({ memoryBytes: 2 ** 34 }).nodes, RESOURCE_LIMITS.nodes);
 * assert.equal(resolveLimits("none").samplingWork, Infinity);
 * assert.throws(() => resolveLimits({ memory: 1 }), /limits has an unknown key "memory"/);
 * ```
 */
export function resolveLimits(option: unknown, name = "limits"): Readonly<ResourceLimits> {
  if (option === undefined || option === "default") return RESOURCE_LIMITS;
  if (option === "none") {
    return {
      memoryBytes: Infinity,
      samplingWork: Infinity,
      trainingWork: Infinity,
      nodes: Infinity,
    };
  }
  if (option === null || typeof option !== "object" || Array.isArray(option)) {
    throw new TypeError(
      `${name} must be "default", "none" or an object of numbers (${LIMIT_KEYS.join(", ")}), got ${
        describeValue(option)
      }`,
    );
  }
  const limits: ResourceLimits = { ...RESOURCE_LIMITS };
  for (const [key, value] of Object.entries(option)) {
    if (!(LIMIT_KEYS as string[]).includes(key)) {
      throw new TypeError(
        `${name} has an unknown key ${JSON.stringify(key)} (known: ${LIMIT_KEYS.join(", ")})`,
      );
    }
    if (typeof value !== "number" || !(value > 0)) {
      throw new RangeError(
        `${name}.${key} must be a number > 0 (Infinity: no limit), got ${describeValue(value)}`,
      );
    }
    limits[key as keyof ResourceLimits] = value;
  }
  return limits;
}

/**
 * Formats a large count compactly (3 significant digits).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatCount } from "./resource_limits.ts";
 * assert.deepEqual([formatCount(2000), formatCount(123456789)], ["2000", "1.23e8"]);
 * ```
 */
export function formatCount(value: number): string {
  return value < 1e6
    ? String(value)
    : Number(value.toPrecision(3)).toExponential().replace("e+", "e");
}

/** The statistics sampler whose cost a phase counts: every token, or one Wishart draw a prompt. */
export type SamplerCost = "tokens" | "wishart";

/**
 * Sampling work in token-units: `tokens`, prompts x (context + 1) tokens x (d^2 + d)
 * (context Infinity: the query alone); `wishart`, prompts x (d + 2)^3.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { samplingWork } from "./resource_limits.ts";
 * assert.equal(samplingWork(2000, 100, 4), 2000 * 101 * 20);
 * assert.equal(samplingWork(2000, 100, 4, "wishart"), 2000 * 216);
 * ```
 */
export function samplingWork(
  prompts: number,
  context: number,
  dim: number,
  sampler: SamplerCost = "tokens",
): number {
  if (sampler === "wishart") return prompts * (dim + 2) ** 3;
  const tokens = Number.isFinite(context) ? context + 1 : 1;
  return prompts * tokens * (dim * dim + dim);
}

/**
 * Bytes of the statistics of `prompts` prompts at dimension d, with the spectral form
 * that training derives from them: 8 N (2 d^2 + 5 d + 6).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { statisticsBytes } from "./resource_limits.ts";
 * assert.equal(statisticsBytes(1000, 4), 8 * 1000 * 58);
 * ```
 */
export function statisticsBytes(prompts: number, dim: number): number {
  return 8 * prompts * (2 * dim * dim + 5 * dim + 6);
}

/**
 * Bytes of a batch that stores every token: 8 N (L (d + 1) + 3 d + 4).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tokenBytes } from "./resource_limits.ts";
 * assert.equal(tokenBytes(10, 100, 4), 8 * 10 * (500 + 16));
 * ```
 */
export function tokenBytes(prompts: number, context: number, dim: number): number {
  return 8 * prompts * (context * (dim + 1) + 3 * dim + 4);
}

/** One sampling phase of a call: its sizes and the names the caller knows them by. */
export interface SamplingPhase {
  /** Prompts N. */
  prompts: number;
  /** Context L (Infinity: exact task statistics). */
  context: number;
  /** The name of the prompt count (library: `prompts`; CLI: `--prompts`). */
  promptsName: string;
  /** The name of the context length. */
  contextName: string;
  /** What the sampling costs (default `tokens`, the bound for any sampler). */
  sampler?: SamplerCost;
  /** What is kept: `statistics` (default) or every token (`tokens`). */
  storage?: "statistics" | "tokens";
}

/** Advice appended to the messages of a budget (the CLI's flags, the library's options). */
export interface BudgetAdvice {
  /** After the memory message, e.g. " (or raise limits.memoryBytes)". */
  memory?: string;
  /** After the sampling message, e.g. ", or use --context inf (exact task statistics)". */
  sampling?: string;
  /** After the training message. */
  training?: string;
}

function phaseBytes(p: SamplingPhase, dim: number): number {
  return p.storage === "tokens"
    ? tokenBytes(p.prompts, p.context, dim)
    : statisticsBytes(p.prompts, dim);
}

function checkMemory(
  phases: readonly SamplingPhase[],
  dim: number,
  limit: number,
  advice: string,
): void {
  const bytes = phases.reduce((sum, p) => sum + phaseBytes(p, dim), 0);
  if (!(bytes > limit)) return;
  const tokens = phases.some((p) => p.storage === "tokens");
  const names = phases.flatMap((p) =>
    p.storage === "tokens" ? [p.promptsName, p.contextName] : [p.promptsName]
  );
  const sizes = phases.map((p) =>
    p.storage === "tokens"
      ? `${p.promptsName} ${formatCount(p.prompts)} x ${p.contextName} ${formatCount(p.context)}`
      : `${p.promptsName} ${formatCount(p.prompts)}`
  );
  throw new RangeError(
    `${sizes.join(" and ")} need about ${(bytes / 2 ** 30).toPrecision(3)} GiB for the ${
      tokens ? "stored tokens" : "prompt statistics"
    } at d = ${dim}, over the memory limit of ${limit / 2 ** 30} GiB: lower ${
      [...new Set(names)].join(" or ")
    }${advice}`,
  );
}

/** " (about 2 minutes)" for a default budget (what its time is), "" for one given. */
function aboutTwoMinutes(limit: number, key: "samplingWork" | "trainingWork"): string {
  return limit === RESOURCE_LIMITS[key] ? " (about 2 minutes)" : "";
}

/** "A x (B + 1)" for a token phase, "A" for a Wishart one. */
function phaseTerm(p: SamplingPhase): string {
  const prompts = `${p.promptsName} ${formatCount(p.prompts)}`;
  if (p.sampler === "wishart") return prompts;
  const context = Number.isFinite(p.context) ? formatCount(p.context) : "inf";
  return `${prompts} x (${p.contextName} ${context} + 1)`;
}

function checkWork(
  phases: readonly SamplingPhase[],
  dim: number,
  limit: number,
  advice: string,
): void {
  const work = phases.reduce((s, p) => s + samplingWork(p.prompts, p.context, dim, p.sampler), 0);
  if (!(work > limit)) return;
  const drawn = phases.filter((p) => p.sampler === "wishart");
  const tokens = phases.filter((p) => p.sampler !== "wishart");
  const terms = [
    ...(tokens.length > 0 ? [`${tokens.map(phaseTerm).join(" + ")} tokens`] : []),
    ...(drawn.length > 0 ? [`${drawn.map(phaseTerm).join(" + ")} Wishart draws`] : []),
  ];
  const units = [
    ...(tokens.length > 0 ? ["tokens x (d^2 + d)"] : []),
    ...(drawn.length > 0 ? ["draws x (d + 2)^3"] : []),
  ];
  const names = phases.flatMap((p) =>
    p.sampler === "wishart" ? [p.promptsName] : [p.promptsName, p.contextName]
  );
  throw new RangeError(
    `sampling ${terms.join(" and ")} at d = ${dim} is ${formatCount(work)} token-units (${
      units.join(" + ")
    }), over the limit of ${formatCount(limit)}${aboutTwoMinutes(limit, "samplingWork")}: lower ${
      [...new Set(names)].join(", ")
    }${advice}`,
  );
}

/**
 * Checks the memory and the sampling work of the phases of one call (together) against the
 * budgets, and throws a RangeError naming the sizes to lower.
 *
 * @example A billion prompts is refused, naming the argument
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkSamplingBudget } from "./resource_limits.ts";
 * const phase = { prompts: 1e9, context: 100, promptsName: "prompts", contextName: "context" };
 * assert.throws(() => checkSamplingBudget([phase], 4), /^RangeError: prompts 1e9 need about/);
 * checkSamplingBudget([{ ...phase, prompts: 2000 }], 4); // within the budgets
 * ```
 */
export function checkSamplingBudget(
  phases: readonly SamplingPhase[],
  dim: number,
  limits: Readonly<ResourceLimits> = RESOURCE_LIMITS,
  advice: BudgetAdvice = {},
): void {
  checkMemory(phases, dim, limits.memoryBytes, advice.memory ?? "");
  checkWork(phases, dim, limits.samplingWork, advice.sampling ?? "");
}

/** The sizes of a training run and the names the caller knows them by. */
export interface TrainingSizes {
  /** Descent steps (or iterations). */
  steps: number;
  /** Training prompts. */
  prompts: number;
  /** Dimension d. */
  dim: number;
  /** Layers counted (1 for LSA). */
  depth: number;
  /** Cost of a layer per prompt and coordinate (1 for LCA). */
  factor: number;
  /** Names of steps, prompts and depth (library: `steps`; CLI: `--steps`). */
  names: { steps: string; prompts: string; depth: string };
}

/**
 * Checks the training work steps x prompts x d x depth x factor against the budget.
 *
 * @example Ten million steps are refused, naming the arguments
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkTrainingBudget } from "./resource_limits.ts";
 * const names = { steps: "steps", prompts: "prompts", depth: "depth" };
 * const run = { steps: 1e7, prompts: 2000, dim: 4, depth: 10, factor: 1, names };
 * assert.throws(() => checkTrainingBudget(run), /lower depth, prompts or steps$/);
 * checkTrainingBudget({ ...run, steps: 2000 }); // within the budget
 * ```
 */
export function checkTrainingBudget(
  run: TrainingSizes,
  limits: Readonly<ResourceLimits> = RESOURCE_LIMITS,
  advice: BudgetAdvice = {},
): void {
  const { steps, prompts, dim, depth, factor, names } = run;
  const work = steps * prompts * dim * depth * factor;
  if (!(work > limits.trainingWork)) return;
  throw new RangeError(
    `training work ${names.steps} ${formatCount(steps)} x ${names.prompts} ${
      formatCount(prompts)
    } x d ${dim} x ${names.depth} ${formatCount(depth)}${
      factor === 1 ? "" : ` x ${factor} (cost per layer)`
    } = ${formatCount(work)} is over the limit of ${formatCount(limits.trainingWork)}${
      aboutTwoMinutes(limits.trainingWork, "trainingWork")
    }: lower ${names.depth}, ${names.prompts} or ${names.steps}${advice.training ?? ""}`,
  );
}

/**
 * Checks the node count of a quadrature rule (`name` in the message) against the budget.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkNodeBudget } from "./resource_limits.ts";
 * assert.throws(() => checkNodeBudget(1e6), /^RangeError: nodes = 1000000 is over the limit/);
 * checkNodeBudget(8192); // the default rule's cap is within the budget
 * ```
 */
export function checkNodeBudget(
  nodes: number,
  limits: Readonly<ResourceLimits> = RESOURCE_LIMITS,
  name = "nodes",
): void {
  if (!(nodes > limits.nodes)) return;
  throw new RangeError(
    `${name} = ${nodes} is over the limit of ${limits.nodes} quadrature nodes (O(n^2) time: ` +
      `about ${(4e-9 * nodes * nodes).toPrecision(2)} s): lower ${name}, or raise limits.nodes`,
  );
}
