/**
 * The link check of a built site: every HTML page is opened in headless Chromium, and a link to
 * a missing file or to a missing `#anchor`, an image that does not load, a resource fetched from
 * the network (a CDN) or a link that leaves the site is a problem.
 *
 * @module
 */

import { Browser, type PageReport } from "./docs_browser.ts";

/** Every `.html` file under `dir` (absolute paths, sorted). */
export async function htmlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(path: string): Promise<void> {
    for await (const entry of Deno.readDir(path)) {
      if (entry.isDirectory) await walk(`${path}/${entry.name}`);
      else if (entry.name.endsWith(".html")) out.push(`${path}/${entry.name}`);
    }
  }
  await walk(dir);
  return out.sort();
}

function fileUrl(path: string): string {
  return new URL(`file://${path.split("/").map(encodeURIComponent).join("/")}`).href;
}

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** The file path and anchor of a `file:` URL ("" when it has none). */
function fileTarget(url: string): { path: string; anchor: string } {
  const parsed = new URL(url);
  return {
    path: decodeURIComponent(parsed.pathname),
    anchor: decodeURIComponent(parsed.hash.slice(1)),
  };
}

/**
 * The problems of the reports of the pages of a site in `dir`: links to missing files or
 * anchors, links leaving the site, broken images, network resources, failed navigations.
 */
export function linkProblems(dir: string, reports: readonly PageReport[]): string[] {
  const root = dir.endsWith("/") ? dir : `${dir}/`;
  const ids = new Map<string, Set<string>>();
  for (const report of reports) ids.set(fileTarget(report.page).path, new Set(report.ids));
  const problems: string[] = [];
  for (const report of reports) {
    const page = fileTarget(report.page).path.slice(root.length);
    if (report.error !== undefined) problems.push(`${page}: cannot be opened (${report.error})`);
    for (const link of report.links) {
      if (!link.startsWith("file:")) continue;
      const { path, anchor } = fileTarget(link);
      const shown = path.startsWith(root) ? path.slice(root.length) : path;
      if (!path.startsWith(root)) problems.push(`${page}: link leaves the site: ${shown}`);
      else if (!isFile(path)) problems.push(`${page}: broken link to ${shown}`);
      else if (anchor !== "" && ids.has(path) && !ids.get(path)!.has(anchor)) {
        problems.push(`${page}: broken anchor ${shown}#${anchor}`);
      }
    }
    for (const resource of report.resources) {
      if (/^(https?:)?\/\//.test(resource)) {
        problems.push(`${page}: loads ${resource} from the network`);
      } else if (resource.startsWith("file:") && !isFile(fileTarget(resource).path)) {
        problems.push(`${page}: missing resource ${fileTarget(resource).path.slice(root.length)}`);
      }
    }
    for (const image of report.brokenImages) {
      problems.push(`${page}: image does not load: ${image}`);
    }
  }
  return problems;
}

/**
 * Whether a page (site-relative) is parsed rather than opened: the pages of `deno doc`'s API
 * reference below its index, many hundreds of them, whose links and ids the browser's parser
 * reads in one pass.
 */
export function parsedOnly(page: string): boolean {
  return page.startsWith("api/") && page !== "api/index.html";
}

/**
 * Opens every page of the site in `dir` with the Chromium `executable` (the API reference's
 * inner pages are parsed by it instead, see {@linkcode parsedOnly}) and reports the problems.
 */
export async function checkSite(dir: string, executable: string): Promise<string[]> {
  const root = dir.endsWith("/") ? dir : `${dir}/`;
  const files = await htmlFiles(dir);
  const parsed = files.filter((f) => parsedOnly(f.slice(root.length))).map(fileUrl);
  const browser = await Browser.launch(executable);
  const reports: PageReport[] = [];
  try {
    for (const file of files.filter((f) => !parsedOnly(f.slice(root.length)))) {
      reports.push(await browser.visit(fileUrl(file)));
    }
    for (let i = 0; i < parsed.length; i += 200) {
      reports.push(...await browser.parse(parsed.slice(i, i + 200)));
    }
  } finally {
    await browser.close();
  }
  return linkProblems(dir, reports);
}
