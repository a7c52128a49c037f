/** The text forms of `verify`'s results fit the terminal width. */
import assert from "node:assert/strict";
import { formatClaimDetails, formatClaimTable } from "./format_claim_table.ts";
import { claimIds } from "./verify_command.ts";

Deno.test("verify table: one row per claim, no line longer than 80 or 120 columns; --claims de-duplicates", () => {
  const long = "x".repeat(400);
  const results = Array.from({ length: 12 }, (_, i) => ({
    id: `C${i + 1}`,
    title: `A rather long claim title number ${i}`,
    statement: long,
    theorem: "Theorem " + long,
    parts: [
      { name: "part-a", measured: long, target: long, margin: long, passed: i !== 3 },
      { name: "part-b", measured: "short", target: "t", margin: "m", passed: true },
    ],
    passed: i !== 3,
    seconds: 12.345,
    size: "quick" as const,
    seed: 0,
    backend: { name: "cpu", adapter: "CPU (float64)", precision: "float64" },
  }));
  for (const width of [80, 120]) {
    const table = formatClaimTable(results, width).split("\n");
    assert.equal(table.length, 2 + results.length, "header, rule, one row per claim");
    for (const line of table) assert.ok(line.length <= width, `${line.length} > ${width}`);
    assert.match(table[2 + 3], /^C4\s+.*FAILS/);
    for (const line of formatClaimDetails(results, width).split("\n")) {
      assert.ok(line.length <= width, `details: ${line.length} > ${width}`);
    }
  }
  assert.deepEqual(claimIds("C1, c1,C2,C1"), ["C1", "C2"]);
});
