/**
 * Where each file of the repository lands in the built site, and how a link written in the
 * repository (for reading on GitHub) is rewritten for the site: `.md` pages become `.html`,
 * the README becomes `index.html`, `docs/` is the site's root, notebooks are rendered pages.
 *
 * @module
 */

/** Normalises a POSIX path: removes `.` segments and resolves `..` (never above the root). */
export function normalise(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return out.join("/");
}

/** The folder of a repository-relative file ("" at the root). */
export function folderOf(path: string): string {
  return path.split("/").slice(0, -1).join("/");
}

/** The relative path from the folder `fromFolder` to the file `to` (both root-relative). */
export function relativePath(fromFolder: string, to: string): string {
  const from = fromFolder === "" ? [] : fromFolder.split("/");
  const target = to.split("/");
  let common = 0;
  while (
    common < from.length && common < target.length - 1 && from[common] === target[common]
  ) common++;
  return [...from.slice(common).map(() => ".."), ...target.slice(common)].join("/");
}

/**
 * The site path of a repository file, or undefined when the site does not hold it.
 * README.md is `index.html`, CHANGELOG.md `changelog.html`, `docs/X.md` is `X.html`, the other
 * files of `docs/` keep their path below it, `examples/N.ipynb` is `notebooks/N.html`, and
 * LICENSE is `LICENSE.txt`.
 */
export function sitePathOf(repoPath: string): string | undefined {
  const path = normalise(repoPath);
  if (path === "README.md") return "index.html";
  if (path === "CHANGELOG.md") return "changelog.html";
  if (path === "LICENSE") return "LICENSE.txt";
  const notebook = /^examples\/([^/]+)\.ipynb$/.exec(path);
  if (notebook !== null) return `notebooks/${notebook[1]}.html`;
  if (!path.startsWith("docs/")) return undefined;
  const inDocs = path.slice("docs/".length);
  return inDocs.endsWith(".md") ? `${inDocs.slice(0, -3)}.html` : inDocs;
}

/** Whether `href` names a scheme (`https:`, `mailto:`, `file:`, ...) or is protocol-relative. */
export function isAbsoluteUrl(href: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("//");
}

/**
 * A link written in the repository file `fromRepo`, rewritten for the site: relative links to
 * files the site holds point to their site path, with the same `#anchor`; a folder link to
 * `docs/figures/` points to its index.html. Absolute URLs and pure anchors are unchanged, and
 * so is a link to a file the site does not hold (the link check reports it).
 */
export function rewriteHref(href: string, fromRepo: string): string {
  if (href === "" || href.startsWith("#") || isAbsoluteUrl(href)) return href;
  const hashAt = href.indexOf("#");
  const target = hashAt < 0 ? href : href.slice(0, hashAt);
  const anchor = hashAt < 0 ? "" : href.slice(hashAt);
  let repoTarget = normalise(`${folderOf(fromRepo)}/${decodeURI(target)}`);
  if (target.endsWith("/") || repoTarget === "docs/figures") repoTarget += "/index.html";
  repoTarget = normalise(repoTarget);
  const site = sitePathOf(repoTarget);
  const from = sitePathOf(fromRepo);
  if (site === undefined || from === undefined) return href;
  return encodeURI(relativePath(folderOf(from), site)) + anchor;
}

/** The GitHub-style anchor of a heading's text: lower case, punctuation dropped, `-` for spaces. */
export function slug(text: string): string {
  return text.trim().toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, "").replace(
    / /g,
    "-",
  );
}
