import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url);

/** Serves the repository read-only on 127.0.0.1 (TypeScript with a JS-compatible type). */
function serveRepository(): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    const path = decodeURIComponent(new URL(request.url).pathname);
    if (path.includes("..")) return new Response("forbidden", { status: 403 });
    try {
      const body = await Deno.readFile(new URL(`.${path}`, ROOT));
      return new Response(body, { headers: { "content-type": "application/typescript" } });
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
}

async function run(args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const decoder = new TextDecoder();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

Deno.test("mod.ts is importable from a URL and its CLI runs from a URL", async (t) => {
  const server = serveRepository();
  const base = `http://127.0.0.1:${server.addr.port}`;
  const env = ["--allow-import=127.0.0.1:" + server.addr.port];
  try {
    await t.step("import mod.ts and call a function", async () => {
      const code = `import { alphaStar, parseSpikeLaw } from "${base}/mod.ts";
console.log(JSON.stringify({ alphaStar: alphaStar(parseSpikeLaw("uniform", 0.5, 4)) }));`;
      const r = await run(["eval", "--no-lock", ...env, code]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout.trim()).alphaStar, 2 / 6.5);
    });
    await t.step("run the CLI from the URL", async () => {
      const r = await run(["run", "--no-lock", ...env, `${base}/mod.ts`, "population", "--json"]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(Number(JSON.parse(r.stdout).alphaT.toPrecision(4)), 0.3);
    });
  } finally {
    await server.shutdown();
  }
});
