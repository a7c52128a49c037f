import assert from "node:assert/strict";
import { checkC3 } from "../src/claims/c3_c4_geometric.ts";
import { alphaStar } from "../src/theory/population.ts";
import { main } from "../src/cli/main.ts";
import { replayCommand } from "../src/cli/replay.ts";
import { PROOF_SEED } from "../testkit/proof_support.ts";

Deno.test("a failing property reports its seed and path, and replaying them reproduces the failure", async () => {
  const wrong = { alpha: (law: Parameters<typeof alphaStar>[0]) => 1.15 * alphaStar(law) };
  const failed = await checkC3({ seed: PROOF_SEED, controls: wrong });
  const part = failed.parts[0];
  assert.equal(part.passed, false);
  assert.ok(part.property?.path, "a path is reported");
  assert.equal(part.property?.seed, PROOF_SEED);
  assert.equal(part.property?.replaySpec.seed, PROOF_SEED);
  assert.equal(part.property?.replaySpec.path, part.property?.path);
  assert.equal(
    part.property?.replay,
    `verifyClaims(["C3"], { size: "quick", seed: ${PROOF_SEED}, paths: { "bound": "${part.property?.path}" } })`,
  );
  assert.equal(
    replayCommand(part.property!.replaySpec),
    `deno task verify --claims C3 --seed ${PROOF_SEED} --quick --path bound=${part.property?.path}`,
  );
  const replayed = await checkC3({
    seed: PROOF_SEED,
    controls: wrong,
    paths: { bound: part.property!.path! },
  });
  assert.equal(replayed.parts[0].passed, false);
  assert.equal(replayed.parts[0].property?.counterexample, part.property?.counterexample);
});

Deno.test("verify --json has one entry per claim C1..C10 (here: a replayed path and --claims)", async () => {
  const out: string[] = [];
  const io = {
    stdout: (s: string) => out.push(s),
    stderr: async () => {},
    progress: async () => {},
  };
  const code = await main(
    ["verify", "--claims", "C3,C7", "--seed", String(PROOF_SEED), "--json"],
    io,
  );
  assert.equal(code, 0);
  const json = JSON.parse(out.join("\n"));
  assert.deepEqual(json.claims.map((c: { id: string }) => c.id), ["C3", "C7"]);
  assert.equal(json.passed, true);
});
