/**
 * The concepts of `src/`, one folder each, in data-flow order, with what each may import.
 * `src/architecture_test.ts` enforces the table and `tools/architecture_map.ts` renders it,
 * with every module's summary, into `docs/reference/architecture.md`.
 *
 * @module
 */

/** One concept of `src/`: its folder, what it is, and the concepts it may import. */
export interface Layer {
  /** The folder under `src/`. */
  folder: string;
  /** One sentence: what the concept holds. */
  summary: string;
  /** The concepts it may import besides itself. */
  imports: readonly string[];
}

const BASE = ["validation", "numeric", "model", "theory", "backends"] as const;

/** Every concept of `src/`, lower layers first. */
export const LAYERS: readonly Layer[] = [
  { folder: "validation", summary: "One error policy: checks at the boundary.", imports: [] },
  {
    folder: "numeric",
    summary: "Linear algebra, special functions, counter-based random numbers.",
    imports: ["validation"],
  },
  {
    folder: "model",
    summary: "Task families, samplers, the models, their losses and predictors.",
    imports: ["validation", "numeric"],
  },
  {
    folder: "theory",
    summary: "Population quantities by quadrature and closed forms.",
    imports: ["validation", "numeric", "model"],
  },
  {
    folder: "backends",
    summary: "One backend interface; the float64 CPU and float32 WebGPU implementations.",
    imports: ["validation", "numeric", "model"],
  },
  {
    folder: "parallel",
    summary: "A worker pool and sampling split over workers.",
    imports: [...BASE],
  },
  {
    folder: "training",
    summary: "Optimisers, gradient flow and the training of every model.",
    imports: [...BASE, "parallel"],
  },
  {
    folder: "claims",
    summary: "The claims C1-C13 and E1-E3: parts, margins, controls, calibration.",
    imports: [...BASE, "parallel", "training"],
  },
  {
    folder: "testing",
    summary: "The public testing kit: arbitraries, assertions, claim registration.",
    imports: [...BASE, "training", "claims"],
  },
  {
    folder: "experiments",
    summary: "Sweeps, fits and evaluations behind the figures and studies.",
    imports: [...BASE, "parallel", "training"],
  },
  {
    folder: "rendering",
    summary: "Charts, SVG rendering, headless Chromium, readability checks, the page.",
    imports: ["validation"],
  },
  {
    folder: "figures",
    summary: "The figure definitions and their generation.",
    imports: [...BASE, "parallel", "training", "experiments", "rendering"],
  },
  {
    folder: "cli",
    summary: "The command-line interface: flags, commands, records.",
    imports: [
      ...BASE,
      "parallel",
      "training",
      "claims",
      "testing",
      "experiments",
      "rendering",
      "figures",
    ],
  },
];

/** What each concept may import (besides itself), keyed by folder. */
export const ALLOWED: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  LAYERS.map((layer) => [layer.folder, layer.imports]),
);
