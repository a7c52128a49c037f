/**
 * Argument parsing shared by the CLI commands, on `node:util` parseArgs
 * (JSR's @std/cli is not reachable from these machines).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { requireChoice } from "../validation/errors.ts";
import { TASK_DEFAULTS, type TaskOptions } from "../model/task.ts";
import type { TaskFamily } from "../model/regression.ts";

/** A usage error: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Option specifications in parseArgs form. */
export type OptionSpecs = Record<
  string,
  { type: "string" | "boolean"; short?: string; multiple?: boolean }
>;

/** The task options every sampling command takes. */
export const TASK_OPTION_SPECS: OptionSpecs = {
  d1: { type: "string" },
  d2: { type: "string" },
  "m-min": { type: "string" },
  "m-max": { type: "string" },
  law: { type: "string" },
  sigma: { type: "string" },
  seed: { type: "string" },
  backend: { type: "string" },
  family: { type: "string" },
  covariance: { type: "string" },
};

/** Help lines for the task options. */
export const TASK_OPTION_HELP = `Task options (MODEL.md defaults):
  --d1 N          dimension of modality 1 (default ${TASK_DEFAULTS.d1})
  --d2 N          dimension of modality 2 (default ${TASK_DEFAULTS.d2})
  --m-min A       lower end of the support of s = |m|^2 (default ${TASK_DEFAULTS.mMin})
  --m-max B       upper end of the support of s (default ${TASK_DEFAULTS.mMax})
  --law L         uniform | beta:A:B | point:S (default ${TASK_DEFAULTS.law})
  --sigma S       label noise standard deviation (default ${TASK_DEFAULTS.sigma})
  --family F      paper (default) | regression (prior work: x ~ N(0, Lambda), w ~ N(0, I),
                  y = w^T x + eps; --m-min, --m-max, --law then unused)
  --covariance C  regression only: identity (default, d = d1 + d2) or the diagonal of
                  Lambda as a comma-separated list, e.g. 4,2,1,0.5
  --seed S        random seed, a non-negative integer (default 0)
  --backend B     cpu (float64, default), webgpu (float32; an error without an adapter)
                  or auto (webgpu when an adapter exists)`;

/** Parses argv against option specs (strict: unknown options are usage errors). */
export function parseCommand(
  args: string[],
  specs: OptionSpecs,
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  // parseArgs refuses "--depth -3" as ambiguous; a negative number after a
  // string option is its value, so join it as "--depth=-3".
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i].startsWith("--") ? args[i].slice(2) : undefined;
    const next = args[i + 1];
    if (
      name !== undefined && specs[name]?.type === "string" && next !== undefined &&
      /^-(\d|\.\d|inf|Infinity)/i.test(next)
    ) {
      joined.push(`--${name}=${next}`);
      i++;
    } else {
      joined.push(args[i]);
    }
  }
  try {
    const { values, positionals } = parseArgs({
      args: joined,
      options: { ...specs, help: { type: "boolean", short: "h" }, json: { type: "boolean" } },
      strict: true,
      allowPositionals: true,
    });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (error) {
    throw new UsageError((error as Error).message.split("\n")[0]);
  }
}

/**
 * Parses a numeric option value. The text must be a plain number; the checks on
 * its range are done by the library's validators, which name the parameter.
 */
export function numberOption(
  values: Record<string, unknown>,
  name: string,
  options: { allowInfinity?: boolean } = {},
): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const text = String(raw).trim();
  if (options.allowInfinity && /^(inf|infinity)$/i.test(text)) return Infinity;
  const parsed = text === "" ? NaN : Number(text);
  if (Number.isNaN(parsed) && !/^nan$/i.test(text)) {
    throw new UsageError(`${name} must be a number, got ${JSON.stringify(text)}`);
  }
  return parsed;
}

/** The task options from parsed values (validation happens in `resolveTask`). */
export function taskOptions(values: Record<string, unknown>): TaskOptions {
  return {
    d1: numberOption(values, "d1"),
    d2: numberOption(values, "d2"),
    mMin: numberOption(values, "m-min"),
    mMax: numberOption(values, "m-max"),
    law: values.law === undefined ? undefined : String(values.law),
    sigma: numberOption(values, "sigma"),
    ...(values.family === undefined ? {} : { family: String(values.family) as TaskFamily }),
    ...(values.covariance === undefined ? {} : { covariance: String(values.covariance) }),
  };
}

/** Backends selectable with --backend: cpu (float64), webgpu (float32), auto (webgpu when an adapter exists). */
export const BACKENDS = ["cpu", "webgpu", "auto"] as const;

/** A --backend value. */
export type BackendChoice = typeof BACKENDS[number];

/** Validates --backend (default cpu). */
export function backendOption(values: Record<string, unknown>): BackendChoice {
  return requireChoice("backend", values.backend ?? "cpu", BACKENDS);
}

/** Formats a number for human-readable output. */
export function formatNumber(value: number, digits = 6): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return "0";
  const abs = Math.abs(value);
  if (abs >= 1e-3 && abs < 1e6) return Number(value.toPrecision(digits)).toString();
  return value.toExponential(digits - 1);
}

/** Renders rows as an aligned text table. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/**
 * JSON for CLI output: infinite context lengths are written as the string "inf"
 * (JSON has no Infinity), and a NaN is an internal error, never printed.
 */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (key, v) => {
    if (typeof v === "number" && !Number.isFinite(v)) {
      if (Number.isNaN(v)) throw new Error(`internal error: ${key} is NaN`);
      return v > 0 ? "inf" : "-inf";
    }
    return v;
  }, 2);
}
