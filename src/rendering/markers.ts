/**
 * Marker shapes of the chart series: Vega symbol names and two path markers, in the
 * order series get them, and their names for captions.
 *
 * @module
 */

/** A hollow "x" marker (Vega symbol path). */
export const X_MARKER = "M-1,-1L1,1M-1,1L1,-1";

/** A pentagon marker (Vega symbol path). */
export const PENTAGON_MARKER = "M0,-1L0.95,-0.31L0.59,0.81L-0.59,0.81L-0.95,-0.31Z";

/** Marker shapes in the order series get them (triangles up/down mark clipped points). */
export const MARKERS: readonly string[] = [
  "circle",
  "square",
  "diamond",
  "cross",
  "triangle-right",
  "triangle-left",
  X_MARKER,
  PENTAGON_MARKER,
];

/** A marker's name for captions ("x" and "pentagon" for the path markers). */
export function markerName(shape: string): string {
  return shape === X_MARKER ? "x" : shape === PENTAGON_MARKER ? "pentagon" : shape;
}

/** Area of a series marker (Vega symbol size, square pixels), in the plot and the legend. */
export const MARKER_SIZE = 42;
