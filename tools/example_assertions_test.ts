import assert from "node:assert/strict";
import { uncheckedExamples } from "./example_assertions.ts";

const doc = (body: string) => `/**\n * A function.\n *\n${body}\n */\nexport function f() {}\n`;

Deno.test("an example that asserts its result passes", () => {
  const text = doc(
    [
      " * @example Checks itself",
      " * ```ts",
      ' * import assert from "node:assert/strict";',
      " * assert.equal(1 + 1, 2);",
      " * ```",
    ].join("\n"),
  );
  assert.deepEqual(uncheckedExamples(text), []);
});

Deno.test("controls: printing, a value in a comment, or no code fail, each for its reason", () => {
  const printing = doc(
    " * @example Prints\n * ```ts\n * console.log(alphaStar(law)); // 0.3077\n * ```",
  );
  assert.deepEqual(uncheckedExamples(printing), [
    { line: 4, title: "Prints", reason: "asserts nothing" },
  ]);
  const both = doc(
    " * @example Both\n * ```ts\n * assert.ok(true);\n * console.log(x); // 0.5\n * ```",
  );
  assert.equal(uncheckedExamples(both)[0].reason, "prints a value that only a comment states");
  const prose = doc(" * @example Prose only\n * Call it.");
  assert.equal(uncheckedExamples(prose)[0].reason, "has no ts code fence");
});

Deno.test("two examples in one block are judged separately", () => {
  const text = doc(
    [
      " * @example Good",
      " * ```ts",
      " * assert.equal(f(), undefined);",
      " * ```",
      " * @example Bad",
      " * ```ts",
      " * f();",
      " * ```",
    ].join("\n"),
  );
  assert.deepEqual(uncheckedExamples(text).map((e) => e.title), ["Bad"]);
});
