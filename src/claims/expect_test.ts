import assert from "node:assert/strict";
import { ClaimViolation, expect } from "./expect.ts";

Deno.test("ClaimViolation: expect throws it with the message of a failed statement", () => {
  assert.equal(new ClaimViolation("x").name, "ClaimViolation");
  assert.throws(() => expect(false, () => "no"), (e: unknown) => e instanceof ClaimViolation);
  assert.throws(() => expect(false, () => "the numbers"), { message: "the numbers" });
});

Deno.test("expect: a holding statement throws nothing and builds no message", () => {
  let built = 0;
  expect(true, () => `${built++}`);
  assert.equal(built, 0);
  // Control: a failing statement builds its message once.
  assert.throws(() => expect(false, () => `${built++}`), ClaimViolation);
  assert.equal(built, 1);
});
