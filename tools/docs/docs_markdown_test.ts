import assert from "node:assert/strict";
import {
  cell,
  findBlocks,
  formatMarkdown,
  percent,
  replaceBlocks,
  sig,
  table,
} from "./docs_markdown.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

Deno.test("sig: significant digits, exponents, integers and infinities", () => {
  assert.equal(sig(0.30769230769), "0.3077");
  assert.equal(sig(0.000123456), "1.235e-4");
  assert.equal(sig(1.0e-5), "1e-5");
  assert.equal(sig(123456.7, 3), "1.23e5");
  assert.equal(sig(42), "42");
  assert.equal(sig(0), "0");
  assert.equal(sig(Infinity), "inf");
  assert.equal(sig("inf"), "inf");
  assert.equal(percent(0.928312), "92.83%");
});

Deno.test("table and cell: pipes escaped, alignment rule", () => {
  assert.equal(cell("a|b\nc"), "a\\|b c");
  assert.equal(
    table(["x", "y"], [["1", "|2|"]], ["left", "right"]),
    "| x | y |\n| --- | --: |\n| 1 | \\|2\\| |",
  );
});

Deno.test("findBlocks and replaceBlocks: names, arguments, closers with or without arguments", () => {
  const text = "a\n<!-- generated:one X Y -->\nold\n<!-- /generated:one -->\nb\n" +
    "<!-- generated:two Z -->\n<!-- /generated:two Z -->\n";
  const blocks = findBlocks(text);
  assert.deepEqual(blocks.map((b) => [b.name, b.args]), [["one", ["X", "Y"]], ["two", ["Z"]]]);
  const out = replaceBlocks(text, (b) => `${b.name}:${b.args.join(",")}`);
  assert.equal(
    out,
    "a\n<!-- generated:one X Y -->\n\none:X,Y\n\n<!-- /generated:one -->\nb\n" +
      "<!-- generated:two Z -->\n\ntwo:Z\n\n<!-- /generated:two Z -->\n",
  );
  // Control: an unclosed block is an error naming it.
  assert.throws(() => findBlocks("<!-- generated:three -->\n"), /three is not closed/);
});

Deno.test("formatMarkdown pads a table as deno fmt does", async () => {
  assert.equal(
    await formatMarkdown("| a | bb |\n|---|--:|\n| ccc | d |\n", ROOT),
    "| a   | bb |\n| --- | -: |\n| ccc |  d |\n",
  );
});
