import assert from "node:assert/strict";
import {
  exportedNames,
  importCircles,
  type ImportGraph,
  lineCount,
  longFunctions,
  relativeImports,
  resolveRelative,
  typeAssertions,
} from "./source_tree.ts";

const graph = (edges: Record<string, string[]>): ImportGraph =>
  new Map(Object.entries(edges).map(([file, targets]) => [file, new Set(targets)]));

Deno.test("relativeImports reads static, type, side-effect and dynamic imports, not comments", () => {
  const text = [
    `import { a } from "./a.ts";`,
    `import type { B } from "../b/b.ts";`,
    `export { c } from "./c.ts";`,
    `import "./d.ts";`,
    `const e = await import("./e.ts");`,
    `/** @example import { x } from "./doc.ts"; */`,
    `// import { y } from "./line.ts";`,
    `const worker = new URL("./worker.ts", import.meta.url);`,
    `import { z } from "npm:fast-check@^4";`,
  ].join("\n");
  assert.deepEqual(relativeImports(text).sort(), [
    "../b/b.ts",
    "./a.ts",
    "./c.ts",
    "./d.ts",
    "./e.ts",
  ]);
});

Deno.test("resolveRelative resolves against the importing file's folder", () => {
  assert.equal(resolveRelative("src/model/task.ts", "./law.ts"), "src/model/law.ts");
  assert.equal(resolveRelative("src/model/task.ts", "../numeric/x.ts"), "src/numeric/x.ts");
  assert.equal(resolveRelative("mod.ts", "./src/a.ts"), "src/a.ts");
});

Deno.test("importCircles finds every circle, including self-imports, and no false ones", () => {
  // Control: the circle the model folder had (task -> regression -> wishart -> task).
  const circular = graph({
    "src/model/task.ts": ["src/model/regression.ts", "src/model/law.ts"],
    "src/model/regression.ts": ["src/model/wishart.ts"],
    "src/model/wishart.ts": ["src/model/task.ts"],
    "src/model/law.ts": [],
    "src/backends/backend.ts": ["src/backends/cpu.ts"],
    "src/backends/cpu.ts": ["src/backends/backend.ts"],
    "src/self.ts": ["src/self.ts"],
  });
  assert.deepEqual(importCircles(circular), [
    ["src/backends/backend.ts", "src/backends/cpu.ts"],
    ["src/model/regression.ts", "src/model/task.ts", "src/model/wishart.ts"],
    ["src/self.ts"],
  ]);
  // A diamond is not a circle; imports of files outside the graph are ignored.
  const diamond = graph({
    "a.ts": ["b.ts", "c.ts", "outside.ts"],
    "b.ts": ["d.ts"],
    "c.ts": ["d.ts"],
    "d.ts": [],
  });
  assert.deepEqual(importCircles(diamond), []);
});

Deno.test("longFunctions measures declarations, arrows, methods and test callbacks", () => {
  const body = (n: number) =>
    Array.from({ length: n }, (_, i) => `  const v${i} = ${i};`).join("\n");
  const text = [
    `export function long(): void {\n${body(79)}\n}`, // 81 lines
    `export function fits(): void {\n${body(78)}\n}`, // 80 lines
    `const arrow = () => {\n${body(90)}\n};`,
    `class K { method(): void {\n${body(85)}\n} }`,
    `Deno.test("name", () => {\n${body(81)}\n});`,
  ].join("\n");
  const found = longFunctions("x.ts", text);
  assert.deepEqual(found.map((f) => [f.name, f.lines]), [
    ["long", 81],
    ["arrow", 92],
    ["method", 87],
    ["Deno.test(...)", 83],
  ]);
});

Deno.test("lineCount, exportedNames and typeAssertions", () => {
  assert.equal(lineCount("a\nb\n"), 2);
  assert.equal(lineCount("a\nb"), 2);
  assert.equal(lineCount(""), 0);
  assert.deepEqual(
    exportedNames(
      "export function f() {}\nexport const _g = 1;\n// export const h = 2;\nexport type T = 1;\n" +
        "export async function k() {}\nexport interface I {}\nexport class C {}",
    ),
    ["f", "_g", "T", "k", "I", "C"],
  );
  const casts = typeAssertions(
    "x.ts",
    `const a = flags.depth as number;\nconst b = [1] as const;\nconst c = <string>d;`,
  );
  assert.deepEqual(casts.map((c) => c.line), [1, 3]);
});
