import * as fs from 'fs';
import * as path from 'path';
import { functionSource, showSource, withoutChecks } from '../../lib/notebook/source';
import { Normal } from '../../lib/distributions/normal';
import { pathwiseObjective } from '../../lib/walk/estimators';
import { randomWalk } from '../../lib/walk/randomWalk';

describe('functionSource', () => {
  it('returns the declaration of a library function up to its closing brace', () => {
    const { code, file } = functionSource(randomWalk, { checks: true });
    expect(file).toBe('lib/walk/randomWalk.ts');
    expect(code.startsWith('export function randomWalk(')).toBe(true);
    expect(code.endsWith('\n}')).toBe(true);
    // One piece of the file, read here without the code under test, whose only closing brace at a line start is the last.
    const text = fs.readFileSync(path.join(__dirname, '..', '..', file), 'utf8');
    expect(text).toContain(code);
    expect(code.split('\n').filter((line) => line.startsWith('}'))).toEqual(['}']);
    expect(code).not.toContain('export function randomWalkNaive');
  });

  it('includes the doc comment when asked', () => {
    const { code } = functionSource('randomWalkNaive', { doc: true });
    expect(code.startsWith('/**')).toBe(true);
    expect(code).toContain('export function randomWalkNaive(');
  });

  it('returns one method of an exported class, indented as in the class body', () => {
    const { code, file } = functionSource('Normal.rsample');
    expect(file).toBe('lib/distributions/normal.ts');
    expect(code.startsWith('  rsample(')).toBe(true);
    expect(code.endsWith('\n  }')).toBe(true);
    const text = fs.readFileSync(path.join(__dirname, '..', '..', file), 'utf8');
    expect(text).toContain(code);
    expect(code).not.toContain('  sample(');
  });

  it('returns a whole class and a method with its doc comment', () => {
    const whole = functionSource('Normal').code;
    expect(whole.startsWith('export class Normal')).toBe(true);
    expect(whole).toContain(functionSource('Normal.sample').code);
    const documented = functionSource('Normal.sample', { doc: true }).code;
    expect(documented.startsWith('  /**')).toBe(true);
  });

  it('refuses a method that the class does not have', () => {
    expect(() => functionSource('Normal.noSuchMethod')).toThrow(/but got "Normal.noSuchMethod"/);
  });

  it('refuses a name that lib/ does not export', () => {
    expect(() => functionSource('noSuchFunction')).toThrow(/functionSource: fn must be a function exported from lib\/, but got "noSuchFunction"/);
    expect(() => functionSource(() => 1)).toThrow(/functionSource: fn must be a named function, a class, a function name or "Class.method", but got ""/);
  });
});

describe('functionSource by reference', () => {
  it('finds a method from its class and its name', () => {
    expect(functionSource(Normal, 'rsample')).toEqual(functionSource('Normal.rsample'));
  });

  it('leaves the argument checks out by default, and keeps them when asked', () => {
    const full = functionSource(pathwiseObjective, { checks: true }).code;
    const cut = functionSource(pathwiseObjective).code;
    expect(full).toContain('checkTemperature(tau, fn);');
    expect(cut).not.toMatch(/^\s*check\w*\(/m);
    // Everything else is kept, line for line.
    expect(cut.split('\n').every((line) => full.split('\n').includes(line))).toBe(true);
    expect(cut).toContain('const paths = randomWalk(batch, options.nTimesteps, tau);');
  });
});

describe('withoutChecks', () => {
  it('removes checks over several lines, checks after an if, empty blocks and an unused fn name', () => {
    const code = [
      'export function f(x: number, y: number): number {',
      "  const fn = 'f';",
      '  check(',
      "    x > 0 && (y < 1),",
      "    fn, 'x', 'a number > 0 (say 1)', x,",
      '  );',
      "  if (y !== undefined) checkInteger(y, fn, 'y', 0);",
      '  if (x > 10) {',
      "    checkTemperature(x, fn);",
      '  }',
      '  return x + y;',
      '}',
    ].join('\n');
    expect(withoutChecks(code)).toBe(['export function f(x: number, y: number): number {', '  return x + y;', '}'].join('\n'));
  });

  it('keeps fn when the code still uses it, and keeps calls whose value is used', () => {
    const code = ["  const fn = 'g';", "  const p = checkInputs(fn, x);", '  return p;'].join('\n');
    expect(withoutChecks(code)).toBe(code);
  });
});

describe('showSource', () => {
  it('prints the source outside a notebook kernel', () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      showSource(randomWalk);
      expect(log).toHaveBeenCalledWith(expect.stringContaining('// lib/walk/randomWalk.ts (argument checks left out)\nexport function randomWalk('));
    } finally {
      log.mockRestore();
    }
  });
});
