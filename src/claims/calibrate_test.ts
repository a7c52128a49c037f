import assert from "node:assert/strict";
import { calibrate, formatCalibrationMarkdown } from "./calibrate.ts";
import { directPart } from "./direct_part.ts";
import { Gauge } from "./gauge.ts";
import { type CheckOptions, resolveCheck } from "./resolve_check.ts";
import type { ClaimResult } from "./claim_result.ts";
import { FAMILY_FALSE_ALARM } from "./margins.ts";
import { parseSeeds } from "../cli/calibrate_command.ts";

// A synthetic claim: part "stat" measures seed/10 against 0 with margin 1 (statistical, fails
// under the truth for seed >= 11, detected at k margins when seed/10 + k > 1); part "exact"
// is a rounding bound at 0.5 of its margin.
const fake = {
  id: "F1",
  check: (options: CheckOptions = {}): Promise<ClaimResult> => {
    const check = resolveCheck(options);
    const text = { measured: "m", target: "t", margin: "g" };
    const parts = [
      directPart(new Gauge(check, "stat", "at-most"), check.seed / 10, 0, 1, text),
      directPart(new Gauge(check, "exact", "rounding"), 0.5, 0, 1, text),
    ];
    return Promise.resolve({
      id: "F1",
      title: "",
      statement: "",
      theorem: "",
      parts,
      passed: parts.every((p) => p.passed),
      seconds: 0,
      size: check.size,
      seed: check.seed,
      backend: check.backend,
    });
  },
};

Deno.test("calibrate: size against the nominal rate and detection per margin", async () => {
  const seen: string[] = [];
  const rows = await calibrate([fake], {
    seeds: [0, 5, 12],
    margins: [0.25, 0.6, 2],
    onProgress: (m) => seen.push(m),
  });
  assert.equal(seen.length, 3);
  assert.equal(rows.length, 2);
  const [stat, exact] = rows;
  assert.equal(stat.claim, "F1");
  assert.equal(stat.part, "stat");
  assert.equal(stat.sense, "at-most");
  assert.equal(stat.statistical, true);
  assert.equal(stat.runs, 3);
  assert.equal(stat.falseFailures, 1); // seed 12
  assert.ok(Math.abs(stat.size - 1 / 3) < 1e-15);
  assert.equal(stat.nominal, FAMILY_FALSE_ALARM);
  assert.ok(
    Math.abs(
      stat.binomialStandardError - Math.sqrt(FAMILY_FALSE_ALARM * (1 - FAMILY_FALSE_ALARM) / 3),
    ) < 1e-18,
  );
  assert.equal(stat.sizeWithinNominal, false);
  // seed/10 + k > 1: k = 0.25 -> seed 12 only; 0.6 -> seeds 5, 12; 2 -> all.
  assert.deepEqual(stat.detection.map((d) => [d.margins, d.rate]), [
    [0.25, 1 / 3],
    [0.6, 2 / 3],
    [2, 1],
  ]);
  assert.equal(exact.statistical, false);
  assert.equal(exact.nominal, 0);
  assert.equal(exact.binomialStandardError, 0);
  assert.equal(exact.falseFailures, 0);
  assert.equal(exact.sizeWithinNominal, true);
  // 0.5 + k > 1 only for k = 0.6 and 2.
  assert.deepEqual(exact.detection.map((d) => d.rate), [0, 1, 1]);
  const table = formatCalibrationMarkdown(rows);
  assert.match(
    table,
    /\| F1 \| stat \| at-most \| yes \| 3 \| 1 \| 0.33 \| 5.7e-7 \| NO \| 0.33 \| 0.67 \| 1.00 \|/,
  );
  assert.match(
    table,
    /\| F1 \| exact \| rounding \| no \| 3 \| 0 \| 0.00 \| 0 \| yes \| 0.00 \| 1.00 \| 1.00 \|/,
  );
  assert.match(table, /power @0.25 \| power @0.6 \| power @2/);
  await assert.rejects(() => calibrate([fake], { seeds: [] }), RangeError);
  const defaults = await calibrate([fake], { seeds: [0] });
  assert.deepEqual(defaults[0].detection.map((d) => d.margins), [1, 2, 4]);
});

Deno.test("calibrate --seeds: ranges and lists", () => {
  assert.deepEqual(parseSeeds("0..3"), [0, 1, 2, 3]);
  assert.deepEqual(parseSeeds("4, 7"), [4, 7]);
  assert.throws(() => parseSeeds("a"), /seeds must be/);
  assert.throws(() => parseSeeds("3..1"), /seeds must be/);
});

// Tests added from the mutation run of calibrate.ts (docs/mutation.md).
Deno.test("calibrate: options reach the claim, defaults of parts without numeric fields", async () => {
  const seen: { size?: string; perturb?: unknown }[] = [];
  const plain = {
    id: "F2",
    check: async (options: CheckOptions = {}): Promise<ClaimResult> => {
      seen.push({ size: options.size, perturb: options.perturb });
      await new Promise((resolve) => setTimeout(resolve, 20));
      const check = resolveCheck(options);
      const parts = [
        { name: "bare", measured: "", target: "", margin: "", passed: true },
        directPart(new Gauge(check, "stat", "at-most"), 0, 0, 1, {
          measured: "",
          target: "",
          margin: "",
        }),
      ];
      return {
        id: "F2",
        title: "",
        statement: "",
        theorem: "",
        parts,
        passed: true,
        seconds: 0,
        size: check.size,
        seed: check.seed,
        backend: check.backend,
      };
    },
  };
  const progress: string[] = [];
  const before = performance.now();
  const rows = await calibrate([plain], {
    seeds: [4],
    margins: [0.5],
    onProgress: (m) => progress.push(m),
  });
  const wall = (performance.now() - before) / 1000;
  assert.deepEqual(progress, ["F2: seed 4 done"]);
  assert.deepEqual(seen, [{ size: "quick", perturb: undefined }, {
    size: "quick",
    perturb: { part: "*", margins: 0.5 },
  }]);
  const [bare, stat] = rows;
  assert.equal(bare.sense, "property");
  assert.equal(bare.statistical, false);
  assert.equal(bare.nominal, 0);
  // Two checks of 20 ms each, timed inside the call: at least 0.03 s, at most the wall time.
  assert.ok(bare.seconds >= 0.03 && bare.seconds <= wall, `seconds ${bare.seconds}, wall ${wall}`);
  assert.equal(stat.statistical, true);
  assert.equal(stat.falseFailures, 0);
  assert.equal(stat.sizeWithinNominal, true, "no failure is within nominal + 3 SE");
  await calibrate([plain], { seeds: [1], margins: [], size: "full" });
  assert.equal(seen[seen.length - 1].size, "full");
  await assert.rejects(
    () => calibrate([plain], { seeds: [] }),
    (e: unknown) =>
      e instanceof RangeError && e.message === "seeds must be non-empty, got length 0",
  );
});

Deno.test("formatCalibrationMarkdown: exact header, separator and line breaks", () => {
  assert.equal(
    formatCalibrationMarkdown([]),
    "| claim | part | sense | statistical | K | false failures | size | nominal | size <= nominal + 3 SE |  |\n" +
      "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | --- |  |",
  );
  const row = {
    claim: "C0",
    part: "p",
    sense: "equal" as const,
    statistical: true,
    runs: 2,
    falseFailures: 0,
    size: 0,
    nominal: FAMILY_FALSE_ALARM,
    binomialStandardError: 0,
    sizeWithinNominal: true,
    detection: [{ margins: 1, rate: 0.5 }, { margins: 2, rate: 1 }],
    seconds: 1,
  };
  const lines = formatCalibrationMarkdown([row]).split("\n");
  assert.equal(lines.length, 3);
  assert.equal(
    lines[1],
    "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |",
  );
  assert.equal(lines[2], "| C0 | p | equal | yes | 2 | 0 | 0.00 | 5.7e-7 | yes | 0.50 | 1.00 |");
});
