const DECIMAL_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];

/**
 * humanSize is go-units' `HumanSize`: decimal units, at most four significant digits
 * (`%.4g`): `1.235MB`, `3.4MB`, `512B`.
 */
export function humanSize(bytes: number): string {
  let size = bytes;
  let unit = 0;
  while (size >= 1000 && unit < DECIMAL_UNITS.length - 1) {
    size /= 1000;
    unit++;
  }
  return `${Number(size.toPrecision(4))}${DECIMAL_UNITS[unit]}`;
}

/**
 * progressBar is the `progress` string dockerd puts beside a `progressDetail` (moby's
 * `JSONProgress.String()` at the daemon, where the width is 200 and there is no start time):
 * `[=====>      ]  1.2MB/3.4MB`, 50 columns for 100 %; only the count when the current
 * exceeds the total, and nothing without a total.
 */
export function progressBar(current: number, total: number): string {
  if (total <= 0) return current <= 0 ? '' : humanSize(current).padStart(8);
  const filled = Math.min(50, Math.trunc(Math.trunc((current / total) * 100) / 2));
  const bar = `[${'='.repeat(filled)}>${' '.repeat(50 - filled)}] `;
  const count =
    current > total
      ? humanSize(current).padStart(8)
      : `${humanSize(current).padStart(8)}/${humanSize(total)}`;
  return bar + count;
}
