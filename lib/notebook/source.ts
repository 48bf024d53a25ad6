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

/**
 * Returns the TypeScript source of an exported function of the library.
 *
 * Finds `export function <name>` (or `export const <name>`) in `lib/`, and
 * returns the declaration up to its closing brace at the start of a line,
 * optionally with the doc comment above it.
 *
 * @param fn The function, or its name.
 * @param options `doc` (default false).
 * @returns The source text and the file it came from, relative to the repository.
 * @throws If no exported declaration of that name is found in lib/.
 * @example
 * functionSource(randomWalk).code; // 'export function randomWalk(theta, ...) {...}'
 */
export function functionSource(
  fn: ((...args: never[]) => unknown) | string,
  options: SourceOptions = {},
): { code: string; file: string } {
  const name = typeof fn === 'string' ? fn : fn.name;
  check(/^[A-Za-z_$][\w$]*$/.test(name), 'functionSource', 'fn', 'a named function or a function name', name);
  const start = new RegExp(`^export (async )?(function\\*? ${name}\\b|const ${name}\\b)`);
  for (const file of sourceFiles(LIB_DIR)) {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const first = lines.findIndex((line) => start.test(line));
    if (first < 0) continue;
    let last = first;
    while (last < lines.length && !/^}/.test(lines[last])) last++;
    let top = first;
    if (options.doc) {
      while (top > 0 && /^(\/\*\*| \*)/.test(lines[top - 1])) top--;
    }
    return { code: lines.slice(top, last + 1).join('\n'), file: path.relative(path.dirname(LIB_DIR), file) };
  }
  throw new Error(`functionSource: fn must be a function exported from lib/, but got ${JSON.stringify(name)}`);
}

/**
 * Shows a library function's source as highlighted TypeScript in a notebook.
 *
 * Inside a tslab kernel the code is displayed as a Markdown code block, which
 * Jupyter and GitHub highlight; elsewhere it is printed.
 *
 * @param fn The function, or its name.
 * @param options `doc` (default false).
 */
export function showSource(fn: ((...args: never[]) => unknown) | string, options: SourceOptions = {}): void {
  const { code, file } = functionSource(fn, options);
  showMarkdown(`\`${file}\`\n\n\`\`\`typescript\n${code}\n\`\`\``, `// ${file}\n${code}`);
}
