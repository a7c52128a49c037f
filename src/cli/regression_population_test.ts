/** The regression family in the CLI: `population --family regression` and `train --model lsa`. */
import assert from "node:assert/strict";
import { mainJson, quietIo as capture } from "../../testkit/cli_capture.ts";
import { main } from "./main.ts";
import { regressionLsaGamma, regressionLsaRisk } from "../theory/regression_lsa.ts";

Deno.test("population --family regression --json prints lsaGamma as rows and lsaRisk", async () => {
  const out = await mainJson(main, [
    "population",
    "--family",
    "regression",
    "--covariance",
    "4,2,1,0.5",
    "--context",
    "20",
    "--sigma",
    "0.5",
    "--json",
  ]);
  const gamma = regressionLsaGamma([4, 2, 1, 0.5], 20, 0.5);
  assert.deepEqual(
    out.lsaGamma,
    [0, 1, 2, 3].map((r) => [0, 1, 2, 3].map((c) => gamma[r * 4 + c])),
  );
  assert.equal(out.lsaRisk, regressionLsaRisk([4, 2, 1, 0.5], 20, 0.5));
  assert.equal(out.etaStar, undefined);
});

Deno.test("train --family regression --model lsa --json prints the trained Gamma as rows", async () => {
  const out = await mainJson(main, [
    "train",
    "--family",
    "regression",
    "--covariance",
    "identity",
    "--model",
    "lsa",
    "--context",
    "10",
    "--prompts",
    "400",
    "--steps",
    "20",
    "--test-prompts",
    "10",
    "--json",
  ]);
  assert.equal(out.lsaGamma.length, 4);
  assert.equal(out.lsaGamma[0].length, 4);
  assert.equal(out.bayesRisk.population, 0.1 * 0.1); // sigma^2 for the regression family
});

Deno.test("--covariance with the paper's family and a bad family are usage errors naming the option", async () => {
  for (
    const [args, message] of [
      [["population", "--covariance", "1,2"], "--covariance applies to --family regression"],
      [["population", "--family", "spiked"], "--family"],
      [["population", "--family", "regression", "--covariance", "1,-2"], "covariance[1]"],
    ] as const
  ) {
    const io = capture();
    const code = await main([...args], io);
    assert.equal(code, 2, `${args.join(" ")}: ${io.err.join("\n")}`);
    assert.match(io.err.join("\n"), new RegExp(message.replace(/[[\]]/g, "\\$&")));
  }
});
