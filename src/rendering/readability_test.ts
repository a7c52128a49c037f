/**
 * Figure readability from the rendered Vega scenegraph (src/rendering/readability.ts):
 * the committed figures (docs/figures, or ICL_FIGURES_DIR), a fresh generation at the
 * reference sizes (both read as the figures' series: files without the record of the
 * series that set the y axis leave out the population series), and one control per
 * check that breaks exactly that property.
 */
import assert from "node:assert/strict";
import {
  ARROW_DOWN,
  type Chart,
  describeNotes,
  lineChart,
  type LineChartOptions,
  stackCharts,
} from "./charts.ts";
import { FONT_FAMILY, missingCharacters, svgText } from "./font_face.ts";
import { generateReference } from "../figures/reference_screenshots.ts";
import { SERIES_READABILITY } from "../figures/series.ts";
import { type FigureFile, readabilityProblems, svgWidthOf } from "./readability.ts";

const COMMITTED = Deno.env.get("ICL_FIGURES_DIR") ??
  new URL("../../docs/figures", import.meta.url).pathname;

async function figuresIn(dir: string): Promise<FigureFile[]> {
  const names = [...Deno.readDirSync(dir)].map((e) => e.name)
    .filter((n) => /^fig.*\.json$/.test(n)).sort();
  return await Promise.all(names.map(async (name) => {
    const figure = JSON.parse(await Deno.readTextFile(`${dir}/${name}`)) as FigureFile;
    const svg = `${dir}/${name.replace(/\.json$/, ".svg")}`;
    return { ...figure, svgWidth: svgWidthOf(await Deno.readTextFile(svg)) };
  }));
}

Deno.test("figures read well: the committed figures", async () => {
  const figures = await figuresIn(COMMITTED);
  assert.ok(figures.length >= 10, `${figures.length} figures in ${COMMITTED}`);
  const problems =
    (await Promise.all(figures.map((f) => readabilityProblems(f, SERIES_READABILITY)))).flat();
  assert.deepEqual(problems, [], `in ${COMMITTED}:\n${problems.join("\n")}`);
});

/** Every text of the SVGs and the page of `dir` is drawn in the embedded font, which has its glyphs. */
async function checkFonts(dir: string): Promise<void> {
  const names = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.endsWith(".svg"));
  let text = "";
  for (const name of names) {
    const svg = await Deno.readTextFile(`${dir}/${name}`);
    assert.match(svg, /^<svg [^>]*><defs><style>\/\* DejaVu Sans .*\n@font-face \{ font-family: /);
    const families = new Set([...svg.matchAll(/font-family="([^"]*)"/g)].map((m) => m[1]));
    assert.deepEqual([...families], [`${FONT_FAMILY}, sans-serif`], name);
    const { normal, bold } = svgText(svg);
    text += normal + bold;
  }
  const page = await Deno.readTextFile(`${dir}/index.html`);
  assert.match(
    page,
    new RegExp(`@font-face \\{ font-family: ${FONT_FAMILY};[^}]*font-weight: bold`),
  );
  assert.match(page, new RegExp(`body \\{ font-family: ${FONT_FAMILY}, sans-serif;`));
  text += page.replace(/<style>[\s\S]*<\/style>/, "").replace(/<[^>]*>/g, " ");
  assert.deepEqual(await missingCharacters(text), []);
  assert.deepEqual(await missingCharacters(text, "bold"), []);
}

Deno.test("figures read well: a fresh generation at the reference sizes, in the embedded font", async () => {
  const dir = await Deno.makeTempDir({ prefix: "icl-figures-read-" });
  try {
    await generateReference(dir);
    const figures = await figuresIn(dir);
    assert.equal(figures.length, 11);
    const problems = (await Promise.all(figures.map((f) =>
      readabilityProblems(f, SERIES_READABILITY)
    ))).flat();
    assert.deepEqual(problems, [], problems.join("\n"));
    await checkFonts(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// Controls: a small chart that reads well, and one change per check that breaks it.

const X = [1, 2, 4, 8, 16];
function control(overrides: Partial<LineChartOptions> = {}): LineChartOptions {
  return {
    title: "control",
    xTitle: "x",
    yTitle: "y",
    yLog: true,
    xLog: true,
    points: [
      ...X.map((x) => ({ series: "A", x, y: 0.5 / x })),
      ...X.map((x) => ({ series: "B", x, y: 0.05 / Math.sqrt(x) })),
      ...X.map((x) => ({ series: "C", x, y: x === 1 ? 1e4 : 0.02 })),
    ],
    styles: [
      { label: "A", color: "#1f77b4", dash: [1, 0] },
      { label: "B", color: "#ff7f0e", dash: [6, 3] },
      { label: "C", color: "#2ca02c", dash: [2, 2] },
    ],
    informative: ["A", "B"],
    rules: [{ y: 0.1, label: "rule 0.1" }],
    ...overrides,
  };
}

function fileOf(options: LineChartOptions, chart: Chart = lineChart(options)): FigureFile {
  return {
    id: "control",
    caption: describeNotes(chart.notes, "x"),
    plotted: options.points,
    referenceLines: options.rules,
    chartNotes: { informative: chart.notes.informative },
    vegaLite: chart.spec,
  };
}

type Layer = {
  mark: Record<string, unknown>;
  encoding: Record<string, Record<string, unknown>>;
  data: { values: Record<string, unknown>[] };
};
function layers(chart: Chart): Layer[] {
  return (chart.spec as unknown as { layer: Layer[] }).layer;
}

Deno.test("readability control: the control chart reads well (C beyond the axis, at its edge)", async () => {
  const options = control();
  const chart = lineChart(options);
  assert.deepEqual(chart.notes.clipped, [{ series: "C", x: 1, y: 1e4, edge: "top" }]);
  assert.deepEqual(chart.notes.yDomain, [0.01, 1]);
  assert.deepEqual(await readabilityProblems(fileOf(options, chart)), []);
});

Deno.test("readability control: a series with no mark in the plot area fails", async () => {
  // All of C beyond the axis and its edge markers removed: nothing of C is visible.
  const options = control({
    points: [...control().points.filter((p) => p.series !== "C"), {
      series: "C",
      x: 1,
      y: 1e4,
    }, { series: "C", x: 2, y: 1e4 }],
  });
  const chart = lineChart(options);
  const spec = chart.spec as unknown as { layer: Layer[] };
  spec.layer = spec.layer.filter((l) => l.mark.filled !== true);
  assert.deepEqual(await readabilityProblems(fileOf(options, chart)), [
    `control: series "C" has no mark inside the plot area`,
    `control: the line of "C" leaves the plot at the top edge unmarked`,
  ]);
});

Deno.test("readability control: an axis set by a diverging series fails; one decade more than needed is the margin", async () => {
  const options = control({ informative: ["A", "B", "C"] });
  const file = { ...fileOf(options), chartNotes: { informative: ["A", "B"] } };
  assert.deepEqual(await readabilityProblems(file), [
    "control: the log y axis spans 6.0 decades (0.010 to 1.0e+4) but the informative series need 2",
  ]);
  // Without the diverging point the same axis rule needs exactly the decades it spans.
  const tight = control({ points: control().points.filter((p) => p.y < 1) });
  assert.deepEqual(await readabilityProblems(fileOf(tight)), []);
});

Deno.test("readability control: a file without the informative series names the uninformative ones in the options", async () => {
  const options = control({ informative: ["A", "B", "C"] });
  const file = { ...fileOf(options), chartNotes: undefined };
  assert.deepEqual(await readabilityProblems(file, { uninformative: new Set(["C"]) }), [
    "control: the log y axis spans 6.0 decades (0.010 to 1.0e+4) but the informative series need 2",
  ]);
  // Control: without the option every series sets the axis, C's 1e4 included.
  assert.deepEqual(await readabilityProblems(file), []);
});

Deno.test("readability control: a legend line without the dash, or too short to show it, fails", async () => {
  const options = control();
  const chart = lineChart(options);
  const legendB = layers(chart).find((l) =>
    l.data.values[0]?.entry === "B" && l.mark.type === "rule"
  )!;
  delete legendB.mark.strokeDash;
  assert.deepEqual(await readabilityProblems(fileOf(options, chart)), [
    `control: the legend entry of "B" does not draw its dash 6,3 (glyph: rule, square)`,
  ]);
  const short = lineChart(options);
  const rule = layers(short).find((l) =>
    l.data.values[0]?.entry === "B" && l.mark.type === "rule"
  )!;
  // Dash period 9 px: a 17 px line shows less than two periods.
  rule.encoding.x2 = { value: (rule.encoding.x.value as number) + 17 };
  assert.deepEqual(await readabilityProblems(fileOf(options, short)), [
    `control: the legend entry of "B" does not draw its dash 6,3 (glyph: rule, square)`,
  ]);
});

Deno.test("readability control: two series on the same path fail unless the caption says they coincide", async () => {
  const points = control().points.filter((p) => p.series !== "C");
  const options = control({
    points: [...points, ...X.map((x) => ({ series: "C", x, y: 0.5 / x * 1.01 }))],
    informative: ["A", "B", "C"],
  });
  const chart = lineChart(options);
  assert.deepEqual(chart.notes.coincident, [["A", "C"]]);
  assert.deepEqual(await readabilityProblems(fileOf(options, chart)), []);
  assert.deepEqual(
    await readabilityProblems({ ...fileOf(options, chart), caption: "no note" }),
    [`control: "A" and "C" draw the same path (within 2 px at 5 points) and the caption does not say they coincide`],
  );
});

Deno.test("readability control: a label on the data fails", async () => {
  const options = control();
  const chart = lineChart(options);
  // The reference-line label moved from the right margin onto A's marker at x = 4.
  const label = layers(chart).find((l) =>
    l.mark.type === "text" && l.encoding.text?.field === "label"
  )!;
  label.data.values = [{ y: 0.125, label: "rule 0.1" }];
  label.encoding.x = { value: 300 };
  label.mark.align = "center";
  const problems = await readabilityProblems(fileOf(options, chart));
  assert.ok(
    problems.some((p) => /^control: the text "rule 0\.1" lies on .*"A"/.test(p)),
    problems.join("\n"),
  );
});

Deno.test("readability control: a cut-off label and a plot narrower than 70% of the figure fail", async () => {
  const options = control();
  const chart = lineChart(options);
  const text = layers(chart).find((l) =>
    l.data.values[0]?.entry === "A" && l.mark.type === "text"
  )!;
  text.mark.limit = 5;
  assert.deepEqual(await readabilityProblems(fileOf(options, chart)), [
    `control: the text "A" is cut off at 5 px`,
  ]);
  const wide = { ...fileOf(options), svgWidth: Math.ceil(600 / 0.69) };
  assert.deepEqual(await readabilityProblems(wide), [
    "control: the plot is 600 px wide in a 870 px figure (69%, less than 70%)",
  ]);
  assert.deepEqual(await readabilityProblems({ ...fileOf(options), svgWidth: 600 / 0.7 }), []);
});

/** A chart with a reference curve that leaves the plot through its bottom edge. */
function leaving(): LineChartOptions {
  return control({
    points: [
      ...control().points.filter((p) => p.series !== "C"),
      ...X.map((x) => ({ series: "bound", x, y: 0.08 / x ** 2 })),
    ],
    styles: [...control().styles.slice(0, 2), {
      label: "bound",
      color: "#000000",
      dash: [8, 4],
      reference: true,
    }],
  });
}

Deno.test("readability control: a reference curve leaving the plot is marked by an arrow and a note", async () => {
  const options = leaving();
  const chart = lineChart(options);
  // 0.08/x^2 meets the bottom edge 0.01 at x = sqrt(8) = 2.83 (log axes: straight in pixels).
  const [exit] = chart.notes.exits!;
  assert.equal(exit.edge, "bottom");
  assert.deepEqual(exit.beyond, { x: 4, y: 0.08 / 16 });
  assert.ok(Math.abs(exit.x - Math.sqrt(8)) < 1e-9, `${exit.x}`);
  assert.match(
    describeNotes(chart.notes, "x"),
    /"bound" leaves the plot through the bottom edge at x ≈ 2\.83/,
  );
  const note = layers(chart).find((l) =>
    l.mark.type === "text" && l.encoding.text?.field === "note"
  );
  assert.equal(note!.data.values[0].note, "below the axis: 0.005 at x = 4");
  assert.deepEqual(await readabilityProblems(fileOf(options, chart)), []);
  // Control: without the arrow the curve just ends at the edge.
  const bare = lineChart(options);
  const spec = bare.spec as unknown as { layer: Layer[] };
  spec.layer = spec.layer.filter((l) => l.data.values[0]?.shape !== ARROW_DOWN);
  assert.deepEqual(await readabilityProblems(fileOf(options, bare)), [
    `control: the line of "bound" leaves the plot at the bottom edge unmarked`,
  ]);
});

Deno.test("readability control: a series of markers only has a legend marker and no legend line", async () => {
  const options = control({
    styles: control().styles.map((s) => s.label === "B" ? { ...s, marks: "points" as const } : s),
  });
  const chart = lineChart(options);
  assert.deepEqual(await readabilityProblems(fileOf(options, chart)), []);
  // Control: a legend line for it claims a line that the plot does not draw.
  const entryLine = lineChart(control()).spec as unknown as { layer: Layer[] };
  const rule = entryLine.layer.find((l) =>
    l.data.values[0]?.entry === "B" && l.mark.type === "rule"
  );
  (chart.spec as unknown as { layer: Layer[] }).layer.push(rule!);
  assert.deepEqual(await readabilityProblems(fileOf(options, chart)), [
    `control: the legend entry of "B" draws a line, but the series draws only markers`,
  ]);
});

Deno.test("readability: a stacked figure's panels are judged each on its own", async () => {
  const main = control();
  const panel = control({
    title: "panel",
    yLog: false,
    points: X.map((x) => ({ series: "A", x, y: x })),
  });
  const [a, b] = [lineChart(main), lineChart(panel)];
  const file: FigureFile = {
    ...fileOf(main, a),
    vegaLite: stackCharts([a.spec, b.spec]),
    panels: [{ plotted: panel.points, referenceLines: panel.rules, chartNotes: b.notes }],
  };
  assert.deepEqual(await readabilityProblems(file), []);
  // Control: the panel's legend line loses its dash; the problem names the panel.
  const legendA = (b.spec as unknown as { layer: Layer[] }).layer.find((l) =>
    l.data.values[0]?.entry === "A" && l.mark.type === "rule"
  )!;
  legendA.mark.strokeDash = [6, 3];
  const broken = { ...file, vegaLite: stackCharts([a.spec, b.spec]) };
  assert.deepEqual(await readabilityProblems(broken), [
    `control (panel 2): the legend entry of "A" does not draw its dash solid (glyph: rule, circle)`,
  ]);
});
