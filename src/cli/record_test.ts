/**
 * The versioned records: every command's `--json` validates against its schema in
 * `schemas/`, carries the header, and its replay reproduces the numbers bit for bit;
 * `toJson` writes "inf", plain arrays, and never a NaN.
 */
import assert from "node:assert/strict";
import { captureIo } from "../../testkit/cli_capture.ts";
import { Ajv } from "npm:ajv@^8";
import { main } from "./main.ts";
import { replayArgs } from "./options.ts";
import { toJson, TOOL_VERSION } from "./record.ts";

const SCHEMA_DIR = new URL("../../schemas/", import.meta.url);
const NAMES = ["population", "train", "verify", "figures", "sweep"] as const;

async function validators() {
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
  const out: Record<string, ReturnType<typeof ajv.compile>> = {};
  for (const name of NAMES) {
    const schema = JSON.parse(await Deno.readTextFile(new URL(`${name}.schema.json`, SCHEMA_DIR)));
    out[name] = ajv.compile(schema);
  }
  return out;
}
const VALIDATE = await validators();

const capture = () => captureIo();

async function run(args: string[]): Promise<{ json: Record<string, unknown>; text: string }> {
  const io = capture();
  const code = await main(args, io);
  assert.equal(code, 0, `${args.join(" ")}: ${io.err.join("\n")}`);
  const text = io.out.join("\n");
  assert.ok(!/NaN|Infinity/.test(text), "no NaN or Infinity in the output");
  return { json: JSON.parse(text), text };
}

function assertValid(name: (typeof NAMES)[number], json: unknown): void {
  const validate = VALIDATE[name];
  assert.ok(validate(json), `${name}: ${JSON.stringify(validate.errors, null, 1)}`);
}

/** Drops wall-clock timings, which a replay cannot reproduce. */
function withoutTimings(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v) => {
    if (key === "seconds" || key === "msPerStep" || key === "elapsedMs") return undefined;
    return v;
  }));
}

/** Runs the record's replay command and checks the numbers are the same, bit for bit. */
async function assertReplays(json: Record<string, unknown>): Promise<void> {
  const args = replayArgs(json.replay as string);
  const again = await run(args);
  assert.deepEqual(withoutTimings(again.json), withoutTimings(json));
}

Deno.test("population --json: schema, header, full config, and the replay reproduces it bit for bit", async () => {
  const { json } = await run([
    "population",
    "--law",
    "beta:2:5",
    "--m-max",
    "3.5",
    "--depth",
    "7",
    "--json",
  ]);
  assertValid("population", json);
  assert.equal(json.schema, "icl-verify/population/1");
  assert.deepEqual(json.tool, { name: "icl-verify", version: TOOL_VERSION });
  assert.deepEqual(json.config, {
    depth: 7,
    nodes: 270,
    "m-min": 0.5,
    "m-max": 3.5,
    law: "beta:2:5",
    sigma: 0.1,
  });
  await assertReplays(json);
});

Deno.test("train --json for every model: schema, resolved config, stop reason, replay bit for bit", async () => {
  for (
    const extra of [
      ["--model", "lca1", "--seed", "3", "--test-context", "40"],
      ["--model", "lca2", "--law", "point:2", "--context", "inf", "--target", "bayes"],
      ["--model", "deep-lsa", "--depth", "4", "--lr", "0.001", "--steps", "30"],
      ["--model", "lsa", "--d1", "1", "--d2", "2", "--steps", "40"],
      ["--model", "lca-schedule", "--depth", "3", "--context", "inf", "--target", "bayes"],
      ["--model", "lca2-schedule", "--depth", "2", "--steps", "30", "--context", "40"],
    ]
  ) {
    const args = ["train", ...extra, "--prompts", "300", "--test-prompts", "120", "--json"];
    const { json } = await run(args);
    assertValid("train", json);
    const config = json.config as Record<string, unknown>;
    for (
      const key of ["prompts", "context", "steps", "lr", "target", "seed", "law", "sigma", "d1"]
    ) {
      assert.ok(key in config, `${extra[1]}: config has ${key}`);
    }
    if (extra[1] === "lca2") {
      // the data-dependent default alpha_0 = alpha*(beta_0) is written out as a number
      assert.equal(typeof config["alpha-init"], "number");
      assert.equal(config["beta-init"], -1 / 3);
      assert.equal(config.context, "inf");
    }
    if (extra[1].endsWith("-schedule")) {
      // the default start (the Chebyshev schedule) is written out, one number per layer
      const depth = Number(extra[3]);
      assert.equal(String(config["alphas-init"]).split(",").length, depth);
      assert.equal("betas-init" in config, extra[1] === "lca2-schedule");
      const parameters = json.parameters as { schedule: { alphas: number[] } };
      assert.equal(parameters.schedule.alphas.length, depth);
      assert.ok("populationExcess" in json);
      // Control: a schedule record without its per-layer weights is refused.
      assert.equal(VALIDATE.train({ ...json, parameters: { model: extra[1] } }), false);
    }
    const stop = json.stop as { reason: string };
    assert.equal(json.converged, stop.reason === "converged");
    await assertReplays(json);
  }
});

Deno.test("train --json for the softmax models: tiny runs, schema, initial values, replay bit for bit", async () => {
  for (const model of ["sca", "sca-centred", "sca-layerwise"]) {
    const args = ["train", "--model", model, "--depth", "2", "--prompts", "40", "--context", "12"];
    const extra = model === "sca-centred" ? ["--target", "bayes"] : [];
    const { json } = await run([
      ...args,
      ...extra,
      "--test-prompts",
      "10",
      "--steps",
      "25",
      "--json",
    ]);
    assertValid("train", json);
    const config = json.config as Record<string, unknown>;
    const parameters = json.parameters as { softmax: { taus: number[]; centred: boolean } };
    assert.equal(parameters.softmax.taus.length, 2);
    assert.equal(parameters.softmax.centred, model === "sca-centred");
    if (model === "sca-layerwise") {
      assert.equal(String(config["taus-init"]).split(",").length, 2);
      assert.equal("tau-init" in config, false);
    } else {
      assert.equal(config["tau-init"], 0.5); // 1/sqrt(d), d = 4
      assert.equal(typeof config["beta-init"], "number"); // the tied lca2 optimum, written out
    }
    // Control: a softmax record without its weights is refused.
    assert.equal(VALIDATE.train({ ...json, parameters: { model } }), false);
    await assertReplays(json);
  }
});

Deno.test("verify --json: numeric part fields (null when absent), schema, replay bit for bit", async () => {
  const { json } = await run(["verify", "--claims", "C7,c7", "--json"]);
  assertValid("verify", json);
  const claims = json.claims as { id: string; parts: Record<string, unknown>[] }[];
  assert.deepEqual(claims.map((c) => c.id), ["C7"], "repeated ids run once");
  for (const part of claims[0].parts) {
    for (const key of ["measuredValue", "targetValue", "marginValue", "sense"]) {
      assert.ok(key in part, key);
      assert.ok(part[key] === null || typeof part[key] === (key === "sense" ? "string" : "number"));
    }
  }
  assert.equal((json.config as { claims: string }).claims, "C7");
  await assertReplays(json);
});

Deno.test("figures: --json and summary.json validate against the schema; the replay reproduces the numbers", async () => {
  const out = await Deno.makeTempDir({ prefix: "icl-records-figures-" });
  const sizes = JSON.stringify({
    prompts: 200,
    testPrompts: 100,
    runs: 1,
    contexts: [16, 64],
    depths: [1, 2],
    alphaDepths: [1, 2],
    excessMaxDepth: 4,
    trajectorySteps: 40,
  });
  try {
    const { json } = await run(["figures", "--quick", "--sizes", sizes, "--out", out, "--json"]);
    assertValid("figures", json);
    const summary = JSON.parse(await Deno.readTextFile(`${out}/summary.json`));
    assertValid("figures", summary);
    assert.equal(summary.replay, json.replay);
    const first = JSON.stringify(withoutTimings(json.comparisons));
    await assertReplays(json);
    const again = JSON.parse(await Deno.readTextFile(`${out}/summary.json`));
    assert.equal(JSON.stringify(withoutTimings(again.comparisons)), first);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("sweep untied --json: schema, resolved config, null for undefined B, replay bit for bit", async () => {
  const tiny = ["--prompts", "40", "--test-prompts", "20", "--steps", "5", "--depths", "1,2"];
  for (
    const extra of [
      ["--dim1", "1", "--dim2", "1"],
      ["--layerwise", "--from-shared", "--tied-start", "--context", "20", "--target", "label"],
    ]
  ) {
    const { json } = await run(["sweep", "untied", ...tiny, ...extra, "--json"]);
    assertValid("sweep", json);
    assert.equal(json.schema, "icl-verify/sweep/1");
    assert.equal((json.config as { depths: string }).depths, "1,2");
    await assertReplays(json);
  }
});

Deno.test("schemas reject what they must (controls): a missing replay, a number as text, NaN as text, an empty schedule", async () => {
  const { json } = await run(["population", "--json"]);
  assertValid("population", json);
  const schedule = json.schedule as Record<string, unknown>;
  assert.equal(VALIDATE.population({ ...json, schedule: { ...schedule, alphas: [] } }), false);
  const noReplay = { ...json };
  delete noReplay.replay;
  assert.equal(VALIDATE.population(noReplay), false);
  assert.equal(VALIDATE.population({ ...json, alphaT: "0.3" }), false);
  assert.equal(VALIDATE.population({ ...json, lsaGap: "NaN" }), false);
  assert.equal(
    VALIDATE.population({ ...json, config: { ...(json.config as object), extra: 1 } }),
    false,
  );
});

Deno.test("--version prints the version of deno.json", async () => {
  const io = capture();
  assert.equal(await main(["--version"], io), 0);
  assert.equal(io.out[0], `icl-verify ${TOOL_VERSION}`);
  const config = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  assert.equal(TOOL_VERSION, config.version);
});

Deno.test('toJson: Infinity as "inf", typed arrays as arrays, a NaN is an internal error', () => {
  assert.equal(
    toJson({
      context: Infinity,
      low: -Infinity,
      a: new Float64Array([1, 0.5]),
      b: new Int8Array([-2]),
    }),
    JSON.stringify({ context: "inf", low: "-inf", a: [1, 0.5], b: [-2] }, null, 2),
  );
  assert.throws(() => toJson({ alpha: NaN }), /internal error: alpha is NaN/);
});
