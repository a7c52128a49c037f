/**
 * The y scale of a line chart: the domain that the informative values need (whole
 * decades on a log axis, the range padded by 6% on a linear one), the pixel row of a
 * value, and the tick values of a log axis (powers of ten).
 *
 * @module
 */

/** The y scale of a chart (see {@linkcode yScale}). */
export interface YScale {
  /** The y-axis domain. */
  domain: [number, number];
  /** Logarithmic axis. */
  log: boolean;
  /** Pixel row of y (0 at the top) on the plot; Infinity for y <= 0 on a log axis. */
  pixel: (y: number) => number;
  /** Tick values at powers of ten, at most about 9 (log axis only). */
  ticks?: number[];
}

/** Decade exponent bounds of a positive value, robust to log10 rounding (log10(1e-3) = -2.99..). */
function decadeFloor(v: number): number {
  return Math.floor(Math.log10(v) + 1e-9);
}
function decadeCeil(v: number): number {
  return Math.ceil(Math.log10(v) - 1e-9);
}

/** The y domain: whole decades (log) or the range padded by 6% (linear). */
function yDomainOf(values: number[], yLog: boolean): [number, number] {
  if (yLog) {
    const positive = values.filter((v) => v > 0 && Number.isFinite(v));
    if (positive.length === 0) return [0.1, 1];
    const lo = decadeFloor(Math.min(...positive));
    const hi = Math.max(decadeCeil(Math.max(...positive)), lo + 1);
    return [10 ** lo, 10 ** hi];
  }
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [0, 1];
  const min = Math.min(...finite), max = Math.max(...finite);
  const pad = 0.06 * (max - min || Math.abs(max) || 1);
  return [min - pad, max + pad];
}

/** Pixel row of y (0 at the top) on a plot of height h. */
function pixelY(y: number, domain: [number, number], yLog: boolean, h: number): number {
  const f = yLog ? Math.log10 : (v: number) => v;
  if (yLog && y <= 0) return Infinity;
  return h * (1 - (f(y) - f(domain[0])) / (f(domain[1]) - f(domain[0])));
}

/** Tick values at powers of ten inside the domain, at most about 9 of them. */
function decadeTicks(domain: [number, number]): number[] {
  const lo = Math.round(Math.log10(domain[0])), hi = Math.round(Math.log10(domain[1]));
  const step = Math.max(1, Math.ceil((hi - lo) / 8));
  const ticks: number[] = [];
  for (let e = hi; e >= lo; e -= step) ticks.push(10 ** e);
  return ticks;
}

/**
 * The y scale that shows `values` (the informative points and the reference lines) on a
 * plot `height` pixels high, logarithmic when `log`.
 */
export function yScale(values: number[], log: boolean, height: number): YScale {
  const domain = yDomainOf(values, log);
  const pixel = (y: number) => pixelY(y, domain, log, height);
  return log ? { domain, log, pixel, ticks: decadeTicks(domain) } : { domain, log, pixel };
}
