import { requestAdapter } from "../backends/webgpu/context.ts";
import assert from "node:assert/strict";
import { quietIo as capture, runCliProcess } from "../../testkit/cli_capture.ts";
import { main } from "../cli/main.ts";
import { parseSpikeLaw } from "../model/law.ts";
import { lcaExcess } from "../theory/lca_excess.ts";
import { lsaGap } from "../theory/gamma_star.ts";
import { optimalDepthStep } from "../theory/optimal_depth_step.ts";
import { twoParameterOptimum } from "../theory/two_parameter_optimum.ts";
import { train } from "../training/training.ts";
import { fitLca, sampleTrainingSet } from "../experiments/fit.ts";
import { escapeHtml } from "../rendering/page.ts";
import { readabilityProblems, svgWidthOf } from "../rendering/readability.ts";
import { QUICK_SIZES, resolveSizes } from "../experiments/figure_sizes.ts";
import {
  excessAgainst,
  formatZ,
  pairedExcessDifference,
  pairedRiskDifference,
  Z_TOLERANCE,
} from "../experiments/theory_comparisons.ts";

const STEMS = [
  "fig2_risk_vs_context",
  "fig3_risk_vs_depth",
  "fig4_ablation_and_baselines",
  "fig5_deep_lsa",
  "fig6_parameter_trajectories",
  "fig7_alpha_vs_depth",
  "fig8_excess_vs_depth",
  "fig9_untied_excess_vs_depth",
  "fig9b_untied_structure_vs_depth",
  "fig10_gradient_flow_plane",
  "fig11_depth_schedules",
];

interface Comparison {
  id: string;
  context: number | string;
  estimate: number;
  standardError: number;
  theory: number;
  z: number;
  holds: boolean;
  required: boolean;
}

/** Runs `figures --quick --json` in a subprocess into `out`: its report, after the basic checks. */
async function runQuick(out: string): Promise<{ sizes: { name: string } }> {
  const started = performance.now();
  const result = await runCliProcess(["figures", "--quick", "--out", out, "--json"]);
  const seconds = (performance.now() - started) / 1000;
  const stderr = result.stderr;
  assert.equal(result.code, 0, stderr);
  assert.ok(seconds < 120, `--quick took ${seconds.toFixed(1)} s, more than 2 minutes`);
  // The progress bar is drawn only on a terminal (src/cli/io.ts): none into a pipe.
  assert.doesNotMatch(stderr, /\r|L_te sweep/, "no progress bar when stderr is a pipe");
  const report = JSON.parse(result.stdout);
  assert.equal(report.backend.name, "cpu");
  assert.equal(report.backend.adapter, "CPU (float64)");
  return report;
}

/** Every figure's SVG, JSON and CSV file is there, shown in index.html, and reads well. */
async function checkFigureFiles(out: string): Promise<void> {
  const html = await Deno.readTextFile(`${out}/index.html`);
  for (const stem of STEMS) {
    const svg = await Deno.readTextFile(`${out}/${stem}.svg`);
    assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, stem);
    assert.ok(svg.includes("<path"), `${stem}.svg has drawn marks`);
    assert.ok(svg.trimEnd().endsWith("</svg>"), stem);
    const data = JSON.parse(await Deno.readTextFile(`${out}/${stem}.json`));
    assert.equal(data.id, stem);
    assert.ok(data.plotted.length > 0, `${stem}.json has plotted points`);
    assert.equal(data.settings.sizes.name, "quick");
    assert.match(data.caption, /quick size/);
    const csv = (await Deno.readTextFile(`${out}/${stem}.csv`)).trimEnd().split("\n");
    assert.equal(csv[0], "series,x,y,lower,upper");
    const panelPoints = (data.panels ?? []).reduce(
      (n: number, p: { plotted: unknown[] }) => n + p.plotted.length,
      0,
    );
    assert.equal(
      csv.length - 1,
      data.plotted.length + panelPoints,
      `${stem}.csv has one line per point, panels included`,
    );
    assert.ok(html.includes(`src="${stem}.svg"`), `index.html shows ${stem}.svg`);
    assert.ok(html.includes(`href="${stem}.json"`), `index.html links ${stem}.json`);
    assert.ok(html.includes(escapeHtml(data.caption)), `index.html has the caption of ${stem}`);
    const problems = await readabilityProblems({ ...data, svgWidth: svgWidthOf(svg) });
    assert.deepEqual(problems, [], `${stem} reads well`);
  }
  const summary = JSON.parse(await Deno.readTextFile(`${out}/summary.json`));
  assert.ok(summary.seconds.total > 0);
}

/** Acceptance 2: theory agreement, recomputed from the numbers recorded in Fig. 2's file. */
async function checkTheoryAgreement(out: string): Promise<void> {
  const fig2 = JSON.parse(await Deno.readTextFile(`${out}/fig2_risk_vs_context.json`));
  const comparisons: Comparison[] = fig2.comparisons;
  const law = parseSpikeLaw("uniform", 0.5, 4);
  const largest = QUICK_SIZES.contexts.at(-1)!;
  const byId = new Map(comparisons.map((c) => [c.id, c]));
  const check = (id: string, theory: number, context: number | string) => {
    const c = byId.get(id);
    assert.ok(c, `comparison ${id} recorded`);
    assert.equal(c.context, context, id);
    assert.ok(
      Math.abs(c.theory - theory) <= 1e-12 * Math.max(1, Math.abs(theory)),
      `${id}: theory`,
    );
    assert.ok(c.standardError > 0, `${id}: standard error`);
    const z = (c.estimate - theory) / c.standardError;
    assert.ok(
      Math.abs(z) <= Z_TOLERANCE,
      `${id}: |${c.estimate} - ${theory}| = ${Math.abs(z).toFixed(2)} SE > 3 SE`,
    );
    assert.ok(c.holds && c.required, id);
  };
  const alpha10 = optimalDepthStep(law, 10);
  // LSA's excess over Bayes at the largest L_te (and at L_te = inf) is the population gap.
  check("lsa-gap@largest", lsaGap(law), largest);
  check("lsa-gap@inf", lsaGap(law), "inf");
  // LCA (T = 10) at the largest L_te is in-context OLS (paired risk difference 0).
  check("lca1-vs-ols@largest", 0, largest);
  check("lca2-vs-ols@largest", 0, largest);
  // At L_te = inf OLS = Bayes and LCA's excess is E_T.
  check("lca1-excess@inf", lcaExcess(law, { alpha: alpha10, beta: -alpha10, depth: 10 }), "inf");
  check("lca2-excess@inf", twoParameterOptimum(law, 10).excess, "inf");
  for (const c of comparisons.filter((c) => c.required)) assert.ok(c.holds, c.id);
  // The plotted points of Fig. 2 at the largest L_te are the recorded rows of run 0.
  const lsaRow = fig2.rows.find((r: { series: string; x: number }) =>
    r.series === "lsa-pop" && r.x === largest
  );
  assert.ok(lsaRow && Math.abs(lsaRow.excess - byId.get("lsa-gap@largest")!.estimate) < 1e-15);
}

Deno.test("figures --quick (the CLI, in a subprocess) writes every SVG, data file and index.html, and the plotted numbers agree with theory", async () => {
  const out = await Deno.makeTempDir({ prefix: "icl-figures-quick-" });
  try {
    const report = await runQuick(out);
    assert.equal(report.sizes.name, "quick");
    await checkFigureFiles(out);
    await checkTheoryAgreement(out);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("figures fits the models exactly as train does (same prompts, objective, init, optimiser)", () => {
  const set = sampleTrainingSet({ prompts: 300, context: 40, seed: 3, target: "label" });
  for (const model of ["lca1", "lca2"] as const) {
    const fitted = fitLca(set, { depth: 4, twoParameter: model === "lca2" }).parameters;
    const trained = train({ model, prompts: 300, context: 40, depth: 4, seed: 3, testPrompts: 10 });
    assert.ok(trained.parameters.model === model);
    const p = (trained.parameters as { lca: { alpha: number; beta: number } }).lca;
    assert.ok(Math.abs(fitted.alpha - p.alpha) <= 1e-12 * Math.abs(p.alpha), `${model} alpha`);
    assert.ok(Math.abs(fitted.beta - p.beta) <= 1e-12 * Math.abs(p.beta), `${model} beta`);
  }
});

Deno.test("theory comparisons: z, standard errors of paired differences, 3-SE rule", () => {
  const a = [1, 2, 3, 4];
  const same = pairedRiskDifference({ id: "x", description: "", context: 1 }, a, a, [0, 0, 0, 0]);
  assert.equal(same.estimate, 0);
  assert.equal(same.z, 0);
  assert.ok(same.holds);
  // (y_hat - bayes)^2 = [1, 4, 9, 16]: mean 7.5, sd sqrt(195/3 - ...) by hand.
  const e = excessAgainst({ id: "e", description: "", context: 1 }, a, [0, 0, 0, 0], 7.5);
  assert.equal(e.estimate, 7.5);
  const sd = Math.sqrt(((1 - 7.5) ** 2 + (4 - 7.5) ** 2 + (9 - 7.5) ** 2 + (16 - 7.5) ** 2) / 3);
  assert.ok(Math.abs(e.standardError - sd / 2) < 1e-12);
  const far = excessAgainst(
    { id: "f", description: "", context: 1 },
    a,
    [0, 0, 0, 0],
    7.5 + 3.01 * sd / 2,
  );
  assert.ok(!far.holds);
  const d = pairedExcessDifference({ id: "d", description: "", context: 1, required: false }, a, [
    0,
    0,
    0,
    0,
  ], a);
  assert.equal(d.estimate, -7.5);
  assert.equal(d.required, false);
});

Deno.test("formatZ: a shown z is never on the other side of the 3-SE threshold", () => {
  // Two decimals would show 3.0027 as "3.00" beside "holds: no".
  assert.equal((3.0027).toFixed(2), "3.00");
  assert.equal(formatZ(3.0027), "3.003");
  assert.equal(formatZ(-3.0027), "-3.003");
  assert.equal(formatZ(3.0000000001), "3.0000000001");
  assert.equal(formatZ(2.9999), "3.00"); // holds, and 3.00 <= 3 holds too
  assert.equal(formatZ(1.234), "1.23");
  for (const z of [2.995, 2.9951, 3.0049, 3.005, -3.0001, 3, 0, -6.07]) {
    const holds = Math.abs(z) <= Z_TOLERANCE;
    assert.equal(Math.abs(Number(formatZ(z))) <= Z_TOLERANCE, holds, `z = ${z}: ${formatZ(z)}`);
  }
});

Deno.test("figures: bad input is one line naming the parameter, exit code 2", async () => {
  const cases: [string[], RegExp][] = [
    [
      ["figures", "--backend", "tpu"],
      /^error: --backend must be one of cpu, webgpu, auto, got "tpu"/,
    ],
    [["figures", "--seed", "-1"], /^error: --seed must be a non-negative integer, got -1/],
    [
      ["figures", "--sampler", "wishart"],
      /^error: --sampler must be one of auto, exact, tokens, got "wishart"/,
    ],
    [["figures", "--seed", "x"], /^error: --seed must be a non-negative integer, got "x"/],
    [["figures", "--sigma", "-1"], /^error: --sigma .*-1/],
    [["figures", "--bogus"], /^error: .*bogus/],
    [["figures", "extra"], /^error: figures takes no positional arguments, got "extra"/],
  ];
  for (const [args, pattern] of cases) {
    const io = capture();
    assert.equal(await main(args, io), 2, args.join(" "));
    assert.equal(io.err.length, 1, args.join(" "));
    assert.match(io.err[0], pattern);
  }
  const help = capture();
  assert.equal(await main(["figures", "--help"], help), 0);
  assert.match(help.out[0], /--quick/);
});

Deno.test("figure sizes: validation names the field and value", () => {
  assert.throws(
    () => resolveSizes({ contexts: [64, 32] }),
    /contexts must be strictly increasing, got 64, 32/,
  );
  assert.throws(() => resolveSizes({ contexts: [1, 32] }), /contexts\[0\] must be >= 2, got 1/);
  assert.throws(() => resolveSizes({ runs: 0 }), RangeError);
  assert.throws(() => resolveSizes({ depths: [] }), TypeError);
  assert.deepEqual(resolveSizes({}, QUICK_SIZES).contexts, QUICK_SIZES.contexts);
});

const adapter = await requestAdapter();
Deno.test({
  name:
    "figures --backend webgpu samples the prompts in WebGPU kernels and still agrees with theory",
  ignore: adapter === null && Deno.env.get("ICL_REQUIRE_WEBGPU") !== "1",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    assert.ok(adapter, "no WebGPU adapter, but ICL_REQUIRE_WEBGPU=1 requires one");
    const out = await Deno.makeTempDir({ prefix: "figures-gpu-" });
    try {
      const io = capture();
      const code = await main(
        ["figures", "--quick", "--out", out, "--backend", "webgpu", "--json"],
        io,
      );
      assert.equal(code, 0, io.err.join("\n"));
      const report = JSON.parse(io.out.join("\n"));
      assert.equal(report.backend.name, "webgpu");
      assert.equal(report.backend.precision, "float32");
      for (const c of report.comparisons.filter((c: { required: boolean }) => c.required)) {
        assert.ok(c.holds, `${c.id}: z = ${c.z}`);
      }
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  },
});
