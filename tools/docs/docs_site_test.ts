import assert from "node:assert/strict";
import { buildSite, NAV_ORDER, navigation } from "./docs_site.ts";
import { ALL_CLAIMS } from "../../src/claims/claims.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

Deno.test("navigation: sections in their order, the API and the outputs", () => {
  const page = (repoPath: string, title: string) => ({
    repoPath,
    sitePath: repoPath.replace(/^docs\//, "").replace(/\.md$/, ".html"),
    title,
    html: "",
  });
  const pages = [
    page("docs/claims/c10.md", "C10"),
    page("docs/claims/c2.md", "C2"),
    page("docs/claims/x.md", "X"),
  ];
  const nav = navigation(pages, [{ title: "NB", path: "notebooks/nb.html" }], true);
  assert.deepEqual(nav.map((s) => s.title), [
    "icl-verify",
    "Guide",
    "Reference",
    "Claims",
    "Reports",
    "Outputs",
  ]);
  assert.deepEqual(nav[3].links.map((l) => l.title), ["C2", "C10", "X"]);
  assert.deepEqual(nav[2].links, [{ title: "API (deno doc)", path: "api/index.html" }]);
  assert.deepEqual(nav[5].links.map((l) => l.path), ["figures/index.html", "notebooks/nb.html"]);
  assert.ok(NAV_ORDER.claims.includes("c11"));
  // The claim pages follow the registry, every built-in claim once (C12 included).
  assert.deepEqual(NAV_ORDER.claims, ALL_CLAIMS.map((claim) => claim.id.toLowerCase()));
  assert.ok(NAV_ORDER.claims.includes("c12"));
});

Deno.test({
  name:
    "buildSite writes every page, the stylesheet, the figures and the records (no API, no notebooks)",
  sanitizeResources: false,
  async fn() {
    const out = await Deno.makeTempDir({ prefix: "icl-site-pages-" });
    try {
      await buildSite(ROOT, out, { skipApi: true, skipNotebooks: true });
      for (
        const file of [
          "index.html",
          "changelog.html",
          "style.css",
          "guide/cli.html",
          "reference/model.html",
          "claims/e3.html",
          "reports/mutation.html",
          "figures/index.html",
          "records/verify-quick.json",
          "LICENSE.txt",
        ]
      ) {
        assert.ok(Deno.statSync(`${out}/${file}`).isFile, file);
      }
      const index = await Deno.readTextFile(`${out}/index.html`);
      assert.match(index, /href="guide\/cli\.html"/);
      assert.ok(!index.includes('href="docs/'), "a link still points into docs/");
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  },
});
