/**
 * The figure column of `verify`'s table: a claim part's measured text fitted to the room
 * the other columns leave, shortening words but never a number. The text is tried whole,
 * then its first clause (up to a top-level "; "), then that clause without the remarks in
 * parentheses after a number; a clause still too long keeps its decisive number (what
 * follows its first " = ", else its last words) and elides words before it with "...".
 *
 * @module
 */

/** The elision mark. */
const ELISION = "...";

/** Where a text splits at depth 0 of its brackets: the indices of `separator`. */
function topLevel(text: string, separator: string): number[] {
  const at: number[] = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "(" || c === "[" || c === "{") depth++;
    else if ((c === ")" || c === "]" || c === "}") && depth > 0) depth--;
    else if (depth === 0 && text.startsWith(separator, i)) at.push(i);
  }
  return at;
}

/** The first clause of a text: up to its first top-level "; ". */
function firstClause(text: string): string {
  const at = topLevel(text, "; ");
  return at.length === 0 ? text : text.slice(0, at[0]);
}

/** A text without the top-level " (...)" remarks that follow a number, e.g. "= 0.29 (SE ...)". */
function withoutRemarks(text: string): string {
  let out = "";
  let depth = 0;
  let skipping = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (!skipping && depth === 0 && text.startsWith(" (", i) && /\d$/.test(out)) {
      skipping = true;
      continue;
    }
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth = Math.max(0, depth - 1);
    if (skipping) {
      if (depth === 0) skipping = false;
      continue;
    }
    out += c;
  }
  return out;
}

/** The words of `words` taken from the left (or the right) while they fit `room`. */
function take(words: readonly string[], room: number, fromRight = false): string[] {
  const kept: string[] = [];
  let length = -1;
  for (const word of fromRight ? [...words].reverse() : words) {
    if (length + 1 + word.length > room) break;
    kept.push(word);
    length += 1 + word.length;
  }
  return fromRight ? kept.reverse() : kept;
}

/** Cuts a text to `room` characters at a space, so never inside a word (the last resort). */
function cutAtSpace(text: string, room: number): string {
  const at = text.lastIndexOf(" ", room - ELISION.length - 1);
  return at > 0 ? `${text.slice(0, at)} ${ELISION}` : ELISION;
}

/** A clause shortened to `room`: its words before the decisive number elided first. */
function abbreviate(clause: string, room: number): string {
  const words = clause.split(" ").filter((w) => w !== "");
  const anchor = words.findIndex((w) => w === "=" || w === "<=" || w === ">=");
  if (anchor <= 0) {
    const tail = take(words, room - ELISION.length - 1, true);
    return tail.length > 0 ? `${ELISION} ${tail.join(" ")}` : cutAtSpace(clause, room);
  }
  let tail = words.slice(anchor);
  if (tail.join(" ").length > room - ELISION.length - 1) {
    tail = take(tail, room - 2 * (ELISION.length + 1));
    if (tail.length < 2) return cutAtSpace(clause, room);
    tail = [...tail, ELISION];
  }
  const tailText = tail.join(" ");
  const head = take(words.slice(0, anchor), room - tailText.length - ELISION.length - 2);
  // A head that ends in an operator ("a -") reads better without it.
  while (head.length > 0 && !/[\p{L}\d]/u.test(head[head.length - 1])) head.pop();
  return [...head, ELISION, tailText].join(" ");
}

/**
 * A measured text fitted to `room` characters without cutting a number: the first of the
 * text, its first clause, and that clause without the remarks after its number, that fits;
 * else the last one abbreviated.
 *
 * @example The decisive number survives at any width
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitFigure } from "./fit_figure.ts";
 * const text = "max |alpha_hat - alpha_T|/margin = 0.3501; 0 of 4 depth checks skipped";
 * assert.equal(fitFigure(text, 80), text);
 * assert.equal(fitFigure(text, 41), "max |alpha_hat - alpha_T|/margin = 0.3501");
 * assert.equal(fitFigure(text, 30), "max |alpha_hat ... = 0.3501");
 * ```
 */
export function fitFigure(text: string, room: number): string {
  const clause = firstClause(text);
  const shortest = withoutRemarks(clause);
  return [text, clause, shortest].find((c) => c.length <= room) ?? abbreviate(shortest, room);
}
