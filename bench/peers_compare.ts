/**
 * Side-by-side comparison with the independent numpy peer (`bench/peers/numpy_peer.py`):
 * one Deno process and one Python process, each case run alternately (JS, numpy, JS,
 * numpy, ...) `--reps` times; the minimum of each side is reported with their ratio
 * (JS time / numpy time; below 1 means JS is faster). The ceilings are measured the same
 * way: a register-blocked float64 matrix product in plain JS and numpy's single-thread
 * GEMM, in GFLOP/s. "fraction of ceiling" = (useful flops / time) / that side's ceiling.
 *
 * Not run in CI (needs python3 + numpy). Run:
 *   deno run -A bench/peers_compare.ts [--reps 5] [--json out.json] [--cases a,b]
 *
 * @module
 */

import { parseArgs } from "node:util";
import { samplePromptStatistics } from "../src/model/statistics.ts";
import { CounterStream } from "../src/numeric/random.ts";
import { lcaSpectralLoss } from "../src/model/losses.ts";
import type { SpectralStatistics } from "../src/model/statistics.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    reps: { type: "string", default: "5" },
    json: { type: "string" },
    cases: { type: "string" },
  },
});
const reps = Number(values.reps);

const python = new Deno.Command("python3", {
  args: [new URL("./peers/numpy_peer.py", import.meta.url).pathname],
  stdin: "piped",
  stdout: "piped",
  stderr: "inherit",
  env: { OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1", MKL_NUM_THREADS: "1" },
}).spawn();
const writer = python.stdin.getWriter();
const reader = python.stdout.pipeThrough(new TextDecoderStream()).getReader();
let buffered = "";
async function peer(request: unknown): Promise<number> {
  await writer.write(new TextEncoder().encode(JSON.stringify(request) + "\n"));
  while (!buffered.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("numpy peer exited");
    buffered += value;
  }
  const line = buffered.slice(0, buffered.indexOf("\n"));
  buffered = buffered.slice(buffered.indexOf("\n") + 1);
  return JSON.parse(line).seconds[0];
}

/** Plain-JS ceiling: C = A B, n x n, i-k-j order with 4 rows of C per sweep (2 n^3 flops). */
function jsGemm(a: Float64Array, b: Float64Array, c: Float64Array, n: number): void {
  c.fill(0);
  for (let i = 0; i < n; i += 4) {
    const r0 = i * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
    for (let k = 0; k < n; k++) {
      const a0 = a[r0 + k], a1 = a[r1 + k], a2 = a[r2 + k], a3 = a[r3 + k];
      const bk = k * n;
      for (let j = 0; j < n; j++) {
        const v = b[bk + j];
        c[r0 + j] += a0 * v;
        c[r1 + j] += a1 * v;
        c[r2 + j] += a2 * v;
        c[r3 + j] += a3 * v;
      }
    }
  }
}

interface Case {
  name: string;
  /** Useful flops of one run (for the fraction of ceiling), or 0 if not a flop kernel. */
  flops: number;
  js: () => void;
  numpy: unknown;
}

const gemmN = 256;
const ga = Float64Array.from({ length: gemmN * gemmN }, (_, i) => Math.sin(i));
const gb = Float64Array.from({ length: gemmN * gemmN }, (_, i) => Math.cos(i));
const gc = new Float64Array(gemmN * gemmN);

const stepSpectral: SpectralStatistics = {
  prompts: 2000,
  dim: 8,
  lambda: Float64Array.from({ length: 16000 }, (_, i) => 0.2 + 5.8 * ((i * 0.618034) % 1)),
  weight: Float64Array.from({ length: 16000 }, (_, i) => Math.sin(i)),
};
const stepTarget = Float64Array.from({ length: 2000 }, (_, i) => Math.cos(i));

const tokenFlops = (N: number, L: number, d: number) => N * L * (d * (d + 1) + 2 * d);
const wishartFlops = (N: number, d: number) => {
  const p = d + 2;
  return N * (p * (p + 1) * (p + 2)) / 3;
};
let seed = 0;
const stats = (N: number, L: number, d: number, sampler: "tokens" | "wishart") => () =>
  samplePromptStatistics({ prompts: N, context: L, d1: d / 2, d2: d / 2, seed: seed++, sampler });

const cases: Case[] = [
  {
    name: "ceiling: GEMM 256 (JS) / 512 (numpy)",
    flops: 2 * gemmN ** 3,
    js: () => jsGemm(ga, gb, gc, gemmN),
    numpy: { case: "gemm", params: { n: 512 } },
  },
  {
    name: "normals: 1e6 standard normals",
    flops: 0,
    js: () => {
      const g = new CounterStream({ seed: seed++, stream: 0 });
      const out = new Float64Array(1000);
      for (let t = 0; t < 1000; t++) g.normals(0, t, 2, 1000, out);
    },
    numpy: { case: "normals", params: { count: 1e6 } },
  },
  ...[[2000, 100, 8], [1024, 1024, 64]].flatMap(([N, L, d]) => [
    {
      name: `statistics default (wishart) vs numpy tokens: N=${N}, L=${L}, d=${d}`,
      flops: 0,
      js: stats(N, L, d, "wishart"),
      numpy: { case: "tokens", params: { N, L, d } },
    },
    {
      name: `statistics wishart vs numpy wishart: N=${N}, L=${L}, d=${d}`,
      flops: wishartFlops(N, d),
      js: stats(N, L, d, "wishart"),
      numpy: { case: "wishart", params: { N, L, d } },
    },
    {
      name: `statistics tokens vs numpy tokens: N=${N}, L=${L}, d=${d}`,
      flops: tokenFlops(N, L, d),
      js: stats(N, L, d, "tokens"),
      numpy: { case: "tokens", params: { N, L, d } },
    },
  ]),
  {
    name: "statistics wishart vs numpy wishart: N=4096, L=4096, d=64",
    flops: wishartFlops(4096, 64),
    js: stats(4096, 4096, 64, "wishart"),
    numpy: { case: "wishart", params: { N: 4096, L: 4096, d: 64 } },
  },
  {
    name: "LCA spectral training step: N=2000, d=8, T=10",
    flops: 2000 * 8 * 10 * 6,
    js: () => lcaSpectralLoss(stepSpectral, stepTarget, { alpha: 0.2, beta: -0.2, depth: 10 }),
    numpy: { case: "step", params: { N: 2000, d: 8, T: 10 } },
  },
];

const selected = values.cases
  ? cases.filter((c) => values.cases!.split(",").some((k) => c.name.includes(k)))
  : cases;
const rows: Record<string, unknown>[] = [];
let ceilingJs = NaN, ceilingNumpy = NaN;
for (const c of selected) {
  c.js(); // warm-up (JIT) outside the timed runs
  await peer({ ...(c.numpy as object), reps: 1 });
  const js: number[] = [], np: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    c.js();
    js.push((performance.now() - t) / 1000);
    np.push(await peer({ ...(c.numpy as object), reps: 1 }));
  }
  const jsMin = Math.min(...js), npMin = Math.min(...np);
  if (c.name.startsWith("ceiling")) {
    ceilingJs = c.flops / jsMin / 1e9;
    ceilingNumpy = 2 * 512 ** 3 / npMin / 1e9;
  }
  const row = {
    case: c.name,
    jsSeconds: jsMin,
    numpySeconds: npMin,
    ratio: jsMin / npMin,
    jsGflops: c.flops ? c.flops / jsMin / 1e9 : null,
    jsFractionOfCeiling: c.flops ? c.flops / jsMin / 1e9 / ceilingJs : null,
  };
  rows.push(row);
  console.log(
    `| ${c.name} | ${jsMin.toFixed(4)} | ${npMin.toFixed(4)} | ${(jsMin / npMin).toFixed(2)} | ${
      row.jsFractionOfCeiling === null ? "-" : row.jsFractionOfCeiling.toFixed(2)
    } |`,
  );
}
console.log(
  `ceilings (GFLOP/s, min of ${reps}): plain JS ${ceilingJs.toFixed(2)}, numpy 1 thread ${
    ceilingNumpy.toFixed(2)
  }`,
);
if (values.json) {
  await Deno.writeTextFile(
    values.json,
    JSON.stringify({ reps, ceilingJs, ceilingNumpy, rows }, null, 2) + "\n",
  );
}
await writer.close();
await python.status;
