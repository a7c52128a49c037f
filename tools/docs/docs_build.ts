/**
 * `deno task docs`: regenerates the generated Markdown (README blocks, claim pages, reports)
 * from the committed records, then builds the site into `site/` (or `--out DIR`), offline.
 *
 *   npx -y deno@2.9.6 task docs                  # regenerate, then build site/
 *   npx -y deno@2.9.6 task docs --out /tmp/site  # build elsewhere
 *   npx -y deno@2.9.6 task docs --check          # only check that the Markdown is fresh
 *
 * Without Jupyter the build stops with the reason; `ICL_DOCS_SKIP_NOTEBOOKS=1` builds the
 * site without the rendered notebooks.
 *
 * @module
 */

import { regenerate, staleFiles } from "./docs_generate.ts";
import { buildSite } from "./docs_site.ts";
import { SKIP_NOTEBOOKS_ENV } from "./docs_notebooks.ts";

/** The options of the command line: where to build, and whether only to check. */
export interface BuildArgs {
  out: string;
  check: boolean;
}

/** Parses the command line of `deno task docs`; throws a RangeError on an unknown flag. */
export function parseBuildArgs(args: readonly string[]): BuildArgs {
  const parsed: BuildArgs = { out: "site", check: false };
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--check") parsed.check = true;
    else if (args[i] === "--out" && i + 1 < args.length) parsed.out = args[++i];
    else throw new RangeError(`unknown argument ${args[i]} (use --out DIR or --check)`);
  }
  return parsed;
}

async function main(): Promise<number> {
  const root = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
  const args = parseBuildArgs(Deno.args);
  if (args.check) {
    const stale = await staleFiles(root);
    for (const s of stale) console.error(`stale: ${s.file} (run: npx -y deno@2.9.6 task docs)`);
    return stale.length === 0 ? 0 : 1;
  }
  for (const file of await regenerate(root)) console.error(`regenerated ${file}`);
  const out = args.out.startsWith("/") ? args.out : `${root}/${args.out}`;
  const skipNotebooks = Deno.env.get(SKIP_NOTEBOOKS_ENV) === "1";
  await buildSite(root, out, { skipNotebooks });
  console.error(`built ${out}/index.html`);
  return 0;
}

if (import.meta.main) {
  try {
    Deno.exit(await main());
  } catch (error) {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    Deno.exit(1);
  }
}
