/**
 * The items of a rendered Vega scenegraph placed in the plot's coordinates (each with
 * the offset of its enclosing groups and their roles), and the box geometry that the
 * readability checks use on them.
 *
 * @module
 */

/** An axis-aligned box (px). */
export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** An item of the Vega scenegraph, with the attributes the checks read. */
export interface SceneItem {
  x?: number;
  y?: number;
  x2?: number;
  y2?: number;
  width?: number;
  height?: number;
  bounds: Box;
  datum?: Record<string, unknown>;
  items?: SceneMark[];
  text?: unknown;
  limit?: number;
  fontSize?: number;
  fontWeight?: string | number;
  shape?: string;
  strokeDash?: number[];
  stroke?: string;
}

/** A mark of the Vega scenegraph: its type, role and items. */
export interface SceneMark {
  marktype: string;
  role: string;
  items: SceneItem[];
}

/** A scene item with the offset of its group, relative to the plot's origin. */
export interface Placed {
  mark: SceneMark;
  item: SceneItem;
  dx: number;
  dy: number;
  /** Roles of the enclosing marks, outermost first. */
  roles: string[];
}

/** Every item under `mark`, offset by its enclosing groups. */
function collect(mark: SceneMark, dx: number, dy: number, roles: string[], out: Placed[]): void {
  for (const item of mark.items ?? []) {
    out.push({ mark, item, dx, dy, roles });
    if (mark.marktype === "group") {
      for (const child of item.items ?? []) {
        collect(child, dx + (item.x ?? 0), dy + (item.y ?? 0), [...roles, mark.role], out);
      }
    }
  }
}

/** The bounding box of a placed item, relative to the plot's origin. */
export function boxOf(p: Placed): Box {
  const b = p.item.bounds;
  return { x1: b.x1 + p.dx, y1: b.y1 + p.dy, x2: b.x2 + p.dx, y2: b.y2 + p.dy };
}

/** Liang-Barsky: whether the segment (x1,y1)-(x2,y2) meets the box. */
export function segmentMeetsBox(x1: number, y1: number, x2: number, y2: number, box: Box): boolean {
  let t0 = 0, t1 = 1;
  const dx = x2 - x1, dy = y2 - y1;
  const edges: [number, number][] = [
    [-dx, x1 - box.x1],
    [dx, box.x2 - x1],
    [-dy, y1 - box.y1],
    [dy, box.y2 - y1],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return false;
    } else {
      const t = q / p;
      if (p < 0) {
        if (t > t1) return false;
        if (t > t0) t0 = t;
      } else {
        if (t < t0) return false;
        if (t < t1) t1 = t;
      }
    }
  }
  return true;
}

/** Whether two boxes overlap (touching edges do not). */
export function boxesMeet(a: Box, b: Box): boolean {
  return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
}

/**
 * Every item under the plot's frame (the first item of the scenegraph's root), in
 * scenegraph order, each with its offset and the roles of its enclosing marks.
 */
export function placedItems(frame: SceneItem): Placed[] {
  const placed: Placed[] = [];
  for (const child of frame.items ?? []) collect(child, 0, 0, [], placed);
  return placed;
}
