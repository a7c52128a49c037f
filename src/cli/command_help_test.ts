/**
 * Every `--help` is written from the registries: each command's usage line and options
 * name every flag of its table (and every choice), the top-level help names every
 * command, claim, model and study, `verify --help` lists every claim, `train --help`
 * every model, `sweep --help` every study. Controls: a help text missing one entry fails.
 */
import assert from "node:assert/strict";
import { main } from "./main.ts";
import type { CliIo } from "./io.ts";
import type { FlagTable } from "./flag_table.ts";
import { reflow, usageLine } from "./command_help.ts";
import { ALL_CLAIMS } from "../claims/claims.ts";
import { MODELS } from "../training/train_options.ts";
import { POPULATION_FLAGS } from "./population_command.ts";
import { TRAIN_FLAGS } from "./train_flags.ts";
import { VERIFY_FLAGS } from "./verify_command.ts";
import { FIGURES_FLAGS } from "./figures_command.ts";
import { CALIBRATE_FLAGS } from "./calibrate_command.ts";
import { STUDIES } from "./sweep_command.ts";
import { parseFlags } from "./options.ts";
import { DENO_RUNNER } from "../claims/replay_call.ts";

async function help(args: string[]): Promise<string> {
  const out: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: () => {} };
  assert.equal(await main(args, io), 0, args.join(" "));
  return out.join("\n");
}

/** The usage line (up to the first blank line) and the options list of a help text. */
function sections(text: string): { usage: string; options: string } {
  const usage = text.split("\n\n")[0];
  const at = text.indexOf("\nOptions:\n");
  return { usage, options: at < 0 ? "" : text.slice(at).split("\n\n")[0] };
}

/** What a command's help lacks of its flag table: flags, choices, option lines. */
function missingFlags(text: string, table: FlagTable): string[] {
  const { usage, options } = sections(text);
  const missing: string[] = [];
  const json: FlagTable = { json: { kind: "boolean" } };
  for (const [name, flag] of Object.entries({ ...table, ...json })) {
    const inUsage = new RegExp(`--${name}(?![\\w-])`).test(usage);
    if (flag.kind === "rejected") {
      if (inUsage) missing.push(`usage shows the rejected --${name}`);
      continue;
    }
    if (!inUsage) missing.push(`usage lacks --${name}`);
    if (!new RegExp(`^ {2}--${name}(?![\\w-])`, "m").test(options)) {
      missing.push(`options lack --${name}`);
    }
    if (flag.kind === "choice") {
      for (const choice of flag.choices) {
        if (!usage.includes(choice)) missing.push(`usage lacks --${name} ${choice}`);
      }
    }
  }
  return missing;
}

/** The claim ids a text names, one by one or as ranges `C1..C10`. */
function claimIdsIn(text: string): Set<string> {
  const ids = new Set<string>();
  for (const m of text.matchAll(/\b([A-Z]+)(\d+)\.\.\1(\d+)\b/g)) {
    for (let i = Number(m[2]); i <= Number(m[3]); i++) ids.add(`${m[1]}${i}`);
  }
  for (const m of text.matchAll(/\b[A-Z]+\d+\b/g)) ids.add(m[0]);
  return ids;
}

/** What a text lacks of a list of names (each must appear as a word). */
function missingNames(text: string, names: readonly string[]): string[] {
  return names.filter((n) =>
    !new RegExp(`(^|[^\\w-])${n.replace(/[*]/g, "\\*")}(?![\\w-])`).test(text)
  );
}

const COMMAND_TABLES: [string[], FlagTable][] = [
  [["population"], POPULATION_FLAGS],
  [["train"], TRAIN_FLAGS],
  [["verify"], VERIFY_FLAGS],
  [["figures"], FIGURES_FLAGS],
  [["calibrate"], CALIBRATE_FLAGS],
  ...Object.entries(STUDIES).map(([name, study]): [string[], FlagTable] => [
    ["sweep", name],
    study.flags,
  ]),
];

Deno.test("each command's usage and options name every flag of its table and every choice", async () => {
  for (const [command, table] of COMMAND_TABLES) {
    const text = await help([...command, "--help"]);
    assert.deepEqual(missingFlags(text, table), [], command.join(" "));
    assert.match(text, new RegExp(`^Usage: ${command.join(" ")} `), command.join(" "));
    for (const line of sections(text).usage.split("\n")) {
      assert.ok(line.length <= 88, `${command.join(" ")}: usage line of ${line.length} columns`);
    }
  }
  // Control: the help without one option line, or with a usage line missing a flag, fails.
  const train = await help(["train", "--help"]);
  assert.deepEqual(missingFlags(train.replace(/^ {2}--steps .*\n/m, ""), TRAIN_FLAGS), [
    "options lack --steps",
  ]);
  assert.deepEqual(missingFlags(train.replace("[--steps K] ", ""), TRAIN_FLAGS), [
    "usage lacks --steps",
  ]);
  assert.deepEqual(missingFlags(train.replace("|lca-full-layerwise", ""), TRAIN_FLAGS), [
    "usage lacks --model lca-full-layerwise",
  ]);
});

Deno.test("every example of a help is a pasteable command whose flags its table accepts", async () => {
  const tables = new Map(COMMAND_TABLES.map(([command, table]) => [command.join(" "), table]));
  let examples = 0;
  for (const [command] of COMMAND_TABLES) {
    const text = await help([...command, "--help"]);
    for (const line of text.split("\n").filter((l) => /^ {2}npx /.test(l))) {
      examples++;
      const prefix = `  ${DENO_RUNNER} run -A mod.ts ${command.join(" ")} `;
      assert.ok(line.startsWith(prefix), `${line} starts with ${prefix}`);
      const args = line.slice(prefix.length).split(" ");
      parseFlags(command.join(" "), args, tables.get(command.join(" ")) ?? {});
    }
  }
  assert.equal(examples, COMMAND_TABLES.length, "one example per command");
  // Control: an example with a flag its table lacks is refused.
  assert.throws(() => parseFlags("train", ["--model", "lca1", "--bogus", "1"], TRAIN_FLAGS));
});

Deno.test("the top-level help names every command, claim, model and study of the registries", async () => {
  const text = await help(["--help"]);
  const commands = ["population", "verify", "train", "figures", "calibrate", "sweep"];
  assert.deepEqual(commands.filter((c) => !new RegExp(`^ {2}${c} `, "m").test(text)), []);
  const ids = ALL_CLAIMS.map((c) => c.id);
  assert.deepEqual(ids.filter((id) => !claimIdsIn(text).has(id)), []);
  assert.match(text, new RegExp(`check the ${ALL_CLAIMS.length} claims`));
  assert.deepEqual(missingNames(text, MODELS), []);
  assert.deepEqual(missingNames(text, Object.keys(STUDIES)), []);
  assert.match(text, /^Usage: npx -y deno@\d+\.\d+\.\d+ run -A mod\.ts <command>/m);
  // Controls: without the claims beyond the paper (C11 onwards, named as one id, a pair or a
  // range), or with a range that stops short, claims are missing.
  const beyond = ALL_CLAIMS.filter((c) => c.group === "beyond").map((c) => c.id);
  const withoutBeyond = text.replace(/C11(\.\.C\d+|, C12)? \(beyond/, "(beyond");
  assert.deepEqual(ids.filter((id) => !claimIdsIn(withoutBeyond).has(id)), beyond);
  assert.ok(!claimIdsIn(text.replace("C1..C10", "C1..C9")).has("C10"));
  assert.deepEqual(missingNames(text.replace("deep-lsa", "deep"), MODELS), ["deep-lsa"]);
});

Deno.test("verify --help lists every claim, train --help every model, sweep --help every study", async () => {
  const verify = await help(["verify", "--help"]);
  const listed = ALL_CLAIMS.filter((c) =>
    new RegExp(`^ {2}${c.id} +${c.group} +${c.title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m")
      .test(verify)
  );
  assert.equal(listed.length, ALL_CLAIMS.length);
  assert.deepEqual(ALL_CLAIMS.map((c) => c.id).filter((id) => !claimIdsIn(verify).has(id)), []);
  assert.doesNotMatch(verify, /minutes/, "--quick says what it does, not how long it takes");
  const train = await help(["train", "--help"]);
  const modelHelp = sections(train).options.split(/\n {2}--depth/)[0];
  assert.deepEqual(
    MODELS.filter((m) => !new RegExp(`^ +(--model M +)?${m}: `, "m").test(modelHelp)),
    [],
  );
  const sweep = await help(["sweep", "--help"]);
  assert.deepEqual(missingNames(sections(sweep).usage, Object.keys(STUDIES)), []);
  for (const name of Object.keys(STUDIES)) assert.match(sweep, new RegExp(`^ {2}${name} `, "m"));
  // Control: a model list without one model fails.
  const without = modelHelp.replace(/^.*lca-full-layerwise: .*$/m, "");
  assert.deepEqual(
    MODELS.filter((m) => !new RegExp(`^ +(--model M +)?${m}: `, "m").test(without)),
    [
      "lca-full-layerwise",
    ],
  );
});

Deno.test("usageLine: every accepted flag in table order, alternatives, repeatable, wrapped", () => {
  const table = {
    quick: { kind: "boolean" },
    full: { kind: "boolean" },
    path: { kind: "text", repeatable: true },
    model: { kind: "choice", choices: ["a", "b"] },
    seed: { kind: "rejected", reason: "none" },
  } as const;
  assert.equal(
    usageLine("demo", table, [["path", "P", ""]], { alternatives: [["quick", "full"]] }),
    "Usage: demo [--quick | --full] [--path P ...] [--model a|b] [--json]",
  );
  const wide = usageLine("demo", { ...table, "a-very-long-flag-name": { kind: "integer" } }, []);
  for (const line of wide.split("\n")) assert.ok(line.length <= 88);
  assert.equal(reflow("a b c d e f", 5), "a b c\nd e f");
  // A list of choices wider than a line is broken after a "|", every choice kept whole.
  const choices = Array.from({ length: 12 }, (_, i) => `choice-number-${i}`);
  const many = usageLine("demo", { model: { kind: "choice", choices } }, []).split("\n");
  assert.ok(many.length > 1 && many.every((line) => line.length <= 88));
  assert.ok(many.slice(0, -1).every((line) => line.endsWith("|")));
  const joined = many.map((line) => line.trim()).join("");
  assert.ok(joined.startsWith("Usage: demo [--model choice-number-0|"));
  assert.ok(joined.includes(choices.join("|")));
});
