/**
 * The text summary of a `train` run: the trajectory, why the descent stopped, the final
 * parameters (for the full-matrix models, the structure of A and B; for the schedules, the
 * steps of every layer), the test risk with its standard error, the excess over Bayes (paired,
 * and given each prompt's task), the schedules' population excess and the Bayes risk.
 *
 * @module
 */

import { untiedStructure } from "../model/untied.ts";
import type { TrainResult } from "../training/summarize_training.ts";
import type { Placement } from "../training/training_backend.ts";
import { stopReason, type StopRecord } from "./stop.ts";
import { formatNumber } from "./text.ts";
import type { TrainWarnings } from "./train_flags.ts";

function describeParameters(result: TrainResult): string {
  const p = result.parameters;
  switch (p.model) {
    case "lca1":
      return `alpha = ${formatNumber(p.lca.alpha, 8)} (beta = -alpha)`;
    case "lca2":
      return `alpha = ${formatNumber(p.lca.alpha, 8)}, beta = ${formatNumber(p.lca.beta, 8)}, ` +
        `alpha/(-beta) = ${formatNumber(p.lca.alpha / -p.lca.beta, 8)}`;
    case "deep-lsa":
      return `alpha = ${formatNumber(p.deepLsa.alpha, 8)}, beta = ${
        formatNumber(p.deepLsa.beta, 8)
      }`;
    case "lca-full":
    case "lca-full-layerwise": {
      const s = untiedStructure({
        ...p.untied,
        a: Float64Array.from(p.untied.a),
        b: Float64Array.from(p.untied.b),
      });
      return `tr A/d = ${formatNumber(s.alpha, 8)}, tr B/d = ${formatNumber(s.beta, 8)}; ` +
        `relative symmetric traceless A ${formatNumber(s.aSymmetric, 3)}, B ${
          formatNumber(s.bSymmetric, 3)
        }; skew A ${formatNumber(s.aSkew, 3)}, B ${formatNumber(s.bSkew, 3)}`;
    }
    case "lca-schedule":
    case "lca2-schedule": {
      const list = (values: readonly number[]) => values.map((v) => formatNumber(v, 6)).join(", ");
      const { alphas, betas } = p.schedule;
      return `alpha_t = [${list(alphas)}]` +
        (betas ? `, beta_t = [${list(betas)}]` : " (beta_t = -alpha_t), layer 1 first");
    }
    case "sca":
    case "sca-centred":
    case "sca-layerwise": {
      const { alphas, betas, taus } = p.softmax;
      if (p.model !== "sca-layerwise") {
        return `alpha = ${formatNumber(alphas[0], 8)}, beta = ${formatNumber(betas[0], 8)}, ` +
          `tau = ${formatNumber(taus[0], 8)} (W_V = beta/tau = ${
            formatNumber(betas[0] / taus[0], 8)
          }${p.softmax.centred ? "; attention centred, A_t - x_bar" : ""})`;
      }
      const list = (values: readonly number[]) => values.map((v) => formatNumber(v, 6)).join(", ");
      return `alpha_t = [${list(alphas)}], beta_t = [${list(betas)}], tau_t = [${
        list(taus)
      }], layer 1 first`;
    }
    case "lsa": {
      const d = Math.round(Math.sqrt(p.gamma.length));
      const trace = p.gamma.reduce((sum, v, i) => (i % (d + 1) === 0 ? sum + v : sum), 0);
      return `reduced Gamma (least squares): trace/d = ${formatNumber(trace / d)}; ` +
        `full p, K: ${p.full.p.length + p.full.k.length} weights`;
    }
  }
}

/** The schedules' population excess E_T (L -> infinity) against the optimum and the tied step. */
function populationLines(result: TrainResult): string[] {
  const e = result.populationExcess;
  if (e === undefined) return [];
  return [
    `population excess E_T (L -> inf) of the trained steps: ${formatNumber(e.trained)}; ` +
    `optimal schedule ${formatNumber(e.optimalSchedule)}, tied alpha_T ${
      formatNumber(e.tiedAlphaT)
    }`,
  ];
}

/** An estimate with its standard error; "SE undefined" from fewer than 2 samples. */
function estimate(e: { mean: number; standardError: number; samples: number }): string {
  return e.samples < 2
    ? `${formatNumber(e.mean)} (SE undefined: ${e.samples} sample)`
    : `${formatNumber(e.mean)} ± ${formatNumber(e.standardError, 3)}`;
}

/** Human-readable summary of a training run. */
export function describeTrainResult(
  result: TrainResult & { placement?: Placement },
  backend: { name: string; adapter: string; precision: string; reason?: string },
  stop: StopRecord = stopReason(result, result.steps, backend.precision),
  warnings?: TrainWarnings,
): string {
  const t = result.trajectory;
  const pick = [
    0,
    Math.floor(t.length / 4),
    Math.floor(t.length / 2),
    Math.floor((3 * t.length) / 4),
    t.length - 1,
  ];
  const lines = [
    `model ${result.model}, depth T = ${result.depth}, N = ${result.prompts}, L_tr = ${result.context}, ` +
    `target ${result.target}`,
    `backend ${backend.name} (${backend.adapter}, ${backend.precision})${
      backend.reason ? `: ${backend.reason}` : ""
    }`,
    ...(result.placement
      ? [
        `placement: sampling ${result.placement.sampling}; training step ${result.placement.trainingStep}; ` +
        `test forward ${result.placement.testForward}`,
      ]
      : []),
    `trajectory (step: loss | parameters):`,
    ...[...new Set(pick)].map((i) =>
      `  ${String(t[i].step).padStart(6)}: ${formatNumber(t[i].loss, 8)} | ${
        t[i].parameters.slice(0, 4).map((v) => formatNumber(v, 6)).join(", ")
      }${t[i].parameters.length > 4 ? ", ..." : ""}`
    ),
    `stopped after ${result.steps} step${
      result.steps === 1 ? "" : "s"
    }: ${stop.reason} (${stop.rule}); converged: ${stop.converged ? "yes" : "no"}`,
    `train loss ${formatNumber(result.trainLoss, 8)}`,
    `final parameters: ${describeParameters(result)}`,
  ];
  if (result.initLosses) {
    lines.push(
      `full-LSA train loss per init: ${result.initLosses.map((v) => formatNumber(v)).join(", ")}`,
    );
  }
  if (result.reducedTestRisk) {
    lines.push(`reduced-LSA test risk: ${estimate(result.reducedTestRisk)}`);
  }
  lines.push(
    `test risk (${result.testRisk.samples} prompts, L_te = ${result.testContext}): ${
      estimate(result.testRisk)
    } (SE)`,
    `excess risk over Bayes (paired, same test prompts): ${estimate(result.testExcess)}`,
    `excess given each prompt's task (mean (y_hat - f_Bayes)^2, no label noise): ${
      estimate(result.conditionalTestExcess)
    }`,
    ...populationLines(result),
    `Bayes risk: population ${formatNumber(result.bayesRisk.population)}, on the test prompts ${
      estimate(result.bayesRisk.test)
    }`,
    `ms per step: ${formatNumber(result.msPerStep, 4)}`,
  );
  for (const message of warnings?.messages ?? []) lines.push(message);
  return lines.join("\n");
}
