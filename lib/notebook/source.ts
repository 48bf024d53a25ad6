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

/**
 * Returns the TypeScript source of an exported function, class or method of the library.
 *
 * Finds `export function <name>`, `export const <name>` or `export class <name>`
 * in `lib/`, and returns the declaration up to its closing brace at the start
 * of a line, optionally with the doc comment above it. `'Class.method'` gives
 * one method (or getter) of an exported class, up to its closing brace at the
 * class body's indentation.
 *
 * @param fn The function or class, or its name, or `'Class.method'`.
 * @param options `doc` (default false).
 * @returns The source text and the file it came from, relative to the repository.
 * @throws If no exported declaration of that name is found in lib/.
 * @example
 * functionSource(randomWalk).code; // 'export function randomWalk(theta, ...) {...}'
 * functionSource('Normal.rsample').code; // '  rsample(shape: number[] = []): tf.Tensor {...}'
 */
export function functionSource(
  fn: ((...args: never[]) => unknown) | (abstract new (...args: never[]) => unknown) | string,
  options: SourceOptions = {},
): { code: string; file: string } {
  const name = typeof fn === 'string' ? fn : fn.name;
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
    return { code: lines.slice(top, block[1] + 1).join('\n'), file: path.relative(path.dirname(LIB_DIR), file) };
  }
  throw new Error(`functionSource: fn must be a function exported from lib/, but got ${JSON.stringify(name)}`);
}

/**
 * Shows a library function's source as highlighted TypeScript in a notebook.
 *
 * Inside a tslab kernel the code is displayed as a Markdown code block, which
 * Jupyter and GitHub highlight; elsewhere it is printed.
 *
 * @param fn The function or class, or its name, or `'Class.method'`.
 * @param options `doc` (default false).
 */
export function showSource(
  fn: ((...args: never[]) => unknown) | (abstract new (...args: never[]) => unknown) | string,
  options: SourceOptions = {},
): void {
  const { code, file } = functionSource(fn, options);
  showMarkdown(`\`${file}\`\n\n\`\`\`typescript\n${code}\n\`\`\``, `// ${file}\n${code}`);
}
