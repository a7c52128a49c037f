/**
 * Special functions needed by the spike laws: log-gamma and the regularised
 * incomplete beta function with its inverse.
 *
 * @module
 */

const LANCZOS = [
  0.99999999999980993,
  676.5203681218851,
  -1259.1392167224028,
  771.32342877765313,
  -176.61502916214059,
  12.507343278686905,
  -0.13857109526572012,
  9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** Natural logarithm of the gamma function for x > 0 (Lanczos, g = 7; ~1e-15 relative). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < 9; i++) sum += LANCZOS[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Continued fraction for the incomplete beta function (modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - (a + b) * x / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10000; m++) {
    const m2 = 2 * m;
    let aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return h;
}

/** Regularised incomplete beta function I_x(a, b) for a, b > 0 and x in [0, 1]. */
export function regularizedIncompleteBeta(a: number, b: number, x: number): number {
  return incompleteBetaWith(a, b, x, logBeta(a, b));
}

/** log B(a, b) = log Gamma(a) + log Gamma(b) - log Gamma(a + b). */
function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** I_x(a, b) given log B(a, b) (hoisted out of the quantile's iterations). */
function incompleteBetaWith(a: number, b: number, x: number, logB: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(a * Math.log(x) + b * Math.log1p(-x) - logB);
  if (x < (a + 1) / (a + b + 2)) return front * betaContinuedFraction(a, b, x) / a;
  return 1 - front * betaContinuedFraction(b, a, 1 - x) / b;
}

/**
 * Inverse of I_x(a, b) in x: the p-quantile of Beta(a, b). Halley's method on
 * f(x) = I_x(a, b) - p (f' is the Beta density, f''/f' = (a - 1)/x - (b - 1)/(1 - x)),
 * kept inside a bracket [low, high] with I(low) < p <= I(high) and replaced by bisection
 * whenever its step leaves the bracket or is not less than half the step before last (the
 * safeguard of `rtsafe`). It starts from the tail expansion I_x ~ x^a / (a B) (or its
 * mirror at 1) clamped into the bracket set by the mean. It stops when a step is below
 * 2 eps x, the bracket is 1e-16 wide, or f(x) = 0: the accuracy of bisection to machine
 * precision (the root is only as exact as I itself), in about 4 evaluations of I rather
 * than 55.
 */
export function inverseRegularizedIncompleteBeta(a: number, b: number, p: number): number {
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const logB = logBeta(a, b);
  let low = 0;
  let high = 1;
  const mean = a / (a + b);
  const atMean = incompleteBetaWith(a, b, mean, logB) - p;
  if (atMean === 0) return mean;
  let x: number;
  if (atMean > 0) {
    high = mean;
    x = Math.exp((Math.log(p) + Math.log(a) + logB) / a);
  } else {
    low = mean;
    x = -Math.expm1((Math.log1p(-p) + Math.log(b) + logB) / b);
  }
  if (!(x > low && x < high)) x = 0.5 * (low + high);
  let step = high - low, stepBefore = step;
  for (let i = 0; i < 200 && high - low > 1e-16; i++) {
    const f = incompleteBetaWith(a, b, x, logB) - p;
    if (f === 0) return x;
    if (f < 0) low = x;
    else high = x;
    const density = Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - logB);
    const ratio = f / density;
    const curvature = (a - 1) / x - (b - 1) / (1 - x);
    const halley = ratio / Math.max(0.5, 1 - 0.5 * ratio * curvature);
    const next = x - halley;
    stepBefore = step;
    if (Number.isFinite(next) && next > low && next < high && 2 * Math.abs(halley) < stepBefore) {
      step = Math.abs(halley);
      x = next;
      if (step <= 2 * Number.EPSILON * x) return x;
    } else {
      const mid = 0.5 * (low + high);
      step = Math.abs(mid - x);
      if (mid === low || mid === high) break;
      x = mid;
    }
  }
  return x;
}
