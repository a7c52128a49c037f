/** `train`'s flags: which a model takes, the stability ranges, the warnings, the options. */
import assert from "node:assert/strict";
import { parseFlags, UsageError } from "./options.ts";
import { resolveTrainFlags, TRAIN_FLAGS } from "./train_flags.ts";

const resolve = (...args: string[]) => resolveTrainFlags(parseFlags("train", args, TRAIN_FLAGS));

Deno.test("resolveTrainFlags: every flag reaches the training options, defaults filled in", () => {
  const { options, warnings, dim } = resolve("--model", "lca2", "--lr", "0.01", "--seed", "3");
  assert.equal(dim, 4);
  assert.deepEqual(warnings, {
    illPosedTestContext: false,
    illPosedTrainContext: false,
    messages: [],
  });
  assert.equal(options.model, "lca2");
  assert.equal(options.learningRate, 0.01);
  assert.equal(options.seed, 3);
  assert.equal(options.testContext, 100, "the test context defaults to the training context");
  assert.equal(options.depth, 10);
  assert.equal(resolve("--model", "lsa").options.depth, 1, "lsa is one layer");
  assert.equal(resolve("--model", "lca1").options.learningRate, "auto");
});

Deno.test("resolveTrainFlags: flags a model does not take, and the stability ranges, name the flag", () => {
  const cases: [string[], RegExp][] = [
    [[], /--model is required/],
    [["--model", "lsa", "--depth", "2"], /--depth does not apply to --model lsa/],
    [["--model", "lca1", "--beta-init", "-0.1"], /--beta-init does not apply to --model lca1/],
    [["--model", "lca1", "--alpha-init", "0.4"], /--alpha-init must be in the stability range/],
    [["--model", "deep-lsa", "--beta-init", "-0.4"], /--beta-init must be in the stability range/],
    [["--model", "lsa", "--prompts", "15"], /--prompts must be at least d\^2 = 16/],
  ];
  for (const [args, message] of cases) {
    assert.throws(
      () => resolve(...args),
      (e: Error) => e instanceof UsageError && message.test(e.message),
    );
  }
  // Controls: the same flags inside their ranges, or for a model that takes them.
  assert.equal(resolve("--model", "lca1", "--alpha-init", "0.39").options.alphaInit, 0.39);
  assert.equal(resolve("--model", "lca2", "--beta-init", "-0.39").options.betaInit, -0.39);
  assert.equal(resolve("--model", "lca-full", "--alpha-init", "5").options.alphaInit, 5);
  assert.equal(resolve("--model", "lsa", "--prompts", "16").options.prompts, 16);
});

Deno.test("resolveTrainFlags: an ill-posed context (L <= d + 1) is a warning, not an error", () => {
  const { warnings } = resolve("--model", "lca1", "--context", "5", "--test-context", "inf");
  assert.equal(warnings.illPosedTrainContext, true);
  assert.equal(warnings.illPosedTestContext, false);
  assert.match(warnings.messages.join("\n"), /training context L_tr = 5 <= d \+ 1 = 5/);
});

Deno.test("resolveTrainFlags: the schedules' per-layer lists, one number per layer, name the flag", () => {
  const cases: [string[], RegExp][] = [
    [
      ["--model", "lca-schedule", "--alpha-init", "0.3"],
      /--alpha-init does not apply to --model lca-schedule \(a step per layer/,
    ],
    [
      ["--model", "lca2-schedule", "--beta-init", "-0.3"],
      /--beta-init does not apply to --model lca2-schedule/,
    ],
    [
      ["--model", "lca-schedule", "--betas-init", "-0.3"],
      /--betas-init does not apply to --model lca-schedule/,
    ],
    [
      ["--model", "lca2", "--alphas-init", "0.3"],
      /--alphas-init does not apply to --model lca2 \(per-layer/,
    ],
    [["--model", "lsa", "--betas-init", "0.3"], /--betas-init does not apply to --model lsa/],
    [
      ["--model", "lca-schedule", "--depth", "3", "--alphas-init", "0.5,0.3"],
      /^--alphas-init must be a comma-separated list of 3 finite numbers \(one per layer, --depth 3\), got "0.5,0.3"$/,
    ],
    [
      ["--model", "lca2-schedule", "--depth", "2", "--betas-init", "-0.5,x"],
      /--betas-init must be a comma-separated list of 2/,
    ],
    [
      ["--model", "lca-schedule", "--depth", "2", "--alphas-init", "0.5,1e999"],
      /--alphas-init must be/,
    ],
  ];
  for (const [args, message] of cases) {
    assert.throws(
      () => resolve(...args),
      (e: Error) => e instanceof UsageError && message.test(e.message),
      args.join(" "),
    );
  }
  // Controls: lists of the right length for the models that take them.
  const two = resolve("--model", "lca2-schedule", "--depth", "2", "--alphas-init", "0.5, .25");
  assert.deepEqual(two.options.alphasInit, [0.5, 0.25]);
  assert.equal(two.options.betasInit, undefined);
  const both = resolve("--model", "lca2-schedule", "--depth", "2", "--betas-init", "-1e-1,-0.2");
  assert.deepEqual(both.options.betasInit, [-0.1, -0.2]);
  assert.equal(resolve("--model", "lca-schedule").options.alphasInit, undefined);
});

Deno.test("resolveTrainFlags: the schedules' training work counts two d x d products per layer", () => {
  // 2000 steps x 2000 prompts x d 4 x depth 10 x (2 d = 8) = 1.28e9 is inside the limit;
  // d = 64 at depth 10 is 64 times more per layer and over it.
  assert.equal(resolve("--model", "lca-schedule").options.model, "lca-schedule");
  assert.throws(
    () => resolve("--model", "lca-schedule", "--d1", "32", "--d2", "32"),
    (e: Error) => e instanceof UsageError && /--steps/.test(e.message),
  );
  // Control: the tied model at the same size passes.
  assert.equal(resolve("--model", "lca1", "--d1", "32", "--d2", "32").dim, 64);
});

Deno.test("resolveTrainFlags: the softmax models' temperatures and finite context, naming the flag", () => {
  const cases: [string[], RegExp][] = [
    [
      ["--model", "sca", "--context", "inf"],
      /^--context must be a finite context length for --model sca: softmax attention runs on the context tokens/,
    ],
    [
      ["--model", "sca-centred", "--test-context", "inf"],
      /^--test-context must be a finite context length for --model sca-centred/,
    ],
    [["--model", "sca", "--tau-init", "0"], /--tau-init/],
    [["--model", "lca2", "--tau-init", "1"], /--tau-init does not apply to --model lca2/],
    [["--model", "sca", "--taus-init", "1"], /--taus-init does not apply to --model sca/],
    [
      ["--model", "sca-layerwise", "--tau-init", "1"],
      /--tau-init does not apply to --model sca-layerwise/,
    ],
    [
      ["--model", "sca-layerwise", "--depth", "2", "--taus-init", "1,-1"],
      /^--taus-init must hold 2 softmax temperatures > 0, got "1,-1"$/,
    ],
    [["--model", "sca", "--steps", "6000"], /--steps/], // T L d per prompt and step
  ];
  for (const [args, message] of cases) {
    assert.throws(
      () => resolve(...args),
      (e: Error) => e instanceof UsageError && message.test(e.message),
      args.join(" "),
    );
  }
  const sca = resolve(
    "--model",
    "sca",
    "--tau-init",
    "0.7",
    "--alpha-init",
    "0.1",
    "--beta-init",
    "-0.1",
  );
  assert.deepEqual([sca.options.tauInit, sca.options.alphaInit, sca.options.betaInit], [
    0.7,
    0.1,
    -0.1,
  ]);
  const layerwise = resolve("--model", "sca-layerwise", "--depth", "2", "--taus-init", "0.5,1");
  assert.deepEqual(layerwise.options.tausInit, [0.5, 1]);
});

Deno.test("resolveTrainFlags: --sampler maps to the library's sampler (exact is wishart), default auto", () => {
  assert.equal(resolve("--model", "lca2").options.sampler, "auto");
  assert.equal(resolve("--model", "lca2", "--sampler", "exact").options.sampler, "wishart");
  assert.equal(resolve("--model", "lca2", "--sampler", "tokens").options.sampler, "tokens");
  assert.equal(resolve("--model", "sca", "--sampler", "tokens").options.sampler, "tokens");
  // The softmax models attend over the tokens: the exact sampler is refused, naming --sampler.
  assert.throws(
    () => resolve("--model", "sca", "--sampler", "exact"),
    (e: Error) =>
      e instanceof UsageError &&
      /^--sampler must be tokens or auto for --model sca/.test(e.message),
  );
  // Control: a value outside the choices is refused, naming the flag.
  assert.throws(
    () => resolve("--model", "lca2", "--sampler", "wishart"),
    (e: Error) => e instanceof UsageError && /--sampler/.test(e.message),
  );
});
