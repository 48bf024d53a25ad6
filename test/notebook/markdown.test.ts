import { showMarkdown } from '../../lib/notebook/markdown';
import { plantKernel, removeKernel } from '../plot/util';

describe('showMarkdown', () => {
  afterEach(removeKernel);

  it('sends one output with text/markdown and text/plain inside a kernel', () => {
    const hook = jest.fn();
    plantKernel(hook);
    showMarkdown('| a |\n| --- |\n| 1 |', 'a = 1');
    expect(hook).toHaveBeenCalledTimes(1);
    expect(hook.mock.calls[0][0].data).toEqual({ 'text/markdown': '| a |\n| --- |\n| 1 |', 'text/plain': 'a = 1' });
  });

  it('prints the plain text outside a kernel', () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      showMarkdown('**bold**', 'bold');
      expect(log).toHaveBeenCalledWith('bold');
    } finally {
      log.mockRestore();
    }
  });
});
