/**
 * Rules for the text of README.md and docs/: the README stays a front door (at most 200
 * lines); no development log (no "stop N", "issue N", "session") and no commit hash (a 7-40
 * digit hex token that `git cat-file -e` resolves) outside CHANGELOG.md and the JSON records;
 * and every command shown starts with `npx -y deno@2.9.6`, never a bare `deno`.
 *
 * @module
 */

/** The longest README allowed, in lines. */
export const MAX_README_LINES = 200;

/** A finding: the file, the line (1-based) and what was found. */
export interface Finding {
  file: string;
  line: number;
  found: string;
}

/** The development-log phrases the docs must not hold. */
export const FORBIDDEN_PHRASES: readonly RegExp[] = [
  /\bstops? \d+/gi,
  /\bissues? #?\d+/gi,
  /\bsessions?\b/gi,
];

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split("\n").length;
}

/** Every forbidden phrase in `text`. */
export function forbiddenPhrases(file: string, text: string): Finding[] {
  const findings: Finding[] = [];
  for (const pattern of FORBIDDEN_PHRASES) {
    for (const match of text.matchAll(pattern)) {
      findings.push({ file, line: lineOf(text, match.index!), found: match[0] });
    }
  }
  return findings.sort((a, b) => a.line - b.line);
}

/** Every 7-40 digit hex token of `text` (a word of hex digits only), with its line. */
export function hexTokens(file: string, text: string): Finding[] {
  return [...text.matchAll(/(?<![0-9a-z])[0-9a-f]{7,40}(?![0-9a-z])/gi)].map((match) => ({
    file,
    line: lineOf(text, match.index!),
    found: match[0].toLowerCase(),
  }));
}

/** The tokens of `tokens` that name an object of the repository at `root` (git cat-file). */
export async function resolvingObjects(
  root: string,
  tokens: readonly string[],
): Promise<Set<string>> {
  const unique = [...new Set(tokens)];
  if (unique.length === 0) return new Set();
  const child = new Deno.Command("git", {
    args: ["cat-file", "--batch-check"],
    cwd: root,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(unique.join("\n") + "\n"));
  await writer.close();
  const out = await child.output();
  if (!out.success) throw new Error(`git cat-file failed in ${root}`);
  const lines = new TextDecoder().decode(out.stdout).trim().split("\n");
  return new Set(unique.filter((_, i) => !/ (missing|ambiguous)$/.test(lines[i] ?? " missing")));
}

/** The commit hashes (tokens that resolve in the repository at `root`) of the files' texts. */
export async function commitHashes(
  root: string,
  files: readonly { file: string; text: string }[],
): Promise<Finding[]> {
  const tokens = files.flatMap(({ file, text }) => hexTokens(file, text));
  const resolving = await resolvingObjects(root, tokens.map((t) => t.found));
  return tokens.filter((t) => resolving.has(t.found));
}

/** The command of a shell line: without a `$ ` prompt and without leading `VAR=value` words. */
function commandStart(segment: string): string {
  return segment.trim().replace(/^\$\s+/, "").replace(/^([A-Za-z_][A-Za-z0-9_]*=\S*\s+)+/, "");
}

/** Whether a shell line runs a bare `deno` (in any of its `&&`, `||`, `;` or `|` parts). */
export function runsBareDeno(line: string): boolean {
  return line.split(/&&|\|\||;|\|/).some((segment) => /^deno(\s|$)/.test(commandStart(segment)));
}

/** Every command in a fenced code block or an inline code span that starts with a bare `deno`. */
export function bareDenoCommands(file: string, text: string): Finding[] {
  const findings: Finding[] = [];
  let fence: string | undefined;
  text.split("\n").forEach((line, i) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line);
    if (marker !== null && (fence === undefined || marker[1].startsWith(fence))) {
      fence = fence === undefined ? marker[1] : undefined;
      return;
    }
    if (fence !== undefined) {
      if (runsBareDeno(line)) findings.push({ file, line: i + 1, found: line.trim() });
      return;
    }
    for (const span of line.matchAll(/`([^`]+)`/g)) {
      if (runsBareDeno(span[1])) findings.push({ file, line: i + 1, found: span[1] });
    }
  });
  return findings;
}

/** The number of lines of a text (a final newline does not start a line). */
export function lineCount(text: string): number {
  return text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}

/** The Markdown files the rules read: README.md and docs/ (CHANGELOG.md is the log's place). */
export async function ruledFiles(root: string): Promise<{ file: string; text: string }[]> {
  const files = ["README.md"];
  async function walk(dir: string): Promise<void> {
    for await (const entry of Deno.readDir(`${root}/${dir}`)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) await walk(path);
      else if (entry.name.endsWith(".md")) files.push(path);
    }
  }
  await walk("docs");
  return await Promise.all(
    files.sort().map(async (file) => ({ file, text: await Deno.readTextFile(`${root}/${file}`) })),
  );
}

/** Every rule broken by the files of the repository at `root`, as readable lines. */
export async function hygieneProblems(
  root: string,
  exemptFromCommands: readonly string[] = [],
): Promise<string[]> {
  const files = await ruledFiles(root);
  const problems: string[] = [];
  const readme = files.find((f) => f.file === "README.md");
  if (readme !== undefined && lineCount(readme.text) > MAX_README_LINES) {
    problems.push(`README.md has ${lineCount(readme.text)} lines (at most ${MAX_README_LINES})`);
  }
  const show = (what: string) => (f: Finding) => `${f.file}:${f.line}: ${what}: ${f.found}`;
  problems.push(...files.flatMap((f) => forbiddenPhrases(f.file, f.text)).map(show("log phrase")));
  problems.push(...(await commitHashes(root, files)).map(show("commit hash")));
  const commands = files.filter((f) => !exemptFromCommands.includes(f.file));
  problems.push(
    ...commands.flatMap((f) => bareDenoCommands(f.file, f.text)).map(show("bare deno command")),
  );
  return problems;
}
