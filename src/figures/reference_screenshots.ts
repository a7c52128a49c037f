/**
 * The reference screenshots of the figures: a deterministic, small generation
 * (fixed seed, sizes below), screenshotted in headless Chromium at two page
 * widths. `deno task figures:reference` rewrites the committed references from the
 * current code; src/figures/reference_screenshots_test.ts compares fresh screenshots with them.
 *
 * @module
 */

import { findChromium, type NamedImage, sheetScreenshots } from "../rendering/chromium.ts";
import { generateFigures, type GenerateResult } from "./generate.ts";
import { type FigureSizes, QUICK_SIZES } from "../experiments/figure_sizes.ts";

/** Sizes of the reference generation (smaller than --quick: the drawing is under test). */
export const REFERENCE_SIZES: Partial<FigureSizes> = Object.freeze({
  name: "test",
  prompts: 300,
  testPrompts: 200,
  runs: 2,
  contexts: [16, 64, 256],
  depths: [1, 2, 5],
  alphaDepths: [1, 5],
  excessMaxDepth: 10,
  untiedDepths: [1, 2, 3],
  untiedPrompts: 200,
  untiedTestPrompts: 500,
  untiedSteps: 150,
  scheduleDepths: [1, 2, 4, 8],
  schedulePrompts: 300,
  scheduleSteps: 500,
  scheduleTestPrompts: 500,
});

/** Seed of the reference generation. */
export const REFERENCE_SEED = 0;

/** Page widths of the screenshots: a README column on GitHub, and a wide window. */
export const REFERENCE_WIDTHS: readonly number[] = [800, 1400];

/** Height of the index.html screenshot (its top: heading, summary, first figure and caption). */
export const PAGE_HEIGHT = 1100;

/** Directory of the committed reference screenshots. */
export const REFERENCE_DIR: string = new URL("./testdata/reference/", import.meta.url).pathname;

/** Generates the reference figures into `out`. */
export function generateReference(out: string): Promise<GenerateResult> {
  return generateFigures({
    out,
    baseSizes: QUICK_SIZES,
    sizes: REFERENCE_SIZES,
    seed: REFERENCE_SEED,
  });
}

/**
 * Screenshots of every figure of `dir` (as generated) and of its index.html, at
 * every reference width (one browser run).
 */
export function screenshotsOf(
  chromium: string,
  dir: string,
  stems: string[],
): Promise<NamedImage[]> {
  return sheetScreenshots(chromium, dir, stems, REFERENCE_WIDTHS, PAGE_HEIGHT);
}

/**
 * A font family that the screenshot test requires installed in CI (Debian's
 * fonts-noto-core, installed by .ci/run): fontconfig prefers it to DejaVu Sans for
 * sans-serif, so the machine's default sans-serif is not the figures' embedded DejaVu Sans
 * and a match with the references shows that the screenshots do not depend on it.
 */
export const EXTRA_FONT = "Noto Sans";

/**
 * How the machine's fonts stand for the screenshot test: whether {@linkcode EXTRA_FONT}
 * is installed and the family that fontconfig picks for sans-serif (undefined without
 * fontconfig's `fc-list` and `fc-match`).
 */
export async function installedFonts(): Promise<
  { extra: boolean; sansSerif: string } | undefined
> {
  const run = async (command: string, args: string[]) => {
    try {
      const out = await new Deno.Command(command, { args, stdout: "piped", stderr: "null" })
        .output();
      return out.code === 0 ? new TextDecoder().decode(out.stdout) : undefined;
    } catch {
      return undefined;
    }
  };
  const families = await run("fc-list", [":", "family"]);
  const sansSerif = await run("fc-match", ["-f", "%{family[0]}", "sans-serif"]);
  if (families === undefined || sansSerif === undefined) return undefined;
  const extra = families.split("\n").some((line) => line.split(",").includes(EXTRA_FONT));
  return { extra, sansSerif: sansSerif.trim() };
}

/** Chromium, or an error saying how to install it. */
export function requireChromium(): string {
  const chromium = findChromium();
  if (!chromium) {
    throw new Error("no Chromium on PATH: install it (apt-get install -y chromium)");
  }
  return chromium;
}
