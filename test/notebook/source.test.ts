import { functionSource, showSource } from '../../lib/notebook/source';
import { randomWalk } from '../../lib/walk/randomWalk';

describe('functionSource', () => {
  it('returns the declaration of a library function up to its closing brace', () => {
    const { code, file } = functionSource(randomWalk);
    expect(file).toBe('lib/walk/randomWalk.ts');
    expect(code.startsWith('export function randomWalk(')).toBe(true);
    expect(code.endsWith('\n}')).toBe(true);
    expect(code).toContain('gumbelSoftmax(');
    expect(code).not.toContain('export function randomWalkNaive');
  });

  it('includes the doc comment when asked', () => {
    const { code } = functionSource('randomWalkNaive', { doc: true });
    expect(code.startsWith('/**')).toBe(true);
    expect(code).toContain('export function randomWalkNaive(');
  });

  it('refuses a name that lib/ does not export', () => {
    expect(() => functionSource('noSuchFunction')).toThrow(/functionSource: fn must be a function exported from lib\/, but got "noSuchFunction"/);
    expect(() => functionSource(() => 1)).toThrow(/functionSource: fn must be a named function or a function name, but got ""/);
  });
});

describe('showSource', () => {
  it('prints the source outside a notebook kernel', () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      showSource(randomWalk);
      expect(log).toHaveBeenCalledWith(expect.stringContaining('// lib/walk/randomWalk.ts\nexport function randomWalk('));
    } finally {
      log.mockRestore();
    }
  });
});
