import assert from "node:assert/strict";
import {
  escapeHtml,
  markdownRenderer,
  pageHtml,
  renderMarkdown,
  requireSitePath,
} from "./docs_page.ts";

Deno.test("renderMarkdown: title, GitHub-style heading ids, links and images rewritten", () => {
  const md = markdownRenderer();
  const text = "# The `model`\n\n## Step 1: data\n\n## Step 1: data\n\n" +
    "[cli](../guide/cli.md#verify) ![f](../figures/f.svg) <!-- kept -->\n";
  const { title, html } = renderMarkdown(md, text, "docs/reference/model.md");
  assert.equal(title, "The model");
  assert.match(html, /<h2 id="step-1-data">/);
  assert.match(html, /<h2 id="step-1-data-1">/);
  assert.match(html, /href="\.\.\/guide\/cli\.html#verify"/);
  assert.match(html, /src="\.\.\/figures\/f\.svg"/);
  assert.match(html, /<!-- kept -->/);
});

Deno.test("pageHtml: relative stylesheet and sidebar, the current page marked", () => {
  const nav = [{ title: "Guide", links: [{ title: "CLI & more", path: "guide/cli.html" }] }];
  const page = pageHtml(nav, "claims/c1.html", "C1 <gap>", "<p>x</p>");
  assert.match(page, /<link rel="stylesheet" href="\.\.\/style\.css">/);
  assert.match(page, /<a href="\.\.\/guide\/cli\.html">CLI &amp; more<\/a>/);
  assert.match(page, /<title>C1 &lt;gap&gt; · icl-verify<\/title>/);
  assert.match(pageHtml(nav, "guide/cli.html", "x", ""), /href="cli\.html" aria-current="page"/);
  assert.equal(escapeHtml('"<&>'), "&quot;&lt;&amp;&gt;");
  assert.throws(() => requireSitePath("src/mod.ts"), /does not hold src\/mod\.ts/);
});
