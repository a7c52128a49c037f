/**
 * Parity of the WebGPU softmax cross-attention forward (float32,
 * `src/backends/webgpu/softmax_kernels.ts`) with the float64 reference `softmaxTokenPredict`.
 *
 * The tolerance (src/claims/softmax_float32_bound.ts, re-exported by
 * testkit/softmax_float32_bounds.ts; C13 adds it to its margin on WebGPU) is an a-posteriori
 * forward error bound,
 * derived, not tuned: it is propagated per prompt along the float64 trace
 * (`softmaxPromptForward`: q_t, r_i = x_i^T q_t, p_i, A_t, x_bar, mu_hat) with componentwise
 * absolute bounds e. Notation: u = 2^-24, gamma_K = K u /
 * (1 - K u), delta the token error of `tokenDelta` (testkit/float32_bounds.ts), X = |x_ic|,
 * Xd = X + delta (and Y, Yd, |x_q| + delta likewise), F = 2^-126 (flushed subnormal parameters).
 *
 * - Moments (L fma or additions, 1/L rounded, one product): |e_xbar_c| <= (1 + gamma_{L+2})
 *   mean_i Xd_ic - mean_i X_ic, and |e_mu_c| <= (1 + gamma_{L+2}) mean_i Yd_i Xd_ic -
 *   mean_i Y_i X_ic; or, where smaller, the running error of the kernel's sequential loop:
 *   term k entering with error dt_k, E_k = (1 + u) (E_{k-1} + dt_k) + u |S_k| (S_k the partial
 *   sum along the trace, widened by float64's gamma_k sum |t_j|), then times fl(1/L):
 *   ((1 + u)^2 E_L + ((1 + u)^2 - 1) sum_i |t_i|) / L.
 * - Score of layer t (d fma, then times tau rounded to float32): with Q_c = |q_c| + e_q_c,
 *   |s~_i - tau r_i| <= eps_i := tau (1 + gamma_{d+2}) sum_c Xd_ic Q_c - tau sum_c X_ic |q_c|.
 * - Max-shifted exp: the GPU forms w~_i = exp(fl(s~_i - m~)). The common factor exp(-m~)
 *   cancels in the normalisation, so relative to the exact weights exp(tau r_i) each w~_i
 *   carries a log-perturbation |phi_i| <= eps_i + u a_i + eta_i / (1 - eta_i), with a_i =
 *   (max_j tau r_j - tau r_i) + 2 max_j eps_j the largest argument, u a_i the rounding of the
 *   subtraction and eta_i = 2 u (3 + 2 a_i) exp's relative error: the WGSL accuracy of f32 exp,
 *   3 + 2 |x| ulp, which we assume llvmpipe meets (an ulp is at most 2 u relative). Where
 *   a_i > 87 the weight may flush to 0 (below 2^-126): then only w~_i <= w_i e^{|phi_i|} holds.
 * - Normalised weights: with S+ = sum_j p_j e^{|phi_j|} and S- = sum_j p_j e^{-|phi_j|} (the
 *   flushable j left out of S-), P~_i = w~_i / sum_j w~_j satisfies
 *   e^{-|phi_i|} / S+ <= P~_i / p_i <= e^{|phi_i|} / S- (lower bound 0 if flushable), so
 *   |P~_i - p_i| <= kappa_i p_i with kappa_i the larger deviation from 1.
 * - Attention A_t[c] = (sum_i w~_i x~_ic) / z~: L fma in the numerator (gamma_L of sum_i w~_i
 *   |x~_ic|), L - 1 positive additions in z~ (gamma_{L-1}) and the division (u_div = 5 u, below),
 *   together gamma_{2L+5}: e_A_c = sum_i p_i (kappa_i Xd_ic + delta) + gamma_{2L+5} sum_i p_i (1 +
 *   kappa_i) Xd_ic; or, where smaller, the running errors of the two token loops in units of
 *   Omega = sum_i exp(tau r_i - m~) (w~_i / Omega = p_i e^{phi_i}): E_a of the numerator (terms
 *   p_i x_ic entering with p_i (f_i Xd_ic + delta), f_i = e^{|phi_i|} - 1, or 1 if flushable) and
 *   E_z of z~ (terms p_i entering with p_i f_i), |A~ - A| <= (1 + u_div) (E_a + |A| E_z) /
 *   (1 - E_z) + u_div |A|, u_div = 5 u: WGSL's f32 division is accurate to 2.5 ulp (not
 *   correctly rounded). The centred value v = A - x_bar adds e_xbar and one subtraction:
 *   e_v = (e_A + e_xbar) (1 + u) + u |v|.
 * - Update q' = (q + alpha x_q) + (beta / tau) v: with alpha and beta rounded on upload
 *   (|.| (1 + u) + F), beta / tau two roundings more, a product each and two additions,
 *   e_q' = (1 + gamma_2) (Q + A_alpha + W_v) - (|q| + |alpha| |x_q| + |w| |v|), A_alpha =
 *   (|alpha| (1 + u) + F) |x_q|d (1 + u), W_v = (|beta| (1 + u) + F) / (tau (1 - u)) (1 + u)
 *   (1 + u_div) (|v| + e_v), the division beta / tau to u_div.
 * - Readout (d fma): |e_pred| <= (1 + gamma_d) sum_c Q_c (|mu_c| + e_mu_c) - sum_c |q_c| |mu_c|.
 *
 * Controls, each injected into the WGSL through the pipeline cache of the real backend: the
 * score of layer t with layer t + 1's tau, the exp without the max shift (scores above 88
 * overflow float32) and a sum of exp not carried from one token span to the next all fail the
 * parity; and a relative change of 1e-2 in one tau of the
 * float64 reference leaves the tolerance (the bound is not vacuous where it is checked).
 *
 * @module
 */

import assert from "node:assert/strict";
import { CpuBackend } from "../src/backends/cpu/cpu_backend.ts";
import { SOFTMAX_SPAN } from "../src/backends/webgpu/softmax_kernels.ts";
import type { SampleOptions } from "../src/model/model_types.ts";
import { type SoftmaxParameters, softmaxTokenPredict } from "../src/model/softmax_models.ts";
import { samplePromptBatch } from "../src/model/task.ts";
import { fc, fcParameters } from "../testkit/config.ts";
import {
  integerShapes,
  largestExcursion,
  openParityChecks,
  softmaxParityCases,
  tokenSampleOptions,
  withKernelMutation,
} from "../testkit/parity_kit.ts";
import { softmaxPredictionTolerance } from "../testkit/softmax_float32_bounds.ts";

const { backend, gpuTest, within: assertWithin, reportWorst } = await openParityChecks(
  "webgpu softmax parity",
);

/** The tolerance vector of a sample. */
function softmaxTolerance(options: SampleOptions, params: SoftmaxParameters): Float64Array {
  return softmaxPredictionTolerance(samplePromptBatch(options), params);
}

/** Token-level parity of one case (throws when outside the tolerance). */
async function checkSoftmax(options: SampleOptions, params: SoftmaxParameters): Promise<void> {
  const gpu = await backend!.softmaxForward(options, params);
  const ref = softmaxTokenPredict(samplePromptBatch(options), params);
  assertWithin("softmaxForward", gpu, ref, softmaxTolerance(options, params));
}

const tied = { alphas: [0.3, 0.3], betas: [-0.3, -0.3], taus: [1, 1] };

Deno.test("softmax forward: the CPU backend in prompt chunks equals softmaxTokenPredict", async () => {
  const options = tokenSampleOptions(7, 30, 4, 2);
  const cpu = new CpuBackend({ cpuChunkElements: 250 }); // 2 prompts per chunk
  const ref = softmaxTokenPredict(samplePromptBatch(options), { ...tied, centred: true });
  assert.deepEqual(await cpu.softmaxForward(options, { ...tied, centred: true }), ref);
  await assert.rejects(() => cpu.softmaxForward(options, { ...tied, taus: [1, 0] }), /taus/);
});

gpuTest("webgpu softmax parity: forward matches softmaxTokenPredict", async () => {
  // (N, L, d, T): mostly small, sometimes long contexts
  const shapes = integerShapes(
    { weight: 8, ranges: [[1, 12], [1, 300], [2, 16], [1, 6]] },
    { weight: 1, ranges: [[1, 2], [1024, 20000], [2, 8], [1, 2]] },
  );
  await fc.assert(
    fc.asyncProperty(softmaxParityCases(shapes, true), async ([options, params]) => {
      await checkSoftmax(options, params);
    }),
    fcParameters(30),
  );
});

gpuTest("webgpu softmax parity: contexts over a span, large scores, many layers", async () => {
  // L = 2.5 spans: the token loops run over three dispatches (llvmpipe's loop cap)
  await checkSoftmax(tokenSampleOptions(2, 2.5 * SOFTMAX_SPAN, 3, 3), {
    alphas: [0.3, 0.2],
    betas: [-0.3, 0.2],
    taus: [2, 0.5],
    centred: true,
  });
  const options = tokenSampleOptions(3, 96, 6, 11);
  await checkSoftmax(options, { alphas: [1, 0.2], betas: [0, -0.3], taus: [40, 40] });
  await checkSoftmax(options, {
    alphas: new Array(24).fill(0.05),
    betas: new Array(24).fill(-0.05),
    taus: new Array(24).fill(0.7),
    centred: true,
  });
});

gpuTest(
  "webgpu softmax parity: controls (tau of layer t + 1; no max shift; z not carried)",
  async () => {
    const options = tokenSampleOptions(4, 64, 4, 5);
    const params = { alphas: [0.45, 0.3, 0.2], betas: [0.2, -0.25, -0.1], taus: [0.5, 3, 1] };
    await checkSoftmax(options, params);
    await withKernelMutation(
      backend!,
      "softmax",
      "fn layer_tau(t: u32) -> f32 { return layers[t].z; }",
      "fn layer_tau(t: u32) -> f32 { return layers[min(t + 1u, arrayLength(&layers) - 1u)].z; }",
      () => assert.rejects(() => checkSoftmax(options, params), /\|err\|/),
    );
    const hot = { alphas: [1, 0.2], betas: [0, -0.3], taus: [40, 40] };
    await checkSoftmax(options, hot);
    await withKernelMutation(
      backend!,
      "softmax",
      "fn shifted_exp(s: f32, m: f32) -> f32 { return exp(s - m); }",
      "fn shifted_exp(s: f32, m: f32) -> f32 { return exp(s); }",
      () => assert.rejects(() => checkSoftmax(options, hot), /\|err\|/),
    );
    // a span that forgets the previous spans' sum of exp
    const long = tokenSampleOptions(1, 1.5 * SOFTMAX_SPAN, 3, 4);
    await withKernelMutation(
      backend!,
      "softmax",
      "if (span_begin() > 0u) { z = state[n * S + 4u * D]; }",
      "",
      () => assert.rejects(() => checkSoftmax(long, params), /\|err\|/),
    );
    // Not vacuous: the float64 reference with tau_2 changed by a relative 1e-2 leaves the bound.
    const batch = samplePromptBatch(options);
    const ref = softmaxTokenPredict(batch, params);
    const moved = softmaxTokenPredict(batch, { ...params, taus: [0.5, 3.03, 1] });
    const tol = softmaxTolerance(options, params);
    const excursion = largestExcursion(moved, ref, tol);
    console.log(`tau_2 off by 1e-2: ${excursion.toFixed(1)} tolerances`);
    assert.ok(excursion > 1, `excursion ${excursion}`);
  },
);

reportWorst("webgpu softmax parity: report of the largest error / tolerance ratio");
