/**
 * The resolvability guard shared by the empirical parts of C5 and C6 (internal): a depth is
 * checked only if the residuals w^T x_q - y_hat, of relative size sqrt(E_T / E[s/(1+s)]),
 * exceed 1000 times their rounding error (~ 4 d T u relative); skipped depths are counted
 * for the report.
 *
 * @module
 */

/** Decides which depths are resolvable and reports how many were skipped. */
export class ResolvableDepths {
  #considered = 0;
  readonly #skipped: string[] = [];

  /**
   * True when `relative` = E_T / E[s/(1+s)] is at least (1000 x 4 d T u)^2; otherwise (NaN
   * included) the depth is recorded as skipped.
   */
  check(relative: number, dim: number, depth: number): boolean {
    this.#considered++;
    if (relative >= (1000 * 4 * dim * depth * Number.EPSILON / 2) ** 2) return true;
    this.#skipped.push(`T=${depth}`);
    return false;
  }

  /** "k of n depth checks skipped", with the skipped depths when there are any. */
  get text(): string {
    const skipped = this.#skipped;
    return `${skipped.length} of ${this.#considered} depth checks skipped` +
      (skipped.length > 0 ? ` (${skipped.join(", ")})` : "");
  }
}
