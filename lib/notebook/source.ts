/**
 * The library's own source code, for notebooks that teach it.
 *
 * A notebook that explains `randomWalk` shows the TypeScript that the tests
 * check, read from `lib/` when the cell runs, so the two cannot drift apart.
 */
import * as fs from 'fs';
import * as path from 'path';
import { showMarkdown } from './markdown';
import { check } from '../check';

/** The folder of the TypeScript sources: `lib/` next to `dist/` or this file. */
const LIB_DIR = path.resolve(__dirname, '..', '..', 'lib');

/** Lists the .ts files below a folder. */
function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return sourceFiles(full);
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
    })
    .sort();
}

/** Options of {@link functionSource}. */
export interface SourceOptions {
  /** Include the doc comment above the declaration. Default false. */
  doc?: boolean;
  /**
   * Keep the argument checks: statements that call a `check...` function (such as
   * `check(...)`, `checkInteger(...)`, `if (...) checkVector(...)`). Default false: they
   * are left out, and so is `const fn = '...'` once nothing else uses it, so that a
   * listing shows the computation.
   */
  checks?: boolean;
}

/** A function or a class of the library. */
type Named = ((...args: never[]) => unknown) | (abstract new (...args: never[]) => unknown);

/** The change in parenthesis depth over a line, string literals and comments aside. */
function depthChange(line: string): number {
  const bare = line.replace(/\/\/.*$/, '').replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`/g, "''");
  return (bare.match(/\(/g) ?? []).length - (bare.match(/\)/g) ?? []).length;
}

/**
 * Leaves out the argument checks of a listing: each statement that starts with a call
 * of `check...` (alone or after an `if (...)`), up to the line where its parentheses
 * close and it ends with `;`; then an `if`, `for` or `while` block left empty, and
 * `const fn = '...';` if `fn` is no longer used.
 */
export function withoutChecks(code: string): string {
  const lines = code.split('\n');
  const kept: string[] = [];
  const start = /^\s*(if \(.*\) )?check\w*\(/;
  for (let i = 0; i < lines.length; i++) {
    if (!start.test(lines[i])) {
      kept.push(lines[i]);
      continue;
    }
    let depth = depthChange(lines[i]);
    while (i < lines.length - 1 && !(depth <= 0 && /;\s*$/.test(lines[i]))) depth += depthChange(lines[++i]);
  }
  // A block left empty (`if (...) {` followed by `}`) goes too.
  for (let i = kept.length - 2; i >= 0; i--) {
    if (/\{\s*$/.test(kept[i]) && /^\s*\}\s*$/.test(kept[i + 1]) && /^\s*(if|for|while)\b/.test(kept[i])) kept.splice(i, 2);
  }
  const name = kept.findIndex((line) => /^\s*const fn = '[^']*';\s*$/.test(line));
  if (name >= 0 && !kept.some((line, i) => i !== name && /\bfn\b/.test(line))) kept.splice(name, 1);
  return kept.join('\n');
}

/** Widens `top` upwards over the doc comment that ends just above it. */
function withDoc(lines: string[], top: number, indent: string): number {
  const comment = new RegExp(`^${indent}(\\/\\*\\*| \\*)`);
  while (top > 0 && comment.test(lines[top - 1])) top--;
  return top;
}

/** Finds the line range of a declaration: from `start` to the first line matching `end`. */
function findBlock(lines: string[], start: RegExp, end: RegExp, from = 0, to = lines.length): [number, number] | null {
  const first = lines.findIndex((line, i) => i >= from && i < to && start.test(line));
  if (first < 0) return null;
  let last = first;
  while (last < to && !end.test(lines[last])) last++;
  return [first, last];
}

/** The name to look up (`'fn'` or `'Class.member'`) and the options, from either call form. */
function resolve(
  fn: Named | string,
  memberOrOptions: string | SourceOptions | undefined,
  maybeOptions: SourceOptions,
): { name: string; options: SourceOptions } {
  const base = typeof fn === 'string' ? fn : fn.name;
  if (typeof memberOrOptions === 'string') return { name: `${base}.${memberOrOptions}`, options: maybeOptions };
  return { name: base, options: memberOrOptions ?? {} };
}

/**
 * Returns the TypeScript source of an exported function, class or method of the library.
 *
 * Finds `export function <name>`, `export const <name>` or `export class <name>`
 * in `lib/`, and returns the declaration up to its closing brace at the start
 * of a line, optionally with the doc comment above it. `'Class.method'` gives
 * one method (or getter) of an exported class, up to its closing brace at the
 * class body's indentation.
 *
 * Pass the function or class itself, and a method by its class and its name
 * (`functionSource(Normal, 'rsample')`), so that a rename fails at compile time. A
 * name as a string (`'Class.method'`) is still accepted.
 *
 * By default the argument checks are left out (see {@link SourceOptions.checks}).
 *
 * @param fn The function or class (or its name, or `'Class.method'`).
 * @param member A method or getter of the class `fn`, by name (typed: only its members).
 * @param options `doc` (default false), `checks` (default false).
 * @returns The source text and the file it came from, relative to the repository.
 * @throws If no exported declaration of that name is found in lib/.
 * @example
 * functionSource(randomWalk).code; // 'export function randomWalk(theta, ...) {...}'
 * functionSource(Normal, 'rsample').code; // '  rsample(shape: number[] = []): tf.Tensor {...}'
 */
export function functionSource<C extends abstract new (...args: never[]) => unknown>(
  cls: C,
  member: keyof InstanceType<C> & string,
  options?: SourceOptions,
): { code: string; file: string };
export function functionSource(fn: Named | string, options?: SourceOptions): { code: string; file: string };
export function functionSource(
  fn: Named | string,
  memberOrOptions?: string | SourceOptions,
  maybeOptions: SourceOptions = {},
): { code: string; file: string } {
  const { name, options } = resolve(fn, memberOrOptions, maybeOptions);
  check(
    /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)?$/.test(name),
    'functionSource',
    'fn',
    'a named function, a class, a function name or "Class.method"',
    name,
  );
  const [owner, member] = name.split('.');
  const start = new RegExp(`^export (async )?(function\\*? ${owner}\\b|const ${owner}\\b|(abstract )?class ${owner}\\b)`);
  for (const file of sourceFiles(LIB_DIR)) {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const decl = findBlock(lines, start, /^}/);
    if (!decl) continue;
    let block: [number, number] | null = decl;
    let indent = '';
    if (member !== undefined) {
      indent = '  ';
      const head = new RegExp(`^  (static )?(async )?(get |set )?${member}\\s*[(<]`);
      block = findBlock(lines, head, /^  }/, decl[0] + 1, decl[1]);
      if (!block) continue;
    }
    const top = options.doc ? withDoc(lines, block[0], indent) : block[0];
    const code = lines.slice(top, block[1] + 1).join('\n');
    return { code: options.checks ? code : withoutChecks(code), file: path.relative(path.dirname(LIB_DIR), file) };
  }
  throw new Error(`functionSource: fn must be a function exported from lib/, but got ${JSON.stringify(name)}`);
}

/**
 * Shows a library function's source as highlighted TypeScript in a notebook.
 *
 * Inside a tslab kernel the code is displayed as a Markdown code block, which
 * Jupyter and GitHub highlight; elsewhere it is printed.
 *
 * The caption names the file, and says when argument checks were left out.
 *
 * @param fn The function or class (or its name, or `'Class.method'`).
 * @param member A method or getter of the class `fn`, by name.
 * @param options `doc` (default false), `checks` (default false).
 * @example
 * showSource(randomWalk);
 * showSource(Normal, 'rsample');
 */
export function showSource<C extends abstract new (...args: never[]) => unknown>(
  cls: C,
  member: keyof InstanceType<C> & string,
  options?: SourceOptions,
): void;
export function showSource(fn: Named | string, options?: SourceOptions): void;
export function showSource(fn: Named | string, memberOrOptions?: string | SourceOptions, maybeOptions: SourceOptions = {}): void {
  const { name, options } = resolve(fn, memberOrOptions, maybeOptions);
  const { code, file } = functionSource(name, options);
  const cut = code !== functionSource(name, { ...options, checks: true }).code ? ' (argument checks left out)' : '';
  showMarkdown(`\`${file}\`${cut}\n\n\`\`\`typescript\n${code}\n\`\`\``, `// ${file}${cut}\n${code}`);
}
