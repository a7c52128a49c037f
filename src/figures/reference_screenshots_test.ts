/**
 * The figures in headless Chromium, compared with committed reference screenshots:
 * the reference generation (fixed seed, small sizes; src/figures/reference_screenshots.ts) is
 * rendered at 800 and 1400 px page width, every figure and the top of index.html,
 * and each screenshot must match its reference in src/figures/testdata/reference/
 * up to MAX_DIFF_FRACTION of its pixels (npm:pixelmatch). After a change that moves
 * the random draws or the drawing, regenerate the references with
 * `deno task figures:reference` and look at them.
 *
 * The figures and the page embed their font (DejaVu Sans, src/rendering/font_face.ts), so
 * the screenshots do not depend on the machine's fonts. With ICL_REQUIRE_CHROMIUM=1 (set
 * in CI, which installs fonts-noto-core) the test also requires EXTRA_FONT installed and a
 * default sans-serif other than DejaVu Sans, so that the match shows exactly that.
 *
 * Without Chromium the test is ignored with a printed reason, unless
 * ICL_REQUIRE_CHROMIUM=1, where a missing Chromium is a failure.
 */
import assert from "node:assert/strict";
import pixelmatch from "npm:pixelmatch@^7";
import {
  CHROMIUM_CANDIDATES,
  findChromium,
  type Image,
  readPng,
  writePng,
} from "../rendering/chromium.ts";
import {
  EXTRA_FONT,
  generateReference,
  installedFonts,
  REFERENCE_DIR,
  REFERENCE_WIDTHS,
  screenshotsOf,
} from "./reference_screenshots.ts";

const REQUIRED = Deno.env.get("ICL_REQUIRE_CHROMIUM") === "1";

/**
 * Largest fraction of differing pixels. The same code on the same machine draws
 * identical screenshots (0 differing pixels); moving a 40-row band of one figure by
 * 2 px changes 0.1% of its pixels and shifting a whole figure by 1 px 1.5-6%.
 */
export const MAX_DIFF_FRACTION = 0.0005;

/** pixelmatch's per-pixel colour threshold (its default is 0.1). */
const PIXEL_THRESHOLD = 0.1;

const chromium = findChromium();
if (!chromium && !REQUIRED) {
  console.log(
    `screenshot test ignored: no Chromium on PATH (looked for ${
      CHROMIUM_CANDIDATES.join(", ")
    }); ` +
      `install it (apt-get install -y chromium) or set ICL_REQUIRE_CHROMIUM=1 to make this a failure`,
  );
}

/** Fraction of pixels that are not (near) white. */
export function nonWhiteFraction(png: Image): number {
  let count = 0;
  const n = png.width * png.height;
  for (let i = 0; i < n; i++) {
    const r = png.data[4 * i], g = png.data[4 * i + 1], b = png.data[4 * i + 2];
    if (r < 240 || g < 240 || b < 240) count++;
  }
  return count / n;
}

/**
 * How `actual` differs from `reference`: undefined when the sizes match and at most
 * MAX_DIFF_FRACTION of the pixels differ, else the reason. `diff` receives the
 * pixelmatch difference image when the sizes match.
 */
export function screenshotDifference(
  actual: Image,
  reference: Image,
  diff?: Uint8Array,
): { fraction: number; reason?: string } {
  if (actual.width !== reference.width || actual.height !== reference.height) {
    return {
      fraction: 1,
      reason: `size ${actual.width} x ${actual.height} px, reference ${reference.width} x ` +
        `${reference.height} px`,
    };
  }
  const count = pixelmatch(actual.data, reference.data, diff, actual.width, actual.height, {
    threshold: PIXEL_THRESHOLD,
  });
  const fraction = count / (actual.width * actual.height);
  return fraction <= MAX_DIFF_FRACTION ? { fraction } : {
    fraction,
    reason: `${count} pixels (${(100 * fraction).toFixed(3)}%) differ, more than ` +
      `${(100 * MAX_DIFF_FRACTION).toFixed(3)}%`,
  };
}

Deno.test({
  name: "figures: screenshots at 800 and 1400 px match the committed references",
  ignore: !chromium && !REQUIRED,
  async fn() {
    assert.ok(
      chromium,
      `ICL_REQUIRE_CHROMIUM=1 but no Chromium on PATH (looked for ${
        CHROMIUM_CANDIDATES.join(", ")
      })`,
    );
    const fonts = await installedFonts();
    if (REQUIRED) {
      // The match is meaningful only where the machine's own sans-serif differs from the
      // embedded font: .ci/run installs fonts-noto-core (and fontconfig) for that.
      assert.ok(
        fonts,
        "ICL_REQUIRE_CHROMIUM=1 but no fc-list/fc-match (apt-get install fontconfig)",
      );
      assert.ok(
        fonts.extra,
        `ICL_REQUIRE_CHROMIUM=1 but ${EXTRA_FONT} is not installed ` +
          `(apt-get install fonts-noto-core)`,
      );
      assert.notEqual(fonts.sansSerif, "DejaVu Sans", "the default sans-serif is DejaVu Sans");
    }
    console.log(`machine fonts: ${fonts ? `sans-serif is ${fonts.sansSerif}` : "no fontconfig"}`);
    const dir = await Deno.makeTempDir({ prefix: "icl-figures-shot-" });
    let keep = false;
    try {
      const result = await generateReference(`${dir}/out`);
      const stems = result.figures.map((f) => f.id);
      const shots = await screenshotsOf(chromium, `${dir}/out`, stems);
      assert.equal(shots.length, (stems.length + 1) * REFERENCE_WIDTHS.length);
      const failures: string[] = [];
      for (const { name, image } of shots) {
        // Plotted marks, text and tables cover several percent of every screenshot; a
        // blank page or an image that did not load is 0.
        const ink = nonWhiteFraction(image);
        assert.ok(ink > 0.02, `${name}: only ${(100 * ink).toFixed(2)}% of pixels are non-white`);
        let reference: Image;
        try {
          reference = await readPng(`${REFERENCE_DIR}${name}`);
        } catch (error) {
          failures.push(`${name}: no reference (${(error as Error).message})`);
          continue;
        }
        const diff = new Uint8Array(image.data.length);
        const { fraction, reason } = screenshotDifference(image, reference, diff);
        if (reason) {
          keep = true;
          await writePng(`${dir}/${name}`, image);
          await writePng(`${dir}/diff_${name}`, { ...image, data: diff });
          failures.push(`${name}: ${reason} (screenshot and diff in ${dir})`);
        } else if (fraction > 0) {
          console.log(`${name}: ${(100 * fraction).toFixed(4)}% of pixels differ`);
        }
      }
      assert.deepEqual(
        failures,
        [],
        `screenshots differ from the references; if the change is intended, run ` +
          `\`deno task figures:reference\` and look at the new references:\n${failures.join("\n")}`,
      );
    } finally {
      if (!keep) await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("screenshot comparison: a 2 px shift of a 40-row band, a resized page and another figure all fail", async () => {
  const reference = await readPng(`${REFERENCE_DIR}fig2_risk_vs_context_800.png`);
  assert.equal(screenshotDifference(reference, reference).fraction, 0);
  // A layout regression as small as one legend row moving sideways by 2 px.
  const shifted = new Uint8Array(reference.data);
  const w = reference.width;
  for (let y = 100; y < 140; y++) {
    shifted.set(reference.data.subarray(y * w * 4, (y * w + w - 2) * 4), (y * w + 2) * 4);
  }
  const band = screenshotDifference({ ...reference, data: shifted }, reference);
  assert.match(band.reason ?? "", /pixels \([\d.]+%\) differ, more than 0\.050%/);
  assert.ok(band.fraction > MAX_DIFF_FRACTION && band.fraction < 0.01, `${band.fraction}`);
  const taller = { width: w, height: reference.height + 1, data: new Uint8Array() };
  assert.match(screenshotDifference(taller, reference).reason ?? "", /^size 800 x \d+ px/);
  const other = await readPng(`${REFERENCE_DIR}fig3_risk_vs_depth_800.png`);
  if (other.height === reference.height) {
    assert.ok(screenshotDifference(other, reference).reason);
  } else {
    assert.match(screenshotDifference(other, reference).reason ?? "", /^size/);
  }
});
