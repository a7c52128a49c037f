import assert from "node:assert/strict";
import { type ChartNotes, COINCIDE_PX, coincidentPairs, describeNotes } from "./chart_notes.ts";
import { X_MARKER } from "./markers.ts";

const NOTES: ChartNotes = {
  yDomain: [0.01, 1],
  informative: ["A", "B"],
  clipped: [],
  coincident: [],
  markers: { A: "circle", B: X_MARKER, C: "square" },
};

Deno.test("coincidentPairs: series within COINCIDE_PX at two or more shared x inside the plot", () => {
  const pixel = (y: number) => 100 - y;
  const points = [
    { series: "A", x: 1, y: 10 },
    { series: "A", x: 2, y: 20 },
    { series: "B", x: 1, y: 10 + COINCIDE_PX - 0.5 },
    { series: "B", x: 2, y: 20 },
    { series: "C", x: 1, y: 10 - COINCIDE_PX },
    { series: "C", x: 2, y: 20 },
  ];
  assert.deepEqual(coincidentPairs(points, ["A", "B", "C"], pixel, 100), [["A", "B"]]);
  // Control: one shared x is not enough, and x where both are off the plot do not count.
  assert.deepEqual(
    coincidentPairs(points.filter((p) => p.x === 1), ["A", "B", "C"], pixel, 100),
    [],
  );
  const off = [...points.slice(0, 4), { series: "A", x: 3, y: 500 }, { series: "B", x: 3, y: 900 }];
  assert.deepEqual(coincidentPairs(off, ["A", "B"], pixel, 100), [["A", "B"]]);
});

Deno.test("describeNotes: coinciding series with their markers, clipped points with the reason", () => {
  assert.equal(describeNotes(NOTES, "T", "Why."), "");
  const text = describeNotes(
    {
      ...NOTES,
      coincident: [["A", "B"]],
      clipped: [
        { series: "C", x: 16, y: 12345, edge: "top" },
        { series: "C", x: 32, y: 0.0001234, edge: "bottom" },
        { series: "A", x: 2, y: 2.5, edge: "top" },
      ],
    },
    "L_te",
    "Why.",
  );
  assert.equal(
    text,
    `"A" and "B" coincide at this scale (less than 3 px apart at every point); both are drawn, ` +
      `with different markers (circle, x). Beyond the y axis, drawn as a filled triangle at the ` +
      `top and bottom edge: "C" at L_te = 16 (1.23e+4), 32 (1.23e-4). Beyond the y axis, drawn ` +
      `as a filled triangle at the top edge: "A" at L_te = 2 (2.5). Why.`,
  );
  // Control: without clipped points the reason is not given.
  assert.ok(!describeNotes({ ...NOTES, coincident: [["A", "C"]] }, "T", "Why.").includes("Why"));
});
