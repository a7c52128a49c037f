import assert from "node:assert/strict";
import { markerName, MARKERS, PENTAGON_MARKER, X_MARKER } from "./markers.ts";

Deno.test("markers: every series marker is distinct and none is an edge triangle", () => {
  assert.equal(new Set(MARKERS).size, MARKERS.length);
  assert.ok(!MARKERS.includes("triangle-up") && !MARKERS.includes("triangle-down"));
  assert.ok(MARKERS.includes(X_MARKER) && MARKERS.includes(PENTAGON_MARKER));
});

Deno.test("markerName: the path markers get a word, Vega symbols keep their name", () => {
  assert.equal(markerName(X_MARKER), "x");
  assert.equal(markerName(PENTAGON_MARKER), "pentagon");
  assert.equal(markerName("diamond"), "diamond");
  // Control: a path that is not one of the two is shown as it is.
  assert.equal(markerName("M0,0L1,1"), "M0,0L1,1");
});
