/**
 * Side-by-side comparison with the independent numpy peer (`bench/peers/numpy_peer.py`):
 * one Deno process and one Python process, each case run in alternated pairs (JS, numpy,
 * JS, numpy, ...) `--reps` times after an untimed warm-up (JS for 0.3 s, numpy as many
 * runs); the median of each side
 * is reported with their ratio (JS median / numpy median; below 1 means JS is faster),
 * and the minima beside them. The `sampler` cases compare the exact statistics sampler
 * (`src/model/wishart.ts`) with numpy's batched Bartlett sampler of the same statistics
 * at the sizes of issue 24 (N = 2000, L = 100, d = 2, 4, 8; N = 1024, L = 1024, d = 64). The ceilings are measured the same
 * way: for plain JS, 8 independent multiply-add chains kept in registers (no memory
 * traffic: the scalar float64 peak a JS kernel can reach); for numpy, its single-thread
 * GEMM (n = 512), in GFLOP/s. "fraction of ceiling" = (useful flops / time) / the JS
 * ceiling.
 *
 * Not run in CI (needs python3 + numpy). Run:
 *   deno run -A bench/peers_compare.ts [--reps 9] [--json out.json] [--cases a,b]
 *     [--malloc reuse|default]
 * `--cases` keeps the cases whose name contains one of the words (e.g. `--cases sampler`);
 * `--json -` writes the JSON to stdout and the table to stderr (the `sampler-peers` record).
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
    reps: { type: "string", default: "9" },
    json: { type: "string" },
    cases: { type: "string" },
    malloc: { type: "string", default: "reuse" },
  },
});
// `--malloc reuse` (default): both processes run with the same glibc malloc settings that keep
// freed memory for reuse (no mmap for large blocks, no trimming). Otherwise numpy's time at small
// sizes depends on the allocator's history (its temporaries are page-faulted afresh or not: 1.2
// against 1.6 ms at d = 2 here), and so would a comparison. Deno reads them at start, so the
// script re-runs itself with them. `--malloc default` leaves both processes as they start.
if (values.malloc !== "reuse" && values.malloc !== "default") {
  throw new RangeError(`--malloc must be reuse or default, got ${values.malloc}`);
}
const MALLOC_ENV: Record<string, string> = values.malloc === "reuse"
  ? { MALLOC_MMAP_THRESHOLD_: "1073741824", MALLOC_TRIM_THRESHOLD_: "4294967296" }
  : {};
if (Object.entries(MALLOC_ENV).some(([k, v]) => Deno.env.get(k) !== v)) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(import.meta.url).pathname, ...Deno.args],
    env: MALLOC_ENV,
    stdin: "inherit",
  }).spawn();
  Deno.exit((await child.status).code);
}
const reps = Number(values.reps);
if (!Number.isInteger(reps) || reps < 1) {
  throw new RangeError(`--reps must be a positive integer, got ${values.reps}`);
}
const jsonToStdout = values.json === "-";
/** The table goes to stderr when the JSON goes to stdout. */
const print = (line: string) => jsonToStdout ? console.error(line) : console.log(line);

const python = new Deno.Command("python3", {
  args: [new URL("./peers/numpy_peer.py", import.meta.url).pathname],
  stdin: "piped",
  stdout: "piped",
  stderr: "inherit",
  env: { OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1", MKL_NUM_THREADS: "1", ...MALLOC_ENV },
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
  ...[[2000, 100, 2], [2000, 100, 4], [2000, 100, 8], [1024, 1024, 64], [4096, 4096, 64]].map((
    [N, L, d],
  ) => ({
    name: `sampler: exact statistics, wishart vs numpy wishart: N=${N}, L=${L}, d=${d}`,
    flops: wishartFlops(N, d),
    js: stats(N, L, d, "wishart"),
    numpy: { case: "wishart", params: { N, L, d } },
  })),
  ...[[2000, 100, 8], [1024, 1024, 64]].flatMap(([N, L, d]) => [
    {
      name: `statistics default (wishart) vs numpy tokens: N=${N}, L=${L}, d=${d}`,
      flops: 0,
      js: stats(N, L, d, "wishart"),
      numpy: { case: "tokens", params: { N, L, d } },
    },
    {
      name: `statistics tokens vs numpy tokens: N=${N}, L=${L}, d=${d}`,
      flops: tokenFlops(N, L, d),
      js: stats(N, L, d, "tokens"),
      numpy: { case: "tokens", params: { N, L, d } },
    },
  ]),
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

const words = values.cases?.split(",");
const selected = words ? cases.filter((c) => words.some((k) => c.name.includes(k))) : cases;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b), h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};
const rows: Record<string, unknown>[] = [];
let ceilingJs = NaN, ceilingNumpy = NaN;
print(
  "| case | JS median (s) | numpy median (s) | ratio | JS min | numpy min | fraction of ceiling |",
);
print("| --- | --- | --- | --- | --- | --- | --- |");
for (const c of selected) {
  // Warm-up outside the timed runs (the JIT, numpy's caches): JS for at least 0.3 s (and once),
  // numpy as many times.
  let warm = 0;
  for (const start = performance.now(); warm < 1 || performance.now() - start < 300; warm++) c.js();
  await peer({ ...(c.numpy as object), reps: warm });
  const js: number[] = [], np: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    c.js();
    js.push((performance.now() - t) / 1000);
    np.push(await peer({ ...(c.numpy as object), reps: 1 }));
  }
  const jsMedian = median(js), npMedian = median(np);
  if (c.name.startsWith("ceiling")) {
    ceilingJs = c.flops / Math.min(...js) / 1e9;
    ceilingNumpy = 2 * 512 ** 3 / Math.min(...np) / 1e9;
  }
  const row = {
    case: c.name,
    jsSeconds: jsMedian,
    numpySeconds: npMedian,
    ratio: jsMedian / npMedian,
    jsMinSeconds: Math.min(...js),
    numpyMinSeconds: Math.min(...np),
    jsGflops: c.flops ? c.flops / jsMedian / 1e9 : null,
    // Null when the ceiling case was not selected (--cases without "ceiling").
    jsFractionOfCeiling: c.flops && Number.isFinite(ceilingJs)
      ? c.flops / jsMedian / 1e9 / ceilingJs
      : null,
  };
  rows.push(row);
  const f = (x: number) => x.toFixed(4);
  print(
    `| ${c.name} | ${f(jsMedian)} | ${f(npMedian)} | ${(jsMedian / npMedian).toFixed(2)} | ${
      f(row.jsMinSeconds)
    } | ${f(row.numpyMinSeconds)} | ${
      row.jsFractionOfCeiling === null ? "-" : row.jsFractionOfCeiling.toFixed(2)
    } |`,
  );
}
if (Number.isFinite(ceilingJs)) {
  print(
    `ceilings (GFLOP/s, min of ${reps}): plain JS ${ceilingJs.toFixed(2)}, numpy 1 thread ${
      ceilingNumpy.toFixed(2)
    }`,
  );
} else print("ceilings not measured (the ceiling case was not selected)");
if (values.json) {
  const text = JSON.stringify(
    {
      reps,
      statistic: "median of alternated pairs (JS, numpy), after a warm-up of 0.3 s",
      malloc: values.malloc === "reuse"
        ? "both processes: MALLOC_MMAP_THRESHOLD_=1073741824 MALLOC_TRIM_THRESHOLD_=4294967296"
        : "both processes: glibc's defaults",
      ceilingJs: Number.isFinite(ceilingJs) ? ceilingJs : null,
      ceilingNumpy: Number.isFinite(ceilingNumpy) ? ceilingNumpy : null,
      rows,
    },
    null,
    2,
  ) + "\n";
  if (jsonToStdout) console.log(text.trimEnd());
  else await Deno.writeTextFile(values.json, text);
}
await writer.close();
await python.status;
