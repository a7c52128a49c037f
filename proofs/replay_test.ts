/**
 * Every printed replay pastes: the `replay` of each command's JSON record, the `verify`
 * command of a property and the library replay of a claim part run verbatim with
 * `sh -c` from the repository root in a shell whose PATH holds only Node.js, npm, npx and
 * sh (a fresh machine), and give the record's numbers again (timings aside). Controls: a
 * replay that needs a bare `deno` does not run there, and a replay with another value
 * does not give the record.
 */
import assert from "node:assert/strict";
import { checkC3 } from "../src/claims/c3_c4_geometric.ts";
import { alphaStar } from "../src/theory/population.ts";
import { main } from "../src/cli/main.ts";
import type { CliIo } from "../src/cli/io.ts";
import { replayCommand } from "../src/cli/replay.ts";
import { DENO_RUNNER, DENO_VERSION, replayCall } from "../src/claims/replay_call.ts";
import { PROOF_SEED } from "../testkit/proof_support.ts";

const ROOT = new URL("../", import.meta.url);

/** A directory holding only node, npm, npx and sh: the PATH of a fresh machine. */
async function freshPath(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "icl-fresh-path-" });
  for (const tool of ["node", "npm", "npx", "sh"]) {
    const which = await new Deno.Command("/bin/sh", {
      args: ["-c", `command -v ${tool}`],
      stdout: "piped",
    }).output();
    const found = new TextDecoder().decode(which.stdout).trim();
    assert.ok(which.success && found !== "", `${tool} is on PATH (the replays need it)`);
    await Deno.symlink(await Deno.realPath(found), `${dir}/${tool}`);
  }
  return dir;
}
const FRESH_PATH = await freshPath();
globalThis.addEventListener("unload", () => Deno.removeSync(FRESH_PATH, { recursive: true }));

/** Runs a printed command verbatim with `sh -c` from the repository root, on the fresh PATH. */
async function paste(command: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command("/bin/sh", {
    args: ["-c", command],
    cwd: ROOT,
    env: { PATH: FRESH_PATH, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

/** Runs a command in process and returns its JSON record. */
async function record(args: string[]): Promise<Record<string, unknown>> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t) };
  assert.equal(await main(args, io), 0, err.join("\n"));
  return JSON.parse(out.join("\n"));
}

/** A record without wall-clock timings, which a replay cannot reproduce. */
function withoutTimings(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v) => {
    if (key === "seconds" || key === "msPerStep" || key === "elapsedMs") return undefined;
    return v;
  }));
}

/** Pastes a record's replay and checks it runs (exit 0, quiet stderr) and gives the record. */
async function assertReplays(json: Record<string, unknown>): Promise<void> {
  assert.equal(typeof json.replay, "string");
  const replay = String(json.replay);
  const r = await paste(replay);
  assert.equal(r.code, 0, `${replay}\n${r.stderr}`);
  assert.equal(r.stderr, "", "nothing on stderr when it is not a terminal");
  assert.deepEqual(withoutTimings(JSON.parse(r.stdout)), withoutTimings(json));
}

/** Cheap runs of every command that prints a replay. */
const CHEAP: Record<string, string[]> = {
  population: ["population", "--law", "beta:2:5", "--m-max", "3.5", "--depth", "7", "--json"],
  train: [
    ...["train", "--model", "lca2", "--prompts", "60", "--test-prompts", "20", "--steps", "5"],
    ...["--context", "inf", "--seed", String(PROOF_SEED), "--json"],
  ],
  verify: ["verify", "--claims", "C3", "--seed", String(PROOF_SEED), "--jobs", "1", "--json"],
  sweep: [
    ...["sweep", "untied", "--prompts", "40", "--test-prompts", "20", "--steps", "5"],
    ...["--depths", "1,2", "--dim1", "1", "--dim2", "1", "--json"],
  ],
};

Deno.test("the Deno version of the printed commands is the one CI installs (.ci/run)", async () => {
  const ci = await Deno.readTextFile(new URL(".ci/run", ROOT));
  assert.match(ci, new RegExp(`^DENO_VERSION=${DENO_VERSION.replaceAll(".", "\\.")}$`, "m"));
  assert.equal(DENO_RUNNER, `npx -y deno@${DENO_VERSION}`);
});

Deno.test("every record's replay runs verbatim from the root with only Node.js and npm, and reproduces it", async (t) => {
  for (const [name, args] of Object.entries(CHEAP)) {
    await t.step(name, async () => {
      const json = await record(args);
      assert.ok(
        String(json.replay).startsWith(`${DENO_RUNNER} run -A mod.ts `),
        String(json.replay),
      );
      await assertReplays(json);
    });
  }
});

Deno.test("a property's verify replay and its library replay run verbatim and give the same part", async () => {
  const json = await record(CHEAP.verify);
  const claims = json.claims;
  assert.ok(Array.isArray(claims));
  const claim = claims[0];
  const part = claim.parts[0];
  // The CLI's replay of the property: the verify command line.
  assert.equal(part.property.replay, replayCommand(part.property.replaySpec));
  const cli = await paste(part.property.replay);
  assert.equal(cli.code, 0, `${part.property.replay}\n${cli.stderr}`);
  assert.match(cli.stdout, new RegExp(`^C3 .* holds `, "m"));
  assert.match(cli.stdout, new RegExp(`1/1 claims hold \\(quick, seed ${PROOF_SEED}, `));
  // The library's replay of the same run: deno eval of verifyClaims, printing the result.
  const library = await paste(replayCall(part.property.replaySpec));
  assert.equal(library.code, 0, library.stderr);
  const result = JSON.parse(library.stdout);
  const shape = (c: { id: string; passed: boolean; parts: Record<string, unknown>[] }) => ({
    id: c.id,
    passed: c.passed,
    parts: c.parts.map((p) => [p.name, p.passed, p.measured, p.target, p.margin]),
  });
  assert.deepEqual(shape(result), shape(claim));
});

Deno.test("controls: a replay that needs a bare deno does not run; one with another value differs", async () => {
  const json = await record(CHEAP.population);
  const bare = String(json.replay).replace(`${DENO_RUNNER} `, "deno ");
  await assert.rejects(() => assertReplays({ ...json, replay: bare }), /deno: not found|127/);
  const other = String(json.replay).replace("--depth 7", "--depth 8");
  assert.notEqual(other, json.replay);
  await assert.rejects(() => assertReplays({ ...json, replay: other }), assert.AssertionError);
});

Deno.test("a failing property reports its seed and path, and replaying them reproduces the failure", async () => {
  const wrong = { alpha: (law: Parameters<typeof alphaStar>[0]) => 1.15 * alphaStar(law) };
  const failed = await checkC3({ seed: PROOF_SEED, controls: wrong });
  const part = failed.parts[0];
  assert.equal(part.passed, false);
  assert.ok(part.property?.path, "a path is reported");
  assert.equal(part.property?.seed, PROOF_SEED);
  assert.equal(part.property?.replaySpec.seed, PROOF_SEED);
  assert.equal(part.property?.replaySpec.path, part.property?.path);
  assert.equal(part.property?.replay, replayCall(part.property!.replaySpec));
  assert.ok(
    part.property?.replay.includes(
      `verifyClaims(["C3"], { size: "quick", seed: ${PROOF_SEED}, paths: { "bound": "${part.property?.path}" } })`,
    ),
  );
  assert.equal(
    replayCommand(part.property!.replaySpec),
    `${DENO_RUNNER} run -A mod.ts verify --claims C3 --seed ${PROOF_SEED} --quick --path bound=${part.property?.path}`,
  );
  const replayed = await checkC3({
    seed: PROOF_SEED,
    controls: wrong,
    paths: { bound: part.property!.path! },
  });
  assert.equal(replayed.parts[0].passed, false);
  assert.equal(replayed.parts[0].property?.counterexample, part.property?.counterexample);
});
