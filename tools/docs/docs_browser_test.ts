import assert from "node:assert/strict";
import { Browser } from "./docs_browser.ts";
import { findChromium } from "../../src/rendering/chromium.ts";

const CHROMIUM = findChromium();
const REQUIRED = Deno.env.get("ICL_REQUIRE_CHROMIUM") === "1";

Deno.test({
  name: "Browser: a visit reports ids, resolved links and broken images; parse reads other pages",
  ignore: CHROMIUM === undefined && !REQUIRED,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    assert.ok(CHROMIUM !== undefined, "ICL_REQUIRE_CHROMIUM=1 but there is no Chromium on PATH");
    const dir = await Deno.makeTempDir({ prefix: "icl-browser-" });
    const browser = await Browser.launch(CHROMIUM!);
    try {
      await Deno.writeTextFile(
        `${dir}/a.html`,
        '<h1 id="top">A</h1><a href="b.html#x">b</a><img src="no.png">',
      );
      await Deno.writeTextFile(`${dir}/b.html`, '<p id="x">B</p><a href="a.html">a</a>');
      const a = await browser.visit(`file://${dir}/a.html`);
      assert.deepEqual(a.ids, ["top"]);
      assert.deepEqual(a.links, [`file://${dir}/b.html#x`]);
      assert.deepEqual(a.brokenImages, [`file://${dir}/no.png`]);
      const [b, missing] = await browser.parse([`file://${dir}/b.html`, `file://${dir}/none.html`]);
      assert.deepEqual([b.ids, b.links], [["x"], [`file://${dir}/a.html`]]);
      assert.equal(missing.error, "cannot be read");
      const gone = await browser.visit(`file://${dir}/gone.html`);
      assert.match(gone.error ?? "", /ERR_FILE_NOT_FOUND/);
    } finally {
      await browser.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
