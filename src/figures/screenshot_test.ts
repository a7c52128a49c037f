/**
 * The figures page renders in headless Chromium: a screenshot of index.html is not
 * blank. Without Chromium the test is ignored with a printed reason, unless
 * ICL_REQUIRE_CHROMIUM=1 (set in CI), where a missing Chromium is a failure.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { PNG } from "npm:pngjs@7";
import { generateFigures } from "./generate.ts";
import { QUICK_SIZES } from "./sizes.ts";

const CANDIDATES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];
const REQUIRED = Deno.env.get("ICL_REQUIRE_CHROMIUM") === "1";

/** The first Chromium executable on PATH, or undefined. */
function findChromium(): string | undefined {
  const path = Deno.env.get("PATH") ?? "";
  for (const name of CANDIDATES) {
    for (const dir of path.split(":").filter((d) => d !== "")) {
      try {
        const info = Deno.statSync(`${dir}/${name}`);
        if (info.isFile) return `${dir}/${name}`;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

const chromium = findChromium();
if (!chromium && !REQUIRED) {
  console.log(
    `screenshot test ignored: no Chromium on PATH (looked for ${CANDIDATES.join(", ")}); ` +
      `install it (apt-get install -y chromium) or set ICL_REQUIRE_CHROMIUM=1 to make this a failure`,
  );
}

/** Fraction of pixels that are not (near) white. */
export function nonWhiteFraction(png: { width: number; height: number; data: Uint8Array }): number {
  let count = 0;
  const n = png.width * png.height;
  for (let i = 0; i < n; i++) {
    const r = png.data[4 * i], g = png.data[4 * i + 1], b = png.data[4 * i + 2];
    if (r < 240 || g < 240 || b < 240) count++;
  }
  return count / n;
}

Deno.test({
  name: "figures: index.html renders in headless Chromium (screenshot is not blank)",
  ignore: !chromium && !REQUIRED,
  async fn() {
    assert.ok(
      chromium,
      `ICL_REQUIRE_CHROMIUM=1 but no Chromium on PATH (looked for ${CANDIDATES.join(", ")})`,
    );
    const dir = await Deno.makeTempDir({ prefix: "icl-figures-shot-" });
    try {
      // Smaller than --quick: the page, not the statistics, is under test here.
      await generateFigures({
        out: `${dir}/out`,
        baseSizes: QUICK_SIZES,
        sizes: {
          name: "test",
          prompts: 300,
          testPrompts: 200,
          runs: 2,
          contexts: [16, 64, 256],
          depths: [1, 2, 5],
          alphaDepths: [1, 5],
          excessMaxDepth: 10,
        },
      });
      const shot = `${dir}/shot.png`;
      const result = await new Deno.Command(chromium, {
        args: [
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          `--user-data-dir=${dir}/profile`,
          `--screenshot=${shot}`,
          "--window-size=1280,2000",
          `file://${dir}/out/index.html`,
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(result.stderr);
      assert.equal(result.code, 0, `chromium exited with ${result.code}: ${stderr.slice(-2000)}`);
      const png = PNG.sync.read(Buffer.from(await Deno.readFile(shot)));
      assert.equal(png.width, 1280);
      assert.ok(png.height >= 1000, `screenshot height ${png.height}`);
      const fraction = nonWhiteFraction(png);
      // Text, tables and plotted marks cover several percent of the page; a blank
      // page or unrendered images are 0.
      assert.ok(fraction > 0.02, `only ${(100 * fraction).toFixed(2)}% of pixels are non-white`);
      console.log(`screenshot: ${(100 * fraction).toFixed(1)}% non-white pixels`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
