/**
 * The WebGPU measurements, rendered from records: `bench/webgpu_report.ts`'s table (record
 * `webgpu-bench`) and `verify --quick` with prompts sampled in WebGPU kernels against the CPU
 * (records `verify-webgpu` and `verify-quick`).
 *
 * @module
 */

import { recordNamed, type Records } from "./docs_records.ts";
import { table } from "./docs_markdown.ts";
import { claimsOf } from "./docs_claims_render.ts";

/** The benchmark report's own Markdown (its adapter line and table), as recorded. */
export function webgpuBench(records: Records): string {
  const text = recordNamed(records, "webgpu-bench").data;
  if (typeof text !== "string") throw new TypeError("record webgpu-bench: data is not text");
  return text.trim();
}

/** Each claim's verdict and claim time at CI size on WebGPU and on the CPU. */
export function webgpuVerify(records: Records): string {
  const gpu = recordNamed(records, "verify-webgpu");
  const cpu = new Map(claimsOf(recordNamed(records, "verify-quick")).map((c) => [c.id, c]));
  const adapter = (gpu.data as { backend?: { adapter?: string } }).backend?.adapter ?? "unknown";
  const rows = claimsOf(gpu).map((claim) => [
    claim.id,
    claim.passed ? "holds" : "**fails**",
    claim.seconds.toFixed(1),
    cpu.get(claim.id)?.seconds.toFixed(1) ?? "-",
  ]);
  return [
    `Adapter: ${adapter}.`,
    "",
    table(["claim", "verdict on WebGPU", "seconds (WebGPU)", "seconds (CPU)"], rows, [
      "left",
      "left",
      "right",
      "right",
    ]),
  ].join("\n");
}
