import { nestTimestamp } from './nest-clock';

const NEST_FORMAT: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
  day: '2-digit',
  month: '2-digit',
};

describe('nestTimestamp', () => {
  it("writes what Nest's en-US formatter writes, around the clock", () => {
    const intl = new Intl.DateTimeFormat('en-US', NEST_FORMAT);
    const start = new Date(2026, 0, 1, 0, 0, 7).getTime();
    for (let hour = 0; hour < 48; hour += 1) {
      const at = start + hour * 3_600_000 + hour * 61_000;
      expect(nestTimestamp(at)).toBe(intl.format(at));
    }
  });
});

describe('deferNestClock', () => {
  const real = Intl.DateTimeFormat;
  let made: number;

  beforeEach(() => {
    made = 0;
    // Counts formatters actually built (ICU loaded), whoever builds them.
    Intl.DateTimeFormat = new Proxy(real, {
      construct: (target, args: ConstructorParameters<typeof real>) => {
        made += 1;
        return new target(...args);
      },
    });
  });
  afterEach(() => (Intl.DateTimeFormat = real));

  it('loads Nest with no formatter built until its own logger prints', () => {
    const counting = Intl.DateTimeFormat;
    jest.isolateModules(() => {
      const { deferNestClock } = jest.requireActual<typeof import('./nest-clock')>('./nest-clock');
      deferNestClock();
      expect(Intl.DateTimeFormat).toBe(counting);
      expect(made).toBe(0);
      const nest = jest.requireActual<typeof import('@nestjs/common')>('@nestjs/common');
      const write = jest.spyOn(process.stdout, 'write').mockReturnValue(true);
      new nest.ConsoleLogger().log('hello');
      write.mockRestore();
      expect(made).toBe(1);
    });
  });

  it('without it, loading Nest builds both formatters', () => {
    jest.isolateModules(() => {
      jest.requireActual('@nestjs/common');
      expect(made).toBe(2);
    });
  });
});
