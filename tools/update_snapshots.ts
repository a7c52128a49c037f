/**
 * Regenerates the report snapshots of `testkit/snapshot.ts` (`proofs/snapshots/<id>.json`) for
 * every built-in claim, or for the ids given:
 *
 *   deno task snapshots            # all
 *   deno task snapshots C2 C7      # some
 *
 * Review the diff afterwards: it lists every reported number a change moved.
 *
 * @module
 */

import { ALL_CLAIMS } from "../src/claims/claims.ts";
import { snapshotUrl, takeSnapshot } from "../testkit/snapshot.ts";

const ids = Deno.args.length > 0 ? Deno.args : ALL_CLAIMS.map((claim) => claim.id);
await Deno.mkdir(new URL("../proofs/snapshots/", import.meta.url), { recursive: true });
for (const id of ids) {
  const claim = ALL_CLAIMS.find((c) => c.id === id);
  if (!claim) {
    console.error(
      `ids must name built-in claims (${ALL_CLAIMS.map((c) => c.id).join(", ")}), got ${id}`,
    );
    Deno.exit(2);
  }
  const snapshot = await takeSnapshot(claim);
  await Deno.writeTextFile(snapshotUrl(id), JSON.stringify(snapshot, null, 2) + "\n");
  console.log(
    `${id}: ${snapshot.result.passed ? "holds" : "FAILS"}, ${snapshot.result.parts.length} parts`,
  );
}
