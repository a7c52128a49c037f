/**
 * `population --family regression`: the single-layer LSA optimum Gamma* and its risk
 * on the prior work's regression setting (E1, E2), printed as rows.
 *
 * @module
 */

import type { TaskConfig } from "../model/task.ts";
import { regressionCovariance } from "../model/families/regression.ts";
import {
  gradientStepSize,
  regressionLsaGamma,
  regressionLsaRisk,
} from "../theory/regression_lsa.ts";
import { requirePositiveInteger } from "../validation/errors.ts";
import { toJson } from "./record.ts";
import { formatNumber, formatTable } from "./text.ts";
import type { CliIo } from "./io.ts";

/** Rows of a d x d row-major matrix. */
export function matrixRows(values: ArrayLike<number>, dim: number): number[][] {
  return Array.from(
    { length: dim },
    (_, r) => Array.from({ length: dim }, (_, c) => values[r * dim + c]),
  );
}

/** Prints Gamma*, the LSA risk and (identity covariance) eta*. */
export function regressionPopulation(
  task: TaskConfig,
  contextOption: number | undefined,
  values: { readonly json: boolean },
  io: CliIo,
): number {
  const context = contextOption === Infinity
    ? Infinity
    : requirePositiveInteger("context", contextOption ?? 100);
  const covariance = regressionCovariance(task);
  const d = task.dim;
  const gamma = matrixRows(regressionLsaGamma(covariance, context, task.sigma), d);
  const lsaRisk = regressionLsaRisk(covariance, context, task.sigma);
  const isotropic = covariance.every((v) => v === 1);
  const etaStar = isotropic ? gradientStepSize(d, context, task.sigma) : undefined;
  if (values.json) {
    io.stdout(toJson({
      family: "regression",
      covariance: Array.from(covariance),
      context,
      sigma: task.sigma,
      backend: { name: "cpu", adapter: "CPU (float64)", precision: "float64" },
      lsaGamma: gamma,
      lsaRisk,
      bayesRisk: task.sigma * task.sigma,
      ...(etaStar === undefined ? {} : { etaStar }),
    }));
    return 0;
  }
  io.stdout(
    `family regression, covariance diag(${Array.from(covariance).join(", ")}), ` +
      `sigma ${task.sigma}, context L = ${context} (closed forms, float64 on the host)`,
  );
  io.stdout("lsaGamma (Gamma* = ((1 + 1/L) Lambda + (tr Lambda + sigma^2)/L I)^{-1}):");
  io.stdout(formatTable(
    Array.from({ length: d }, (_, j) => `col ${j + 1}`),
    gamma.map((row) => row.map((v) => formatNumber(v, 8))),
  ));
  io.stdout(
    `lsaRisk ${formatNumber(lsaRisk, 10)}  (Bayes risk sigma^2 = ${formatNumber(task.sigma ** 2)})`,
  );
  if (etaStar !== undefined) io.stdout(`etaStar ${formatNumber(etaStar, 10)}`);
  return 0;
}
