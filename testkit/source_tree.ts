/**
 * The repository's source tree as data, for the tests that keep its shape: the TypeScript
 * files of each folder, the file-level import graph and its circles, the length of every
 * file and function, and the names of files and exports. Test-only (not published).
 *
 * @module
 */

import ts from "npm:typescript@5";

/** The repository root (this file lives in `testkit/`). */
export const REPO_ROOT: URL = new URL("../", import.meta.url);

/** The folders of the repository that hold TypeScript sources, tests, tools and benchmarks. */
export const SOURCE_FOLDERS: readonly string[] = [
  "src",
  "props",
  "proofs",
  "testkit",
  "tools",
  "bench",
  "examples",
];

/** Longest file allowed, in lines. */
export const MAX_FILE_LINES = 450;

/** Longest function allowed (declaration, method, arrow or function expression), in lines. */
export const MAX_FUNCTION_LINES = 80;

/** Every `.ts` file under `folder` (repository-relative paths, sorted), `mod.ts` included. */
export async function sourceFiles(folder: string, root: URL = REPO_ROOT): Promise<string[]> {
  const out: string[] = [];
  async function walk(relative: string): Promise<void> {
    for await (const entry of Deno.readDir(new URL(relative + "/", root))) {
      const path = `${relative}/${entry.name}`;
      if (entry.isDirectory) await walk(path);
      else if (entry.name.endsWith(".ts")) out.push(path);
    }
  }
  await walk(folder);
  return out.sort();
}

/** Every TypeScript file of the repository: `mod.ts` and the files of {@linkcode SOURCE_FOLDERS}. */
export async function allSourceFiles(root: URL = REPO_ROOT): Promise<string[]> {
  const files = ["mod.ts"];
  for (const folder of SOURCE_FOLDERS) files.push(...await sourceFiles(folder, root));
  return files;
}

/**
 * Source text without comments (block and line), so that imports inside JSDoc examples and
 * prose do not count. String contents are kept.
 */
export function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

/**
 * The relative module specifiers a file imports or re-exports: static `import`/`export ...
 * from`, side-effect `import "..."`, type-only imports and literal dynamic `import("...")`.
 * Worker URLs (`new URL("...", import.meta.url)`) are not imports.
 */
export function relativeImports(text: string): string[] {
  const code = stripComments(text);
  const specifiers: string[] = [];
  const patterns = [
    /\bfrom\s*["'](\.{1,2}\/[^"']+)["']/g,
    /\bimport\s*["'](\.{1,2}\/[^"']+)["']/g,
    /\bimport\s*\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const match of code.matchAll(pattern)) specifiers.push(match[1]);
  }
  return specifiers;
}

/** Resolves `specifier` against the repository-relative `file` (POSIX paths). */
export function resolveRelative(file: string, specifier: string): string {
  const parts = file.split("/").slice(0, -1);
  for (const piece of specifier.split("/")) {
    if (piece === "." || piece === "") continue;
    if (piece === "..") parts.pop();
    else parts.push(piece);
  }
  return parts.join("/");
}

/** A file-level import graph: file -> the files it imports (repository-relative paths). */
export type ImportGraph = Map<string, Set<string>>;

/** The import graph of `files`, read from disk (`sources` overrides the text of any file). */
export async function importGraph(
  files: readonly string[],
  root: URL = REPO_ROOT,
): Promise<ImportGraph> {
  const graph: ImportGraph = new Map();
  for (const file of files) {
    const text = await Deno.readTextFile(new URL(file, root));
    graph.set(file, new Set(relativeImports(text).map((s) => resolveRelative(file, s))));
  }
  return graph;
}

/**
 * The import circles of a graph: its strongly connected components with more than one file,
 * and files that import themselves (Tarjan's algorithm, iterative). Each circle is sorted; the
 * list is sorted by its first file.
 */
export function importCircles(graph: ImportGraph): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const lowlinks = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const circles: string[][] = [];
  const successors = (node: string) => [...(graph.get(node) ?? [])].filter((n) => graph.has(n));
  for (const start of graph.keys()) {
    if (indices.has(start)) continue;
    const work: { node: string; next: number }[] = [{ node: start, next: 0 }];
    indices.set(start, index);
    lowlinks.set(start, index++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const next = successors(frame.node)[frame.next++];
      if (next !== undefined) {
        if (!indices.has(next)) {
          indices.set(next, index);
          lowlinks.set(next, index++);
          stack.push(next);
          onStack.add(next);
          work.push({ node: next, next: 0 });
        } else if (onStack.has(next)) {
          lowlinks.set(frame.node, Math.min(lowlinks.get(frame.node)!, indices.get(next)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        lowlinks.set(parent, Math.min(lowlinks.get(parent)!, lowlinks.get(frame.node)!));
      }
      if (lowlinks.get(frame.node) !== indices.get(frame.node)) continue;
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.node);
      const selfLoop = component.length === 1 && (graph.get(frame.node)?.has(frame.node) ?? false);
      if (component.length > 1 || selfLoop) circles.push(component.sort());
    }
  }
  return circles.sort((a, b) => a[0].localeCompare(b[0]));
}

/** A function longer than the limit: where it starts, its name (or a description) and length. */
export interface LongFunction {
  /** 1-based line where the function starts. */
  line: number;
  /** The function's name, or the callee it is passed to (`Deno.test`), or `<anonymous>`. */
  name: string;
  /** Its length in lines, first and last line included. */
  lines: number;
}

function functionName(node: ts.Node): string {
  const named = node as { name?: ts.Node };
  if (named.name !== undefined) return named.name.getText();
  const parent = node.parent;
  if (parent !== undefined && ts.isVariableDeclaration(parent)) return parent.name.getText();
  if (parent !== undefined && ts.isPropertyAssignment(parent)) return parent.name.getText();
  if (parent !== undefined && ts.isCallExpression(parent)) {
    return `${parent.expression.getText().slice(0, 40)}(...)`;
  }
  return "<anonymous>";
}

/**
 * The functions of a TypeScript source longer than `limit` lines: function declarations,
 * methods, constructors, accessors, arrow functions and function expressions, nested ones
 * measured on their own.
 */
export function longFunctions(
  fileName: string,
  text: string,
  limit: number = MAX_FUNCTION_LINES,
): LongFunction[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: LongFunction[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && (node as ts.FunctionLikeDeclaration).body !== undefined) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = last - first + 1;
      if (lines > limit) found.push({ line: first + 1, name: functionName(node), lines });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The number of lines of a text (a final newline does not start a line). */
export function lineCount(text: string): number {
  if (text.length === 0) return 0;
  return text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}

/** The names a module exports directly (`export function|const|let|class|type|interface|enum`). */
export function exportedNames(text: string): string[] {
  const code = stripComments(text);
  const pattern =
    /^export\s+(?:declare\s+)?(?:default\s+)?(?:async\s+)?(?:function\*?|const|let|var|class|type|interface|enum|abstract\s+class)\s+([A-Za-z_$][\w$]*)/gm;
  return [...code.matchAll(pattern)].map((m) => m[1]);
}

/**
 * The type assertions of a source (`x as T` and `<T>x`), `as const` excepted, with their
 * 1-based lines and text.
 */
export function typeAssertions(fileName: string, text: string): { line: number; text: string }[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: { line: number; text: string }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) {
      const type = node.type.getText(source);
      if (type !== "const") {
        const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
        found.push({ line, text: node.getText(source).slice(0, 80) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}
