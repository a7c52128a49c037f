import assert from "node:assert/strict";
import {
  claimGroup,
  claimIn,
  claimPage,
  claimResult,
  claimsTable,
  claimStatement,
  relativeLink,
} from "./docs_claims_render.ts";
import { readRecords, recordNamed, RECORDS_DIR } from "./docs_records.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const records = await readRecords(`${ROOT}${RECORDS_DIR}`);

Deno.test("claimsTable: one linked row per claim with both verdicts and the records named", () => {
  const text = claimsTable(records, "README.md");
  assert.match(
    text,
    /\| \[C1\]\(docs\/claims\/c1\.md\) \| LSA gap \| Theorem 4\.1 \| holds \| holds \|/,
  );
  assert.match(text, /\[docs\/records\/verify-quick\.json\]\(docs\/records\/verify-quick\.json\)/);
  // Control: a failing claim shows as failing.
  const quick = structuredClone(recordNamed(records, "verify-quick"));
  (quick.data as { claims: { passed: boolean }[] }).claims[0].passed = false;
  const changed = new Map(records).set("verify-quick", quick);
  assert.match(claimsTable(changed, "README.md"), /\| LSA gap \| Theorem 4\.1 \| \*\*fails\*\* \|/);
});

Deno.test("claim pages: statement, results of both sizes, groups and links", () => {
  assert.match(claimStatement(records, "C11"), /^> On the population proxy/);
  const result = claimResult(records, "C3", "docs/claims/c3.md");
  assert.match(result, /^\*\*Full size\*\*/);
  assert.match(result, /\*\*CI size\*\*/);
  assert.match(
    result,
    /\(\[docs\/records\/verify-full\.json\]\(\.\.\/records\/verify-full\.json\)\)/,
  );
  assert.equal(claimGroup("C4"), "the paper");
  assert.equal(claimGroup("C11"), "beyond the paper");
  assert.equal(claimGroup("C12"), "beyond the paper");
  // Control: the group comes from the registry; an id it lacks is refused.
  assert.throws(() => claimGroup("C99"), /no built-in claim C99/);
  assert.match(claimGroup("E2"), /^external anchor/);
  assert.equal(claimPage("E1"), "docs/claims/e1.md");
  assert.equal(relativeLink("docs/claims/c1.md", "docs/records/x.json"), "../records/x.json");
  assert.throws(() => claimIn(recordNamed(records, "verify-quick"), "C99"), /has no claim C99/);
});
