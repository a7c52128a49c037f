/**
 * Builds the documentation site, offline, into a folder: the README as `index.html`, every
 * Markdown page of `docs/` and the changelog rendered with a sidebar, the other files of `docs/`
 * (figures, records, captures) copied, the API reference of every entry point of deno.json
 * (`deno doc --html`, into `api/`) and the example notebooks with their outputs. Every link is
 * relative, so the site works from `file://`.
 *
 * @module
 */

import { ALL_CLAIMS } from "../../src/claims/claims.ts";
import { markdownFiles } from "./docs_generate.ts";
import {
  markdownRenderer,
  type NavLink,
  type NavSection,
  pageHtml,
  renderMarkdown,
  requireSitePath,
  STYLE_CSS,
} from "./docs_page.ts";
import { renderNotebooks } from "./docs_notebooks.ts";
import { buildApi } from "./docs_api.ts";
import { folderOf } from "./docs_site_paths.ts";

/** Options of {@linkcode buildSite}. */
export interface BuildOptions {
  /** Build without the notebooks when Jupyter is missing (else that is an error). */
  skipNotebooks?: boolean;
  /** Leave out the API reference (faster; for tests of the pages alone). */
  skipApi?: boolean;
}

/**
 * The order of the sidebar: each section's pages by file stem; others follow by name. The claim
 * pages follow the registry (`ALL_CLAIMS`): a claim added there is ordered at once.
 */
export const NAV_ORDER: Readonly<Record<string, readonly string[]>> = {
  guide: ["cli", "library", "own_claims", "webgpu", "figures", "notebooks"],
  reference: ["model", "derivations", "samplers", "schedules", "verification", "architecture"],
  claims: ALL_CLAIMS.map((claim) => claim.id.toLowerCase()),
  reports: ["calibration", "untied", "performance", "mutation"],
};

/** A page to render: its repository path, site path and title. */
interface Page {
  repoPath: string;
  sitePath: string;
  title: string;
  html: string;
}

function sectionLinks(pages: readonly Page[], folder: string): NavLink[] {
  const order = NAV_ORDER[folder] ?? [];
  const inFolder = pages.filter((p) => folderOf(p.repoPath) === `docs/${folder}`);
  const rank = (p: Page) => {
    const at = order.indexOf(p.repoPath.split("/").at(-1)!.replace(/\.md$/, ""));
    return at < 0 ? order.length : at;
  };
  return inFolder.sort((a, b) => rank(a) - rank(b) || a.repoPath.localeCompare(b.repoPath))
    .map((p) => ({ title: p.title, path: p.sitePath }));
}

/** The sidebar of the site from its pages and notebooks. */
export function navigation(
  pages: readonly Page[],
  notebooks: readonly NavLink[],
  withApi: boolean,
): NavSection[] {
  const reference = sectionLinks(pages, "reference");
  if (withApi) reference.push({ title: "API (deno doc)", path: "api/index.html" });
  return [
    {
      title: "icl-verify",
      links: [{ title: "Home", path: "index.html" }, {
        title: "Changelog",
        path: "changelog.html",
      }],
    },
    { title: "Guide", links: sectionLinks(pages, "guide") },
    { title: "Reference", links: reference },
    { title: "Claims", links: sectionLinks(pages, "claims") },
    { title: "Reports", links: sectionLinks(pages, "reports") },
    {
      title: "Outputs",
      links: [{ title: "Figures", path: "figures/index.html" }, ...notebooks],
    },
  ];
}

async function write(path: string, text: string): Promise<void> {
  await Deno.mkdir(folderOf(path) || ".", { recursive: true });
  await Deno.writeTextFile(path, text);
}

/** Copies every file of `docs/` that is not Markdown to the same place under `out`. */
async function copyDocsFiles(root: string, out: string, dir = "docs"): Promise<void> {
  for await (const entry of Deno.readDir(`${root}/${dir}`)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) await copyDocsFiles(root, out, path);
    else if (!entry.name.endsWith(".md")) {
      const target = `${out}/${path.slice("docs/".length)}`;
      await Deno.mkdir(folderOf(target), { recursive: true });
      await Deno.copyFile(`${root}/${path}`, target);
    }
  }
}

async function readPages(root: string): Promise<Page[]> {
  const md = markdownRenderer();
  const files = [...await markdownFiles(root, true), "CHANGELOG.md"];
  const pages: Page[] = [];
  for (const repoPath of files) {
    const text = await Deno.readTextFile(`${root}/${repoPath}`);
    const { title, html } = renderMarkdown(md, text, repoPath);
    pages.push({ repoPath, sitePath: requireSitePath(repoPath), title, html });
  }
  return pages;
}

/** Builds the site of the repository at `root` into `out` (created or overwritten). */
export async function buildSite(
  root: string,
  out: string,
  options: BuildOptions = {},
): Promise<void> {
  await Deno.remove(out, { recursive: true }).catch(() => {});
  await Deno.mkdir(out, { recursive: true });
  const pages = await readPages(root);
  const notebooks = await renderNotebooks(root, options.skipNotebooks ?? false);
  const notebookLinks = notebooks.map((n) => ({
    title: n.title,
    path: requireSitePath(`examples/${n.name}.ipynb`),
  }));
  const nav = navigation(pages, notebookLinks, !options.skipApi);
  for (const page of pages) {
    await write(`${out}/${page.sitePath}`, pageHtml(nav, page.sitePath, page.title, page.html));
  }
  for (const [i, notebook] of notebooks.entries()) {
    const path = notebookLinks[i].path;
    await write(`${out}/${path}`, pageHtml(nav, path, notebook.title, notebook.html));
  }
  await write(`${out}/style.css`, STYLE_CSS);
  await copyDocsFiles(root, out);
  await Deno.copyFile(`${root}/LICENSE`, `${out}/LICENSE.txt`);
  if (!options.skipApi) await buildApi(root, out);
}
