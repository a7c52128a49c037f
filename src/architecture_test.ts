/**
 * The layout is the architecture: each folder of `src/` is one concept, and a
 * concept imports only from the concepts below it in the data flow (the table is
 * `testkit/layers.ts`, rendered in docs/reference/architecture.md). This test reads every
 * module's imports and fails on an import that goes up, and on flag syntax
 * (`--name`) or `node:util` argument parsing outside `src/cli/`.
 */
import assert from "node:assert/strict";
import { ALLOWED } from "../testkit/layers.ts";
import {
  allSourceFiles,
  exportedNames,
  importCircles,
  importGraph,
  lineCount,
  longFunctions,
  MAX_FILE_LINES,
  MAX_FUNCTION_LINES,
  REPO_ROOT,
  sourceFiles,
  stripComments,
  typeAssertions,
} from "../testkit/source_tree.ts";

const SRC = new URL("./", import.meta.url);

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

// ---------------------------------------------------------------------------------------------
// The shape of the whole tree (src/, props/, proofs/, testkit/, tools/, bench/, examples/):
// no import circle, no crowded file or function, one naming rule, one task-family table.

/** Tests that check the tree or the public entry point, not one module beside them. */
const TREE_TESTS: Record<string, string> = {
  "src/architecture_test.ts": "the layout of the whole tree",
  "src/api_test.ts": "the public API of mod.ts (at the repository root)",
  "src/url_import_test.ts": "mod.ts imported over HTTP, as a user does",
};

/** The one place where a task family is named in a branch: the family table. */
const FAMILY_TABLE = "src/model/families/families.ts";

Deno.test("no import circle anywhere in the tree (file level, type imports included)", async () => {
  const graph = await importGraph(await allSourceFiles());
  assert.ok(graph.size > 200, `read only ${graph.size} files`);
  assert.deepEqual(importCircles(graph), []);
  // Control: a module that imports the error policy, and that the error policy imports back,
  // is a circle of those two files, found among the real tree's 200-odd files.
  const errors = "src/validation/errors.ts";
  graph.set("src/validation/circle_control.ts", new Set([errors]));
  graph.get(errors)!.add("src/validation/circle_control.ts");
  assert.deepEqual(importCircles(graph), [["src/validation/circle_control.ts", errors]]);
});

Deno.test(`no file above ${MAX_FILE_LINES} lines, no function above ${MAX_FUNCTION_LINES}`, async () => {
  const problems: string[] = [];
  for (const file of await allSourceFiles()) {
    const text = await Deno.readTextFile(new URL(file, REPO_ROOT));
    const lines = lineCount(text);
    if (lines > MAX_FILE_LINES) problems.push(`${file}: ${lines} lines`);
    for (const f of longFunctions(file, text)) {
      problems.push(`${file}:${f.line} ${f.name}: ${f.lines} lines`);
    }
  }
  assert.deepEqual(problems, []);
});

Deno.test("one naming rule: unique file names, no _-prefixed file or export", async () => {
  const files = await allSourceFiles();
  const byName = new Map<string, string[]>();
  const problems: string[] = [];
  for (const file of files) {
    const name = file.split("/").pop()!;
    if (name !== "mod.ts" && name !== "mod_test.ts") {
      byName.set(name, [...(byName.get(name) ?? []), file]);
    }
    if (name.startsWith("_")) problems.push(`${file}: file name starts with _`);
    const text = await Deno.readTextFile(new URL(file, REPO_ROOT));
    for (const exported of exportedNames(text)) {
      if (exported.startsWith("_")) problems.push(`${file}: export ${exported} starts with _`);
    }
  }
  for (const [name, paths] of byName) {
    if (paths.length > 1) problems.push(`${name} is the name of ${paths.join(", ")}`);
  }
  assert.deepEqual(problems, []);
});

Deno.test("every test in src/ sits beside the module it tests, named after it", async () => {
  const problems: string[] = [];
  for (const file of await sourceFiles("src")) {
    if (!file.endsWith("_test.ts") || file in TREE_TESTS || file.includes("/testdata/")) continue;
    const module = file.replace(/_test\.ts$/, ".ts");
    try {
      await Deno.stat(new URL(module, REPO_ROOT));
    } catch {
      problems.push(`${file}: no ${module} beside it`);
    }
  }
  assert.deepEqual(problems, []);
});

Deno.test("the task family is a table, not a branch: family names are compared only there", async () => {
  const branch = /\bfamily\s*[!=]==|[!=]==\s*["'`](?:paper|regression)["'`]/;
  const problems: string[] = [];
  for (const file of await sourceFiles("src")) {
    if (file === FAMILY_TABLE || file.endsWith("_test.ts")) continue;
    const text = stripComments(await Deno.readTextFile(new URL(file, REPO_ROOT)));
    text.split("\n").forEach((line, i) => {
      if (branch.test(line)) problems.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(problems, []);
  // Control: the branch the samplers had is caught.
  // (The comparison is assembled here so that a grep for it in src/ finds only the table.)
  const comparison = ["family", "==="].join(" ");
  assert.ok(branch.test(`if (sample.task.${comparison} "regression") return x;`));
  assert.ok(branch.test(`const paper = name !== "paper";`));
});

Deno.test("the CLI reads typed flag values: no type assertion in src/cli/", async () => {
  const problems: string[] = [];
  for (const file of await sourceFiles("src/cli")) {
    if (file.endsWith("_test.ts")) continue;
    const text = await Deno.readTextFile(new URL(file, REPO_ROOT));
    for (const cast of typeAssertions(file, text)) {
      problems.push(`${file}:${cast.line}: ${cast.text}`);
    }
  }
  assert.deepEqual(problems, []);
});
