/**
 * Text widths for headless rendering. Without a canvas, Vega estimates a text's
 * width as 0.8 x font size per character, which is about 40% wider than the text a
 * browser draws; the SVG's size (autosize "pad") and every text bounding box would
 * follow that estimate. This table holds the advance widths of DejaVu Sans, the font
 * that every SVG and the page embed (`font_face.ts`, from npm:@fontsource/dejavu-sans),
 * in em; `font_face_test.ts` checks it against the font file.
 *
 * @module
 */

// Advance widths of DejaVu Sans Book in em for the printable ASCII range 32..126, to 3
// decimals: `advanceWidths` of font_face.ts prints them from the font file.
const ASCII_EM: readonly number[] = [
  0.318,
  0.401,
  0.46,
  0.838,
  0.636,
  0.95,
  0.78,
  0.275,
  0.39,
  0.39,
  0.5,
  0.838,
  0.318,
  0.361,
  0.318,
  0.337,
  0.636,
  0.636,
  0.636,
  0.636,
  0.636,
  0.636,
  0.636,
  0.636,
  0.636,
  0.636,
  0.337,
  0.337,
  0.838,
  0.838,
  0.838,
  0.531,
  1.0,
  0.684,
  0.686,
  0.698,
  0.77,
  0.632,
  0.575,
  0.775,
  0.752,
  0.295,
  0.295,
  0.656,
  0.557,
  0.863,
  0.748,
  0.787,
  0.603,
  0.787,
  0.695,
  0.635,
  0.611,
  0.732,
  0.684,
  0.989,
  0.685,
  0.611,
  0.685,
  0.39,
  0.337,
  0.39,
  0.838,
  0.5,
  0.5,
  0.613,
  0.635,
  0.55,
  0.635,
  0.615,
  0.352,
  0.635,
  0.634,
  0.278,
  0.278,
  0.579,
  0.278,
  0.974,
  0.634,
  0.612,
  0.635,
  0.635,
  0.411,
  0.521,
  0.392,
  0.634,
  0.592,
  0.818,
  0.592,
  0.592,
  0.525,
  0.636,
  0.337,
  0.636,
  0.838,
];

/** Width in em of a character outside printable ASCII (Greek letters, symbols). */
const OTHER_EM = 0.7;

/** Bold text is about this much wider than regular text in DejaVu Sans. */
const BOLD_FACTOR = 1.12;

/**
 * Width in pixels of `text` in DejaVu Sans at `fontSize` pixels (bold when
 * `bold`), rounded up.
 */
export function textWidth(text: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    em += code >= 32 && code <= 126 ? ASCII_EM[code - 32] : OTHER_EM;
  }
  return Math.ceil(em * fontSize * (bold ? BOLD_FACTOR : 1));
}

/** A Vega text item as far as its width is concerned. */
interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
  text?: unknown;
}

/**
 * Vega's `textMetrics.width(item, text)` with the table above: the text of the
 * item (or `text`) at the item's font size (default 11) and weight.
 */
export function vegaTextWidth(item: TextItem, text?: unknown): number {
  const value = text ?? item.text;
  const content = value == null ? "" : Array.isArray(value) ? value.join(" ") : String(value);
  const weight = item.fontWeight;
  const bold = weight === "bold" || (typeof weight === "number" && weight >= 600);
  return textWidth(content, item.fontSize ?? 11, bold);
}
