/** The text forms of `verify`'s results fit the terminal width. */
import assert from "node:assert/strict";
import { runCliProcess } from "../../testkit/cli_capture.ts";
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

/** A claim of `verify --json`: its id and its parts' measured texts. */
interface JsonClaim {
  id: string;
  parts: { name: string; measured: string }[];
}

/** The numbers of a text, each as written, with any dots that follow it ("0.35..."). */
function numbersIn(text: string): string[] {
  return text.match(/\d[\d.]*(?:e[+-]?\d+)?\.*/g) ?? [];
}

/**
 * What is wrong with the figure column of a `verify` table: a row whose figure has no
 * number though its claim measured one, or a number that is not a whole number of the
 * claim's measured texts (cut in a digit, or followed by "..."); lines wider than `width`.
 */
function figureProblems(table: string, claims: readonly JsonClaim[], width: number): string[] {
  const lines = table.split("\n");
  const header = lines.findIndex((l) => l.startsWith("claim "));
  const start = lines[header].indexOf("most telling figure");
  const end = lines[header].indexOf("seconds");
  const rows = lines.slice(header + 2, header + 2 + claims.length);
  const problems: string[] = [];
  for (const line of lines) if (line.length > width) problems.push(`too wide: ${line}`);
  for (const claim of claims) {
    const row = rows.find((r) => r.split(/\s+/)[0] === claim.id);
    if (row === undefined) {
      problems.push(`${claim.id}: no row`);
      continue;
    }
    const cell = row.slice(start, end).trim();
    const whole = new Set(claim.parts.flatMap((p) => numbersIn(`${p.name}: ${p.measured}`)));
    const numbers = numbersIn(cell);
    if (numbers.length === 0 && whole.size > 0) problems.push(`${claim.id}: no number in ${cell}`);
    for (const n of numbers) {
      if (!whole.has(n)) problems.push(`${claim.id}: ${JSON.stringify(n)} is cut in ${cell}`);
    }
  }
  return problems;
}

/**
 * Lines of the wrapped details that leave a fragment: a line that ends on an operator, or a
 * continuation line of a few characters (a lone number, unit or "= x").
 */
function orphanProblems(details: string): string[] {
  return details.split("\n").filter((line) =>
    /\s(=|<=|>=|±|-|\+|->)$/.test(line) || (/^\s+\S/.test(line) && line.trim().length < 6)
  );
}

/** Runs `verify --quick` in a process with piped stdout and stderr, COLUMNS as given. */
async function verifyQuick(extra: string[], columns?: string) {
  const env = Deno.env.toObject();
  delete env.COLUMNS;
  return await runCliProcess(["verify", "--quick", ...extra], {
    clearEnv: true,
    env: { ...env, ...(columns === undefined ? {} : { COLUMNS: columns }) },
  });
}

Deno.test("verify --quick: every number of the figure column is whole at 80, 120 and piped", async (t) => {
  const json = await verifyQuick(["--json"]);
  assert.equal(json.code, 0, json.stderr);
  assert.equal(json.stderr, "", "nothing on stderr when it is not a terminal");
  const claims: JsonClaim[] = JSON.parse(json.stdout).claims;
  let table80 = "";
  for (const [columns, width] of [["80", 80], ["120", 120], [undefined, 100]] as const) {
    await t.step(`COLUMNS=${columns ?? "unset (piped: 100)"}`, async () => {
      const run = await verifyQuick([], columns);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stderr, "", "no backend line nor progress off a terminal");
      assert.deepEqual(figureProblems(run.stdout, claims, width), []);
      if (width === 80) table80 = run.stdout;
    });
  }
  // The verbose view: wrapped to the width, no operator or unit left alone on a line.
  for (const width of [80, 120]) {
    const details = formatClaimDetails(JSON.parse(json.stdout).claims, width);
    assert.deepEqual(details.split("\n").filter((l) => l.length > width), []);
    assert.deepEqual(orphanProblems(details), []);
  }
  // Controls: a row whose number is cut, or cut with "...", or has no number, fails.
  const c3 = claims.find((c) => c.id === "C3")!;
  const number = numbersIn(c3.parts[0].measured).at(-1)!;
  const row = table80.split("\n").find((l) => l.startsWith("C3 "))!;
  for (const cut of [number.slice(0, -1), number.slice(0, -2) + "...", "n/a"]) {
    const broken = table80.replace(row, row.replace(number, cut.padEnd(number.length)));
    assert.notEqual(broken, table80);
    assert.equal(figureProblems(broken, claims, 80).length, 1, cut);
  }
  assert.deepEqual(orphanProblems("C7 holds in 0.2\n  s\n  - p: max |x|/margin =\n    0.528"), [
    "  s",
    "  - p: max |x|/margin =",
    "    0.528",
  ]);
});
