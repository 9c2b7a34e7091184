// Nest's two logger modules each build an Intl.DateTimeFormat as they load. The first one makes
// ICU load its date and time-zone data: some 8 MB resident (most of it pages of the node binary),
// a tenth of an idle service, for the timestamp of a log line. The apps defer that construction
// (deferNestClock, in their preload) and format timestamps without ICU (ServiceLogger).

type DateTimeFormatArgs = ConstructorParameters<typeof Intl.DateTimeFormat>;

/** DeferredDateTimeFormat builds the real formatter on first use, with the arguments it was given. */
class DeferredDateTimeFormat {
  private made?: Intl.DateTimeFormat;

  constructor(
    private readonly real: typeof Intl.DateTimeFormat,
    private readonly args: DateTimeFormatArgs,
  ) {}

  format(date?: Date | number): string {
    return this.formatter().format(date);
  }

  formatToParts(date?: Date | number): Intl.DateTimeFormatPart[] {
    return this.formatter().formatToParts(date);
  }

  resolvedOptions(): Intl.ResolvedDateTimeFormatOptions {
    return this.formatter().resolvedOptions();
  }

  private formatter(): Intl.DateTimeFormat {
    this.made ??= new this.real(...this.args);
    return this.made;
  }
}

/**
 * deferNestClock loads Nest's logger modules while Intl.DateTimeFormat hands out deferred
 * formatters, then puts the real one back: nothing else in the process sees the difference, and
 * the formatters Nest keeps cost nothing until a default Nest logger prints. Call it in the
 * preload after the V8 settings (loading Nest grows the young generation while it may grow) and
 * before anything loads `@nestjs/common`; later it changes nothing.
 */
export function deferNestClock(): void {
  const real = Intl.DateTimeFormat;
  const deferred = function (...args: DateTimeFormatArgs) {
    return new DeferredDateTimeFormat(real, args);
  };
  Intl.DateTimeFormat = deferred as unknown as typeof Intl.DateTimeFormat;
  try {
    // The whole package, as any import of it would load it (reflect-metadata first).
    require('@nestjs/common');
  } finally {
    Intl.DateTimeFormat = real;
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * nestTimestamp formats `ms` as Nest's logger does in the en-US locale ("12/03/2026, 1:05:07 PM",
 * local time), with Date's own clock instead of ICU.
 */
export function nestTimestamp(ms: number): string {
  const at = new Date(ms);
  const hours = at.getHours();
  const date = `${pad(at.getMonth() + 1)}/${pad(at.getDate())}/${at.getFullYear()}`;
  const time = `${hours % 12 || 12}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
  return `${date}, ${time} ${hours < 12 ? 'AM' : 'PM'}`;
}
