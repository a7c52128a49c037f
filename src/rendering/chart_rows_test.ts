import assert from "node:assert/strict";
import { chartRows, edgeExits, type SeriesStyle, usedStyles } from "./chart_rows.ts";
import { yScale } from "./y_scale.ts";

const styles: SeriesStyle[] = [
  { label: "A", color: "#111111", dash: [1, 0] },
  { label: "dots", color: "#222222", dash: [1, 0], marks: "points", filled: true, markerSize: 20 },
  { label: "ref", color: "#000000", dash: [8, 4], reference: true },
];

Deno.test("chartRows: rows keep the order given; a series of points draws no line", () => {
  const points = [
    { series: "A", x: 3, y: 1 },
    { series: "A", x: 1, y: 2 },
    { series: "dots", x: 2, y: 1.5 },
  ];
  const used = usedStyles(styles, points);
  assert.deepEqual(used.map((s) => s.label), ["A", "dots"]);
  const { rows } = chartRows(points, used, yScale([1, 2], false, 100), 100);
  assert.deepEqual(rows.map((r) => [r.index, r.line, r.marker, r.filled, r.size]), [
    [0, true, true, false, 42],
    [1, true, true, false, 42],
    [2, false, true, true, 20],
  ]);
  // Control: a point of an unknown series is refused.
  assert.throws(() => usedStyles(styles, [{ series: "B", x: 1, y: 1 }]), /got "B"/);
});

Deno.test("edgeExits: where a reference curve crosses the edge, and its next value beyond", () => {
  const y = yScale([1, 10], false, 100);
  // Domain 1 - 0.54 .. 10 + 0.54 (6% padding); the curve falls from 5 to -5 between x = 2 and 4.
  const points = [{ series: "ref", x: 0, y: 5 }, { series: "ref", x: 2, y: 5 }, {
    series: "ref",
    x: 4,
    y: -5,
  }];
  const used = usedStyles(styles, points);
  const [exit] = edgeExits(points, used, y, 100, false);
  assert.equal(exit.edge, "bottom");
  assert.deepEqual(exit.beyond, { x: 4, y: -5 });
  const bottom = y.domain[0];
  assert.ok(Math.abs(exit.x - (2 + 2 * (5 - bottom) / 10)) < 1e-9, `${exit.x}`);
  // A curve coming in from above the axis is marked where it enters, at the top.
  const entering = [{ series: "ref", x: 1, y: 50 }, { series: "ref", x: 2, y: 5 }];
  assert.deepEqual(edgeExits(entering, used, y, 100, false).map((e) => e.edge), ["top"]);
  // Control: series that are not reference curves get edge triangles instead, no exits.
  const plain = usedStyles(styles, [{ series: "A", x: 1, y: 50 }, { series: "A", x: 2, y: 5 }]);
  assert.deepEqual(
    edgeExits([{ series: "A", x: 1, y: 50 }, { series: "A", x: 2, y: 5 }], plain, y, 100, false),
    [],
  );
});
