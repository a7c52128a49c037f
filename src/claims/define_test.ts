import assert from "node:assert/strict";
import { defineClaim, isClaim } from "./define.ts";
import { expect } from "./expect.ts";
import { propertyPart } from "./property_part.ts";
import fc from "npm:fast-check@^4";

const meta = { id: "U1", title: "a title", theorem: "a theorem", statement: "a statement" };
const parts = () => Promise.resolve([]);

Deno.test("defineClaim: each bad field is named in its error", () => {
  const cases: [unknown, RegExp][] = [
    [null, /^TypeError: definition must be an object, got null$/],
    ["U1", /^TypeError: definition must be an object, got U1$/],
    [{ ...meta, id: 3, parts }, /^TypeError: id must be a non-empty string, got 3$/],
    [{ ...meta, id: "1abc", parts }, /^RangeError: id must be a letter followed by at most 31/],
    [{ ...meta, id: "a".repeat(33), parts }, /^RangeError: id must be a letter followed/],
    [{ ...meta, id: "U1 x", parts }, /^RangeError: id must be a letter followed/],
    [{ ...meta, id: "xU1!", parts }, /^RangeError: id must be a letter followed/],
    [{ ...meta, title: " ", parts }, /^TypeError: title must be a non-empty string, got " "$/],
    [{ ...meta, theorem: "", parts }, /^TypeError: theorem must be a non-empty string, got ""$/],
    [{ ...meta, statement: 1, parts }, /^TypeError: statement must be a non-empty string, got 1$/],
    [{ ...meta, group: "", parts }, /^TypeError: group must be a non-empty string, got ""$/],
    [{ ...meta }, /^TypeError: parts must be a function, got undefined$/],
  ];
  for (const [definition, message] of cases) {
    assert.throws(() => defineClaim(definition as never), message, JSON.stringify(definition));
  }
  // The longest id (32 characters) and the default group.
  const long = defineClaim({ ...meta, id: "a".repeat(32), parts });
  assert.equal(long.id, "a".repeat(32));
  assert.equal(long.group, "user");
  assert.equal(defineClaim({ ...meta, group: "mine", parts }).group, "mine");
});

Deno.test("defineClaim: details are kept when parts returns them; isClaim needs the brand", async () => {
  const claim = defineClaim({
    ...meta,
    parts: async (check) => ({
      parts: [
        await propertyPart(
          check,
          "U1",
          "p",
          fc.constant(1),
          (v) => expect(v === 1, () => "no"),
          { measured: () => "1", target: "1", margin: "0", numRuns: 1 },
        ),
      ],
      details: { note: "kept" },
    }),
  });
  const result = await claim.check({ seed: 0 });
  assert.deepEqual(result.details, { note: "kept" });
  assert.equal(result.passed, true);
  const plain = await defineClaim({ ...meta, parts }).check();
  assert.equal(plain.details, undefined);
  assert.equal(isClaim(claim), true);
  assert.equal(isClaim({ ...claim }), false); // a copy loses the non-enumerable brand
  assert.equal(isClaim(null), false);
  assert.equal(isClaim("U1"), false);
  assert.equal(isClaim({ [Symbol.for("icl-verify.claim")]: false }), false);
  assert.ok(Object.isFrozen(claim));
});

Deno.test("defineClaim: parts must return an array (or { parts: array }); no details key without details", async () => {
  for (const output of [{ parts: "p" }, { parts: undefined }, "p", 3]) {
    const claim = defineClaim({ ...meta, parts: () => Promise.resolve(output as never) });
    await assert.rejects(
      () => claim.check(),
      (e: unknown) =>
        e instanceof TypeError && e.message === "parts of claim U1 must return an array of parts",
      JSON.stringify(output),
    );
  }
  // An array, or an object without details: the result has no details key at all (the
  // JSON record then has none either).
  const array = await defineClaim({ ...meta, parts }).check();
  assert.equal(Object.hasOwn(array, "details"), false);
  const object = await defineClaim({ ...meta, parts: () => Promise.resolve({ parts: [] }) })
    .check();
  assert.equal(Object.hasOwn(object, "details"), false);
  assert.equal(JSON.stringify(object).includes("details"), false);
});

Deno.test("isClaim: the brand is the registered symbol icl-verify.claim, on objects only", () => {
  const claim = defineClaim({ ...meta, parts });
  // Another copy of define.ts (say, mod.ts imported by URL) brands with the same registered
  // symbol, so its claims are recognised here.
  const brand = Symbol.for("icl-verify.claim");
  assert.deepEqual(Object.getOwnPropertySymbols(claim), [brand]);
  const foreign = Object.defineProperty({ id: "X1" }, brand, { value: true });
  assert.equal(isClaim(foreign), true);
  // Control: a function carrying the brand is not a claim (claims are frozen objects).
  const fn = Object.defineProperty(() => {}, brand, { value: true });
  assert.equal(isClaim(fn), false);
  assert.equal(
    isClaim(Object.defineProperty({}, Symbol("icl-verify.claim"), { value: true })),
    false,
  );
});
