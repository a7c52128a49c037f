import assert from "node:assert/strict";
import { type LegendEntry, legendLayers } from "./legend_layers.ts";

type Layer = {
  data: { values: { entry: string }[] };
  mark: { type: string; strokeDash?: number[]; shape?: string; color?: string };
  encoding: { x: { value: number }; x2?: { value: number }; y: { value: number } };
};

const entry = (label: string, dash = [1, 0]): LegendEntry => ({
  label,
  color: "#123456",
  dash,
  shape: "diamond",
});

Deno.test("legendLayers: each entry draws its line with its dash, its marker and its label", () => {
  const layers = legendLayers([entry("A", [6, 3])], 600, 320) as unknown as Layer[];
  assert.deepEqual(layers.map((l) => l.mark.type), ["rule", "point", "text"]);
  assert.ok(layers.every((l) => l.data.values[0].entry === "A"));
  const [line, marker, text] = layers;
  assert.deepEqual(line.mark.strokeDash, [6, 3]);
  assert.equal(line.mark.color, "#123456");
  // The line is 30 px long with the marker in its middle and the label after it.
  assert.equal(line.encoding.x2!.value - line.encoding.x.value, 30);
  assert.equal(marker.mark.shape, "diamond");
  assert.equal(marker.encoding.x.value, 15);
  assert.ok(text.encoding.x.value > line.encoding.x2!.value);
  // Under the plot.
  assert.ok(layers.every((l) => l.encoding.y.value > 320));
});

Deno.test("legendLayers: entries fill up to three columns as the width allows, then rows", () => {
  const rows = (width: number, n: number) => {
    const entries = Array.from({ length: n }, (_, i) => entry(`series ${i}`));
    const lines = (legendLayers(entries, width, 320) as unknown as Layer[])
      .filter((l) => l.mark.type === "rule");
    return new Set(lines.map((l) => l.encoding.y.value)).size;
  };
  assert.equal(rows(600, 3), 1);
  assert.equal(rows(600, 5), 2);
  // Control: a plot too narrow for two entries puts each in its own row.
  assert.equal(rows(100, 3), 3);
});

Deno.test("legendLayers: a line-only entry draws no marker, a points-only entry no line", () => {
  const types = (e: LegendEntry) =>
    (legendLayers([e], 600, 320) as unknown as Layer[]).map((l) => l.mark.type);
  assert.deepEqual(types({ ...entry("L"), marks: "line" }), ["rule", "text"]);
  assert.deepEqual(types({ ...entry("P"), marks: "points" }), ["point", "text"]);
  // Control: the default draws both.
  assert.deepEqual(types(entry("B")), ["rule", "point", "text"]);
});
