/**
 * The figures' font, shipped with the toolkit: DejaVu Sans (regular and bold, the font
 * whose advance widths `text_width.ts` holds) from the npm package
 * `@fontsource/dejavu-sans`. Every SVG and index.html carries it as an `@font-face` with
 * a `data:` URL of a WOFF subset of the characters it draws (npm:subset-font, HarfBuzz),
 * under its own family name {@linkcode FONT_FAMILY}, so a browser draws the same glyphs
 * whatever fonts its machine has, offline and from `file://`, and in an `<img>` (where an
 * SVG may load nothing but `data:` URLs).
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { createRequire } from "node:module";
import subsetFont from "npm:subset-font@2.9.0";
// The package's metadata: its import also puts the package (and its font files) in the
// module graph, where `createRequire` finds the files.
import metadata from "npm:@fontsource/dejavu-sans@5.3.0/metadata.json" with { type: "json" };

/** The family name of the embedded font (not an installed font's name, so none shadows it). */
export const FONT_FAMILY = "DejaVuSansEmbedded";

/** The CSS font-family list of the figures and the page. */
export const FONT_STACK = `${FONT_FAMILY}, sans-serif`;

/** The weights the figures and the page use. */
export type FontWeight = "normal" | "bold";

/** The font files of the package, by weight (WOFF: quicker to read than WOFF2). */
const FILES: Record<FontWeight, string> = {
  normal: "dejavu-sans-latin-400-normal.woff",
  bold: "dejavu-sans-latin-700-normal.woff",
};

/**
 * Where the package's font file `name` lies in the npm cache. Resolved from this module's
 * file, or, where this module was loaded over http(s) (a URL import, JSR), from the
 * working directory (`createRequire` takes only file URLs).
 */
function fontPath(name: string): string {
  const from = import.meta.url.startsWith("file:") ? import.meta.url : `${Deno.cwd()}/`;
  return createRequire(from).resolve(`@fontsource/dejavu-sans/files/${name}`);
}

const cache = new Map<FontWeight, Promise<Buffer>>();

/** The full font file of `weight` (read once). */
export function fontFile(weight: FontWeight): Promise<Buffer> {
  let file = cache.get(weight);
  if (!file) {
    file = Deno.readFile(fontPath(FILES[weight])).then((bytes) => Buffer.from(bytes));
    cache.set(weight, file);
  }
  return file;
}

/** The characters drawn in each weight (any string; each character counts once). */
export type FontText = Record<FontWeight, string>;

/**
 * CSS `@font-face` rules of {@linkcode FONT_FAMILY}: per weight with text, a WOFF subset
 * of the font holding the characters of `text` (and the space), as a base64 `data:` URL.
 */
export async function fontFaceCss(text: FontText): Promise<string> {
  const rules: string[] = [
    `/* ${metadata.family} ${metadata.version}, ${metadata.license.type} ` +
    `(${metadata.license.attribution}), from npm:@fontsource/dejavu-sans */`,
  ];
  for (const weight of ["normal", "bold"] as const) {
    const chars = [...new Set(` ${text[weight]}`)].sort().join("");
    if (chars === " " && weight === "bold") continue;
    const subset = await subsetFont(await fontFile(weight), chars, { targetFormat: "woff" });
    rules.push(
      `@font-face { font-family: ${FONT_FAMILY}; font-style: normal; font-weight: ${weight}; ` +
        `font-display: block; src: url(data:font/woff;base64,${
          Buffer.from(subset).toString("base64")
        }) format("woff"); }`,
    );
  }
  return rules.join("\n");
}

/** Decodes the character references of XML and HTML text (`&amp;`, `&#945;`, `&#x3b1;`). */
export function decodeEntities(text: string): string {
  const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] !== "#") return named[ref.toLowerCase()] ?? whole;
    const code = ref[1] === "x" || ref[1] === "X"
      ? parseInt(ref.slice(2), 16)
      : parseInt(ref.slice(1), 10);
    return String.fromCodePoint(code);
  });
}

/** The text an SVG document draws, by weight (its `<text>` elements; bold at weight >= 600). */
export function svgText(svg: string): FontText {
  const text: FontText = { normal: "", bold: "" };
  for (const [, attributes, content] of svg.matchAll(/<text\b([^>]*)>([\s\S]*?)<\/text>/g)) {
    const weight = /font-weight="([^"]*)"/.exec(attributes)?.[1] ?? "normal";
    const bold = weight === "bold" || weight === "bolder" || Number(weight) >= 600;
    text[bold ? "bold" : "normal"] += decodeEntities(content.replace(/<[^>]*>/g, ""));
  }
  return text;
}

/**
 * `svg` with the font it draws embedded: a `<defs><style>` with {@linkcode fontFaceCss}
 * of its text, right after the opening `<svg>` tag.
 */
export async function embedFontInSvg(svg: string): Promise<string> {
  const open = /<svg\b[^>]*>/.exec(svg);
  if (!open) throw new TypeError("embedFontInSvg: no <svg> tag in the document");
  const css = await fontFaceCss(svgText(svg));
  const at = open.index + open[0].length;
  return `${svg.slice(0, at)}<defs><style>${css}</style></defs>${svg.slice(at)}`;
}

/** The font of `weight` opened by HarfBuzz (npm:harfbuzzjs), for its character map and widths. */
async function harfBuzzFont(weight: FontWeight) {
  const hb = await import("npm:harfbuzzjs@1.6.4");
  const fontverter = await import("npm:fontverter@2.0.0");
  const sfnt: Uint8Array = await fontverter.convert(await fontFile(weight), "truetype");
  const face = new hb.Face(new hb.Blob(sfnt));
  return { face, font: new hb.Font(face) };
}

/**
 * The characters of `text` that the font of `weight` has no glyph for (sorted, each
 * once): a browser would draw them in some installed font, different on each machine.
 */
export async function missingCharacters(
  text: string,
  weight: FontWeight = "normal",
): Promise<string[]> {
  const covered = new Set((await harfBuzzFont(weight)).face.collectUnicodes());
  return [...new Set(text)].filter((c) => !/\s/.test(c) && !covered.has(c.codePointAt(0)!))
    .sort();
}

/**
 * Advance widths in em of the characters `codePoints` in the font of `weight`: the
 * source of the table in `text_width.ts` (regenerated, after a change of font, with
 * `(await advanceWidths("normal", Array.from({ length: 95 }, (_, i) => 32 + i)))
 * .map((w) => Number(w.toFixed(3)))`; `font_face_test.ts` checks the table against it).
 */
export async function advanceWidths(
  weight: FontWeight,
  codePoints: readonly number[],
): Promise<number[]> {
  const { face, font } = await harfBuzzFont(weight);
  return codePoints.map((c) => {
    const glyph = font.glyph(c);
    if (glyph === undefined) throw new RangeError(`no glyph for U+${c.toString(16)}`);
    return font.glyphHAdvance(glyph) / face.upem;
  });
}
