/**
 * Flag tables: `defineFlags` keeps the table as written, and `matchesTable` accepts
 * exactly the values the table's types describe (what `parseFlags` relies on).
 */
import assert from "node:assert/strict";
import { defineFlags, type FlagValues, matchesTable } from "./flag_table.ts";

const TABLE = defineFlags({
  depth: { kind: "integer", default: 10 },
  nodes: { kind: "integer" },
  model: { kind: "choice", choices: ["a", "b"], default: "a" },
  lr: { kind: "lr", default: "auto" },
  path: { kind: "text", repeatable: true },
  quick: { kind: "boolean" },
  seed: { kind: "rejected", reason: "no random numbers" },
});

const GOOD: FlagValues<typeof TABLE> = {
  depth: 10,
  nodes: undefined,
  model: "b",
  lr: "auto",
  path: ["x"],
  quick: false,
  help: false,
  json: true,
};

Deno.test("defineFlags returns the table itself", () => {
  const table = { depth: { kind: "integer", default: 1 } } as const;
  assert.equal(defineFlags(table), table);
});

Deno.test("matchesTable: the values the table's types describe, and nothing else", () => {
  assert.equal(matchesTable(GOOD, TABLE), true);
  assert.equal(matchesTable({ ...GOOD, lr: 0.5, path: undefined }, TABLE), true);
  const bad: Record<string, unknown>[] = [
    { ...GOOD, depth: undefined }, // a flag with a default always has a value
    { ...GOOD, depth: "10" },
    { ...GOOD, model: "c" },
    { ...GOOD, lr: "fast" },
    { ...GOOD, path: "x" }, // repeatable: a list
    { ...GOOD, quick: undefined },
    { ...GOOD, seed: 1 }, // a rejected flag has no value
    { ...GOOD, help: undefined },
  ];
  for (const values of bad) {
    assert.equal(matchesTable(values, TABLE), false, JSON.stringify(values));
  }
  assert.equal(matchesTable(null, TABLE), false);
});
