/**
 * The C11 sweep as a program (README, "Beyond the paper"): untied against tied LCA over
 * depths, one JSON row per depth (`src/figures/untied_sweep.ts`).
 *
 *   deno run -A tools/untied_sweep.ts [--prompts 2000] [--test-prompts 20000] [--steps 2500]
 *     [--depths 1,2,3,4,6,8] [--dim1 2] [--dim2 2] [--seed 0]
 *
 * @module
 */

import { parseArgs } from "node:util";
import { untiedSweep } from "../src/figures/untied_sweep.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    prompts: { type: "string" },
    "test-prompts": { type: "string" },
    steps: { type: "string" },
    depths: { type: "string" },
    dim1: { type: "string" },
    dim2: { type: "string" },
    seed: { type: "string" },
  },
});
untiedSweep({
  depths: (values.depths ?? "1,2,3,4,6,8").split(",").map(Number),
  prompts: Number(values.prompts ?? 2000),
  testPrompts: Number(values["test-prompts"] ?? 20000),
  steps: Number(values.steps ?? 2500),
  d1: Number(values.dim1 ?? 2),
  d2: Number(values.dim2 ?? 2),
  seed: Number(values.seed ?? 0),
}, (row) => console.log(JSON.stringify(row)));
