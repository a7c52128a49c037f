/**
 * The example notebooks as pages of the site, with their outputs: each `examples/*.ipynb` is
 * executed on Deno's Jupyter kernel (`jupyter nbconvert --execute`), its Vega-Lite outputs are
 * drawn as inline SVG (no script or CDN needed), and it is converted with nbconvert's `basic`
 * template into the site's layout. Without Jupyter the build fails with the reason, unless
 * `ICL_DOCS_SKIP_NOTEBOOKS=1` opts out (then each notebook's page says it was not rendered).
 *
 * @module
 */

import { renderSvg } from "../../src/rendering/render.ts";
import type { TopLevelSpec } from "npm:vega-lite@5";

/** The environment variable that lets a build without Jupyter skip the notebooks. */
export const SKIP_NOTEBOOKS_ENV = "ICL_DOCS_SKIP_NOTEBOOKS";

/** Why notebooks cannot be rendered here, or undefined when they can. */
export async function notebooksUnavailable(): Promise<string | undefined> {
  try {
    const version = await new Deno.Command("jupyter", {
      args: ["nbconvert", "--version"],
      stdout: "null",
      stderr: "null",
    }).output();
    if (!version.success) return "jupyter nbconvert does not run";
    const specs = await new Deno.Command("jupyter", {
      args: ["kernelspec", "list", "--json"],
      stdout: "piped",
      stderr: "null",
    }).output();
    const kernels = JSON.parse(new TextDecoder().decode(specs.stdout)).kernelspecs ?? {};
    if (!("deno" in kernels)) return "Deno's Jupyter kernel is not installed";
    return undefined;
  } catch {
    return "jupyter is not installed";
  }
}

/** The message of a build that needs Jupyter and has none. */
export function missingJupyterMessage(reason: string): string {
  return `cannot render the notebooks: ${reason}. Install Jupyter ` +
    "(apt-get install jupyter-nbconvert jupyter-client) and Deno's kernel " +
    `(npx -y deno@2.9.6 jupyter --install), or set ${SKIP_NOTEBOOKS_ENV}=1 to build without them`;
}

async function nbconvert(args: string[], cwd: string): Promise<void> {
  const out = await new Deno.Command("jupyter", {
    args: ["nbconvert", ...args],
    cwd,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    const stderr = new TextDecoder().decode(out.stderr);
    throw new Error(`jupyter nbconvert ${args.join(" ")} failed:\n${stderr.slice(-3000)}`);
  }
}

interface Output {
  output_type: string;
  data?: Record<string, unknown>;
}

/** Draws every Vega-Lite output of a notebook as an SVG output (in place); returns how many. */
export async function drawVegaLite(notebook: { cells: { outputs?: Output[] }[] }): Promise<number> {
  let drawn = 0;
  for (const cell of notebook.cells) {
    for (const output of cell.outputs ?? []) {
      const mime = Object.keys(output.data ?? {}).find((m) =>
        m.startsWith("application/vnd.vegalite")
      );
      if (mime === undefined) continue;
      const spec = output.data![mime] as TopLevelSpec;
      output.data!["image/svg+xml"] = await renderSvg(spec);
      delete output.data![mime];
      drawn++;
    }
  }
  return drawn;
}

/** The title of a notebook: its first Markdown heading, else the file's name. */
export function notebookTitle(
  notebook: { cells: { cell_type: string; source: string | string[] }[] },
  name: string,
): string {
  for (const cell of notebook.cells) {
    if (cell.cell_type !== "markdown") continue;
    const source = [cell.source].flat().join("");
    const heading = /^#+\s+(.+)$/m.exec(source);
    if (heading !== null) return heading[1].trim();
  }
  return name;
}

/** A rendered notebook: its title and its HTML body (nbconvert's `basic` template). */
export interface RenderedNotebook {
  name: string;
  title: string;
  html: string;
}

/** Executes and renders the notebook `examples/<name>.ipynb` of the repository at `root`. */
export async function renderNotebook(root: string, name: string): Promise<RenderedNotebook> {
  const dir = await Deno.makeTempDir({ prefix: "icl-notebook-" });
  try {
    await nbconvert([
      ...["--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=300"],
      ...["--output-dir", dir, "--output", `${name}.ipynb`, `${root}/examples/${name}.ipynb`],
    ], `${root}/examples`);
    const notebook = JSON.parse(await Deno.readTextFile(`${dir}/${name}.ipynb`));
    await drawVegaLite(notebook);
    await Deno.writeTextFile(`${dir}/${name}.ipynb`, JSON.stringify(notebook));
    await nbconvert(
      ["--to", "html", "--template", "basic", "--output-dir", dir, `${dir}/${name}.ipynb`],
      dir,
    );
    const html = await Deno.readTextFile(`${dir}/${name}.html`);
    return {
      name,
      title: notebookTitle(notebook, name),
      html: `<div class="notebook">\n${html}\n</div>`,
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The names of the notebooks of `examples/` (without `.ipynb`), sorted. */
export async function notebookNames(root: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(`${root}/examples`)) {
    if (entry.isFile && entry.name.endsWith(".ipynb")) names.push(entry.name.slice(0, -6));
  }
  return names.sort();
}

/**
 * Every notebook rendered, or, where Jupyter is missing and `skip` is set, a page per notebook
 * that says why it was not rendered; throws when Jupyter is missing and `skip` is not set.
 */
export async function renderNotebooks(root: string, skip: boolean): Promise<RenderedNotebook[]> {
  const names = await notebookNames(root);
  const reason = await notebooksUnavailable();
  if (reason !== undefined) {
    if (!skip) throw new Error(missingJupyterMessage(reason));
    return names.map((name) => ({
      name,
      title: name,
      html: `<h1>${name}</h1>\n<p>Not rendered in this build: ${reason} ` +
        `(${SKIP_NOTEBOOKS_ENV}=1).</p>`,
    }));
  }
  const rendered: RenderedNotebook[] = [];
  for (const name of names) rendered.push(await renderNotebook(root, name));
  return rendered;
}
