/**
 * Small result tables for notebooks.
 */
import { showMarkdown } from './markdown';
import { check } from '../check';

/** A table row: column name to value. */
export type Row = Record<string, number | string>;

/**
 * Formats rows as a Markdown table, numbers to `digits` significant digits.
 *
 * @param rows The rows; the first row's keys are the columns.
 * @param digits Significant digits for numbers, an integer in [1, 17]. Default 4.
 * @returns The Markdown text.
 * @throws If rows is empty or digits is out of range.
 */
export function markdownTable(rows: Row[], digits = 4): string {
  check(Array.isArray(rows) && rows.length > 0, 'markdownTable', 'rows', 'a non-empty array of objects', rows);
  check(Number.isInteger(digits) && digits >= 1 && digits <= 17, 'markdownTable', 'digits', 'an integer in [1, 17]', digits);
  const columns = Object.keys(rows[0]);
  const cell = (v: number | string | undefined) =>
    typeof v === 'number' ? (Number.isInteger(v) ? String(v) : Number(v.toPrecision(digits)).toString()) : (v ?? '');
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    line(columns),
    line(columns.map((c) => (typeof rows[0][c] === 'number' ? '---:' : '---'))),
    ...rows.map((row) => line(columns.map((c) => cell(row[c])))),
  ].join('\n');
}

/**
 * Shows rows as a table: Markdown in a notebook kernel, `console.table` elsewhere.
 *
 * @param rows The rows; the first row's keys are the columns.
 * @param digits Significant digits for numbers. Default 4.
 */
export function showTable(rows: Row[], digits = 4): void {
  showMarkdown(markdownTable(rows, digits));
}
