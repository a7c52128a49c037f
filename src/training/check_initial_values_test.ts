import assert from "node:assert/strict";
import { checkInitialValues } from "./check_initial_values.ts";

Deno.test("checkInitialValues: scalars for the tied models, lists for the per-layer ones", () => {
  checkInitialValues("lca2", 2, { alphaInit: 0.1, betaInit: -0.1 });
  checkInitialValues("sca", 2, { alphaInit: 0.1, betaInit: -0.1, tauInit: 0.5 });
  checkInitialValues("sca-layerwise", 2, {
    alphasInit: [0.1, 0.2],
    betasInit: [-0.1, -0.2],
    tausInit: [0.5, 1],
  });
  checkInitialValues("lca2-schedule", 2, { alphasInit: [0.1, 0.2], betasInit: [-0.1, -0.2] });
  const cases: [string, Record<string, unknown>, RegExp][] = [
    [
      "sca-layerwise",
      { alphaInit: 0.1 },
      /^RangeError: alphaInit does not apply to model sca-layerwise \(per-layer initial values: alphasInit, betasInit, tausInit\)/,
    ],
    ["lca-schedule", { tauInit: 1 }, /^RangeError: tauInit does not apply to model lca-schedule/],
    ["deep-lsa", { tauInit: 1 }, /^RangeError: tauInit applies to sca and sca-centred only/],
    ["sca-centred", { tauInit: -1 }, /^RangeError: tauInit must be a finite number > 0/],
    [
      "sca",
      { alphasInit: [0.1] },
      /^RangeError: alphasInit applies to lca-schedule, lca2-schedule and sca-layerwise only/,
    ],
    [
      "lca-schedule",
      { betasInit: [0.1] },
      /^RangeError: betasInit applies to lca2-schedule and sca-layerwise only/,
    ],
    ["sca-layerwise", { tausInit: [1] }, /^RangeError: tausInit must have length 2/],
    ["sca-layerwise", { tausInit: [1, 0] }, /^RangeError: tausInit must hold temperatures > 0/],
  ];
  for (const [model, options, message] of cases) {
    assert.throws(
      () => checkInitialValues(model, 2, options),
      message,
      `${model} ${JSON.stringify(options)}`,
    );
  }
});
