import assert from "node:assert/strict";
import {
  drawVegaLite,
  missingJupyterMessage,
  notebookNames,
  notebookTitle,
  SKIP_NOTEBOOKS_ENV,
} from "./docs_notebooks.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

Deno.test("drawVegaLite turns a Vega-Lite output into an SVG output", async () => {
  const spec = {
    data: { values: [{ x: 1, y: 2 }, { x: 2, y: 3 }] },
    mark: "line",
    encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } },
  };
  const notebook = {
    cells: [{
      outputs: [
        {
          output_type: "display_data",
          data: { "application/vnd.vegalite.v5+json": spec, "text/plain": "chart" },
        },
        { output_type: "stream" },
      ],
    }],
  };
  assert.equal(await drawVegaLite(notebook), 1);
  const data = notebook.cells[0].outputs[0].data!;
  assert.match(String(data["image/svg+xml" as keyof typeof data]), /^<svg/);
  assert.ok(!("application/vnd.vegalite.v5+json" in data));
});

Deno.test("notebook titles and names; the message of a build without Jupyter names the opt-out", async () => {
  const cells = [{ cell_type: "code", source: "# not a heading" }, {
    cell_type: "markdown",
    source: ["Intro\n", "## Training a model\n"],
  }];
  assert.equal(notebookTitle({ cells }, "02"), "Training a model");
  assert.equal(notebookTitle({ cells: [] }, "02"), "02");
  const names = await notebookNames(ROOT);
  assert.ok(names.includes("01_population"), names.join(", "));
  assert.deepEqual(names, [...names].sort());
  assert.match(
    missingJupyterMessage("jupyter is not installed"),
    new RegExp(`${SKIP_NOTEBOOKS_ENV}=1`),
  );
});
