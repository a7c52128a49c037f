/**
 * The CLI reference rendered from the `cli-help` record (every command's `--help`): the table
 * of commands, and per command its usage (as it pastes on a fresh machine), its description
 * and a table of its options.
 *
 * @module
 */

import { recordNamed, type Records } from "./docs_records.ts";
import { table } from "./docs_markdown.ts";
import { slug } from "./docs_site_paths.ts";

/** The launcher of the CLI on a fresh machine. */
export const CLI = "npx -y deno@2.9.6 run -A mod.ts";

/** A help text split into its usage lines, prose paragraphs and option (or study) rows. */
export interface ParsedHelp {
  usage: string[];
  paragraphs: string[];
  options: [string, string][];
}

/** Splits a help text into usage, paragraphs and options (`  --flag ARG   meaning`). */
export function parseHelp(text: string): ParsedHelp {
  const parsed: ParsedHelp = { usage: [], paragraphs: [], options: [] };
  let paragraph: string[] = [];
  let inUsage = false;
  const flush = () => {
    if (paragraph.length > 0) parsed.paragraphs.push(paragraph.join(" "));
    paragraph = [];
  };
  for (const line of text.replace(/\s+$/, "").split("\n")) {
    const option = /^ {2}(\S.*?)\s{2,}(\S.*)$/.exec(line);
    if (line.startsWith("Usage: ") || (inUsage && /^\s+\S/.test(line))) {
      const text = line.replace(/^Usage: /, "").trim();
      const continues = inUsage && !/^(npx|deno) /.test(text);
      if (continues) parsed.usage.push(`${parsed.usage.pop()} ${text}`);
      else parsed.usage.push(text);
      inUsage = true;
    } else if (option !== null) {
      inUsage = false;
      flush();
      parsed.options.push([option[1], option[2].trim()]);
    } else if (/^\s{3,}\S/.test(line) && parsed.options.length > 0 && paragraph.length === 0) {
      parsed.options.at(-1)![1] += ` ${line.trim()}`;
    } else if (line.trim() === "" || /^[A-Z][a-z]+:$/.test(line)) {
      inUsage = false;
      flush();
    } else {
      inUsage = false;
      paragraph.push(line.trim());
    }
  }
  flush();
  return parsed;
}

/** A usage line as it pastes on a fresh machine (`npx -y deno@2.9.6 run -A mod.ts ...`). */
export function usageCommand(line: string): string {
  if (line.startsWith("npx ")) return line;
  if (line.startsWith("deno ")) return `npx -y deno@2.9.6 ${line.slice("deno ".length)}`;
  return `${CLI} ${line}`;
}

function helpTexts(records: Records): Record<string, string> {
  return recordNamed(records, "cli-help").data as Record<string, string>;
}

/** The help of one command (`population`, `sweep untied`, ...) as Markdown. */
export function commandHelp(records: Records, command: string): string {
  const text = helpTexts(records)[command];
  if (text === undefined) throw new Error(`record cli-help has no help of ${command}`);
  const help = parseHelp(text);
  const out = ["```sh", ...help.usage.map(usageCommand), "```", ""];
  for (const paragraph of help.paragraphs) out.push(paragraph, "");
  if (help.options.length > 0) {
    const header = help.options.every(([flag]) => flag.startsWith("-")) ? "option" : "name";
    out.push(
      table([header, "meaning"], help.options.map(([flag, meaning]) => [`\`${flag}\``, meaning])),
    );
  }
  return out.join("\n");
}

/** The commands of the main help: name, what it does, and a link to its section. */
export function commandsTable(records: Records, link: (command: string) => string): string {
  const main = parseHelp(helpTexts(records)[""]);
  const commands = main.options.filter(([name]) => /^[a-z]+$/.test(name));
  return table(
    ["command", "what it does"],
    commands.map(([name, what]) => [`[\`${name}\`](${link(name)})`, what]),
  );
}

/** The anchor of a command's section in docs/guide/cli.md (its heading is the command). */
export function commandAnchor(command: string): string {
  return `#${slug(command)}`;
}
