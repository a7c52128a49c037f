/** The figure column never cuts a number, whatever the room and the text. */
import assert from "node:assert/strict";
import fc from "npm:fast-check@^4";
import { fitFigure } from "./fit_figure.ts";

/** The numbers of a text as written, with any dots after them. */
function numbersIn(text: string): string[] {
  return text.match(/\d[\d.]*(?:e[+-]?\d+)?\.*/g) ?? [];
}

const number = fc.oneof(
  fc.double({ min: -1e9, max: 1e9, noNaN: true }).map((x) => String(Number(x.toPrecision(4)))),
  fc.double({ min: 1e-20, max: 1e20, noNaN: true }).map((x) => x.toExponential(3)),
  fc.integer({ min: 0, max: 5000 }).map((n) => `T=${n}:`),
);
const word = fc.constantFrom("max", "|alpha_hat", "-", "alpha_T|/margin", "closest:", "gap", "vs");
const token = fc.oneof(number, word, fc.constantFrom("=", "<=", ";", "(SE", "0.1)", "±"));

Deno.test("fitFigure: at most `room` characters, and every number it prints is whole", () => {
  fc.assert(
    fc.property(
      fc.array(token, { minLength: 1, maxLength: 30 }),
      fc.integer({ min: 19, max: 120 }),
      (
        tokens,
        room,
      ) => {
        const text = tokens.join(" ").replaceAll(" ; ", "; ");
        const fitted = fitFigure(text, room);
        assert.ok(fitted.length <= room, `${fitted.length} > ${room}: ${fitted}`);
        const whole = new Set(numbersIn(text));
        for (const n of numbersIn(fitted)) assert.ok(whole.has(n), `${n} cut in ${fitted}`);
      },
    ),
    { seed: 1, numRuns: 500 },
  );
});

Deno.test("fitFigure: the text, its first clause, without remarks, then abbreviated", () => {
  const text =
    "max |fit - optimum|/margin = 0.2963 (alpha, beta; SE 0.0015); loss at fit - 1 = -0.0027";
  assert.equal(fitFigure(text, 100), text);
  assert.equal(fitFigure(text, 70), "max |fit - optimum|/margin = 0.2963 (alpha, beta; SE 0.0015)");
  assert.equal(fitFigure(text, 40), "max |fit - optimum|/margin = 0.2963");
  assert.equal(fitFigure(text, 25), "max |fit ... = 0.2963");
  // Without an "=", the last words are kept.
  assert.equal(
    fitFigure("closest: T=640: re-fitted ablation 0.01049 -> floor 0.01042", 33),
    "... 0.01049 -> floor 0.01042",
  );
  // Remarks in parentheses that do not follow a number stay.
  assert.equal(fitFigure("max (a - b)/margin = 0.18 (a 0.07)", 30), "max (a - b)/margin = 0.18");
});
