import assert from "node:assert/strict";
import { webgpuBench, webgpuVerify } from "./docs_report_webgpu.ts";
import { readRecords, recordNamed, RECORDS_DIR } from "./docs_records.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const records = await readRecords(`${ROOT}${RECORDS_DIR}`);

Deno.test("webgpu: the benchmark report as recorded, and verdicts beside the CPU's seconds", () => {
  assert.match(webgpuBench(records), /^WebGPU adapter: /);
  assert.match(webgpuBench(records), /\| case \| backend \|/);
  assert.match(webgpuVerify(records), /^Adapter: /);
  assert.match(webgpuVerify(records), /\| C1 \| holds \|/);
  // Control: a record whose data is not text is refused.
  const bench = { ...recordNamed(records, "webgpu-bench"), data: { table: "x" } };
  assert.throws(() => webgpuBench(new Map(records).set("webgpu-bench", bench)), /not text/);
});
