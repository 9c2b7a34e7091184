import { humanSize, progressBar } from './progress-bar';

describe('humanSize (go-units HumanSize)', () => {
  it.each([
    [0, '0B'],
    [512, '512B'],
    [1000, '1kB'],
    [1234567, '1.235MB'],
    [3_400_000, '3.4MB'],
    [2_000_000_000, '2GB'],
  ])('%d bytes is %s', (bytes, text) => expect(humanSize(bytes)).toBe(text));
});

describe('progressBar (JSONProgress.String at the daemon)', () => {
  it('draws 50 columns for the whole, the counts right-aligned in 8', () => {
    expect(progressBar(1_200_000, 3_400_000)).toBe(
      `[=================>${' '.repeat(33)}]    1.2MB/3.4MB`,
    );
    expect(progressBar(0, 1000)).toBe(`[>${' '.repeat(50)}]       0B/1kB`);
    expect(progressBar(1000, 1000)).toBe(`[${'='.repeat(50)}>]      1kB/1kB`);
  });

  it('drops the total when the count passed it, and the bar without a total', () => {
    expect(progressBar(2000, 1000)).toBe(`[${'='.repeat(50)}>]      2kB`);
    expect(progressBar(2000, 0)).toBe('     2kB');
    expect(progressBar(0, 0)).toBe('');
  });
});
