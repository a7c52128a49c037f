import assert from "node:assert/strict";
import { markdownFiles, RENDERERS, staleFiles } from "./docs_generate.ts";
import { readRecords, RECORDS_DIR } from "./docs_records.ts";
import { findBlocks } from "./docs_markdown.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

Deno.test("the generated Markdown is what the committed records give (regenerate: npx -y deno@2.9.6 task docs)", async () => {
  const stale = await staleFiles(ROOT);
  assert.deepEqual(
    stale.map((s) => s.file),
    [],
    `stale files; run npx -y deno@2.9.6 task docs (first difference in ${stale[0]?.file})`,
  );
});

Deno.test("control: a changed record in a temporary copy makes the generated Markdown differ", async () => {
  const dir = await Deno.makeTempDir({ prefix: "icl-records-" });
  try {
    for await (const entry of Deno.readDir(`${ROOT}/${RECORDS_DIR}`)) {
      await Deno.copyFile(`${ROOT}/${RECORDS_DIR}/${entry.name}`, `${dir}/${entry.name}`);
    }
    const path = `${dir}/verify-quick.json`;
    const record = JSON.parse(await Deno.readTextFile(path));
    record.data.claims[0].passed = !record.data.claims[0].passed;
    record.data.claims[0].parts[0].measured = "a number that no run gave";
    await Deno.writeTextFile(path, JSON.stringify(record));
    const stale = await staleFiles(ROOT, await readRecords(dir));
    const files = stale.map((s) => s.file);
    assert.ok(files.includes("README.md"), `README.md not stale: ${files.join(", ")}`);
    assert.ok(files.includes("docs/claims/c1.md"), `c1.md not stale: ${files.join(", ")}`);
    const readme = stale.find((s) => s.file === "README.md")!;
    assert.match(readme.fresh, /\*\*fails\*\*/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("every generated block names a renderer, and every record is shown somewhere", async () => {
  const records = await readRecords(`${ROOT}/${RECORDS_DIR}`);
  const used = new Set<string>();
  for (const file of await markdownFiles(ROOT)) {
    const text = await Deno.readTextFile(`${ROOT}/${file}`);
    for (const block of findBlocks(text)) {
      assert.ok(block.name in RENDERERS, `${file}: unknown block ${block.name}`);
      if (block.name === "record") used.add(block.args[0]);
    }
    for (const link of text.matchAll(/\]\([^)]*records\/([a-z0-9-]+)\.json\)/g)) used.add(link[1]);
  }
  const unshown = [...records.keys()].filter((name) => !used.has(name));
  assert.deepEqual(unshown, [], "records that no page shows or links to");
});
