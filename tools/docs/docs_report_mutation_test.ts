import assert from "node:assert/strict";
import {
  isChecker,
  moduleOrder,
  mutationData,
  mutationSummary,
  mutationTable,
  verdictCounts,
  verdictKind,
} from "./docs_report_mutation.ts";
import { readRecords, RECORDS_DIR } from "./docs_records.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const records = await readRecords(`${ROOT}${RECORDS_DIR}`);

Deno.test("mutation: checkers first in natural order; kinds of verdicts", () => {
  assert.ok(isChecker("src/claims/c10_training_context.ts"));
  assert.ok(isChecker("src/claims/e1_lsa_optimum.ts"));
  assert.ok(!isChecker("src/claims/calibrate.ts"));
  assert.deepEqual(moduleOrder(["src/model/law.ts", "src/claims/c10_x.ts", "src/claims/c2_x.ts"]), [
    "src/claims/c2_x.ts",
    "src/claims/c10_x.ts",
    "src/model/law.ts",
  ]);
  assert.equal(verdictKind("equivalent in practice: ..."), "equivalent");
  assert.equal(verdictKind("killed since (later), and ..."), "killed since");
  assert.equal(verdictKind("a verdict of no known kind"), "other");
});

Deno.test("mutation report: aggregates equal the sums of the rows, and no commit is shown", () => {
  const data = mutationData(records);
  const runs = Object.values(data["mutation-runs"]);
  const mutants = runs.reduce((s, r) => s + r.mutants, 0);
  const table = mutationTable(data);
  assert.match(
    table,
    new RegExp(`\\*\\*all targeted modules\\*\\* \\(${runs.length}\\) \\|  \\| ${mutants} \\|`),
  );
  for (const run of runs) assert.ok(!table.includes(run.commit), "a commit in the table");
  assert.match(mutationSummary(data), /^- Over all targeted modules/);
  assert.match(verdictCounts(data), /\| equivalent \| \d+ \| \d+ \|/);
});
