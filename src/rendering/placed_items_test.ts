import assert from "node:assert/strict";
import {
  type Box,
  boxesMeet,
  boxOf,
  placedItems,
  type SceneItem,
  segmentMeetsBox,
} from "./placed_items.ts";

const bounds = (x1: number, y1: number, x2: number, y2: number): Box => ({ x1, y1, x2, y2 });

Deno.test("placedItems: items of nested groups carry the groups' offsets and roles", () => {
  const text: SceneItem = { x: 1, y: 2, bounds: bounds(0, 0, 10, 5) };
  const group: SceneItem = {
    x: 100,
    y: 50,
    bounds: bounds(0, 0, 200, 100),
    items: [{ marktype: "text", role: "legend-label", items: [text] }],
  };
  const frame: SceneItem = {
    bounds: bounds(0, 0, 600, 320),
    items: [{ marktype: "group", role: "legend", items: [group] }],
  };
  const placed = placedItems(frame);
  assert.equal(placed.length, 2);
  assert.deepEqual(placed.map((p) => p.mark.marktype), ["group", "text"]);
  const [outer, inner] = placed;
  assert.deepEqual([outer.dx, outer.dy, outer.roles], [0, 0, []]);
  assert.deepEqual([inner.dx, inner.dy, inner.roles], [100, 50, ["legend"]]);
  assert.deepEqual(boxOf(inner), bounds(100, 50, 110, 55));
  // Control: the items of a non-group mark are not descended into.
  const flat = placedItems({
    bounds: bounds(0, 0, 1, 1),
    items: [{ marktype: "symbol", role: "mark", items: [group] }],
  });
  assert.equal(flat.length, 1);
});

Deno.test("segmentMeetsBox (Liang-Barsky) and boxesMeet", () => {
  const box = bounds(0, 0, 10, 10);
  assert.ok(segmentMeetsBox(-5, 5, 15, 5, box), "through");
  assert.ok(segmentMeetsBox(2, 2, 3, 3, box), "inside");
  assert.ok(segmentMeetsBox(-5, -5, 5, 5, box), "into a corner region");
  assert.ok(!segmentMeetsBox(-5, 5, -1, 5, box), "stops short");
  assert.ok(!segmentMeetsBox(-5, 11, 15, 11, box), "passes above");
  assert.ok(!segmentMeetsBox(11, -10, 21, 10, box), "diagonal outside");
  assert.ok(boxesMeet(box, bounds(9, 9, 20, 20)));
  // Control: boxes that only touch do not meet.
  assert.ok(!boxesMeet(box, bounds(10, 0, 20, 10)));
});
