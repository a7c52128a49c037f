import assert from "node:assert/strict";
import {
  helpTexts,
  importedData,
  listedNames,
  parseOutput,
  recipeCommand,
  RECORD_RECIPES,
} from "./docs_record_make.ts";
import { readRecords, RECORDS_DIR } from "./docs_records.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const records = await readRecords(`${ROOT}/${RECORDS_DIR}`);
const readTree = (file: string) => Deno.readTextFile(`${ROOT}/${file}`);

Deno.test("every recipe has a committed record; a record made by another tool names its command", () => {
  for (const name of Object.keys(RECORD_RECIPES)) assert.ok(records.has(name), `no record ${name}`);
  for (const [name, record] of records) {
    if (name in RECORD_RECIPES) continue;
    assert.match(record.command, /^npx -y deno@2\.9\.6 /, `record ${name}: its command`);
  }
});

Deno.test("imported records hold what their files hold now (remake: docs_record_make.ts NAME)", async () => {
  for (const [name, recipe] of Object.entries(RECORD_RECIPES)) {
    if (recipe.imports === undefined) continue;
    const fresh = await importedData(recipe, readTree);
    assert.deepEqual(records.get(name)!.data, fresh, `record ${name} differs from its files`);
    assert.equal(records.get(name)!.command, recipe.imports.command);
  }
});

Deno.test("control: an imported file that changed makes its record differ", async () => {
  const recipe = RECORD_RECIPES.mutation;
  const fresh = await importedData(recipe, async (file) => {
    const data = JSON.parse(await readTree(file));
    if (file.endsWith("mutation-runs.json")) Object.values(data as object)[0].detected -= 1;
    return JSON.stringify(data);
  });
  assert.notDeepEqual(records.get("mutation")!.data, fresh);
});

Deno.test("the cli-help record is the CLI's --help as it is now (remake: docs_record_make.ts --worktree cli-help)", async () => {
  const now = await helpTexts(ROOT);
  assert.deepEqual(Object.keys(records.get("cli-help")!.data as object), Object.keys(now));
  assert.deepEqual(records.get("cli-help")!.data, now);
  // Control: one changed help text is a difference.
  assert.notDeepEqual({ ...now, train: `${now.train}\n  --new-flag X   something new` }, now);
});

Deno.test("recipes: commands paste on a fresh machine; outputs and help sections parse", () => {
  for (const recipe of Object.values(RECORD_RECIPES)) {
    const command = recipe.run === undefined ? recipe.imports!.command : recipeCommand(recipe);
    assert.match(command, /npx -y deno@2\.9\.6 |python3 /);
  }
  assert.deepEqual(parseOutput('{"a":1}\n{"a":2}\n', "json-lines"), [{ a: 1 }, { a: 2 }]);
  assert.deepEqual(parseOutput(' {"a":1}\n', "json"), { a: 1 });
  assert.equal(parseOutput("| a |\n", "text"), "| a |\n");
  const help =
    "Usage: x\n\nCommands:\n  one   first\n        continued\n  two-b  second\n\nMore text.\n";
  assert.deepEqual(listedNames(help, "Commands:"), ["one", "two-b"]);
  assert.deepEqual(listedNames(help, "Studies:"), []);
});
