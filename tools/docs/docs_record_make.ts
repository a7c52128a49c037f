/**
 * Makes the records of `docs/records/` by running the real commands, on a clean export of the
 * current commit (`git archive HEAD`, so uncommitted edits never reach a record), or by
 * importing the committed files a record summarises (mutation runs, the figures' summary).
 *
 *   npx -y deno@2.9.6 run -A tools/docs/docs_record_make.ts verify-quick [more names]
 *   npx -y deno@2.9.6 run -A tools/docs/docs_record_make.ts --list
 *   npx -y deno@2.9.6 run -A tools/docs/docs_record_make.ts --worktree cli-help
 *
 * Then `npx -y deno@2.9.6 task docs` renders the Markdown from the new records.
 *
 * @module
 */

import { type DocsRecord, RECORD_SCHEMA, RECORDS_DIR, recordText } from "./docs_records.ts";

/** The launcher every recorded command starts with. */
export const DENO_LAUNCHER = "npx -y deno@2.9.6";

/** How a record is made: a command run on the commit, or committed files imported. */
export interface RecordRecipe {
  /** What the record is for. */
  about: string;
  /** Arguments after the Deno launcher, for a command run on the commit. */
  run?: readonly string[];
  /** How the command's stdout is read: one JSON value, one per line, or the text itself. */
  output?: "json" | "json-lines" | "text";
  /**
   * For an imported record: the command that produced the files, the files, and whether the
   * figures' captions (from the figure files the summary lists) are added as `captions`.
   */
  imports?: { command: string; files: readonly string[]; captions?: boolean };
  /** For the CLI's help: every command's and study's `--help`, found from the main help. */
  help?: boolean;
  /** Runs the command once per value of a flag; the data is the list of the outputs. */
  repeat?: { flag: string; values: readonly string[] };
}

/** Every record the docs render, by name. */
export const RECORD_RECIPES: Readonly<Record<string, RecordRecipe>> = {
  "cli-help": {
    about: "the --help of mod.ts and of every command and study (docs/guide/cli.md)",
    run: ["run", "-A", "mod.ts", "--help"],
    help: true,
  },
  population: {
    about: "the population quantities of the default law at several depths (model, library)",
    run: ["run", "-A", "mod.ts", "population", "--json"],
    output: "json",
    repeat: { flag: "--depth", values: ["1", "2", "5", "10", "20", "50"] },
  },
  "verify-quick": {
    about: "every claim at CI size: the README's verdicts and the claim pages",
    run: ["run", "-A", "mod.ts", "verify", "--quick", "--json"],
    output: "json",
  },
  "verify-full": {
    about: "every claim at full size, seed 0: the claim pages' full-size results",
    run: ["run", "-A", "mod.ts", "verify", "--full", "--seed", "0", "--json"],
    output: "json",
  },
  calibration: {
    about: "size and power of every claim part over 20 seeds (docs/reports/calibration.md)",
    run: ["run", "-A", "mod.ts", "calibrate", "--quick", "--seeds", "0..19", "--json"],
    output: "json",
  },
  "calibration-c12": {
    about: "size and power of C12's parts over 20 seeds, on their own (docs/claims/c12.md)",
    run: [
      ...["run", "-A", "mod.ts", "calibrate", "--quick", "--seeds", "0..19"],
      ...["--claims", "C12", "--json"],
    ],
    output: "json",
  },
  "calibration-c13": {
    about: "size and power of C13's parts over 20 seeds, on their own (docs/claims/c13.md)",
    run: [
      ...["run", "-A", "mod.ts", "calibrate", "--quick", "--seeds", "0..19"],
      ...["--claims", "C13", "--json"],
    ],
    output: "json",
  },
  untied: {
    about: "the C11 sweep: untied against tied LCA over depths (docs/reports/untied.md)",
    run: [
      ...["run", "-A", "mod.ts", "sweep", "untied", "--prompts", "2000", "--steps", "2500"],
      ...["--depths", "1,2,3,4,6,8,12", "--scales", "0.3,1", "--seeds", "1,2", "--tied-start"],
    ],
    output: "json-lines",
  },
  "untied-d2": {
    about: "the C11 sweep at d = 2 (d1 = d2 = 1), population proxy (docs/reports/untied.md)",
    run: [
      ...["run", "-A", "mod.ts", "sweep", "untied", "--prompts", "2000", "--steps", "2500"],
      ...["--depths", "1,2,3,4,6,8,12", "--dim1", "1", "--dim2", "1"],
      ...["--scales", "0.3,1", "--seeds", "1,2", "--tied-start"],
    ],
    output: "json-lines",
  },
  "untied-paper-loss": {
    about: "the C11 sweep on the paper's loss: L_tr = 100, noisy labels (docs/reports/untied.md)",
    run: [
      ...["run", "-A", "mod.ts", "sweep", "untied", "--prompts", "2000", "--steps", "2500"],
      ...["--depths", "1,2,3,4,8", "--context", "100", "--target", "label"],
      ...["--scales", "0.3,1", "--seeds", "1,2", "--tied-start"],
    ],
    output: "json-lines",
  },
  "untied-every-depth": {
    about: "the C11 sweep, layerwise, at every T = 1..12 against the optimal schedule (C12)",
    run: [
      ...["run", "-A", "mod.ts", "sweep", "untied", "--prompts", "2000", "--steps", "100"],
      ...["--depths", "1,2,3,4,5,6,7,8,9,10,11,12", "--scales", "0.3,1", "--seeds", "1,2"],
      ...["--tied-start", "--layerwise"],
    ],
    output: "json-lines",
  },
  "untied-every-depth-n8000": {
    about: "the layerwise sweep of untied-every-depth at N = 8000 prompts, T = 4 and 8",
    run: [
      ...["run", "-A", "mod.ts", "sweep", "untied", "--prompts", "8000", "--steps", "100"],
      ...["--depths", "4,8", "--scales", "0.3,1", "--seeds", "1,2", "--tied-start", "--layerwise"],
    ],
    output: "json-lines",
  },
  "verify-webgpu": {
    about: "every claim at CI size with prompts sampled in WebGPU kernels (docs/guide/webgpu.md)",
    run: ["run", "-A", "mod.ts", "verify", "--quick", "--backend", "webgpu", "--json"],
    output: "json",
  },
  "webgpu-bench": {
    about: "the WebGPU kernels against the CPU, small and medium cases (docs/guide/webgpu.md)",
    run: ["run", "-A", "bench/webgpu_report.ts"],
    output: "text",
  },
  "sampler-peers": {
    about:
      "the exact sampler against a one-thread numpy Bartlett peer (docs/reports/performance.md)",
    run: [
      ...["run", "-A", "bench/peers_compare.ts"],
      ...["--cases", "sampler", "--reps", "15", "--json", "-"],
    ],
    output: "json",
  },
  performance: {
    about: "training-step and sampler benchmarks (docs/reports/performance.md)",
    run: ["bench", "-A", "--json", "bench/training_bench.ts", "bench/statistics_bench.ts"],
    output: "json",
  },
  mutation: {
    about: "the latest mutation run of every targeted module (docs/reports/mutation.md)",
    imports: {
      command: `python3 tools/mutation_doc.py --summary (each module: ${DENO_LAUNCHER} ` +
        "task mutation <module>, at the commit its run names)",
      files: ["docs/mutation-runs.json", "docs/mutation-verdicts.json"],
    },
  },
  figures: {
    about: "the committed figures' theory comparisons and timings (docs/guide/figures.md)",
    imports: {
      command: `${DENO_LAUNCHER} run -A mod.ts figures --out docs/figures --json`,
      files: ["docs/figures/summary.json"],
      captions: true,
    },
  },
};

async function git(root: string, args: string[]): Promise<string> {
  const out = await new Deno.Command("git", { args, cwd: root, stdout: "piped" }).output();
  if (!out.success) throw new Error(`git ${args.join(" ")} failed in ${root}`);
  return new TextDecoder().decode(out.stdout).trim();
}

/** Exports the tree of `commit` into a new temporary directory (tracked files only). */
async function exportCommit(root: string, commit: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "icl-record-" });
  const archive = `${dir}.tar`;
  await git(root, ["archive", "--output", archive, commit]);
  const tar = await new Deno.Command("tar", { args: ["-xf", archive, "-C", dir] }).output();
  await Deno.remove(archive);
  if (!tar.success) throw new Error(`could not unpack ${commit} into ${dir}`);
  return dir;
}

/** Parses a command's stdout as one JSON value, one JSON value per non-empty line, or text. */
export function parseOutput(text: string, output: "json" | "json-lines" | "text"): unknown {
  if (output === "text") return text;
  if (output === "json") return JSON.parse(text);
  return text.split("\n").filter((line) => line.trim() !== "").map((line) => JSON.parse(line));
}

async function runDeno(dir: string, args: readonly string[]): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [...args],
    cwd: dir,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`${args.join(" ")} exited with ${out.code}`);
  return new TextDecoder().decode(out.stdout);
}

/** The names listed in the section `heading` of a help text (`Commands:`, `Studies:`). */
export function listedNames(help: string, heading: string): string[] {
  const section = help.split(`\n${heading}\n`)[1];
  if (section === undefined) return [];
  const names: string[] = [];
  for (const line of section.split("\n")) {
    const match = /^ {2}([a-z][a-z-]*)\s{2,}/.exec(line);
    if (match !== null) names.push(match[1]);
    else if (!/^ {3,}\S/.test(line)) break;
  }
  return names;
}

/** Every help text of the CLI in `dir`: the main one (key ""), each command's and study's. */
export async function helpTexts(dir: string): Promise<Record<string, string>> {
  const base = ["run", "-A", "mod.ts"];
  const texts: Record<string, string> = { "": await runDeno(dir, [...base, "--help"]) };
  for (const command of listedNames(texts[""], "Commands:")) {
    texts[command] = await runDeno(dir, [...base, command, "--help"]);
    for (const study of listedNames(texts[command], "Studies:")) {
      texts[`${command} ${study}`] = await runDeno(dir, [...base, command, study, "--help"]);
    }
  }
  return texts;
}

/** The command line of a recipe that runs, as it pastes on a fresh machine. */
export function recipeCommand(recipe: RecordRecipe): string {
  const command = `${DENO_LAUNCHER} ${recipe.run!.join(" ")}`;
  if (recipe.help) return `${command} (and each command's --help)`;
  if (recipe.repeat === undefined) return command;
  const { flag, values } = recipe.repeat;
  return `${command} ${flag} X, for X = ${values.join(", ")}`;
}

async function recipeData(dir: string, recipe: RecordRecipe): Promise<unknown> {
  if (recipe.help) return await helpTexts(dir);
  const output = recipe.output ?? "json";
  if (recipe.repeat === undefined) return parseOutput(await runDeno(dir, recipe.run!), output);
  const outputs: unknown[] = [];
  for (const value of recipe.repeat.values) {
    const args = [...recipe.run!, recipe.repeat.flag, value];
    outputs.push(parseOutput(await runDeno(dir, args), output));
  }
  return outputs;
}

async function runRecipe(
  root: string,
  name: string,
  recipe: RecordRecipe,
  worktree: boolean,
): Promise<DocsRecord> {
  const commit = await git(root, ["rev-parse", "HEAD"]);
  const dir = worktree ? root : await exportCommit(root, commit);
  try {
    const created = new Date().toISOString();
    const start = performance.now();
    const data = await recipeData(dir, recipe);
    const wallSeconds = Math.round((performance.now() - start) / 10) / 100;
    return {
      schema: RECORD_SCHEMA,
      name,
      command: recipeCommand(recipe),
      commit,
      source: worktree
        ? "the working tree at the commit, with uncommitted changes"
        : "a clean export of the commit (git archive): tracked files only",
      created,
      wallSeconds,
      host: `${navigator.hardwareConcurrency} CPU cores, shared with other jobs`,
      data,
    };
  } finally {
    if (!worktree) await Deno.remove(dir, { recursive: true });
  }
}

/**
 * The data of an imported record, reading each repository file with `read`: a single file's JSON
 * as it is, or an object keyed by each file's name without folder and extension; with
 * `captions`, the figures' `{ id: caption }` is added as `captions`.
 */
export async function importedData(
  recipe: RecordRecipe,
  read: (file: string) => Promise<string>,
): Promise<unknown> {
  const { files, captions } = recipe.imports!;
  const texts = await Promise.all(files.map(read));
  const data = files.length === 1 ? JSON.parse(texts[0]) : Object.fromEntries(
    files.map((file, i) => [file.split("/").at(-1)!.replace(/\.json$/, ""), JSON.parse(texts[i])]),
  );
  if (!captions) return data;
  const folder = files[0].split("/").slice(0, -1).join("/");
  const figures = (data as { figures: { id: string; data: string[] }[] }).figures;
  const entries = await Promise.all(figures.map(async (figure) => {
    const json = figure.data.find((file) => file.endsWith(".json"))!;
    return [figure.id, JSON.parse(await read(`${folder}/${json}`)).caption as string];
  }));
  return { ...data, captions: Object.fromEntries(entries) };
}

async function importRecipe(root: string, name: string, recipe: RecordRecipe): Promise<DocsRecord> {
  const { command, files } = recipe.imports!;
  const commit = await git(root, ["log", "-1", "--format=%H", "--", ...files]);
  const created = await git(root, ["log", "-1", "--format=%cI", commit]);
  return {
    schema: RECORD_SCHEMA,
    name,
    command,
    commit,
    source: `imported from ${files.join(" and ")} as committed (the commit that last changed them)`,
    created: new Date(created).toISOString(),
    data: await importedData(recipe, (file) => git(root, ["show", `${commit}:${file}`])),
  };
}

/**
 * Makes the record `name` from the repository at `root` (an absolute path): on a clean export
 * of its commit, or, with `worktree`, on the working tree as it is.
 */
export function makeRecord(root: string, name: string, worktree = false): Promise<DocsRecord> {
  const recipe = RECORD_RECIPES[name];
  if (recipe === undefined) {
    throw new RangeError(
      `unknown record ${name} (known: ${Object.keys(RECORD_RECIPES).join(", ")})`,
    );
  }
  return recipe.run === undefined
    ? importRecipe(root, name, recipe)
    : runRecipe(root, name, recipe, worktree);
}

if (import.meta.main) {
  const root = new URL("../../", import.meta.url).pathname;
  if (Deno.args.length === 0 || Deno.args.includes("--list")) {
    for (const [name, recipe] of Object.entries(RECORD_RECIPES)) {
      console.log(`${name.padEnd(14)} ${recipe.about}`);
    }
  } else {
    const worktree = Deno.args.includes("--worktree");
    for (const name of Deno.args.filter((arg) => arg !== "--worktree")) {
      const record = await makeRecord(root, name, worktree);
      await Deno.writeTextFile(`${root}${RECORDS_DIR}/${name}.json`, recordText(record));
      console.error(`wrote ${RECORDS_DIR}/${name}.json`);
    }
  }
}
