import assert from "node:assert/strict";
import {
  ALL_CLAIMS,
  BEYOND_CLAIMS,
  CLAIMS,
  claimsModuleUrl,
  claimsOfModule,
  EXTERNAL_CLAIMS,
  loadClaimsModule,
  selectClaims,
  verifyClaims,
} from "./claims.ts";
import { defineClaim } from "./define.ts";
import * as fixture from "./testdata/echo_claims.ts";

/** A claim with no parts (registries only look at ids). */
const emptyClaim = (id: string) =>
  defineClaim({ id, title: "t", theorem: "t", statement: "s", parts: () => Promise.resolve([]) });

const ids = (claims: readonly { id: string }[]) => claims.map((c) => c.id);

Deno.test("the registries: C1..C10 (paper), C11..C13 (beyond), E1..E3 (external), in that order", () => {
  assert.deepEqual(ids(CLAIMS), ["C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "C10"]);
  assert.deepEqual(ids(BEYOND_CLAIMS), ["C11", "C12", "C13"]);
  assert.deepEqual(ids(EXTERNAL_CLAIMS), ["E1", "E2", "E3"]);
  assert.deepEqual(ids(ALL_CLAIMS), [...ids(CLAIMS), "C11", "C12", "C13", "E1", "E2", "E3"]);
  assert.ok(CLAIMS.every((c) => c.group === "paper"), "C1..C10 are the paper's");
  assert.ok(BEYOND_CLAIMS.every((c) => c.group === "beyond"));
  assert.ok(EXTERNAL_CLAIMS.every((c) => c.group === "external"));
});

Deno.test("selectClaims: case and spaces ignored, repeats kept once in first-seen order", () => {
  assert.deepEqual(ids(selectClaims([" c3", "C1 ", "c3", "C1"])), ["C3", "C1"]);
  // Control: without the dedup the same list would have four entries.
  assert.equal(selectClaims(["C3", "C3"]).length, 1);
  assert.deepEqual(ids(selectClaims(["e2"], ALL_CLAIMS)), ["E2"]);
  assert.deepEqual(ids(selectClaims(["z1", "Z2"], fixture.FIXTURE_CLAIMS)), ["Z1", "z2"]);
});

Deno.test("selectClaims: no ids or an empty list selects the whole registry (default: all 16)", () => {
  assert.deepEqual(ids(selectClaims()), ids(ALL_CLAIMS));
  assert.deepEqual(ids(selectClaims([])), ids(ALL_CLAIMS));
  assert.equal(selectClaims().length, 16);
  // Control: an explicit registry still restricts the selection (the paper's C1..C10).
  assert.deepEqual(ids(selectClaims(undefined, CLAIMS)), ids(CLAIMS));
  // A copy: changing it leaves the registry alone.
  const copy = selectClaims();
  copy.pop();
  assert.equal(ALL_CLAIMS.length, 16);
});

Deno.test("selectClaims: the default registry reaches C11, C12 and E1..E3 (the library's boundary)", () => {
  assert.deepEqual(ids(selectClaims(["C11", "e1", "E2", "e3", "c12"])), [
    "C11",
    "E1",
    "E2",
    "E3",
    "C12",
  ]);
  assert.equal(selectClaims(["C11"])[0], BEYOND_CLAIMS[0]);
  assert.equal(selectClaims(["C12"])[0], BEYOND_CLAIMS[1]);
  // Control: the paper's registry, given explicitly, still refuses them, naming the id.
  assert.throws(
    () => selectClaims(["C11"], CLAIMS),
    (e: unknown) => e instanceof RangeError && /of C1, .*C10, got "C11"$/.test(e.message),
  );
});

Deno.test("selectClaims: an unknown id is a RangeError naming it and the known ids", () => {
  assert.throws(
    () => selectClaims(["C1", "C14"]),
    (e: unknown) =>
      e instanceof RangeError &&
      e.message ===
        "claims must be a comma-separated list of C1, C2, C3, C4, C5, C6, C7, C8, C9, C10, " +
          'C11, C12, C13, E1, E2, E3, got "C14"',
  );
  assert.throws(() => selectClaims(["E4"]), /of C1, .*C11, C12, C13, E1, E2, E3, got "E4"/);
  assert.throws(() => selectClaims(["E1"], CLAIMS), /of C1, .*C10, got "E1"/, "not in CLAIMS");
  assert.throws(
    () => selectClaims(["C1"], fixture.FIXTURE_CLAIMS),
    /list of Z1, z2, Z3, Z1, got "C1"/,
  );
});

Deno.test("selectClaims: a non-array or non-string id is a TypeError", () => {
  assert.throws(
    () => selectClaims("C1" as unknown as string[]),
    (e: unknown) =>
      e instanceof TypeError &&
      e.message === "claims must be an array of claim ids, got string",
  );
  assert.throws(
    () => selectClaims([1 as unknown as string]),
    (e: unknown) =>
      e instanceof TypeError && e.message === "claims must be claim ids (strings), got number",
  );
});

Deno.test("claimsOfModule: plain exports and arrays, each claim once, in export order", () => {
  assert.deepEqual(ids(claimsOfModule(fixture)), ["Z1", "z2", "Z3"]);
  const other = emptyClaim("Y1");
  assert.deepEqual(ids(claimsOfModule({ a: [other, 3, "x"], b: fixture.ECHO, c: {} })), [
    "Y1",
    "Z1",
  ]);
});

Deno.test("claimsOfModule: no claim is a TypeError, two claims with one id a RangeError", () => {
  assert.throws(
    () => claimsOfModule({ a: 1, b: [{ id: "C1" }] }, "my.ts"),
    (e: unknown) =>
      e instanceof TypeError && e.message === "my.ts exports no claim made by defineClaim",
  );
  assert.throws(() => claimsOfModule({}), /^TypeError: module exports no claim/);
  const twin = emptyClaim("z1");
  assert.throws(
    () => claimsOfModule({ a: fixture.ECHO, b: twin }, "twins.ts"),
    (e: unknown) =>
      e instanceof RangeError && e.message === "twins.ts exports two claims with the id z1",
  );
});

Deno.test("claimsModuleUrl: URLs kept, paths resolved against the working directory", () => {
  assert.equal(
    claimsModuleUrl("https://example.org/a/claims.ts"),
    "https://example.org/a/claims.ts",
  );
  assert.equal(claimsModuleUrl("file:///x/y.ts"), "file:///x/y.ts");
  assert.equal(
    claimsModuleUrl("examples/u.ts"),
    new URL(`file://${Deno.cwd()}/examples/u.ts`).href,
  );
  assert.equal(claimsModuleUrl("./u.ts"), new URL(`file://${Deno.cwd()}/u.ts`).href);
  assert.equal(claimsModuleUrl("/abs/u.ts"), "file:///abs/u.ts");
  // A Windows drive letter is a path, not a URL scheme (here: relative to the cwd).
  assert.equal(new URL(claimsModuleUrl("C:/x/u.ts")).protocol, "file:");
  assert.equal(new URL(claimsModuleUrl("d:\\x\\u.ts")).protocol, "file:");
  // A colon after the first path segment does not make a scheme.
  assert.equal(claimsModuleUrl("/abs/ab:c.ts"), "file:///abs/ab:c.ts");
  assert.equal(new URL(claimsModuleUrl("dir/xy:z.ts")).protocol, "file:");
  // Spaces and "#" in a path are escaped, not read as a fragment.
  assert.equal(claimsModuleUrl("/a b/#1.ts"), "file:///a%20b/%231.ts");
  for (const bad of ["", "  ", 3]) {
    assert.throws(
      () => claimsModuleUrl(bad as string),
      (e: unknown) =>
        e instanceof TypeError &&
        e.message === `claims module must be a path or URL, got ${JSON.stringify(bad)}`,
    );
  }
});

Deno.test("loadClaimsModule imports a module by path and returns its claims", async () => {
  const path = new URL("./testdata/echo_claims.ts", import.meta.url).pathname;
  assert.deepEqual(ids(await loadClaimsModule(path)), ["Z1", "z2", "Z3"]);
  await assert.rejects(
    () => loadClaimsModule(new URL("./margins.ts", import.meta.url).href),
    /margins\.ts exports no claim made by defineClaim/,
  );
});

Deno.test("verifyClaims runs the selection in order with the options given", async () => {
  const results = await verifyClaims(
    ["z2", "Z1"],
    { size: "full", seed: 7 },
    fixture.FIXTURE_CLAIMS,
  );
  assert.deepEqual(ids(results), ["z2", "Z1"]);
  assert.deepEqual(results.map((r) => r.passed), [false, true]);
  assert.equal(results[1].details?.seed, 7);
  assert.equal(results[1].details?.size, "full");
  assert.equal(results[1].seed, 7);
  assert.match(results[0].parts[0].property?.replay ?? "", /seed: 7/);
  // The default registry is every built-in claim: a user's id is unknown there.
  await assert.rejects(() => verifyClaims(["Z1"]), /C11, C12, C13, E1, E2, E3, got "Z1"/);
  // The default options: quick, seed 0.
  const [echo] = await verifyClaims(["Z1"], undefined, fixture.FIXTURE_CLAIMS);
  assert.deepEqual(echo.details, {
    size: "quick",
    seed: 0,
    paths: {},
    backend: "cpu",
    claimsModule: null,
  });
});

Deno.test("verifyClaims runs C11 and E1 from the library's default registry", async () => {
  const results = await verifyClaims(["C11", "E1"], { size: "quick", seed: 0 });
  assert.deepEqual(ids(results), ["C11", "E1"]);
  for (const result of results) {
    assert.equal(result.passed, true, JSON.stringify(result.parts.filter((p) => !p.passed)));
    assert.ok(result.parts.length >= 3, `${result.id} has ${result.parts.length} parts`);
  }
});
