/**
 * Markdown pieces for the generated blocks: tables, numbers and the marker comments that
 * delimit a generated block (`<!-- generated:NAME ARGS -->` ... `<!-- /generated:NAME -->`).
 *
 * @module
 */

/** Column alignment of a Markdown table. */
export type Align = "left" | "right";

/** Escapes a table cell: pipes and line breaks. */
export function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
}

/** A Markdown table (not padded: `deno fmt` pads it when the file is formatted). */
export function table(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly Align[] = [],
): string {
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(" | ")} |`;
  const rule = headers.map((_, i) => (align[i] === "right" ? "--:" : "---"));
  return [line(headers), `| ${rule.join(" | ")} |`, ...rows.map(line)].join("\n");
}

/**
 * A number with `digits` significant digits: plain between 1e-3 and 1e5, else in `1.23e-4`
 * style; integers stay whole; `"inf"` and non-finite values as such.
 */
export function sig(value: number | string, digits = 4): string {
  if (typeof value === "string") return value;
  if (!Number.isFinite(value)) return value > 0 ? "inf" : value < 0 ? "-inf" : "NaN";
  if (value === 0) return "0";
  if (Number.isInteger(value) && Math.abs(value) < 1e9) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude < 1e-3 || magnitude >= 1e5) {
    const [mantissa, exponent] = value.toExponential(digits - 1).split("e");
    return `${mantissa.replace(/\.?0+$/, "")}e${exponent.replace("+", "")}`;
  }
  return String(Number(value.toPrecision(digits)));
}

/** A fraction as a percentage with `decimals` decimals, e.g. `92.83%`. */
export function percent(fraction: number, decimals = 2): string {
  return `${(100 * fraction).toFixed(decimals)}%`;
}

/** A generated block found in a Markdown file. */
export interface Block {
  /** The renderer's name. */
  name: string;
  /** The words after the name in the opening marker. */
  args: string[];
  /** Offsets of the block's content (between the markers) in the file's text. */
  start: number;
  end: number;
}

const OPEN = /<!-- generated:([a-z][a-z0-9-]*)((?: [^ >-][^ >]*)*) -->/g;

/** Every generated block of `text`, in order; throws on an unclosed or nested block. */
export function findBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  for (const match of text.matchAll(OPEN)) {
    const name = match[1];
    const start = match.index! + match[0].length;
    const close = new RegExp(`<!-- /generated:${name}(?: [^>]*)? -->`, "g");
    close.lastIndex = start;
    const end = close.exec(text)?.index ?? -1;
    if (end < 0) {
      throw new SyntaxError(`generated block ${name} is not closed by <!-- /generated:${name} -->`);
    }
    const previous = blocks.at(-1);
    if (previous !== undefined && start < previous.end) {
      throw new SyntaxError(`generated block ${name} starts inside block ${previous.name}`);
    }
    blocks.push({ name, args: match[2].trim().split(" ").filter((a) => a !== ""), start, end });
  }
  return blocks;
}

/**
 * `text` with the content of every generated block replaced by `render(block)`, surrounded
 * by blank lines.
 */
export function replaceBlocks(text: string, render: (block: Block) => string): string {
  let out = "";
  let at = 0;
  for (const block of findBlocks(text)) {
    out += text.slice(at, block.start) + `\n\n${render(block).trim()}\n\n`;
    at = block.end;
  }
  return out + text.slice(at);
}

/** Formats Markdown text as `deno fmt` would in this repository (line width 100). */
export async function formatMarkdown(text: string, root: string): Promise<string> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--ext", "md", "--line-width", "100", "-"],
    cwd: root,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(text));
  await writer.close();
  const out = await child.output();
  if (!out.success) {
    throw new Error(`deno fmt failed: ${new TextDecoder().decode(out.stderr).slice(0, 500)}`);
  }
  return new TextDecoder().decode(out.stdout);
}
