import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import {
  advanceWidths,
  decodeEntities,
  embedFontInSvg,
  FONT_FAMILY,
  fontFaceCss,
  missingCharacters,
  svgText,
} from "./font_face.ts";
import { textWidth } from "./text_width.ts";

const ASCII = Array.from({ length: 95 }, (_, i) => 32 + i);

Deno.test("text_width's table is the embedded font's advance widths (3 decimals)", async () => {
  const widths = await advanceWidths("normal", ASCII);
  const off = ASCII.filter((c, i) =>
    Math.abs(textWidth(String.fromCharCode(c), 1000) - 1000 * widths[i]) > 1
  ).map((c) => String.fromCharCode(c));
  assert.deepEqual(off, []);
  // Bold text: the table times BOLD_FACTOR is within 4% of the bold font's width.
  const title = "Excess risk over Bayes against depth T (L_te = 64)";
  const bold = await advanceWidths("bold", [...title].map((c) => c.codePointAt(0)!));
  const drawn = 14 * bold.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(textWidth(title, 14, true) / drawn - 1) < 0.04, `${drawn}`);
  // Control: a regular width is not within 4% of the bold one.
  assert.ok(Math.abs(textWidth(title, 14) / drawn - 1) > 0.04);
});

Deno.test("missingCharacters: Greek, math and arrows are in the font; CJK is not", async () => {
  assert.deepEqual(await missingCharacters("αβγηρΔΣ∞±√≈≤→↓²·×–— E_T - E*"), []);
  assert.deepEqual(await missingCharacters("中 a 文"), ["中", "文"]);
  assert.deepEqual(await missingCharacters("θ̂", "bold"), []);
});

Deno.test("svgText: the text of <text> elements by weight, character references decoded", () => {
  const svg = `<svg><text font-weight="bold">Title &amp; α</text><g><text x="1">a &lt; b` +
    `</text><text font-weight="700">B</text><text font-weight="normal">&#946;&#x3b3;</text></g>` +
    `<rect/></svg>`;
  assert.deepEqual(svgText(svg), { normal: "a < bβγ", bold: "Title & αB" });
  assert.equal(decodeEntities("&quot;&#39;&unknown;"), `"'&unknown;`);
});

/** The code points of the font in an `@font-face` of `css` with `weight`. */
async function subsetCodePoints(css: string, weight: string): Promise<number[]> {
  const rule = css.split("\n").find((l) => l.includes(`font-weight: ${weight};`));
  assert.ok(rule, `no @font-face of weight ${weight}`);
  const base64 = /url\(data:font\/woff;base64,([A-Za-z0-9+/=]+)\)/.exec(rule)![1];
  const hb = await import("npm:harfbuzzjs@1.6.4");
  const fontverter = await import("npm:fontverter@2.0.0");
  const sfnt = await fontverter.convert(Buffer.from(base64, "base64"), "truetype");
  return [...new hb.Face(new hb.Blob(sfnt)).collectUnicodes()];
}

Deno.test("fontFaceCss: a WOFF subset per weight holding the characters asked for", async () => {
  const css = await fontFaceCss({ normal: "E_T ≈ α", bold: "Fig" });
  assert.match(css, new RegExp(`font-family: ${FONT_FAMILY}; .*font-weight: normal;`));
  const normal = await subsetCodePoints(css, "normal");
  for (const c of "E_T≈α ") assert.ok(normal.includes(c.codePointAt(0)!), c);
  // A subset: far fewer characters than the font's thousands.
  assert.ok(normal.length < 20, `${normal.length}`);
  assert.ok(!normal.includes("F".codePointAt(0)!));
  const bold = await subsetCodePoints(css, "bold");
  for (const c of "Fig") assert.ok(bold.includes(c.codePointAt(0)!), c);
  // No bold text: no bold face.
  assert.ok(!(await fontFaceCss({ normal: "x", bold: "" })).includes("font-weight: bold"));
});

Deno.test("embedFontInSvg: the style goes right after the opening <svg> tag", async () => {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="10"><text>hi</text></svg>`;
  const out = await embedFontInSvg(svg);
  assert.match(out, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="10"><defs><style>/);
  assert.match(out, /<\/style><\/defs><text>hi<\/text><\/svg>$/);
  await assert.rejects(() => embedFontInSvg("<html></html>"), /no <svg> tag/);
});
