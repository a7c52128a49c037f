/**
 * Sharded `calibrate` on a real Slurm cluster: `calibrate_array.sbatch` runs as a 4-task job
 * array (`sbatch --wait --array=0-3`), `merge` combines the four part records, and the merged
 * record equals the single-process `calibrate --json` record apart from timings. Bad merges
 * (a missing shard, a repeated shard, a part of another configuration) exit 2.
 *
 * Needs a running cluster (`examples/slurm/start_single_node.sh`, which CI's `.ci/run`
 * calls). Without one the test is ignored with the reason, unless ICL_REQUIRE_SLURM=1 (set
 * in CI), which makes a missing cluster a failure.
 *
 * @module
 */

import assert from "node:assert/strict";
import { runCliProcess } from "../../testkit/cli_capture.ts";
import { withoutTimings } from "../../src/cli/shards.ts";

const REQUIRED = Deno.env.get("ICL_REQUIRE_SLURM") === "1";
const ROOT = new URL("../../", import.meta.url).pathname;
const SCRIPT = new URL("./calibrate_array.sbatch", import.meta.url).pathname;
/** A small calibration: two cheap claims over 4 seeds, one seed per task. */
const CALIBRATE_ARGS = ["--quick", "--seeds", "0..3", "--claims", "C3,C4"];
const SHARDS = 4;

async function run(cmd: string, args: string[], env: Record<string, string> = {}) {
  try {
    const out = await new Deno.Command(cmd, { args, env, stdout: "piped", stderr: "piped" })
      .output();
    const decoder = new TextDecoder();
    return {
      code: out.code,
      stdout: decoder.decode(out.stdout),
      stderr: decoder.decode(out.stderr),
    };
  } catch (error) {
    return { code: -1, stdout: "", stderr: String(error) };
  }
}

/** Why no cluster can take jobs, or undefined when one can. */
async function missingCluster(): Promise<string | undefined> {
  if ((await run("sbatch", ["--version"])).code !== 0) {
    return "sbatch is not installed (apt-get install slurm-wlm munge)";
  }
  if ((await run("scontrol", ["ping"])).code !== 0) {
    return "slurmctld does not answer (examples/slurm/start_single_node.sh starts one)";
  }
  const nodes = await run("sinfo", ["-h", "-o", "%t"]);
  if (!/^(idle|mix|alloc)/m.test(nodes.stdout)) {
    return `no node can take jobs (sinfo: ${nodes.stdout.trim() || nodes.stderr.trim()})`;
  }
  return undefined;
}

const reason = await missingCluster();
if (reason !== undefined && !REQUIRED) console.log(`Slurm test ignored: ${reason}`);

/** Runs the calibrate array with `sbatch --wait` and, beside it, the single-process run. */
async function arrayAndSingle(dir: string) {
  const [array, single] = await Promise.all([
    run("sbatch", [
      "--wait",
      `--array=0-${SHARDS - 1}`,
      `--chdir=${ROOT}`,
      `--output=${dir}/task-%a.log`,
      SCRIPT,
    ], {
      ICL_DENO: Deno.execPath(),
      ICL_OUT: `${dir}/parts`,
      CALIBRATE_ARGS: CALIBRATE_ARGS.join(" "),
      NO_COLOR: "1",
    }),
    runCliProcess(["calibrate", ...CALIBRATE_ARGS, "--json"]),
  ]);
  const logs = await Promise.all(
    Array.from(
      { length: SHARDS },
      (_, i) => Deno.readTextFile(`${dir}/task-${i}.log`).catch(() => "(no log)"),
    ),
  );
  assert.equal(array.code, 0, `sbatch: ${array.stderr}\n${logs.join("\n")}`);
  assert.equal(single.code, 0, single.stderr);
  const parts = Array.from({ length: SHARDS }, (_, i) => `${dir}/parts/part-${i}.json`);
  return { parts, single: JSON.parse(single.stdout) };
}

/** Bad merges exit 2: a missing shard, a repeated shard, a part of another configuration. */
async function checkBadMerges(dir: string, parts: string[]) {
  const other = await runCliProcess([
    "calibrate",
    ...CALIBRATE_ARGS,
    "--margins",
    "1,2",
    "--shard",
    `3/${SHARDS}`,
  ]);
  assert.equal(other.code, 0, other.stderr);
  await Deno.writeTextFile(`${dir}/other-3.json`, other.stdout);
  const bad: [string[], RegExp][] = [
    [parts.slice(0, 3), /shard 3\/4 missing/],
    [[...parts, parts[1]], /shard 1\/4 is repeated/],
    [[...parts.slice(0, 3), `${dir}/other-3.json`], /different runs \(their config.margins/],
  ];
  for (const [files, message] of bad) {
    const result = await runCliProcess(["merge", ...files]);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, message);
  }
}

Deno.test({
  name: "slurm: a 4-task calibrate array merges into the single-process record",
  ignore: reason !== undefined && !REQUIRED,
  async fn() {
    assert.equal(reason, undefined, `ICL_REQUIRE_SLURM=1 but ${reason}`);
    const dir = await Deno.makeTempDir({ prefix: "icl-slurm-" });
    try {
      const started = performance.now();
      const { parts, single } = await arrayAndSingle(dir);
      const arraySeconds = (performance.now() - started) / 1000;
      const merged = await runCliProcess(["merge", ...parts, "--json"]);
      assert.equal(merged.code, 0, merged.stderr);
      const record = JSON.parse(merged.stdout);
      assert.deepEqual(withoutTimings("calibrate", record), withoutTimings("calibrate", single));
      assert.ok(record.length > 0 && record.every((r: { runs: number }) => r.runs === SHARDS));
      // Control: a part whose C3 row says its seed failed merges into another record.
      const tampered = JSON.parse(await Deno.readTextFile(parts[2]));
      tampered.results[0][0].falseFailures += 1;
      await Deno.writeTextFile(`${dir}/tampered.json`, JSON.stringify(tampered));
      const changed = await runCliProcess([
        "merge",
        ...parts.slice(0, 2),
        `${dir}/tampered.json`,
        parts[3],
      ]);
      assert.notDeepEqual(
        withoutTimings("calibrate", JSON.parse(changed.stdout)),
        withoutTimings("calibrate", single),
      );
      await checkBadMerges(dir, parts);
      console.log(
        `slurm array of ${SHARDS} tasks (with the single-process run beside it): ` +
          `${arraySeconds.toFixed(1)} s; whole test ${
            ((performance.now() - started) / 1000).toFixed(1)
          } s`,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
