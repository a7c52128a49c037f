import assert from "node:assert/strict";
import { exportedEntryPoints, portableApiPage } from "./docs_api.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

Deno.test("portableApiPage: folder links get index.html, local source links lose their href", () => {
  const page =
    '<a href="..&#x2F;">up</a><a class="sourceButton"\n  href="file:&#x2F;&#x2F;&#x2F;w&#x2F;x.ts">s</a>' +
    '<a href="https://deno.com/">d</a><a href="x.html#y">x</a><a href="">self</a>';
  assert.equal(
    portableApiPage(page),
    '<a href="../index.html">up</a><a class="sourceButton">s</a>' +
      '<a href="https://deno.com/">d</a><a href="x.html#y">x</a><a href="">self</a>',
  );
});

Deno.test("the entry points are deno.json's exports", async () => {
  const entries = await exportedEntryPoints(ROOT);
  assert.ok(entries.includes("mod.ts"));
  for (const entry of entries) assert.ok(Deno.statSync(`${ROOT}/${entry}`).isFile, entry);
});
