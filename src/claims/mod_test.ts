import assert from "node:assert/strict";
import { runCliProcess } from "../../testkit/cli_capture.ts";

const ROOT = new URL("../../", import.meta.url);
const EXAMPLE = new URL("examples/depth_doubling_claims.ts", ROOT).pathname;

/** Runs `verify ...args` in a process (`deno run -A --no-lock mod.ts`). */
const verify = (args: string[]) => runCliProcess(["verify", ...args], { denoFlags: ["--no-lock"] });

/** Runs a replay command line ("npx -y deno@V run -A mod.ts verify ARGS") as `verify ARGS`. */
function replayArgs(replay: string): string[] {
  const words = replay.match(/'(?:[^']|'\\'')*'|\S+/g) ?? [];
  assert.deepEqual(words.slice(3, 7), ["run", "-A", "mod.ts", "verify"], replay);
  return words.slice(7).map((w) => w.startsWith("'") ? w.slice(1, -1).replaceAll("'\\''", "'") : w);
}

function serveRepository(): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    const path = decodeURIComponent(new URL(request.url).pathname);
    try {
      const body = await Deno.readFile(new URL(`.${path}`, ROOT));
      return new Response(body, { headers: { "content-type": "application/typescript" } });
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
}

Deno.test("verify --claims-module runs the example user claims by path, with table and JSON", async () => {
  const table = await verify(["--claims-module", EXAMPLE, "--quick"]);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^U1\s/m);
  assert.match(table.stdout, /^U2\s/m);
  assert.match(table.stdout, /2\/2 claims hold/);
  const json = await verify([
    "--claims-module",
    EXAMPLE,
    "--quick",
    "--json",
    "--claims",
    "u2,U1,U2",
  ]);
  assert.equal(json.code, 0, json.stderr);
  const record = JSON.parse(json.stdout);
  assert.deepEqual(record.claims.map((c: { id: string }) => c.id), ["U2", "U1"]);
  const u1 = record.claims[1];
  assert.equal(u1.passed, true);
  assert.match(u1.parts[0].property.replay, /--claims U1 .*--claims-module /);
});

Deno.test("verify --jobs 2 gives the JSON of --jobs 1 apart from timings (built-in and module claims)", async () => {
  const strip = (text: string) => {
    const record = JSON.parse(text);
    for (const claim of record.claims) claim.seconds = 0;
    record.seconds = 0;
    record.config.jobs = 0;
    record.replay = "";
    return record;
  };
  for (const extra of [["--claims", "C3,C7,E3"], ["--claims-module", EXAMPLE]]) {
    const one = await verify([...extra, "--quick", "--json", "--jobs", "1"]);
    const two = await verify([...extra, "--quick", "--json", "--jobs", "2"]);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(two.code, 0, two.stderr);
    assert.deepEqual(strip(two.stdout), strip(one.stdout));
  }
  // Control: another seed changes the numbers, and the comparison sees it.
  const other = await verify(["--claims", "C3,C7,E3", "--quick", "--json", "--seed", "1"]);
  const base = await verify(["--claims", "C3,C7,E3", "--quick", "--json"]);
  assert.notDeepEqual(strip(other.stdout).claims, strip(base.stdout).claims);
});

Deno.test("verify --claims-module runs a claims module served by URL", async () => {
  const server = serveRepository();
  try {
    const url = `http://127.0.0.1:${server.addr.port}/examples/depth_doubling_claims.ts`;
    const r = await verify(["--claims-module", url, "--quick", "--claims", "U1"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /1\/1 claims hold/);
  } finally {
    await server.shutdown();
  }
});

Deno.test("a failing user claim exits 1, and its replay command reproduces the counterexample", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const module = `${dir}/failing_claims.ts`;
    await Deno.writeTextFile(
      module,
      `import { defineClaim } from ${JSON.stringify(new URL("mod.ts", ROOT).href)};
import fc from "npm:fast-check@^4";
import { expect, propertyPart } from ${JSON.stringify(new URL("src/testing/mod.ts", ROOT).href)};
export const WRONG = defineClaim({
  id: "W1", title: "wrong", theorem: "user claim", statement: "every integer is below 50",
  parts: async (check) => [await propertyPart(check, "W1", "below", fc.integer({ min: 0, max: 100 }),
    (n) => expect(n < 50, () => "n = " + n + " is not below 50"),
    { measured: () => "all below 50", target: "n < 50", margin: "exact", numRuns: 100 })],
});
`,
    );
    const r = await verify(["--claims-module", module, "--quick", "--json", "--seed", "3"]);
    assert.equal(r.code, 1, r.stderr);
    const part = JSON.parse(r.stdout).claims[0].parts[0];
    assert.equal(part.passed, false);
    assert.equal(part.property.counterexample, "[50]", "fast-check shrinks to the boundary");
    const replay = await verify([...replayArgs(part.property.replay), "--json"]);
    assert.equal(replay.code, 1, replay.stderr);
    const again = JSON.parse(replay.stdout).claims[0].parts[0];
    assert.equal(again.property.counterexample, part.property.counterexample);
    assert.equal(again.property.error, part.property.error);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bad claims modules are usage errors: one line naming --claims-module, exit 2", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const none = `${dir}/no_claims.ts`;
    await Deno.writeTextFile(none, "export const answer = 42;\n");
    const twice = `${dir}/twice.ts`;
    await Deno.writeTextFile(
      twice,
      `import { defineClaim } from ${JSON.stringify(new URL("mod.ts", ROOT).href)};
const d = { title: "t", theorem: "t", statement: "t", parts: () => Promise.resolve([]) };
export const A = defineClaim({ id: "X1", ...d });
export const B = defineClaim({ id: "x1", ...d });
`,
    );
    const broken = `${dir}/broken.ts`;
    await Deno.writeTextFile(broken, "throw new Error('boom at import');\n");
    for (
      const [spec, pattern] of [
        [`${dir}/missing.ts`, /--claims-module could not load/],
        [none, /exports no claim/],
        [twice, /two claims with the id/],
        [broken, /boom at import/],
      ] as const
    ) {
      const r = await verify(["--claims-module", spec, "--quick"]);
      assert.equal(r.code, 2, `${spec}: ${r.stderr}`);
      const lines = r.stderr.trim().split("\n");
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0], /--claims-module/);
      assert.match(lines[0], pattern);
    }
    const unknown = await verify(["--claims-module", EXAMPLE, "--claims", "C1"]);
    assert.equal(unknown.code, 2, unknown.stderr);
    assert.match(unknown.stderr, /U1, U2/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
