/**
 * The `index.html` page that shows every figure with its caption and data links, then
 * the theory-agreement table, in the figures' own font (embedded, `font_face.ts`).
 *
 * @module
 */

import { decodeEntities, FONT_STACK, fontFaceCss } from "./font_face.ts";

/** One entry of the page. */
export interface PageEntry {
  title: string;
  caption: string;
  /** SVG file name, relative to the page. */
  svg: string;
  /** Data file names, relative to the page. */
  data: string[];
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** Options of {@linkcode indexHtml}. */
export interface PageOptions {
  /** Page heading. */
  heading: string;
  /** One paragraph under the heading (plain text). */
  summary: string;
  entries: PageEntry[];
  /**
   * The theory-agreement table, after the figures under its heading (plain text cells;
   * default none).
   */
  table?: { heading: string; header: string[]; rows: string[][] };
}

/** The page's style: the embedded font, margins at every width, figures as wide as the text. */
const STYLE = `body { font-family: ${FONT_STACK}; max-width: 1100px; margin: 2em auto; ` +
  `padding: 0 24px; color: #222; }
figure { margin: 2em 0; }
figure img { display: block; width: 100%; height: auto; border: 1px solid #ddd; box-sizing: border-box; }
figcaption { max-width: 900px; line-height: 1.4; }
table { border-collapse: collapse; font-size: 0.85em; }
td, th { border: 1px solid #ccc; padding: 0.3em 0.5em; vertical-align: top; }`;

function figureHtml(e: PageEntry): string {
  const links = e.data.map((d) => `<a href="${escapeHtml(d)}">${escapeHtml(d)}</a>`).join(", ");
  return `<figure>
  <img src="${escapeHtml(e.svg)}" alt="${escapeHtml(e.title)}">
  <figcaption><strong>${escapeHtml(e.title)}.</strong> ${escapeHtml(e.caption)}
  Data: ${links}.</figcaption>
</figure>`;
}

function tableHtml(table: NonNullable<PageOptions["table"]>): string {
  const cells = (row: string[], tag: string) =>
    row.map((c) => `<${tag}>${escapeHtml(c)}</${tag}>`).join("");
  return `<h2>${escapeHtml(table.heading)}</h2>
<table>
<thead><tr>${cells(table.header, "th")}</tr></thead>
<tbody>
${table.rows.map((r) => `<tr>${cells(r, "td")}</tr>`).join("\n")}
</tbody>
</table>`;
}

/** The text of an HTML fragment (tags dropped, character references decoded). */
function textOf(html: string): string {
  return decodeEntities(html.replace(/<[^>]*>/g, " "));
}

/**
 * The page's HTML: a static document (no scripts) with the heading, the summary, an
 * <img> per SVG with its caption, then the table; the font subset its text needs is
 * embedded in its style.
 */
export async function indexHtml(options: PageOptions): Promise<string> {
  const body = `<h1>${escapeHtml(options.heading)}</h1>
<p>${escapeHtml(options.summary)}</p>
${options.entries.map(figureHtml).join("\n")}
${options.table ? tableHtml(options.table) : ""}`;
  const bold = [...body.matchAll(/<(h1|h2|strong|th)>([\s\S]*?)<\/\1>/g)].map((m) => m[2]);
  const font = await fontFaceCss({ normal: textOf(body), bold: textOf(bold.join(" ")) });
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(options.heading)}</title>
<style>
${font}
${STYLE}
</style>
</head>
<body>
${body}
</body>
</html>
`;
}
