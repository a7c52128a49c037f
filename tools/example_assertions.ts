/**
 * Every JSDoc `@example` must check its own result, as denoland/std's `check_docs` rule asks:
 * its code calls `assert` (from `node:assert/strict`) at least once, and prints nothing that
 * an assertion does not also check (no `console.log` with a value written in a comment).
 * `tools/doc_lint.ts` runs this over `mod.ts` and `src/`.
 *
 * @module
 */

/** An `@example` of a file that does not check its result. */
export interface UncheckedExample {
  /** 1-based line of the `@example` tag. */
  line: number;
  /** The example's title. */
  title: string;
  /** Why it fails the rule. */
  reason: string;
}

const ASSERTION = /\bassert(?:\.\w+)?\s*\(|\bassert[A-Z]\w*\s*\(/;
const PRINTED_VALUE = /console\.log\([^\n]*\)\s*;?\s*\/\/\s*\S/;

/** The code of each ```ts fence inside an example's text. */
function fences(example: string): string[] {
  return [...example.matchAll(/```(?:ts|typescript)\n([\s\S]*?)```/g)].map((m) => m[1]);
}

/** The `@example` blocks of a JSDoc-commented TypeScript source that do not check themselves. */
export function uncheckedExamples(text: string): UncheckedExample[] {
  const found: UncheckedExample[] = [];
  for (const block of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const start = text.slice(0, block.index).split("\n").length;
    const lines = block[0].split("\n").map((l) => l.replace(/^\s*\*\s?/, ""));
    for (let i = 0; i < lines.length; i++) {
      const tag = /@example\s*(.*)$/.exec(lines[i]);
      if (tag === null) continue;
      let end = i + 1;
      while (end < lines.length && !/^@\w/.test(lines[end])) end++;
      const code = fences(lines.slice(i + 1, end).join("\n")).join("\n");
      const reason = code === ""
        ? "has no ts code fence"
        : !ASSERTION.test(code)
        ? "asserts nothing"
        : PRINTED_VALUE.test(code)
        ? "prints a value that only a comment states"
        : undefined;
      if (reason !== undefined) found.push({ line: start + i, title: tag[1].trim(), reason });
    }
  }
  return found;
}
