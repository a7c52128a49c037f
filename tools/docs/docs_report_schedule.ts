/**
 * The float32 step-order measurement of the schedule models, rendered from the record
 * `schedule-float32` (`tools/schedule_float32_record.ts`): per law and depth, the exact float64
 * excess, the float32 floor, and per layer order the relative error of the float32 excess and
 * the relative forward error of the predictions.
 *
 * @module
 */

import { recordNamed, type Records } from "./docs_records.ts";
import { sig, table } from "./docs_markdown.ts";

/** One order's entry of the record, as far as the docs read it. */
interface OrderEntry {
  order: string;
  relativeError: number;
  forwardError: number;
}

/** One row of the record, as far as the docs read it. */
interface Float32Row {
  law: string;
  context: number | "Infinity";
  depth: number;
  excess: number;
  floor32: number;
  orders: OrderEntry[];
}

/** The rows of the record, checked for the fields the table reads. */
function float32Rows(records: Records): Float32Row[] {
  const rows = (recordNamed(records, "schedule-float32").data as { rows?: unknown }).rows;
  if (!Array.isArray(rows) || rows.length === 0) {
    throw new TypeError("record schedule-float32: data.rows is not a list of rows");
  }
  return rows as Float32Row[];
}

/**
 * The table of one context (`Infinity` or a number, as recorded): law, T, the exact excess, the
 * float32 floor, then the relative error of the float32 excess and the forward error per order.
 */
export function scheduleFloat32Table(records: Records, context: string): string {
  const rows = float32Rows(records).filter((row) => String(row.context) === context);
  if (rows.length === 0) {
    throw new RangeError(`record schedule-float32: no rows at context ${context}`);
  }
  const orders = rows[0].orders.map((entry) => entry.order);
  const body = rows.map((row) => [
    row.law,
    String(row.depth),
    sig(row.excess, 2),
    sig(row.floor32, 2),
    ...row.orders.map((entry) => sig(entry.relativeError, 2)),
    ...row.orders.map((entry) => sig(entry.forwardError, 2)),
  ]);
  const headers = [
    "law",
    "T",
    "excess (float64)",
    "float32 floor",
    ...orders.map((order) => `rel. error, ${order}`),
    ...orders.map((order) => `forward error, ${order}`),
  ];
  return table(headers, body, headers.map((_, i) => (i === 0 ? "left" : "right")));
}
