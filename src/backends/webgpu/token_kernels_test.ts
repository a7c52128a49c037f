import assert from "node:assert/strict";
import {
  GRAM_GROUP_BLOCKS,
  GRAM_LANES,
  gramKernelWgsl,
  gramOffsets,
  MAX_WEBGPU_DIM,
  projectKernelWgsl,
  TILE_SCRATCH_BYTES,
  TILE_SLOTS,
  tileBatch,
  tileLayout,
} from "./token_kernels.ts";

Deno.test("tileLayout: the augmented row padded to vec4, the Gram's blocks split in groups", () => {
  const small = tileLayout(4, "gram");
  assert.deepEqual(small, {
    d: 4,
    mode: "gram",
    de: 8,
    nb: 2,
    nbk: small.nbk,
    workgroup: GRAM_LANES,
    groups: 1,
    blocksPerGroup: 3,
    slot: GRAM_LANES * 4 * 3,
  });
  // d = 64: 17 vec4 per row, 153 upper blocks in 3 groups of 51 (at most GRAM_GROUP_BLOCKS).
  const large = tileLayout(64, "gram");
  assert.equal(large.nb, 17);
  assert.equal(large.groups, 3);
  assert.equal(large.blocksPerGroup, 51);
  assert.ok(large.blocksPerGroup <= GRAM_GROUP_BLOCKS);
  const project = tileLayout(5, "project");
  assert.equal(project.de, 8);
  assert.equal(project.groups, 1);
  assert.equal(project.slot, GRAM_LANES * project.nb);
  assert.throws(
    () => tileLayout(MAX_WEBGPU_DIM + 1, "gram"),
    new RegExp(`^RangeError: d must be at most ${MAX_WEBGPU_DIM} on webgpu, got 85$`),
  );
});

Deno.test("gramOffsets: the vec4 rows of the upper blocks (0,0), (0,1), (1,1) in order", () => {
  assert.deepEqual([...gramOffsets(4)], [0, 2, 4, 6, 1, 3, 5, 7, 9, 11, 13, 15]);
  // Every vec4 of the upper block triangle appears exactly once.
  const offsets = gramOffsets(20);
  assert.equal(new Set(offsets).size, offsets.length);
});

Deno.test("tileBatch: prompts per dispatch bounded by the slots and the scratch size", () => {
  assert.equal(tileBatch(10, 4), 10);
  assert.equal(tileBatch(5000, 4), TILE_SLOTS / 4);
  assert.equal(tileBatch(5000, 1, TILE_SCRATCH_BYTES / 8), 8);
  assert.equal(tileBatch(3, 5000), 1, "at least one prompt");
});

Deno.test("the token kernels' WGSL: one accumulator per block of the group, for every group", () => {
  const d = 64, layout = tileLayout(d, "gram");
  let accumulators = 0;
  for (let group = 0; group < layout.groups; group++) {
    const source = gramKernelWgsl(d, group);
    assert.match(source, /const D: u32 = 64u;/);
    accumulators += source.match(/var acc\d+ = vec4<f32>\(0\.0\);/g)?.length ?? 0;
  }
  assert.equal(accumulators, 4 * layout.nb * (layout.nb + 1) / 2);
  const project = projectKernelWgsl(6);
  assert.equal(
    project.match(/var acc\d+ = vec4<f32>\(0\.0\);/g)?.length,
    tileLayout(6, "project").nb,
  );
});
