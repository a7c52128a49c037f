/**
 * The API reference of the site: `deno doc --html` over every entry point of deno.json's
 * `exports`, made fit for `file://` and for moving: links to a folder point to its index.html
 * (a browser shows a folder listing from `file://`), and the links to source files on the
 * building machine's disk are dropped.
 *
 * @module
 */

/** The entry points of deno.json's `exports`, as repository-relative paths. */
export async function exportedEntryPoints(root: string): Promise<string[]> {
  const config = JSON.parse(await Deno.readTextFile(`${root}/deno.json`));
  return Object.values(config.exports as Record<string, string>).map((p) => p.replace(/^\.\//, ""));
}

/**
 * One page of `deno doc --html` made portable: a relative link to a folder gets `index.html`,
 * and a `file:` link (the source of a symbol on the building machine) loses its `href`.
 */
export function portableApiPage(html: string): string {
  return html.replace(/\s+href="file:[^"]*"/g, "").replace(/href="([^"]*)"/g, (whole, value) => {
    const href = value.replace(/&#x2F;/g, "/");
    if (href === "" || !href.endsWith("/") || /^[a-z][a-z0-9+.-]*:/i.test(href)) return whole;
    return `href="${href}index.html"`;
  });
}

async function portableTree(dir: string): Promise<void> {
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) await portableTree(path);
    else if (entry.name.endsWith(".html")) {
      await Deno.writeTextFile(path, portableApiPage(await Deno.readTextFile(path)));
    }
  }
}

/** Writes the API reference of every exported entry point of `root` into `out/api`. */
export async function buildApi(root: string, out: string): Promise<void> {
  const entries = await exportedEntryPoints(root);
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--html", "--name=icl-verify", `--output=${out}/api`, ...entries],
    cwd: root,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!result.success) {
    const stderr = new TextDecoder().decode(result.stderr);
    throw new Error(`deno doc --html failed:\n${stderr.slice(-3000)}`);
  }
  await portableTree(`${out}/api`);
}
