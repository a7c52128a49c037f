/**
 * `deno task figures:reference`: regenerates the reference screenshots that
 * src/figures/reference_screenshots_test.ts compares against, from the current code (run it
 * after any change that moves the random draws or the drawing, and look at them).
 * With `--docs DIR OUT` it instead screenshots the already generated figures of DIR
 * (e.g. docs/figures) into OUT, for looking at them.
 *
 * @module
 */

import { writePng } from "../src/rendering/chromium.ts";
import {
  generateReference,
  REFERENCE_DIR,
  requireChromium,
  screenshotsOf,
} from "../src/figures/reference_screenshots.ts";

async function main(args: string[]): Promise<void> {
  const chromium = requireChromium();
  if (args[0] === "--docs") {
    const [dir, out] = [args[1], args[2]];
    if (!dir || !out) throw new TypeError("--docs needs DIR and OUT, got " + args.join(" "));
    const stems = [...Deno.readDirSync(dir)].map((e) => e.name)
      .filter((n) => /^fig.*\.svg$/.test(n)).map((n) => n.slice(0, -4)).sort();
    await Deno.mkdir(out, { recursive: true });
    for (const { name, image } of await screenshotsOf(chromium, Deno.realPathSync(dir), stems)) {
      await writePng(`${out}/${name}`, image);
      console.log(`${out}/${name}`);
    }
    return;
  }
  const tmp = await Deno.makeTempDir({ prefix: "icl-figures-reference-" });
  try {
    const result = await generateReference(tmp);
    const stems = result.figures.map((f) => f.id);
    await Deno.mkdir(REFERENCE_DIR, { recursive: true });
    for (const entry of Deno.readDirSync(REFERENCE_DIR)) {
      if (entry.name.endsWith(".png")) await Deno.remove(`${REFERENCE_DIR}/${entry.name}`);
    }
    for (const { name, image } of await screenshotsOf(chromium, tmp, stems)) {
      await writePng(`${REFERENCE_DIR}/${name}`, image);
      console.log(`${REFERENCE_DIR}${name}`);
    }
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

if (import.meta.main) await main(Deno.args);
