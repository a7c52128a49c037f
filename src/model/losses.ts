/**
 * Empirical losses l_{N,L}(theta) = (1/N) sum_n (y_hat_n(theta) - target_n)^2 with
 * exact gradients of the layered models in (alpha, beta), in two implementations:
 * - spectral (fast): each Sigma_hat is diagonalised once (`spectralStatistics`),
 *   so y_hat_n = sum_j weight_{n,j} c(lambda_{n,j}) and a step costs O(N d T);
 * - token level (reference): the layer-by-layer attention pass over the stored
 *   tokens with forward-mode tangents, O(N T L d).
 * The full single-layer LSA's least-squares loss in (p, K) is in `lsa_loss.ts`
 * (re-exported here).
 *
 * @module
 */

import { requireLength } from "../validation/errors.ts";
import { type DeepLsaParameters, type LcaParameters, validateLayerParameters } from "./models.ts";
import type { PromptBatch, SpectralStatistics } from "./model_types.ts";

export {
  lsaLoss,
  lsaLossUnchecked,
  lsaLossValue,
  lsaResidualCurvature,
  type LsaResidualJacobian,
  lsaResidualJacobian,
  lsaResidualJacobianUnchecked,
  lsaResidualRows,
} from "./lsa_loss.ts";

/** A loss value and its gradient with respect to (alpha, beta). */
export interface LossAndGradient {
  /** The loss (1/N) sum_n (y_hat_n - target_n)^2. */
  loss: number;
  /** d loss / d alpha. */
  alpha: number;
  /** d loss / d beta. */
  beta: number;
}

/** Per-prompt LCA predictions and their derivatives in (alpha, beta). */
export interface SpectralPredictions {
  /** y_hat_n, length N. */
  prediction: Float64Array;
  /** d y_hat_n / d alpha, length N. */
  dAlpha: Float64Array;
  /** d y_hat_n / d beta, length N. */
  dBeta: Float64Array;
}

/**
 * LCA predictions from spectral statistics, y_hat_n = sum_j weight_{n,j} c(lambda_{n,j}) with
 * c(lambda) = alpha sum_{k<T} (1 + beta lambda)^k, and their exact derivatives in (alpha, beta).
 */
export function lcaSpectralPredictions(
  spectral: SpectralStatistics,
  params: LcaParameters,
): SpectralPredictions {
  return lcaSpectralPredictionsUnchecked(spectral, validateLayerParameters(params));
}

/** {@linkcode lcaSpectralPredictions} without validation (internal: validated callers only). */
export function lcaSpectralPredictionsUnchecked(
  spectral: SpectralStatistics,
  params: LcaParameters,
): SpectralPredictions {
  const { prompts, dim } = spectral;
  const { alpha, beta, depth } = params;
  const prediction = new Float64Array(prompts);
  const dAlpha = new Float64Array(prompts);
  const dBeta = new Float64Array(prompts);
  for (let n = 0; n < prompts; n++) {
    let pred = 0, da = 0, db = 0;
    for (let j = 0; j < dim; j++) {
      const lambda = spectral.lambda[n * dim + j];
      const w = spectral.weight[n * dim + j];
      const u = 1 + beta * lambda;
      let g = 0, g1 = 0, power = 1, powerM1 = 0;
      for (let k = 0; k < depth; k++) {
        g += power;
        g1 += k * powerM1;
        powerM1 = power;
        power *= u;
      }
      pred += w * alpha * g;
      da += w * g;
      db += w * alpha * g1 * lambda;
    }
    prediction[n] = pred;
    dAlpha[n] = da;
    dBeta[n] = db;
  }
  return { prediction, dAlpha, dBeta };
}

/** LCA loss and gradient from spectral statistics (see {@linkcode lcaSpectralPredictions}). */
export function lcaSpectralLoss(
  spectral: SpectralStatistics,
  target: ArrayLike<number>,
  params: LcaParameters,
): LossAndGradient {
  requireLength("target", target, spectral.prompts);
  return lcaSpectralLossUnchecked(spectral, target, validateLayerParameters(params));
}

/** {@linkcode lcaSpectralLoss} without validation (internal: validated callers only). */
export function lcaSpectralLossUnchecked(
  spectral: SpectralStatistics,
  target: ArrayLike<number>,
  params: LcaParameters,
): LossAndGradient {
  const { prediction, dAlpha, dBeta } = lcaSpectralPredictionsUnchecked(spectral, params);
  let loss = 0, gAlpha = 0, gBeta = 0;
  for (let n = 0; n < spectral.prompts; n++) {
    const r = prediction[n] - target[n];
    loss += r * r;
    gAlpha += 2 * r * dAlpha[n];
    gBeta += 2 * r * dBeta[n];
  }
  const N = spectral.prompts;
  return { loss: loss / N, alpha: gAlpha / N, beta: gBeta / N };
}

/** Deep-LSA loss and gradient from spectral statistics (forward-mode tangents through the layers). */
export function deepLsaSpectralLoss(
  spectral: SpectralStatistics,
  target: ArrayLike<number>,
  params: DeepLsaParameters,
): LossAndGradient {
  requireLength("target", target, spectral.prompts);
  return deepLsaSpectralLossUnchecked(spectral, target, validateLayerParameters(params));
}

/** {@linkcode deepLsaSpectralLoss} without validation (internal: validated callers only). */
export function deepLsaSpectralLossUnchecked(
  spectral: SpectralStatistics,
  target: ArrayLike<number>,
  params: DeepLsaParameters,
): LossAndGradient {
  const { prompts, dim } = spectral;
  const { alpha, beta, depth } = params;
  let loss = 0, gAlpha = 0, gBeta = 0;
  for (let n = 0; n < prompts; n++) {
    let pred = 0, dAlpha = 0, dBeta = 0;
    for (let j = 0; j < dim; j++) {
      const w = spectral.weight[n * dim + j];
      let lambda = spectral.lambda[n * dim + j], lambdaB = 0;
      let m = 1, mB = 0;
      let gamma = 1, gammaA = 0, gammaB = 0;
      let c = 0, cA = 0, cB = 0;
      for (let t = 0; t < depth; t++) {
        c += alpha * m * gamma;
        cA += m * gamma + alpha * m * gammaA;
        cB += alpha * (mB * gamma + m * gammaB);
        const shrink = 1 + beta * lambda;
        const shrinkB = lambda + beta * lambdaB;
        const grow = 1 + alpha * lambda;
        const growA = lambda;
        const growB = alpha * lambdaB;
        const nextGammaA = gammaA * shrink * grow + gamma * shrink * growA;
        const nextGammaB = gammaB * shrink * grow + gamma * shrinkB * grow + gamma * shrink * growB;
        gamma *= shrink * grow;
        gammaA = nextGammaA;
        gammaB = nextGammaB;
        mB = mB * shrink + m * shrinkB;
        m *= shrink;
        lambdaB = lambdaB * shrink * shrink + 2 * lambda * shrink * shrinkB;
        lambda *= shrink * shrink;
      }
      pred += w * c;
      dAlpha += w * cA;
      dBeta += w * cB;
    }
    const r = pred - target[n];
    loss += r * r;
    gAlpha += 2 * r * dAlpha;
    gBeta += 2 * r * dBeta;
  }
  return { loss: loss / prompts, alpha: gAlpha / prompts, beta: gBeta / prompts };
}

/**
 * LCA loss and gradient at token level: the literal attention pass of
 * `lcaTokenPredict` carried with tangents d/d alpha and d/d beta (forward-mode
 * dual numbers), O(T L d) per prompt. The reference the spectral path is tested
 * and benchmarked against.
 */
export function lcaTokenLoss(
  batch: PromptBatch,
  target: ArrayLike<number>,
  params: LcaParameters,
): LossAndGradient {
  const d = batch.task.dim;
  const L = batch.context;
  requireLength("target", target, batch.prompts);
  const { alpha, beta, depth } = validateLayerParameters(params);
  const q = new Float64Array(d), qA = new Float64Array(d), qB = new Float64Array(d);
  const att = new Float64Array(d), attA = new Float64Array(d), attB = new Float64Array(d);
  let loss = 0, gAlpha = 0, gBeta = 0;
  for (let n = 0; n < batch.prompts; n++) {
    q.fill(0);
    qA.fill(0);
    qB.fill(0);
    for (let t = 0; t < depth; t++) {
      att.fill(0);
      attA.fill(0);
      attB.fill(0);
      for (let i = 0; i < L; i++) {
        const o = (n * L + i) * d;
        let s = 0, sA = 0, sB = 0;
        for (let a = 0; a < d; a++) {
          const x = batch.x[o + a];
          s += x * q[a];
          sA += x * qA[a];
          sB += x * qB[a];
        }
        for (let a = 0; a < d; a++) {
          const x = batch.x[o + a];
          att[a] += x * s;
          attA[a] += x * sA;
          attB[a] += x * sB;
        }
      }
      for (let a = 0; a < d; a++) {
        const xq = batch.query[n * d + a];
        // q' = q + alpha x_q + beta A(q)
        qA[a] += xq + beta * attA[a] / L;
        qB[a] += att[a] / L + beta * attB[a] / L;
        q[a] += alpha * xq + beta * att[a] / L;
      }
    }
    let pred = 0, pA = 0, pB = 0;
    for (let i = 0; i < L; i++) {
      const o = (n * L + i) * d;
      const y = batch.y[n * L + i];
      for (let a = 0; a < d; a++) {
        const xy = batch.x[o + a] * y;
        pred += q[a] * xy;
        pA += qA[a] * xy;
        pB += qB[a] * xy;
      }
    }
    const r = pred / L - target[n];
    loss += r * r;
    gAlpha += 2 * r * pA / L;
    gBeta += 2 * r * pB / L;
  }
  const N = batch.prompts;
  return { loss: loss / N, alpha: gAlpha / N, beta: gBeta / N };
}
