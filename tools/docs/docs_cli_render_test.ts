import assert from "node:assert/strict";
import {
  commandAnchor,
  commandHelp,
  commandsTable,
  parseHelp,
  usageCommand,
} from "./docs_cli_render.ts";
import { RECORD_SCHEMA } from "./docs_records.ts";

const HELP = `Usage: population [--depth T]
                  [--json]

Population quantities by quadrature,
in float64.

Options:
  --depth T       number of layers (default 10,
                  at most 2048)
  --json          print JSON
Population quantities do not depend on d.`;

Deno.test("parseHelp: usage lines, paragraphs, options with continuation lines", () => {
  const help = parseHelp(HELP);
  assert.deepEqual(help.usage, ["population [--depth T] [--json]"]);
  const main = parseHelp(
    "Usage: deno run -A mod.ts <command>\n       deno run -A mod.ts --version\n",
  );
  assert.deepEqual(main.usage, ["deno run -A mod.ts <command>", "deno run -A mod.ts --version"]);
  assert.deepEqual(help.paragraphs, [
    "Population quantities by quadrature, in float64.",
    "Population quantities do not depend on d.",
  ]);
  assert.deepEqual(help.options, [
    ["--depth T", "number of layers (default 10, at most 2048)"],
    ["--json", "print JSON"],
  ]);
});

Deno.test("usage lines paste on a fresh machine; command tables link to their sections", () => {
  assert.equal(
    usageCommand("population [--json]"),
    "npx -y deno@2.9.6 run -A mod.ts population [--json]",
  );
  assert.equal(
    usageCommand("deno run -A mod.ts --version"),
    "npx -y deno@2.9.6 run -A mod.ts --version",
  );
  const records = new Map([["cli-help", {
    schema: RECORD_SCHEMA,
    name: "cli-help",
    command: "x",
    commit: "0".repeat(40),
    source: "test",
    created: "2026-12-07T00:00:00Z",
    data: { "": "Usage: x\n\nCommands:\n  population  quadrature\n", population: HELP },
  }]]);
  assert.match(
    commandsTable(records, commandAnchor),
    /\[`population`\]\(#population\) \| quadrature/,
  );
  assert.match(
    commandHelp(records, "population"),
    /^```sh\nnpx -y deno@2\.9\.6 run -A mod\.ts population/,
  );
  // Control: a command without a recorded help is an error.
  assert.throws(() => commandHelp(records, "train"), /no help of train/);
});
