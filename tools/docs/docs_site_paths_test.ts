import assert from "node:assert/strict";
import { normalise, relativePath, rewriteHref, sitePathOf, slug } from "./docs_site_paths.ts";

Deno.test("sitePathOf: README, changelog, docs, notebooks, LICENSE; nothing else", () => {
  assert.equal(sitePathOf("README.md"), "index.html");
  assert.equal(sitePathOf("CHANGELOG.md"), "changelog.html");
  assert.equal(sitePathOf("docs/guide/cli.md"), "guide/cli.html");
  assert.equal(sitePathOf("docs/figures/fig2.svg"), "figures/fig2.svg");
  assert.equal(sitePathOf("examples/01_population.ipynb"), "notebooks/01_population.html");
  assert.equal(sitePathOf("LICENSE"), "LICENSE.txt");
  assert.equal(sitePathOf("src/model/reconstructed.ts"), undefined);
});

Deno.test("rewriteHref: pages to .html with their anchor, folders to index.html, others unchanged", () => {
  assert.equal(rewriteHref("docs/guide/cli.md#verify", "README.md"), "guide/cli.html#verify");
  assert.equal(
    rewriteHref("../reference/model.md", "docs/claims/c1.md"),
    "../reference/model.html",
  );
  assert.equal(rewriteHref("../../README.md#claims", "docs/guide/cli.md"), "../index.html#claims");
  assert.equal(rewriteHref("docs/figures/", "README.md"), "figures/index.html");
  assert.equal(rewriteHref("../figures/fig2.svg", "docs/guide/figures.md"), "../figures/fig2.svg");
  assert.equal(rewriteHref("#section", "docs/guide/cli.md"), "#section");
  assert.equal(
    rewriteHref("https://arxiv.org/abs/2602.04872", "README.md"),
    "https://arxiv.org/abs/2602.04872",
  );
  // Control: a file the site does not hold keeps its link (and the link check reports it).
  assert.equal(rewriteHref("src/mod.ts", "README.md"), "src/mod.ts");
});

Deno.test("paths and slugs", () => {
  assert.equal(normalise("docs/./a/../b.md"), "docs/b.md");
  assert.equal(relativePath("claims", "reference/model.html"), "../reference/model.html");
  assert.equal(relativePath("", "guide/cli.html"), "guide/cli.html");
  assert.equal(
    slug("5. Population quantities (L -> infinity), by quadrature"),
    "5-population-quantities-l---infinity-by-quadrature",
  );
  assert.equal(slug("`sweep untied`"), "sweep-untied");
});
