/**
 * The rules every course notebook in notebooks/ keeps (each .ipynb found there is checked,
 * so a new notebook is covered as soon as it is added):
 *
 * 1. Figures read at a glance. Every Plotly figure a cell outputs gives each axis that one
 *    of its traces uses (xaxis, xaxis2, ..., yaxis, yaxis2, ...) a non-empty title, and is
 *    at most 1000 px wide (layout.width; Plotly's default, 700, when it is unset).
 * 2. Cells are short. A code cell has at most 15 lines; at most one code cell in ten
 *    (rounded up) may be longer, and none is over 25 lines. Anything longer belongs in lib/.
 * 3. Cells explain, they do not check. No code cell contains `throw`, an assertion helper
 *    (a call of `assert...`, `claim`, `within...SE`, `expect` or `console.assert`), or an
 *    `as unknown as` cast. Checks of computed results live in the Jest tests; a cell may
 *    print a measured value with its standard error.
 * 4. The first cell says what the notebook is. It is a Markdown cell that opens with a
 *    level-1 title, says what the notebook teaches (a sentence with "this notebook") and
 *    what it builds on (a sentence with "builds on" naming what comes before, e.g. an
 *    earlier notebook or the background a reader needs).
 *
 * The fixtures in test/fixtures/notebooks/ each break one rule (and `good.ipynb` none), to
 * show that the check can fail.
 */
import * as fs from 'fs';
import * as path from 'path';

interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: { data?: Record<string, unknown> }[];
}
interface Notebook {
  cells: Cell[];
}
interface PlotlyFigure {
  data?: { xaxis?: string; yaxis?: string }[];
  layout?: Record<string, unknown>;
}

const MAX_WIDTH = 1000;
const PLOTLY_DEFAULT_WIDTH = 700;
const SHORT_CELL = 15;
const LONGEST_CELL = 25;
const ASSERTION = /\b(assert\w*|claim|within\w*SE|expect)\s*\(|console\.assert\s*\(/;

const text = (cell: Cell) => (Array.isArray(cell.source) ? cell.source.join('') : cell.source);
const lineCount = (source: string) => source.replace(/\s+$/, '').split('\n').length;

/** The problems of one figure, or none. */
function figureProblems(figure: PlotlyFigure): string[] {
  const layout = figure.layout ?? {};
  const problems: string[] = [];
  const width = typeof layout.width === 'number' ? layout.width : PLOTLY_DEFAULT_WIDTH;
  if (width > MAX_WIDTH) problems.push(`is ${width} px wide (at most ${MAX_WIDTH})`);
  const axes = new Set<string>();
  for (const trace of figure.data ?? []) {
    axes.add(`xaxis${(trace.xaxis ?? 'x').slice(1)}`);
    axes.add(`yaxis${(trace.yaxis ?? 'y').slice(1)}`);
  }
  for (const axis of [...axes].sort()) {
    const title = (layout[axis] as { title?: { text?: string } | string } | undefined)?.title;
    const words = typeof title === 'string' ? title : title?.text;
    if (!words || !words.trim()) problems.push(`has no title on ${axis}`);
  }
  return problems;
}

/** Every broken rule of a notebook, one line each with its cell number (counted from 0). */
function notebookProblems(notebook: Notebook): string[] {
  const problems: string[] = [];
  const cells = notebook.cells;
  const first = cells[0];
  if (!first || first.cell_type !== 'markdown') problems.push('cell 0: the first cell is not Markdown');
  else {
    const intro = text(first);
    if (!/^# \S/.test(intro)) problems.push('cell 0: the first cell does not open with a level-1 title');
    if (!/this notebook/i.test(intro)) problems.push('cell 0: the first cell does not say what this notebook teaches');
    if (!/builds on/i.test(intro)) problems.push('cell 0: the first cell does not say what the notebook builds on');
  }
  const code = cells.map((cell, i) => ({ cell, i })).filter(({ cell }) => cell.cell_type === 'code');
  const long = code.filter(({ cell }) => lineCount(text(cell)) > SHORT_CELL);
  const allowed = Math.ceil(code.length / 10);
  if (long.length > allowed) {
    problems.push(`cells ${long.map(({ i }) => i).join(', ')}: ${long.length} code cells over ${SHORT_CELL} lines (at most ${allowed} here)`);
  }
  for (const { cell, i } of code) {
    const source = text(cell);
    const lines = lineCount(source);
    if (lines > LONGEST_CELL) problems.push(`cell ${i}: ${lines} lines (at most ${LONGEST_CELL})`);
    if (/\bthrow\b/.test(source)) problems.push(`cell ${i}: throws`);
    if (ASSERTION.test(source)) problems.push(`cell ${i}: calls an assertion helper`);
    if (/\bas\s+unknown\s+as\b/.test(source)) problems.push(`cell ${i}: casts with "as unknown as"`);
    for (const output of cell.outputs ?? []) {
      const figure = output.data?.['application/vnd.plotly.v1+json'] as PlotlyFigure | undefined;
      if (figure) for (const p of figureProblems(figure)) problems.push(`cell ${i}: a figure ${p}`);
    }
  }
  return problems;
}

const read = (file: string): Notebook => JSON.parse(fs.readFileSync(file, 'utf8'));
const FIXTURES = path.join(__dirname, 'fixtures', 'notebooks');
const NOTEBOOKS = path.join(__dirname, '..', 'notebooks');

describe('the notebook check', () => {
  it('passes a notebook that keeps every rule', () => {
    expect(notebookProblems(read(path.join(FIXTURES, 'good.ipynb')))).toEqual([]);
  });

  it.each([
    ['figure-without-y-title.ipynb', /cell 1: a figure has no title on yaxis$/],
    ['subplot-without-x-title.ipynb', /cell 1: a figure has no title on xaxis2$/],
    ['wide-figure.ipynb', /cell 1: a figure is 1760 px wide/],
    ['long-cell.ipynb', /cell 1: 26 lines/],
    ['many-long-cells.ipynb', /cells 1, 2: 2 code cells over 15 lines \(at most 1 here\)/],
    ['throws.ipynb', /cell 1: throws/],
    ['asserts.ipynb', /cell 1: calls an assertion helper/],
    ['casts.ipynb', /cell 1: casts with "as unknown as"/],
    ['no-introduction.ipynb', /cell 0: the first cell is not Markdown/],
    ['no-prerequisites.ipynb', /cell 0: the first cell does not say what the notebook builds on/],
  ])('fails on %s', (file, message) => {
    const problems = notebookProblems(read(path.join(FIXTURES, file)));
    expect(problems).toEqual([expect.stringMatching(message)]);
  });
});

describe('every course notebook', () => {
  const files = fs.readdirSync(NOTEBOOKS).filter((f) => f.endsWith('.ipynb')).sort();

  it('finds the notebooks', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  it.each(files)('%s keeps the rules', (file) => {
    expect(notebookProblems(read(path.join(NOTEBOOKS, file)))).toEqual([]);
  });
});
