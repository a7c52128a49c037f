/**
 * The option tables: parsed values are typed by their table (a test that compiles is half
 * of it), defaults filled in, repeatable flags collected, and the replay line rebuilds
 * the arguments.
 */
import assert from "node:assert/strict";
import { defineFlags } from "./flag_table.ts";
import { parseFlags, replayArgs, replayCommand, UsageError } from "./options.ts";

const TABLE = defineFlags({
  depth: { kind: "integer", default: 10 },
  nodes: { kind: "integer" },
  model: { kind: "choice", choices: ["a", "b"] },
  lr: { kind: "lr", default: "auto", min: 0, exclusiveMin: true },
  context: { kind: "context", default: Infinity },
  path: { kind: "text", repeatable: true },
  quick: { kind: "boolean" },
  seed: { kind: "rejected", reason: "no random numbers" },
});

Deno.test("parseFlags: typed values, defaults filled in, repeatable flags in order", () => {
  const { values, given, raw } = parseFlags("demo", [
    "--model",
    "b",
    "--path",
    "x=1",
    "--path=y=2",
    "--lr",
    "0.5",
    "--quick",
  ], TABLE);
  const depth: number = values.depth;
  const nodes: number | undefined = values.nodes;
  const model: "a" | "b" | undefined = values.model;
  const lr: number | "auto" = values.lr;
  const path: string[] | undefined = values.path;
  const quick: boolean = values.quick;
  assert.deepEqual([depth, nodes, model, lr, path, quick], [
    10,
    undefined,
    "b",
    0.5,
    ["x=1", "y=2"],
    true,
  ]);
  assert.equal(values.context, Infinity);
  assert.equal(values.help || values.json, false);
  assert.ok(!("seed" in values), "a rejected flag has no value");
  assert.deepEqual([...given].sort(), ["lr", "model", "path", "quick"]);
  assert.equal(raw.path, "y=2");
  assert.equal(parseFlags("demo", ["--lr", "auto"], TABLE).values.lr, "auto");
  assert.equal(parseFlags("demo", ["-h"], TABLE).values.help, true);
});

Deno.test("parseFlags: errors name the flag; a rejected flag says why", () => {
  const cases: [string[], RegExp][] = [
    [["--seed", "1"], /^--seed does not apply to demo \(no random numbers; see: demo --help\)$/],
    [["--model", "c"], /^--model must be one of a, b, got "c"$/],
    [["--lr", "0"], /^--lr must be a finite number > 0 or "auto", got 0$/],
    [["--quick=1"], /^--quick takes no value, got "1"$/],
    [["--depth"], /^--depth needs a value \(see: demo --help\)$/],
  ];
  for (const [args, message] of cases) {
    assert.throws(
      () => parseFlags("demo", args, TABLE),
      (e: Error) => e instanceof UsageError && message.test(e.message),
    );
  }
});

Deno.test("replayCommand: every configured flag in table order, command words, --json; replayArgs inverts it", () => {
  const config = {
    depth: 3,
    lr: "auto",
    context: Infinity,
    path: ["x=1", "it's"],
    quick: true,
    nodes: undefined,
  };
  const line = replayCommand(["sweep", "demo"], TABLE, config);
  assert.equal(
    line,
    `npx -y deno@2.9.6 run -A mod.ts sweep demo --depth 3 --lr auto --context inf --path x=1 --path 'it'\\''s' --quick --json`,
  );
  const args = replayArgs(line);
  assert.deepEqual(args.slice(0, 2), ["sweep", "demo"]);
  const again = parseFlags("demo", args.slice(2), TABLE).values;
  assert.deepEqual([again.depth, again.lr, again.context, again.path, again.quick], [
    3,
    "auto",
    Infinity,
    ["x=1", "it's"],
    true,
  ]);
  assert.equal(
    replayCommand("train", TABLE, { depth: 2 }),
    "npx -y deno@2.9.6 run -A mod.ts train --depth 2 --json",
  );
});
