import assert from "node:assert/strict";
import { main } from "./main.ts";
import type { CliIo } from "./io.ts";

const MOD = new URL("../../mod.ts", import.meta.url).pathname;

function capture(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), progress: () => {} };
}

async function runProcess(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MOD, ...args],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

/** Each case: argv and a fragment the one-line message must contain (naming parameter and value). */
const BAD_INPUTS: [string[], string][] = [
  [["population", "--depth", "0"], "depth must be a positive integer, got 0"],
  [["population", "--depth", "2.5"], "depth must be a positive integer, got 2.5"],
  [["population", "--depth", "-3"], "depth must be a positive integer, got -3"],
  [
    ["population", "--m-min", "4", "--m-max", "1"],
    "m_lo must be less than m_hi, got m_lo=4, m_hi=1",
  ],
  [
    ["population", "--m-min", "2", "--m-max", "2"],
    "m_lo must be less than m_hi, got m_lo=2, m_hi=2",
  ],
  [["population", "--m-min", "-1"], "m_lo must be a finite number >= 0, got -1"],
  [["population", "--sigma", "-0.5"], "sigma must be a finite number >= 0, got -0.5"],
  [["population", "--sigma", "NaN"], "sigma must be a finite number >= 0, got NaN"],
  [["population", "--m-max", "Infinity"], "m_hi must be a finite number >= 0, got Infinity"],
  [
    ["population", "--law", "gauss"],
    'law must be one of uniform, beta:A:B (A, B > 0) or point:S (S >= 0), got "gauss"',
  ],
  [["population", "--law", "beta:0:2"], 'got "beta:0:2"'],
  [["population", "--law", "point:-1"], 'got "point:-1"'],
  [["population", "--nodes", "0"], "nodes must be a positive integer, got 0"],
  [["population", "--depth", "ten"], 'depth must be a number, got "ten"'],
  [["population", "--bogus"], "Unknown option '--bogus'"],
  [
    ["train", "--model", "transformer"],
    'model must be one of lca1, lca2, lsa, deep-lsa, lca-full, lca-full-layerwise, got "transformer"',
  ],
  [["train"], "model is required"],
  [["train", "--model", "lca1", "--prompts", "0"], "prompts must be a positive integer, got 0"],
  [["train", "--model", "lca1", "--context", "1.5"], "context must be a positive integer, got 1.5"],
  [["train", "--model", "lca1", "--steps", "-1"], "steps must be a positive integer, got -1"],
  [["train", "--model", "lca1", "--lr", "0"], "lr must be a finite number > 0, got 0"],
  [
    ["train", "--model", "lca1", "--lr", "Infinity"],
    "lr must be a finite number > 0, got Infinity",
  ],
  [["train", "--model", "lca1", "--seed", "-2"], "seed must be a non-negative integer, got -2"],
  [["train", "--model", "lca1", "--d1", "0"], "d1 must be a positive integer, got 0"],
  [["train", "--model", "lca1", "--d2", "NaN"], "d2 must be a positive integer, got NaN"],
  [
    ["train", "--model", "lca1", "--target", "truth"],
    'target must be one of label, bayes, got "truth"',
  ],
  [["train", "--model", "lca1", "--backend", "tpu"], "backend must be one of"],
  [
    ["train", "--model", "lca1", "--alpha-init", "NaN"],
    "alphaInit must be a finite number, got NaN",
  ],
  [["frobnicate"], "command must be one of"],
];

Deno.test("every bad input gives one line on stderr naming the parameter and exit code 2", async (t) => {
  for (const [args, fragment] of BAD_INPUTS) {
    await t.step(args.join(" "), async () => {
      const io = capture();
      const code = await main(args, io);
      assert.equal(code, 2);
      assert.equal(io.err.length, 1, `stderr: ${io.err.join("\n")}`);
      assert.ok(!io.err[0].includes("\n"), "one line");
      assert.ok(io.err[0].startsWith("error: "), io.err[0]);
      assert.ok(
        io.err[0].includes(fragment),
        `expected ${JSON.stringify(fragment)} in ${io.err[0]}`,
      );
      assert.ok(!/\bat .*:\d+:\d+/.test(io.err[0]), "no stack trace");
      assert.equal(io.out.length, 0, "no output on stdout");
    });
  }
});

Deno.test("bad input through the real process: one stderr line, exit code 2, no stack trace", async (t) => {
  for (const [args, fragment] of BAD_INPUTS.filter((_, i) => i % 4 === 0)) {
    await t.step(args.join(" "), async () => {
      const r = await runProcess(args);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, "");
      const lines = r.stderr.trimEnd().split("\n");
      assert.equal(lines.length, 1, r.stderr);
      assert.ok(lines[0].includes(fragment), lines[0]);
    });
  }
});

Deno.test("population --json prints the documented keys and the reference values", async () => {
  const r = await runProcess([
    "population",
    "--m-min",
    "0.5",
    "--m-max",
    "4",
    "--law",
    "uniform",
    "--depth",
    "10",
    "--sigma",
    "0.1",
    "--json",
  ]);
  assert.equal(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout);
  for (
    const key of [
      "alphaStar",
      "rhoStar",
      "bayesRisk",
      "gammaStar",
      "lsaGap",
      "alphaT",
      "excessAtAlphaT",
      "excessAtAlphaStar",
      "twoParam",
    ]
  ) {
    assert.ok(key in json, key);
  }
  const sig4 = (x: number) => Number(x.toPrecision(4));
  assert.equal(sig4(json.alphaStar), 0.3077);
  assert.equal(sig4(json.lsaGap), 0.04851);
  assert.equal(sig4(json.alphaT), 0.3000);
  assert.equal(sig4(json.twoParam.alpha), 0.3007);
  assert.equal(sig4(json.twoParam.beta), -0.3006);
  assert.equal(json.alphaStar.toFixed(6), "0.307692");
});

Deno.test("every command has --help, exit code 0", async () => {
  for (const command of ["population", "train"]) {
    const io = capture();
    assert.equal(await main([command, "--help"], io), 0);
    assert.match(io.out.join("\n"), /^Usage: /);
  }
  const io = capture();
  assert.equal(await main(["--help"], io), 0);
  assert.match(io.out.join("\n"), /Commands:/);
});

Deno.test("train --json: --target bayes, --context inf, and no NaN anywhere", async () => {
  const io = capture();
  const code = await main([
    "train",
    "--model",
    "lca2",
    "--prompts",
    "200",
    "--context",
    "inf",
    "--target",
    "bayes",
    "--steps",
    "300",
    "--test-prompts",
    "200",
    "--json",
  ], io);
  assert.equal(code, 0, io.err.join("\n"));
  const text = io.out.join("\n");
  assert.ok(!text.includes("NaN") && !text.includes("null"), "no NaN/null in JSON");
  const json = JSON.parse(text);
  assert.equal(json.context, "inf"); // JSON has no Infinity
  assert.equal(json.target, "bayes");
  assert.equal(json.backend.name, "cpu");
  assert.equal(json.backend.adapter, "CPU (float64)");
  assert.ok(json.parameters.lca.alpha > 0);
});
