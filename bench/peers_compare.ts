/**
 * Side-by-side comparison with the independent numpy peer (`bench/peers/numpy_peer.py`):
 * one Deno process and one Python process, each case run alternately (JS, numpy, JS,
 * numpy, ...) `--reps` times; the minimum of each side is reported with their ratio
 * (JS time / numpy time; below 1 means JS is faster). The ceilings are measured the same
 * way: for plain JS, 8 independent multiply-add chains kept in registers (no memory
 * traffic: the scalar float64 peak a JS kernel can reach); for numpy, its single-thread
 * GEMM (n = 512), in GFLOP/s. "fraction of ceiling" = (useful flops / time) / the JS
 * ceiling.
 *
 * Not run in CI (needs python3 + numpy). Run:
 *   deno run -A bench/peers_compare.ts [--reps 5] [--json out.json] [--cases a,b]
 *
 * @module
 */

import { parseArgs } from "node:util";
import { samplePromptStatistics } from "../src/model/prompt_statistics.ts";
import { CounterStream } from "../src/numeric/random.ts";
import { lcaSpectralLoss } from "../src/model/losses.ts";
import type { SpectralStatistics } from "../src/model/prompt_statistics.ts";

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

/**
 * Plain-JS ceiling: 8 independent multiply-add chains in registers (16 flops per
 * iteration; 8 chains fit the 16 vector registers, 16 chains spill and run slower).
 */
function jsPeak(iterations: number): number {
  let a0 = 1, a1 = 1, a2 = 1, a3 = 1, a4 = 1, a5 = 1, a6 = 1, a7 = 1;
  const m = 0.9999999, c = 1e-7;
  for (let i = 0; i < iterations; i++) {
    a0 = a0 * m + c;
    a1 = a1 * m + c;
    a2 = a2 * m + c;
    a3 = a3 * m + c;
    a4 = a4 * m + c;
    a5 = a5 * m + c;
    a6 = a6 * m + c;
    a7 = a7 * m + c;
  }
  return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7;
}

interface Case {
  name: string;
  /** Useful flops of one run (for the fraction of ceiling), or 0 if not a flop kernel. */
  flops: number;
  js: () => void;
  numpy: unknown;
}

const peakIterations = 4e7;

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
    name: "ceiling: JS register multiply-add peak / numpy GEMM 512",
    flops: 16 * peakIterations,
    js: () => jsPeak(peakIterations),
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
    name: "LCA spectral training step x100: N=2000, d=8, T=10",
    // Per (prompt, eigenvalue, layer): g += u^k, g1 += k u^(k-1), u^k *= u (4 flops).
    flops: 100 * 2000 * 8 * 10 * 4,
    js: () => {
      for (let i = 0; i < 100; i++) {
        lcaSpectralLoss(stepSpectral, stepTarget, { alpha: 0.2, beta: -0.2, depth: 10 });
      }
    },
    numpy: { case: "step", params: { N: 2000, d: 8, T: 10, repeat: 100 } },
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
    // Null when the ceiling case was not selected (--cases without "ceiling").
    jsFractionOfCeiling: c.flops && Number.isFinite(ceilingJs)
      ? c.flops / jsMin / 1e9 / ceilingJs
      : null,
  };
  rows.push(row);
  console.log(
    `| ${c.name} | ${jsMin.toFixed(4)} | ${npMin.toFixed(4)} | ${(jsMin / npMin).toFixed(2)} | ${
      row.jsFractionOfCeiling === null ? "-" : row.jsFractionOfCeiling.toFixed(2)
    } |`,
  );
}
if (Number.isFinite(ceilingJs)) {
  console.log(
    `ceilings (GFLOP/s, min of ${reps}): plain JS ${ceilingJs.toFixed(2)}, numpy 1 thread ${
      ceilingNumpy.toFixed(2)
    }`,
  );
} else console.log("ceilings not measured (the ceiling case was not selected)");
if (values.json) {
  await Deno.writeTextFile(
    values.json,
    JSON.stringify(
      {
        reps,
        ceilingJs: Number.isFinite(ceilingJs) ? ceilingJs : null,
        ceilingNumpy: Number.isFinite(ceilingNumpy) ? ceilingNumpy : null,
        rows,
      },
      null,
      2,
    ) + "\n",
  );
}
await writer.close();
await python.status;
