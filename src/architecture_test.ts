/**
 * The layout is the architecture: each folder of `src/` is one concept, and a
 * concept imports only from the concepts below it in the data flow
 *
 *   validation -> numeric -> model -> theory -> backends -> training -> claims
 *   -> testing / figures -> cli
 *
 * (the arrows point from the lower to the higher layer). This test reads every
 * module's imports and fails on an import that goes up, and on flag syntax
 * (`--name`) or `node:util` argument parsing outside `src/cli/`.
 */
import assert from "node:assert/strict";

const SRC = new URL("./", import.meta.url);

/** What each concept may import (besides itself). */
const ALLOWED: Record<string, readonly string[]> = {
  validation: [],
  numeric: ["validation"],
  model: ["validation", "numeric"],
  theory: ["validation", "numeric", "model"],
  backends: ["validation", "numeric", "model"],
  parallel: ["validation", "numeric", "model", "theory", "backends"],
  training: ["validation", "numeric", "model", "theory", "backends", "parallel"],
  claims: ["validation", "numeric", "model", "theory", "backends", "parallel", "training"],
  testing: ["validation", "numeric", "model", "theory", "backends", "training", "claims"],
  experiments: ["validation", "numeric", "model", "theory", "backends", "parallel", "training"],
  rendering: ["validation"],
  figures: [
    "validation",
    "numeric",
    "model",
    "theory",
    "backends",
    "parallel",
    "training",
    "experiments",
    "rendering",
  ],
  cli: [
    "validation",
    "numeric",
    "model",
    "theory",
    "backends",
    "parallel",
    "training",
    "claims",
    "testing",
    "experiments",
    "rendering",
    "figures",
  ],
};

async function* modules(dir: URL): AsyncGenerator<URL> {
  for await (const entry of Deno.readDir(dir)) {
    const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
    if (entry.isDirectory) yield* modules(url);
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts")) yield url;
  }
}

function conceptOf(url: URL): string | undefined {
  const relative = url.pathname.slice(SRC.pathname.length);
  return relative.includes("/") ? relative.split("/")[0] : undefined;
}

/** Source text without comments (block and line) and without the text of JSDoc examples. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:])\/\/.*$/gm, "$1");
}

Deno.test("every src/ module imports only from its own concept or the concepts below it", async () => {
  const violations: string[] = [];
  let count = 0;
  for await (const url of modules(SRC)) {
    const concept = conceptOf(url);
    if (concept === undefined) continue;
    assert.ok(concept in ALLOWED, `src/${concept}/ is not a known concept: add it to ALLOWED`);
    count++;
    const text = code(await Deno.readTextFile(url));
    for (const match of text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)) {
      const target = new URL(match[1], url);
      const to = conceptOf(target);
      if (to === undefined || to === concept) continue;
      if (!ALLOWED[concept].includes(to)) {
        violations.push(`${url.pathname.slice(SRC.pathname.length)} imports ${match[1]} (${to})`);
      }
    }
  }
  assert.ok(count > 40, `found only ${count} modules`);
  assert.deepEqual(violations, []);
});

/** Modules that pass another program's own flags (not ours), and why. */
const OTHER_PROGRAMS_FLAGS: Record<string, string> = {
  "rendering/chromium.ts": "starts headless Chromium with Chromium's command-line flags",
};

Deno.test("only src/cli/ knows about flags", async () => {
  const violations: string[] = [];
  for await (const url of modules(SRC)) {
    const concept = conceptOf(url);
    if (concept === "cli" || concept === undefined) continue;
    if (url.pathname.slice(SRC.pathname.length) in OTHER_PROGRAMS_FLAGS) continue;
    const text = code(await Deno.readTextFile(url));
    const name = url.pathname.slice(SRC.pathname.length);
    if (/["'`][^"'`\n]*\s--[a-z][a-z0-9-]*/.test(text) || /["'`]--[a-z]/.test(text)) {
      violations.push(`${name}: flag syntax in a string`);
    }
    if (/parseArgs|node:util/.test(text)) violations.push(`${name}: argument parsing`);
  }
  assert.deepEqual(violations, []);
});

Deno.test("control: an upward import and a flag outside the CLI are caught", () => {
  const text = code(`import { main } from "../cli/main.ts"; const x = "use --depth 3";`);
  assert.match(text, /\.\.\/cli\/main\.ts/);
  assert.ok(!ALLOWED.model.includes("cli"));
  assert.ok(/["'`][^"'`\n]*\s--[a-z][a-z0-9-]*/.test(text));
  // Comments do not count.
  assert.ok(!/--depth/.test(code(`/** run with --depth 3 */ // or --seed`)));
});
