/**
 * Headless SVG rendering: Vega-Lite compiled to Vega, rendered by a Vega View with
 * `renderer: "none"` (no canvas or browser needed).
 *
 * @module
 */

import process from "node:process";
import type { TopLevelSpec } from "npm:vega-lite@5";

type Libraries = [typeof import("npm:vega@5"), typeof import("npm:vega-lite@5")];
let libraries: Promise<Libraries> | undefined;

/**
 * Loads Vega and Vega-Lite once. Vega's loader pulls in a Node package that uses the
 * deprecated `punycode` module; its one-line deprecation warning is silenced.
 */
function load(): Promise<Libraries> {
  if (!libraries) {
    (process as unknown as { noDeprecation: boolean }).noDeprecation = true;
    libraries = Promise.all([import("npm:vega@5"), import("npm:vega-lite@5")]);
  }
  return libraries;
}

/** Renders a Vega-Lite specification to an SVG document string. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, vegaLite] = await load();
  const compiled = vegaLite.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
