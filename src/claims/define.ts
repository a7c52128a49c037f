/**
 * Claims as values: {@linkcode defineClaim} turns a statement and a function that
 * computes its checked parts into a {@linkcode Claim} that `verify` can run, by id
 * or from a user's own module (`verify --claims-module <path or URL>`). The ten
 * claims C1-C10 are defined with it.
 *
 * @module
 */

import type { ClaimPart } from "./claim_part.ts";
import { type ClaimResult, claimResult } from "./claim_result.ts";
import { type CheckOptions, resolveCheck, type ResolvedCheck } from "./resolve_check.ts";

/** What a claim's `parts` function may return: the parts, or the parts with extra data. */
export type ClaimPartsOutput = ClaimPart[] | {
  /** The checked parts, in order. */
  parts: ClaimPart[];
  /** Extra data recorded in the result's `details` (JSON-serialisable). */
  details?: Record<string, unknown>;
};

/** The definition of a claim: its statement and how to check it. */
export interface ClaimDefinition<Controls = never> {
  /**
   * Identifier: a letter followed by letters, digits, `_` or `-` (at most 32
   * characters), e.g. `C7`, `E1` or `U1`. Ids are matched case-insensitively.
   */
  id: string;
  /** Short title (shown in the one-row-per-claim table). */
  title: string;
  /** The result it checks, e.g. "Theorem 4.1", or "user claim". */
  theorem: string;
  /** The statement checked, in words and formulas. */
  statement: string;
  /** Group of the claim (default `"user"`; C1-C10 are `"paper"`). */
  group?: string;
  /**
   * Computes the checked parts. `check` carries the size, seed, replay paths,
   * progress callback and the sampling/training functions of the chosen backend;
   * `controls` are the negative-control hooks of this claim (tests only).
   */
  parts(check: ResolvedCheck, controls?: Controls): Promise<ClaimPartsOutput>;
}

/** A runnable claim. */
export interface Claim<Controls = never> {
  /** Identifier, e.g. `C7`. */
  readonly id: string;
  /** Short title. */
  readonly title: string;
  /** The result it checks. */
  readonly theorem: string;
  /** The statement checked. */
  readonly statement: string;
  /** Group of the claim (`paper`, `user`, ...). */
  readonly group: string;
  /** Runs the check (defaults: float64 CPU, `quick`, seed 0). */
  check(options?: CheckOptions & { controls?: Controls }): Promise<ClaimResult>;
}

const CLAIM_ID = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;
const BRAND: unique symbol = Symbol.for("icl-verify.claim");

function requireText(name: string, value: unknown): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new TypeError(`${name} must be a non-empty string, got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Defines a claim from its statement and a function computing its parts.
 *
 * Parts are usually made with `propertyPart` (a fast-check property with a
 * replayable counterexample) or `comparisonPart` (an estimate against a target
 * within a margin) from the testing module.
 *
 * @example Define and run a claim
 * ```ts
 * import assert from "node:assert/strict";
 * import { defineClaim } from "./define.ts";
 * import { alphaStar } from "../theory/population.ts";
 *
 * const claim = defineClaim({
 *   id: "U1",
 *   title: "alpha* of uniform [0.5, 4]",
 *   theorem: "user claim",
 *   statement: "alpha* = 2 / (2 + 0.5 + 4)",
 *   parts: (_check) => {
 *     const value = alphaStar({ kind: "uniform", low: 0.5, high: 4 });
 *     const passed = Math.abs(value - 2 / 6.5) <= 1e-15;
 *     return Promise.resolve([{
 *       name: "value",
 *       measured: String(value),
 *       target: "2/6.5",
 *       margin: "1e-15 (rounding)",
 *       passed,
 *     }]);
 *   },
 * });
 * const result = await claim.check();
 * assert.equal(result.passed, true);
 * assert.deepEqual(result.parts.map((part) => part.name), ["value"]);
 * ```
 */
export function defineClaim<Controls = never>(
  definition: ClaimDefinition<Controls>,
): Claim<Controls> {
  if (typeof definition !== "object" || definition === null) {
    throw new TypeError(`definition must be an object, got ${String(definition)}`);
  }
  const id = requireText("id", definition.id);
  if (!CLAIM_ID.test(id)) {
    throw new RangeError(
      `id must be a letter followed by at most 31 letters, digits, "_" or "-", got ${
        JSON.stringify(id)
      }`,
    );
  }
  const title = requireText("title", definition.title);
  const theorem = requireText("theorem", definition.theorem);
  const statement = requireText("statement", definition.statement);
  const group = definition.group === undefined ? "user" : requireText("group", definition.group);
  if (typeof definition.parts !== "function") {
    throw new TypeError(`parts must be a function, got ${typeof definition.parts}`);
  }
  const meta = { id, title, theorem, statement };
  const parts = definition.parts;
  const claim: Claim<Controls> = {
    ...meta,
    group,
    async check(options: CheckOptions & { controls?: Controls } = {}): Promise<ClaimResult> {
      const check = resolveCheck(options);
      const started = performance.now();
      const output = await parts(check, options.controls);
      const list = Array.isArray(output) ? output : output.parts;
      if (!Array.isArray(list)) {
        throw new TypeError(`parts of claim ${id} must return an array of parts`);
      }
      const result = claimResult(meta, check, started, list);
      if (!Array.isArray(output) && output.details) result.details = output.details;
      return result;
    },
  };
  Object.defineProperty(claim, BRAND, { value: true });
  return Object.freeze(claim);
}

/**
 * True when `value` is a claim made by {@linkcode defineClaim} (of any copy of this module).
 *
 * @example Recognise claims
 * ```ts
 * import assert from "node:assert/strict";
 * import { defineClaim, isClaim } from "./define.ts";
 * const claim = defineClaim({
 *   id: "U2",
 *   title: "trivial",
 *   theorem: "user claim",
 *   statement: "nothing",
 *   parts: () => Promise.resolve([]),
 * });
 * assert.equal(isClaim(claim), true);
 * assert.equal(isClaim({ id: "U2" }), false);
 * ```
 */
export function isClaim(value: unknown): value is Claim<unknown> {
  return typeof value === "object" && value !== null &&
    (value as Record<symbol, unknown>)[BRAND] === true;
}
