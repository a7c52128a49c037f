/**
 * Headless SVG rendering: Vega-Lite compiled to Vega, rendered by a Vega View with
 * `renderer: "none"` (no canvas or browser needed). Text widths come from the
 * DejaVu Sans table of `text_width.ts` instead of Vega's 0.8 em per character, and the
 * SVG carries DejaVu Sans itself (`font_face.ts`), so the SVG's size and the text
 * bounding boxes match what a browser draws, whatever fonts its machine has.
 *
 * @module
 */

import process from "node:process";
import type { TopLevelSpec } from "npm:vega-lite@5";
import { vegaTextWidth } from "./text_width.ts";
import { embedFontInSvg } from "./font_face.ts";

type Libraries = [typeof import("npm:vega@5"), typeof import("npm:vega-lite@5")];
let libraries: Promise<Libraries> | undefined;

/**
 * Loads Vega and Vega-Lite once. Vega's loader pulls in a Node package that uses the
 * deprecated `punycode` module; its one-line deprecation warning is silenced.
 */
function load(): Promise<Libraries> {
  if (!libraries) {
    (process as unknown as { noDeprecation: boolean }).noDeprecation = true;
    libraries = Promise.all([import("npm:vega@5"), import("npm:vega-lite@5")]).then((libs) => {
      const metrics = (libs[0] as unknown as { textMetrics: { width: unknown } }).textMetrics;
      metrics.width = vegaTextWidth;
      return libs;
    });
  }
  return libraries;
}

/** A Vega View of a Vega-Lite specification, run headless; the caller finalizes it. */
export async function headlessView(spec: TopLevelSpec): Promise<import("npm:vega@5").View> {
  const [vega, vegaLite] = await load();
  const compiled = vegaLite.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  await view.runAsync();
  return view;
}

/**
 * Renders a Vega-Lite specification to an SVG document string, with the font subset that
 * its text needs embedded.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = await headlessView(spec);
  try {
    return await embedFontInSvg(await view.toSVG());
  } finally {
    view.finalize();
  }
}
