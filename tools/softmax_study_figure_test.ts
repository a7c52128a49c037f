import assert from "node:assert/strict";
import {
  SOFTMAX_FIGURE_DIR,
  SOFTMAX_RECORD_URL,
  softmaxFigureFiles,
} from "./softmax_study_figure.ts";

const RECORD = Deno.readTextFileSync(SOFTMAX_RECORD_URL);
const NAMES = ["fig12_softmax_study.svg", "fig12_softmax_study.json", "fig12_softmax_study.csv"];

Deno.test("softmax study figure: the committed files equal a fresh drawing from the record", async () => {
  const files = await softmaxFigureFiles(RECORD);
  assert.deepEqual([...files.keys()].sort(), [...NAMES].sort());
  for (const name of NAMES) {
    const committed = Deno.readTextFileSync(new URL(name, SOFTMAX_FIGURE_DIR));
    assert.ok(
      committed === files.get(name),
      `docs/figures/${name} is stale: run npx -y deno@2.9.6 run -A tools/softmax_study_figure.ts`,
    );
  }
});

Deno.test("softmax study figure: control: a changed record value changes the SVG", async () => {
  const record = JSON.parse(RECORD);
  const cell = record.data.cells.find((c: { context: number; depth: number }) =>
    c.context === 64 && c.depth === 2
  );
  cell.sca.excess.mean *= 2;
  const changed = await softmaxFigureFiles(JSON.stringify(record));
  const fresh = await softmaxFigureFiles(RECORD);
  assert.notEqual(changed.get("fig12_softmax_study.svg"), fresh.get("fig12_softmax_study.svg"));
  const committed = Deno.readTextFileSync(new URL("fig12_softmax_study.svg", SOFTMAX_FIGURE_DIR));
  assert.notEqual(changed.get("fig12_softmax_study.svg"), committed);
});

Deno.test("softmax study figure: another record is refused", async () => {
  const record = { ...JSON.parse(RECORD), name: "schedule-depths" };
  await assert.rejects(() => softmaxFigureFiles(JSON.stringify(record)), /not the softmax-study/);
});
