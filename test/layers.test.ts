// The library's modules import down its layers only: core (the files at the
// root of lib/) -> distributions/ -> calibrate/ -> walk/, abm/ -> plot/ -> notebook/.
// The models (walk/, abm/) do not import each other. lib/index.ts re-exports
// everything and is not checked.
import * as fs from 'fs';
import * as path from 'path';

const LIB = path.join(__dirname, '..', 'lib');
const LAYERS: Record<string, number> = { '.': 0, distributions: 1, calibrate: 2, walk: 3, abm: 3, plot: 4, notebook: 5 };

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sources(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

function folder(file: string): string {
  const parts = path.relative(LIB, file).split(path.sep);
  return parts.length === 1 ? '.' : parts[0];
}

/** The relative imports of a module (type-only imports too), as files under lib/. */
function importsOf(file: string, read: (file: string) => string): string[] {
  const text = read(file);
  return [...text.matchAll(/(?:from|import)\s+'(\.[^']*)'/g)].map((m) => path.resolve(path.dirname(file), m[1]) + '.ts');
}

/** Every import that points up the layers, or from one model folder into another, as "from -> to". */
function wrongWayImports(files: string[], read = (file: string) => fs.readFileSync(file, 'utf8')): string[] {
  const wrong: string[] = [];
  for (const file of files) {
    for (const target of importsOf(file, read)) {
      const [from, to] = [folder(file), folder(target)];
      if (!(from in LAYERS) || !(to in LAYERS)) throw new Error(`${file}: ${from} or ${to} is not a known layer`);
      if (LAYERS[to] > LAYERS[from] || (LAYERS[to] === LAYERS[from] && from !== to)) {
        wrong.push(`${path.relative(LIB, file)} -> ${path.relative(LIB, target)}`);
      }
    }
  }
  return wrong;
}

const modules = sources(LIB).filter((file) => path.relative(LIB, file) !== 'index.ts');

describe('the layers of lib/', () => {
  test('every module imports only from its own layer or the layers below it', () => {
    expect(wrongWayImports(modules)).toEqual([]);
  });

  test('every folder of lib/ is a known layer', () => {
    for (const file of modules) expect(Object.keys(LAYERS)).toContain(folder(file));
  });

  test('an import up the layers, or across models, is found', () => {
    const texts: Record<string, string> = {
      [path.join(LIB, 'plot', 'upward.ts')]: "import { show } from '../notebook/display';\n",
      [path.join(LIB, 'abm', 'across.ts')]: "import type { WalkJacobianOptions } from '../walk/walkJacobian';\n",
      [path.join(LIB, 'abm', 'down.ts')]: "import { check } from '../check';\n",
    };
    expect(wrongWayImports(Object.keys(texts), (file) => texts[file])).toEqual([
      'plot/upward.ts -> notebook/display.ts',
      'abm/across.ts -> walk/walkJacobian.ts',
    ]);
  });
});
