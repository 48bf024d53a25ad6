/**
 * Tests of matplotlib colour names. The expected colours are matplotlib's
 * "tab10" cycle as published in matplotlib's `_cm.py` (`_tab10_data`) and its
 * `rcParams['axes.prop_cycle']` hex values, and its base colours from
 * `matplotlib.colors.BASE_COLORS` (e.g. 'c' = (0, 0.75, 0.75) = #00bfbf).
 */
import { COLOR_CYCLE, resolveColor, withAlpha } from '../../lib/plot/colors';

const MATPLOTLIB_TAB10 = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];

describe('resolveColor', () => {
  test('C0..C9 are matplotlib default colour cycle', () => {
    expect([...COLOR_CYCLE]).toEqual(MATPLOTLIB_TAB10);
    MATPLOTLIB_TAB10.forEach((hex, i) => expect(resolveColor(`C${i}`)).toBe(hex));
  });

  test('C10 wraps around the cycle, as in matplotlib', () => {
    expect(resolveColor('C10')).toBe(MATPLOTLIB_TAB10[0]);
  });

  test('tab: names, one-letter colours and CSS colours resolve like matplotlib', () => {
    expect(resolveColor('tab:orange')).toBe('#ff7f0e');
    expect(resolveColor('k')).toBe('#000000');
    expect(resolveColor('r')).toBe('#ff0000');
    expect(resolveColor('c')).toBe('#00bfbf');
    expect(resolveColor('navy')).toBe('navy');
    expect(resolveColor('#123456')).toBe('#123456');
  });

  test('the cycle cannot be changed by a caller', () => {
    expect(Object.isFrozen(COLOR_CYCLE)).toBe(true);
  });

  test('an empty colour is refused with the argument named', () => {
    expect(() => resolveColor('')).toThrow(/^resolveColor: color must be a non-empty string, but got ""$/);
    expect(() => resolveColor(3 as never)).toThrow(/^resolveColor: color must be a non-empty string, but got 3$/);
  });
});

describe('withAlpha', () => {
  test('withAlpha turns hex and rgb colours into rgba with the given opacity', () => {
    expect(withAlpha('#1f77b4', 0.3)).toBe('rgba(31, 119, 180, 0.3)');
    expect(withAlpha('#fff', 0.5)).toBe('rgba(255, 255, 255, 0.5)');
    expect(withAlpha('rgb(1, 2, 3)', 1)).toBe('rgba(1, 2, 3, 1)');
  });

  test('withAlpha gives null for a CSS colour name, which it cannot read', () => {
    expect(withAlpha('navy', 0.3)).toBeNull();
  });
});
