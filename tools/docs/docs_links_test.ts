import assert from "node:assert/strict";
import { checkSite, htmlFiles } from "./docs_links.ts";
import { buildSite } from "./docs_site.ts";
import { notebooksUnavailable } from "./docs_notebooks.ts";
import { findChromium } from "../../src/rendering/chromium.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const CHROMIUM = findChromium();
const REQUIRED = Deno.env.get("ICL_REQUIRE_CHROMIUM") === "1";
if (CHROMIUM === undefined && !REQUIRED) {
  console.log("docs link test ignored: no Chromium on PATH (set ICL_REQUIRE_CHROMIUM=1 to fail)");
}

const options = {
  ignore: CHROMIUM === undefined && !REQUIRED,
  sanitizeResources: false,
  sanitizeOps: false,
};

Deno.test({
  name: "the built site: every page opens in Chromium with no broken link, anchor or image",
  ...options,
  async fn() {
    assert.ok(CHROMIUM !== undefined, "ICL_REQUIRE_CHROMIUM=1 but there is no Chromium on PATH");
    const reason = await notebooksUnavailable();
    const skipNotebooks = reason !== undefined && Deno.env.get("ICL_REQUIRE_JUPYTER") !== "1";
    if (skipNotebooks) console.log(`notebooks left out of the site: ${reason}`);
    const out = await Deno.makeTempDir({ prefix: "icl-site-" });
    try {
      await buildSite(ROOT, out, { skipNotebooks });
      const pages = await htmlFiles(out);
      for (const page of ["index.html", "guide/cli.html", "claims/c1.html", "api/index.html"]) {
        assert.ok(pages.includes(`${out}/${page}`), `the site has no ${page}`);
      }
      assert.ok(pages.some((p) => p.startsWith(`${out}/notebooks/`)), "the site has no notebook");
      assert.deepEqual(await checkSite(out, CHROMIUM!), []);
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  },
});

const GOOD = `<!DOCTYPE html><html><body><h1 id="here">Good</h1>
<a href="good.html#here">self</a> <a href="https://example.org/">external link</a></body></html>`;
const BAD = `<!DOCTYPE html><html><body><h1>Bad</h1>
<a href="missing.html">missing page</a> <a href="good.html#nowhere">missing anchor</a>
<a href="good.html#here">fine</a> <a href="../outside.html">outside</a>
<img src="missing.png" alt="missing image"></body></html>`;
const CDN = `<!DOCTYPE html><html><head><link rel="stylesheet" href="https://cdn.example/x.css">
</head><body><a href="../good.html#nowhere">parsed, not opened</a></body></html>`;

Deno.test({
  name: "control: a broken link, a missing anchor, a missing image and a CDN resource are found",
  ...options,
  async fn() {
    assert.ok(CHROMIUM !== undefined, "ICL_REQUIRE_CHROMIUM=1 but there is no Chromium on PATH");
    const dir = await Deno.makeTempDir({ prefix: "icl-site-control-" });
    try {
      await Deno.mkdir(`${dir}/api`);
      await Deno.writeTextFile(`${dir}/good.html`, GOOD);
      await Deno.writeTextFile(`${dir}/bad.html`, BAD);
      await Deno.writeTextFile(`${dir}/api/inner.html`, CDN);
      const problems = await checkSite(dir, CHROMIUM!);
      assert.deepEqual(problems.sort(), [
        "api/inner.html: broken anchor good.html#nowhere",
        "api/inner.html: loads https://cdn.example/x.css from the network",
        "bad.html: broken anchor good.html#nowhere",
        "bad.html: broken link to missing.html",
        `bad.html: image does not load: file://${dir}/missing.png`,
        `bad.html: link leaves the site: ${dir.split("/").slice(0, -1).join("/")}/outside.html`,
        "bad.html: missing resource missing.png",
      ]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
