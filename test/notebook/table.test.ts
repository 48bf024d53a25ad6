import { markdownTable, showTable } from '../../lib/notebook/table';

describe('markdownTable', () => {
  it('formats rows with right-aligned numeric columns and significant digits', () => {
    const text = markdownTable([
      { tau: 0.1, mean: 97.30352, label: 'a' },
      { tau: 1, mean: 66.9475, label: 'b' },
    ]);
    expect(text.split('\n')).toEqual(['| tau | mean | label |', '| ---: | ---: | --- |', '| 0.1 | 97.3 | a |', '| 1 | 66.95 | b |']);
  });

  it('refuses an empty table and bad digits', () => {
    expect(() => markdownTable([])).toThrow(/markdownTable: rows must be a non-empty array of objects, but got \[\]/);
    expect(() => markdownTable([{ a: 1 }], 0)).toThrow(/markdownTable: digits must be an integer in \[1, 17\], but got 0/);
  });
});

describe('showTable', () => {
  it('prints the Markdown table outside a notebook kernel', () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      showTable([{ x: 1 }]);
      expect(log).toHaveBeenCalledWith('| x |\n| ---: |\n| 1 |');
    } finally {
      log.mockRestore();
    }
  });
});
