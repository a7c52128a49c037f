import assert from "node:assert/strict";
import { MAP_PATH, moduleSummary, renderArchitectureMap } from "./architecture_map.ts";
import { LAYERS } from "../testkit/layers.ts";
import { REPO_ROOT, sourceFiles } from "../testkit/source_tree.ts";

Deno.test("the committed architecture map matches the tree (regenerate: tools/architecture_map.ts)", async () => {
  const committed = await Deno.readTextFile(new URL(MAP_PATH, REPO_ROOT));
  const fresh = await renderArchitectureMap();
  assert.equal(committed, fresh, `${MAP_PATH} is stale: run deno run -A tools/architecture_map.ts`);
  // Control: a module missing from the map, or a folder the map does not know, is a difference.
  assert.notEqual(committed.replace(/^\| `[^`]+` \|.*\n/m, ""), fresh);
});

Deno.test("the map names every module of src/ and every concept folder", async () => {
  const map = await renderArchitectureMap();
  for (const layer of LAYERS) assert.ok(map.includes(`## src/${layer.folder}/`), layer.folder);
  const folders = new Set<string>();
  for (const file of await sourceFiles("src")) {
    const parts = file.split("/");
    if (parts.length > 2) folders.add(parts[1]);
    if (file.endsWith("_test.ts") || file.includes("/testdata/") || parts.length < 3) continue;
    assert.ok(map.includes(`| \`${parts.slice(2).join("/")}\` |`), `${file} is not in the map`);
  }
  assert.deepEqual([...folders].sort(), LAYERS.map((l) => l.folder).sort());
});

Deno.test("moduleSummary takes the first sentence of the leading JSDoc", () => {
  assert.equal(moduleSummary("/**\n * One thing. Then more.\n *\n * @module\n */\n"), "One thing.");
  assert.equal(moduleSummary("/** Runs `a|b`: fast */"), "Runs `a\\|b`:");
  assert.equal(moduleSummary("import x from './x.ts';"), "");
});
