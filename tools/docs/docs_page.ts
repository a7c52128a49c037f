/**
 * One page of the site: Markdown rendered by markdown-it (headings get GitHub-style ids, links
 * and images are rewritten for the site), wrapped in the site's layout with its sidebar.
 *
 * @module
 */

// @ts-types="npm:@types/markdown-it@14"
import MarkdownIt from "npm:markdown-it@14";
import { folderOf, relativePath, rewriteHref, sitePathOf, slug } from "./docs_site_paths.ts";

/** A sidebar entry: a title and the site path it links to. */
export interface NavLink {
  title: string;
  path: string;
}

/** A sidebar section. */
export interface NavSection {
  title: string;
  links: NavLink[];
}

type Token = ReturnType<MarkdownIt["parse"]>[number];

function headingIds(tokens: Token[]): void {
  const seen = new Map<string, number>();
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].type !== "heading_open") continue;
    const inline = tokens[i + 1];
    const text = (inline.children ?? []).filter((t) =>
      t.type === "text" || t.type === "code_inline"
    )
      .map((t) => t.content).join("");
    const base = slug(text);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    tokens[i].attrSet("id", count === 0 ? base : `${base}-${count}`);
  }
}

function rewriteLinks(tokens: Token[], fromRepo: string): void {
  for (const token of tokens) {
    if (token.children !== null) rewriteLinks(token.children, fromRepo);
    if (token.type === "link_open") {
      token.attrSet("href", rewriteHref(token.attrGet("href") ?? "", fromRepo));
    } else if (token.type === "image") {
      token.attrSet("src", rewriteHref(token.attrGet("src") ?? "", fromRepo));
    }
  }
}

/** The markdown-it instance of the site: raw HTML allowed (the generated-block markers). */
export function markdownRenderer(): MarkdownIt {
  return new MarkdownIt({ html: true });
}

/** A rendered Markdown file: its title (first heading) and its HTML body. */
export interface RenderedMarkdown {
  title: string;
  html: string;
}

/** Renders the Markdown `text` of the repository file `fromRepo` for the site. */
export function renderMarkdown(md: MarkdownIt, text: string, fromRepo: string): RenderedMarkdown {
  const tokens = md.parse(text, {});
  headingIds(tokens);
  rewriteLinks(tokens, fromRepo);
  const h1 = tokens.findIndex((t) => t.type === "heading_open");
  const title = h1 < 0 ? fromRepo : (tokens[h1 + 1].children ?? []).map((t) => t.content).join("");
  return { title, html: md.renderer.render(tokens, md.options, {}) };
}

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(
    /"/g,
    "&quot;",
  );
}

function sidebar(nav: readonly NavSection[], sitePath: string): string {
  const here = folderOf(sitePath);
  const sections = nav.map((section) => {
    const items = section.links.map((link) => {
      const current = link.path === sitePath ? ' aria-current="page"' : "";
      const href = encodeURI(relativePath(here, link.path));
      return `<li><a href="${href}"${current}>${escapeHtml(link.title)}</a></li>`;
    });
    return `<h2>${escapeHtml(section.title)}</h2>\n<ul>\n${items.join("\n")}\n</ul>`;
  });
  return `<nav class="sidebar">\n${sections.join("\n")}\n</nav>`;
}

/** A whole page of the site at `sitePath`, with the sidebar and the site's stylesheet. */
export function pageHtml(
  nav: readonly NavSection[],
  sitePath: string,
  title: string,
  body: string,
): string {
  const css = relativePath(folderOf(sitePath), "style.css");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · icl-verify</title>
<link rel="stylesheet" href="${css}">
</head>
<body>
${sidebar(nav, sitePath)}
<main>
${body}
</main>
</body>
</html>
`;
}

/** The site path of a rendered repository file (throws for one the site does not hold). */
export function requireSitePath(repoPath: string): string {
  const site = sitePathOf(repoPath);
  if (site === undefined) throw new RangeError(`the site does not hold ${repoPath}`);
  return site;
}

/** The site's stylesheet. */
export const STYLE_CSS = `*{box-sizing:border-box}
body{margin:0;display:flex;font:16px/1.55 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2328}
.sidebar{flex:0 0 16rem;height:100vh;position:sticky;top:0;overflow-y:auto;padding:1rem;
background:#f6f8fa;border-right:1px solid #d0d7de;font-size:14px}
.sidebar h2{font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:#59636e;margin:1rem 0 .3rem}
.sidebar ul{list-style:none;margin:0;padding:0}
.sidebar li a{display:block;padding:.15rem .4rem;border-radius:4px;color:#1f2328;text-decoration:none}
.sidebar li a:hover{background:#eaeef2}
.sidebar a[aria-current]{background:#ddf4ff;font-weight:600}
main{flex:1;min-width:0;max-width:72rem;padding:1.5rem 2.5rem}
a{color:#0969da}
code,pre{font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace}
code{background:#eff1f3;padding:.1em .3em;border-radius:4px}
pre{background:#f6f8fa;padding:.8rem;overflow-x:auto;border-radius:6px}
pre code{background:none;padding:0}
table{border-collapse:collapse;display:block;overflow-x:auto;margin:1rem 0;font-size:14px}
th,td{border:1px solid #d0d7de;padding:.3rem .6rem;vertical-align:top}
th{background:#f6f8fa}
blockquote{margin:0;padding:0 1rem;border-left:4px solid #d0d7de;color:#59636e}
img{max-width:100%}
.notebook .input_area pre,.notebook .jp-InputArea pre{border-left:3px solid #0969da}
.notebook .output_area pre,.notebook .jp-OutputArea pre{background:#fff;border:1px solid #d0d7de}
`;
