/**
 * The `index.html` page that shows every figure with its caption and data links.
 *
 * @module
 */

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
  /** Rows of the theory-agreement table (plain text cells; default none). */
  table?: { header: string[]; rows: string[][] };
}

/** The page's HTML: a static document with an <img> per SVG (no scripts). */
export function indexHtml(options: PageOptions): string {
  const figures = options.entries.map((e) =>
    `<figure>
  <img src="${escapeHtml(e.svg)}" alt="${escapeHtml(e.title)}">
  <figcaption><strong>${escapeHtml(e.title)}.</strong> ${escapeHtml(e.caption)}
  Data: ${
      e.data.map((d) => `<a href="${escapeHtml(d)}">${escapeHtml(d)}</a>`).join(", ")
    }.</figcaption>
</figure>`
  ).join("\n");
  const table = options.table
    ? `<table>
<thead><tr>${options.table.header.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead>
<tbody>
${
      options.table.rows.map((r) =>
        `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`
      )
        .join("\n")
    }
</tbody>
</table>`
    : "";
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(options.heading)}</title>
<style>
body { font-family: sans-serif; max-width: 1100px; margin: 2em auto; color: #222; }
figure { margin: 2em 0; }
figure img { display: block; width: 100%; height: auto; border: 1px solid #ddd; box-sizing: border-box; }
figcaption { max-width: 900px; line-height: 1.4; }
table { border-collapse: collapse; font-size: 0.85em; }
td, th { border: 1px solid #ccc; padding: 0.3em 0.5em; vertical-align: top; }
</style>
</head>
<body>
<h1>${escapeHtml(options.heading)}</h1>
<p>${escapeHtml(options.summary)}</p>
${table}
${figures}
</body>
</html>
`;
}
