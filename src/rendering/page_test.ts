import assert from "node:assert/strict";
import { escapeHtml, indexHtml } from "./page.ts";
import { FONT_FAMILY } from "./font_face.ts";

Deno.test("indexHtml: figures first, then the table; the font embedded; margins at any width", async () => {
  const html = await indexHtml({
    heading: "Heading",
    summary: "Summary with α < β.",
    entries: [{ title: "Fig. 1", caption: "Caption", svg: "f1.svg", data: ["f1.json"] }],
    table: { heading: "Checks", header: ["check", "z"], rows: [["a & b", "1.0"]] },
  });
  const at = (s: string) => html.indexOf(s);
  assert.ok(at('<img src="f1.svg"') > at("<h1>Heading</h1>"));
  assert.ok(at("<h2>Checks</h2>") > at("<figure>"), "the table comes after the figures");
  assert.ok(at("<table>") > at("</figure>"));
  assert.ok(html.includes(`<td>${escapeHtml("a & b")}</td>`));
  assert.ok(html.includes("Summary with α &lt; β."));
  assert.match(
    html,
    new RegExp(`@font-face \\{ font-family: ${FONT_FAMILY};[^}]*font-weight: normal`),
  );
  assert.match(html, /@font-face \{[^}]*font-weight: bold;[^}]*base64,/);
  assert.match(html, /body \{[^}]*padding: 0 24px;/);
  // Control: without a table there is no table heading.
  const bare = await indexHtml({ heading: "H", summary: "S", entries: [] });
  assert.ok(!bare.includes("<h2>") && !bare.includes("<table>"));
});
