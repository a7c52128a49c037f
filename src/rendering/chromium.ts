/**
 * Headless Chromium screenshots of the figures: each figure's SVG at a given page
 * width (one browser run per width, figures stacked and cut apart), and a page such
 * as index.html.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { PNG } from "npm:pngjs@7";
import { svgWidthOf } from "./readability.ts";

/** Executable names looked up on PATH, in order. */
export const CHROMIUM_CANDIDATES: readonly string[] = [
  "chromium",
  "chromium-browser",
  "google-chrome",
  "google-chrome-stable",
];

/** The first Chromium executable on PATH, or undefined. */
export function findChromium(): string | undefined {
  const path = Deno.env.get("PATH") ?? "";
  for (const name of CHROMIUM_CANDIDATES) {
    for (const dir of path.split(":").filter((d) => d !== "")) {
      try {
        if (Deno.statSync(`${dir}/${name}`).isFile) return `${dir}/${name}`;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** A decoded PNG image (RGBA rows). */
export interface Image {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Reads a PNG file. */
export async function readPng(path: string): Promise<Image> {
  const png = PNG.sync.read(Buffer.from(await Deno.readFile(path)));
  return { width: png.width, height: png.height, data: png.data };
}

/** Writes a PNG file. */
export async function writePng(path: string, image: Image): Promise<void> {
  const png = new PNG({ width: image.width, height: image.height });
  png.data.set(image.data);
  await Deno.writeFile(path, PNG.sync.write(png));
}

/** Screenshot of `url` in a window of `width` x `height` CSS pixels (scale 1). */
export async function screenshot(
  chromium: string,
  url: string,
  width: number,
  height: number,
): Promise<Image> {
  const dir = await Deno.makeTempDir({ prefix: "icl-chromium-" });
  try {
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
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        `--user-data-dir=${dir}/profile`,
        `--screenshot=${shot}`,
        `--window-size=${width},${height}`,
        url,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (result.code !== 0) {
      const stderr = new TextDecoder().decode(result.stderr);
      throw new Error(`chromium exited with ${result.code}: ${stderr.slice(-2000)}`);
    }
    return await readPng(shot);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function svgHeightOf(svg: string): number {
  return Number(/<svg[^>]*\sheight="([\d.]+)"/.exec(svg)?.[1] ?? NaN);
}

/** One named screenshot. */
export interface NamedImage {
  /** File name, e.g. "fig2_risk_vs_context_800.png" or "index_1400.png". */
  name: string;
  image: Image;
}

function crop(sheet: Image, left: number, top: number, width: number, height: number): Image {
  const data = new Uint8Array(width * height * 4);
  for (let row = 0; row < height; row++) {
    const from = ((top + row) * sheet.width + left) * 4;
    data.set(sheet.data.subarray(from, from + width * 4), row * width * 4);
  }
  return { width, height, data };
}

/**
 * Screenshots of the SVG figures `stems` of `dir` and of its index.html at every
 * page width in `widths`, in one browser run: a sheet with one column per width,
 * each figure drawn as wide as the column (as index.html and a README column draw
 * it), then index.html in a frame of that width and `pageHeight`, cut apart after.
 */
export async function sheetScreenshots(
  chromium: string,
  dir: string,
  stems: string[],
  widths: readonly number[],
  pageHeight: number,
): Promise<NamedImage[]> {
  const svgs = await Promise.all(stems.map((s) => Deno.readTextFile(`${dir}/${s}.svg`)));
  const columns = widths.map((width) => {
    const heights = svgs.map((svg) => Math.round(width * svgHeightOf(svg) / svgWidthOf(svg)));
    const tags = stems.map((stem, i) =>
      `<img src="${stem}.svg" style="width:${width}px;height:${heights[i]}px">`
    );
    tags.push(
      `<iframe src="index.html" style="width:${width}px;height:${pageHeight}px" ` +
        `scrolling="no"></iframe>`,
    );
    return { width, heights, html: `<div class="col">${tags.join("")}</div>` };
  });
  const total = Math.max(
    ...columns.map((c) => c.heights.reduce((a, b) => a + b, 0) + pageHeight),
  );
  const page = `${dir}/_sheet.html`;
  await Deno.writeTextFile(
    page,
    `<!DOCTYPE html><html><head><meta charset="utf-8"><style>` +
      `body{margin:0;background:white;display:flex;align-items:flex-start}` +
      `img,iframe{display:block;border:0;margin:0}</style></head>` +
      `<body>${columns.map((c) => c.html).join("")}</body></html>`,
  );
  try {
    const sheetWidth = widths.reduce((a, b) => a + b, 0);
    const sheet = await screenshot(chromium, `file://${page}`, sheetWidth, total);
    const out: NamedImage[] = [];
    let left = 0;
    for (const column of columns) {
      let top = 0;
      stems.forEach((stem, i) => {
        out.push({
          name: `${stem}_${column.width}.png`,
          image: crop(sheet, left, top, column.width, column.heights[i]),
        });
        top += column.heights[i];
      });
      out.push({
        name: `index_${column.width}.png`,
        image: crop(sheet, left, top, column.width, pageHeight),
      });
      left += column.width;
    }
    return out;
  } finally {
    await Deno.remove(page);
  }
}
