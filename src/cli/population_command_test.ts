/** `population` through the real process: the documented keys and the reference values. */
import assert from "node:assert/strict";

const MOD = new URL("../../mod.ts", import.meta.url).pathname;

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
