/**
 * `train`: trains a model on sampled prompts and reports the trajectory, final
 * parameters, test risk with its standard error, the Bayes risk and ms per step.
 *
 * @module
 */

import { requireTarget } from "../model/task.ts";
import {
  MODELS,
  resolveTrain,
  train,
  type TrainOptions,
  type TrainResult,
} from "../training/training.ts";
import { createBackend } from "../backends/backend.ts";
import { type Placement, trainOnBackend } from "../training/training_backend.ts";
import { requireChoice } from "../validation/errors.ts";
import {
  backendOption,
  formatNumber,
  numberOption,
  parseCommand,
  TASK_OPTION_HELP,
  TASK_OPTION_SPECS,
  taskOptions,
  toJson,
  UsageError,
} from "./args.ts";
import { type CliIo, progressBar } from "./io.ts";
import { matrixRows } from "./_regression_population.ts";
import { untiedStructure } from "../model/untied.ts";

/** Help text of `train`. */
export const TRAIN_HELP =
  `Usage: train --model lca1|lca2|lsa|deep-lsa|lca-full|lca-full-layerwise [options]

Trains by gradient descent on the empirical loss l_{N,L_tr} of N prompts and evaluates
on fresh test prompts (seed stream 1).

Options:
  --model M          lca1 (W_S = -W_V = alpha), lca2 (alpha, beta), lsa (reduced Gamma by
                     least squares and full p, K by gradient descent from several inits),
                     deep-lsa (two-parameter deep linear self-attention), lca-full (W_S = A,
                     W_V = B full d x d matrices shared by the layers) or lca-full-layerwise
                     (A_t, B_t per layer): random initialisation (--init-scale), trained in
                     float64 on the host by the adjoint gradient
  --init-scale S     lca-full*: scale of the random initial matrices (default 0.3)
  --batch B          lca1: minibatch SGD with batches of B prompts and the fixed step --lr
                     (default: full-batch gradient descent)
  --depth T          layers (default 10)
  --prompts N        training prompts (default 2000)
  --context L        training context length L_tr (default 100); "inf" = exact task statistics
  --steps K          gradient-descent steps (default 2000; stops early when the gradient is < 1e-12)
  --lr R             step size, or "auto" (default): Barzilai-Borwein steps with backtracking
  --target T         label (noisy y_q, default) or bayes (w^T x_q)
  --test-prompts N   test prompts (default 1000)
  --test-context L   test context length L_te (default: the training context)
  --alpha-init A     initial alpha (lca1, deep-lsa: 0; lca2: alpha*(beta_0))
  --beta-init B      initial beta (lca2: -1/(1 + m_hi); deep-lsa: 0)
  --json             print the whole result as JSON
                     (with --backend webgpu: sampling, LCA training steps and test forward
                     passes run in WebGPU kernels; see "placement" in the output)
${TASK_OPTION_HELP}`;

/** Runs `train`. */
export async function runTrain(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommand(args, {
    ...TASK_OPTION_SPECS,
    model: { type: "string" },
    depth: { type: "string" },
    prompts: { type: "string" },
    context: { type: "string" },
    steps: { type: "string" },
    lr: { type: "string" },
    target: { type: "string" },
    "test-prompts": { type: "string" },
    "test-context": { type: "string" },
    "alpha-init": { type: "string" },
    "beta-init": { type: "string" },
    "init-scale": { type: "string" },
    batch: { type: "string" },
  });
  if (values.help) {
    io.stdout(TRAIN_HELP);
    return 0;
  }
  if (values.model === undefined) {
    throw new UsageError(`model is required: --model ${MODELS.join("|")}`);
  }
  const model = requireChoice("model", values.model, MODELS);
  const choice = backendOption(values);
  const lr = values.lr === undefined || values.lr === "auto" ? "auto" : numberOption(values, "lr");
  const options: TrainOptions = {
    ...taskOptions(values),
    model,
    depth: numberOption(values, "depth"),
    prompts: numberOption(values, "prompts"),
    context: numberOption(values, "context", { allowInfinity: true }),
    steps: numberOption(values, "steps"),
    learningRate: lr,
    seed: numberOption(values, "seed"),
    target: values.target === undefined ? undefined : requireTarget(values.target),
    testPrompts: numberOption(values, "test-prompts"),
    testContext: numberOption(values, "test-context", { allowInfinity: true }),
    alphaInit: numberOption(values, "alpha-init"),
    betaInit: numberOption(values, "beta-init"),
    initScale: numberOption(values, "init-scale"),
    batchSize: numberOption(values, "batch"),
    onProgress: (step, steps, loss) => {
      if (step % 10 === 0 || step === steps) {
        io.progress(progressBar(step, steps, `loss ${formatNumber(loss)}`));
      }
    },
  };
  let result: TrainResult & { placement?: Placement };
  let device: { name: string; adapter: string; precision: string };
  if (choice === "cpu") {
    // Validate everything before any work; the CPU path is the float64 reference.
    result = train(options);
    device = { name: "cpu", adapter: "CPU (float64)", precision: "float64" };
  } else {
    resolveTrain(options); // bad input fails before a device is requested
    const backend = await createBackend(choice);
    try {
      const onBackend = await trainOnBackend(options, backend);
      result = onBackend;
      device = onBackend.backend;
    } finally {
      backend.dispose();
    }
  }
  io.progress("");
  if (values.json) {
    io.stdout(toJson({ ...result, ...lsaGammaRows(result), backend: device }));
    return 0;
  }
  io.stdout(describeTrainResult(result, device));
  return 0;
}

/** For lsa: the trained Gamma as rows, as `population --family regression` prints Gamma*. */
function lsaGammaRows(result: TrainResult): Record<string, number[][]> {
  const p = result.parameters;
  if (p.model !== "lsa") return {};
  const d = Math.round(Math.sqrt(p.gamma.length));
  const full = p.full.k.slice(0, d * d).map((v) => v * p.full.p[d]);
  return { lsaGamma: matrixRows(p.gamma, d), lsaGammaFull: matrixRows(full, d) };
}

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
    case "lsa": {
      const d = Math.round(Math.sqrt(p.gamma.length));
      const trace = p.gamma.reduce((sum, v, i) => (i % (d + 1) === 0 ? sum + v : sum), 0);
      return `reduced Gamma (least squares): trace/d = ${formatNumber(trace / d)}; ` +
        `full p, K: ${p.full.p.length + p.full.k.length} weights`;
    }
  }
}

/** Human-readable summary of a training run. */
export function describeTrainResult(
  result: TrainResult & { placement?: Placement },
  backend: { name: string; adapter: string; precision: string },
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
    `target ${result.target}, backend ${backend.name} (${backend.adapter}, ${backend.precision})`,
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
    `steps ${result.steps} (${
      result.converged ? "converged: gradient norm < 1e-12" : "step limit reached"
    }), ` +
    `train loss ${formatNumber(result.trainLoss, 8)}`,
    `final parameters: ${describeParameters(result)}`,
  ];
  if (result.initLosses) {
    lines.push(
      `full-LSA train loss per init: ${result.initLosses.map((v) => formatNumber(v)).join(", ")}`,
    );
  }
  if (result.reducedTestRisk) {
    lines.push(
      `reduced-LSA test risk: ${formatNumber(result.reducedTestRisk.mean)} ± ${
        formatNumber(result.reducedTestRisk.standardError, 3)
      }`,
    );
  }
  lines.push(
    `test risk (${result.testRisk.samples} prompts, L_te = ${result.testContext}): ` +
      `${formatNumber(result.testRisk.mean)} ± ${
        formatNumber(result.testRisk.standardError, 3)
      } (SE)`,
    `excess over Bayes on the same prompts: ${formatNumber(result.testExcess.mean)} ± ${
      formatNumber(result.testExcess.standardError, 3)
    }`,
    `Bayes risk: population ${formatNumber(result.bayesRisk.population)}, on the test prompts ${
      formatNumber(result.bayesRisk.test.mean)
    } ± ${formatNumber(result.bayesRisk.test.standardError, 3)}`,
    `ms per step: ${formatNumber(result.msPerStep, 4)}`,
  );
  return lines.join("\n");
}
