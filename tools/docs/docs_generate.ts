/**
 * Regenerates the generated Markdown of README.md and docs/ from the committed records: every
 * block between `<!-- generated:NAME ARGS -->` and `<!-- /generated:NAME -->` is rendered by
 * the renderer NAME, and the file is formatted as `deno fmt` formats it.
 *
 *   npx -y deno@2.9.6 run -A tools/docs/docs_generate.ts           # rewrite stale files
 *   npx -y deno@2.9.6 run -A tools/docs/docs_generate.ts --check   # exit 1 if any is stale
 *
 * @module
 */

import { type Block, formatMarkdown, replaceBlocks } from "./docs_markdown.ts";
import { readRecords, recordNamed, type Records, RECORDS_DIR } from "./docs_records.ts";
import { claimResult, claimsTable, claimStatement, recordLink } from "./docs_claims_render.ts";
import { calibrationSummary, calibrationTable } from "./docs_report_calibration.ts";
import {
  mutationData,
  mutationSummary,
  mutationTable,
  verdictCounts,
} from "./docs_report_mutation.ts";
import {
  benchTable,
  claimSecondsTable,
  figuresComparisons,
  figuresGallery,
  figuresTimings,
  samplerPeersTable,
  timingsTable,
} from "./docs_report_performance.ts";
import { untiedSummary, untiedTable, untiedTrainedTable } from "./docs_report_untied.ts";
import {
  untiedSchedulePrompts,
  untiedScheduleSummary,
  untiedScheduleTable,
} from "./docs_report_untied_schedule.ts";
import { commandAnchor, commandHelp, commandsTable } from "./docs_cli_render.ts";
import { relativeLink } from "./docs_claims_render.ts";
import { populationConstants, populationTable } from "./docs_population_render.ts";
import { webgpuBench, webgpuVerify } from "./docs_report_webgpu.ts";
import { scheduleFloat32Table } from "./docs_report_schedule.ts";
import { scheduleContextTable } from "./docs_report_schedule_context.ts";
import { softmaxStudySummary, softmaxStudyTable } from "./docs_report_softmax_study.ts";

const CLI_PAGE = "docs/guide/cli.md";

/** Renders one block of the file `file` (repository-relative) from the records. */
export type Renderer = (records: Records, args: readonly string[], file: string) => string;

function oneArg(args: readonly string[], name: string): string {
  if (args.length !== 1) throw new SyntaxError(`generated:${name} takes one argument`);
  return args[0];
}

/** The sentence that says which record a block comes from and how to make it again. */
export function recordLine(records: Records, name: string, file: string): string {
  const record = recordNamed(records, name);
  const wall = record.wallSeconds === undefined ? "" : `, ${record.wallSeconds.toFixed(1)} s wall`;
  return `Record ${recordLink(file, name)}: \`${record.command}\`, ` +
    `${record.created.slice(0, 10)}${wall}; ${record.source}.`;
}

/** The renderers by block name. */
export const RENDERERS: Readonly<Record<string, Renderer>> = {
  claims: (records, _, file) => claimsTable(records, file),
  "claim-statement": (records, args) => claimStatement(records, oneArg(args, "claim-statement")),
  "claim-result": (records, args, file) => claimResult(records, oneArg(args, "claim-result"), file),
  record: (records, args, file) => recordLine(records, oneArg(args, "record"), file),
  "calibration-table": (records, args) => calibrationTable(records, args[0], args[1]),
  "calibration-summary": (records) => calibrationSummary(records),
  "mutation-table": (records) => mutationTable(mutationData(records)),
  "mutation-summary": (records) => mutationSummary(mutationData(records)),
  "mutation-verdicts": (records) => verdictCounts(mutationData(records)),
  "bench-table": (records) => benchTable(records),
  "sampler-peers-table": (records) => samplerPeersTable(records),
  "timings-table": (records) => timingsTable(records),
  "claim-seconds": (records) => claimSecondsTable(records),
  "figures-comparisons": (records) => figuresComparisons(records),
  "figures-timings": (records) => figuresTimings(records),
  "figures-gallery": (records, _, file) => figuresGallery(records, file),
  "untied-table": (records, args) => untiedTable(records, args[0]),
  "untied-summary": (records, args) =>
    untiedSummary(records, args[0], args[1] === "trained" ? "trained" : "optimum"),
  "untied-trained-table": (records, args) =>
    untiedTrainedTable(records, oneArg(args, "untied-trained-table")),
  "untied-schedule-table": (records, args) =>
    untiedScheduleTable(records, oneArg(args, "untied-schedule-table")),
  "untied-schedule-summary": (records, args) =>
    untiedScheduleSummary(records, oneArg(args, "untied-schedule-summary")),
  "untied-schedule-prompts": (records, args) => {
    if (args.length !== 2) throw new SyntaxError("generated:untied-schedule-prompts takes two");
    return untiedSchedulePrompts(records, args[0], args[1]);
  },
  "webgpu-bench": (records) => webgpuBench(records),
  "webgpu-verify": (records) => webgpuVerify(records),
  "schedule-float32-table": (records, args) =>
    scheduleFloat32Table(records, oneArg(args, "schedule-float32-table")),
  "schedule-finite-context": (records, args) =>
    scheduleContextTable(records, oneArg(args, "schedule-finite-context")),
  "softmax-study": (records) => softmaxStudyTable(records),
  "softmax-study-summary": (records) => softmaxStudySummary(records),
  "population-constants": (records) => populationConstants(records),
  "population-table": (records) => populationTable(records),
  "cli-help": (records, args) => commandHelp(records, args.join(" ")),
  "cli-commands": (records, _, file) =>
    commandsTable(
      records,
      (command) => (file === CLI_PAGE ? "" : relativeLink(file, CLI_PAGE)) + commandAnchor(command),
    ),
};

/** Renders every block of `text` (the file `file`) and formats the result. */
export function renderFile(
  text: string,
  file: string,
  records: Records,
  root: string,
): Promise<string> {
  const render = (block: Block) => {
    const renderer = RENDERERS[block.name];
    if (renderer === undefined) {
      throw new SyntaxError(`${file}: unknown generated block ${block.name}`);
    }
    return renderer(records, block.args, file);
  };
  return formatMarkdown(replaceBlocks(text, render), root);
}

/** Files whose generated blocks are not ours (made by another tool). */
export const NOT_OURS: readonly string[] = ["docs/reference/architecture.md"];

/**
 * README.md and every Markdown file under docs/ (repository-relative, sorted); those of
 * {@linkcode NOT_OURS} only with `all`.
 */
export async function markdownFiles(root: string, all = false): Promise<string[]> {
  const files = ["README.md"];
  async function walk(dir: string): Promise<void> {
    for await (const entry of Deno.readDir(`${root}/${dir}`)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) await walk(path);
      else if (entry.name.endsWith(".md") && (all || !NOT_OURS.includes(path))) files.push(path);
    }
  }
  await walk("docs");
  return files.sort();
}

/** A file whose committed text differs from its regeneration. */
export interface Stale {
  file: string;
  committed: string;
  fresh: string;
}

/**
 * Regenerates every Markdown file of the repository at `root` that has a generated block,
 * from `records` (default: the committed records), and returns those that differ.
 */
export async function staleFiles(root: string, records?: Records): Promise<Stale[]> {
  const recs = records ?? await readRecords(`${root}/${RECORDS_DIR}`);
  const stale: Stale[] = [];
  for (const file of await markdownFiles(root)) {
    const committed = await Deno.readTextFile(`${root}/${file}`);
    if (!committed.includes("<!-- generated:")) continue;
    const fresh = await renderFile(committed, file, recs, root);
    if (fresh !== committed) stale.push({ file, committed, fresh });
  }
  return stale;
}

/** Rewrites every stale file of `root`; returns their names. */
export async function regenerate(root: string): Promise<string[]> {
  const stale = await staleFiles(root);
  for (const { file, fresh } of stale) await Deno.writeTextFile(`${root}/${file}`, fresh);
  return stale.map((s) => s.file);
}

if (import.meta.main) {
  const root = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
  if (Deno.args.includes("--check")) {
    const stale = await staleFiles(root);
    for (const s of stale) console.error(`stale: ${s.file}`);
    if (stale.length > 0) {
      console.error("run: npx -y deno@2.9.6 run -A tools/docs/docs_generate.ts");
      Deno.exit(1);
    }
  } else {
    for (const file of await regenerate(root)) console.error(`regenerated ${file}`);
  }
}
