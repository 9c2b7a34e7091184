import { DomainError } from '@stevedore/domain';
import type { Dockerfile, Instruction } from './instructions';
import { parseDockerfile, parseOnbuildTrigger } from './parse-dockerfile';
import { ShellWordExpander } from './shell-word-expander';

const lines = (...text: string[]): string => text.join('\n') + '\n';
const only = (dockerfile: Dockerfile): Instruction => {
  const instruction = dockerfile.stages[0]?.instructions[0];
  if (!instruction) throw new Error('no instruction');
  return instruction;
};
const first = (instruction: string): Instruction =>
  only(parseDockerfile(lines('FROM scratch', instruction)));
const errorOf = (text: string): DomainError => {
  try {
    parseDockerfile(text);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('parsed');
};

describe('parseDockerfile: structure', () => {
  it('splits stages at FROM, keeps meta ARGs apart and counts steps as `Step n/m` does', () => {
    // dockerd 20.10.24 printed Step 1/4 : ARG x=1 ... Step 4/4 : EXPOSE 80 for this file.
    const dockerfile = parseDockerfile(
      lines('ARG x=1', 'FROM scratch   ', 'LABEL a=b  ', 'EXPOSE 80'),
    );
    expect(dockerfile.stepCount).toBe(4);
    expect(dockerfile.metaArgs).toEqual([
      { kind: 'ARG', line: 1, original: 'ARG x=1', args: [{ name: 'x', defaultValue: '1' }] },
    ]);
    expect(dockerfile.stages).toHaveLength(1);
    expect(dockerfile.stages[0]?.from).toEqual({
      kind: 'FROM',
      line: 2,
      original: 'FROM scratch',
      image: 'scratch',
    });
    expect(dockerfile.stages[0]?.instructions.map((i) => i.original)).toEqual([
      'LABEL a=b',
      'EXPOSE 80',
    ]);
    expect(dockerfile.escape).toBe('\\');
    expect(dockerfile.warnings).toEqual([]);
  });

  it('counts meta ARGs, FROMs and instructions but not ONBUILD triggers (dockerd 20.10.24: Step n/8)', () => {
    const dockerfile = parseDockerfile(
      lines(
        'ARG a',
        'ARG c=1',
        'FROM scratch AS x',
        'LABEL a=b',
        'ONBUILD RUN x',
        'from x',
        'ARG b',
        'HEALTHCHECK CMD true',
      ),
    );
    expect(dockerfile.stepCount).toBe(8);
    expect(dockerfile.metaArgs.map((a) => a.original)).toEqual(['ARG a', 'ARG c=1']);
    expect(dockerfile.stages[1]?.from.original).toBe('from x');
  });

  it('numbers stages, lower-cases their names and keeps --platform raw', () => {
    const dockerfile = parseDockerfile(
      lines(
        'FROM --platform=$BUILDPLATFORM busybox AS Build',
        'RUN true',
        'from build as Final',
        'COPY --from=0 /a /b',
      ),
    );
    expect(dockerfile.stages.map((s) => [s.index, s.from.stageName, s.from.image])).toEqual([
      [0, 'build', 'busybox'],
      [1, 'final', 'build'],
    ]);
    expect(dockerfile.stages[0]?.from.platform).toBe('$BUILDPLATFORM');
    expect(dockerfile.stepCount).toBe(4);
  });

  it('joins continuation lines, drops comment lines inside them and keeps the first line number', () => {
    // dockerd 20.10.24: `Step 2/2 : LABEL a=b    c=d` for this CRLF file.
    const dockerfile = parseDockerfile('FROM scratch\r\nLABEL a=b \\\r\n# hello\r\n   c=d\r\n');
    expect(only(dockerfile)).toMatchObject({
      line: 2,
      original: 'LABEL a=b    c=d',
      pairs: [
        ['a', 'b'],
        ['c', 'd'],
      ],
    });
  });

  it('warns about empty continuation lines in dockerd words', () => {
    const dockerfile = parseDockerfile(
      lines('FROM scratch', 'ENV a=b \\', '', '  c=d', 'LABEL x=y'),
    );
    expect(dockerfile.warnings).toEqual([
      '[WARNING]: Empty continuation line found in:\n    ENV a=b   c=d',
      '[WARNING]: Empty continuation lines will become errors in a future release.',
    ]);
    expect(dockerfile.stages[0]?.instructions.map((i) => i.line)).toEqual([2, 5]);
  });

  it('ends a line on an escaped escape character (dockerd 20.10.24)', () => {
    const dockerfile = parseDockerfile(
      lines('FROM scratch', 'LABEL a=b\\\\\\', 'LABEL c=d', 'LABEL e=f \\', '\\', ' g=h'),
    );
    expect(dockerfile.stages[0]?.instructions.map((i) => i.original)).toEqual([
      'LABEL a=b\\\\\\',
      'LABEL c=d',
      'LABEL e=f  g=h',
    ]);
  });

  it('takes `# escape=` and `# syntax=` directives only before anything else', () => {
    const backtick = parseDockerfile(
      lines('# syntax=docker/dockerfile:1', '#ESCAPE = ` ', 'FROM scratch', 'LABEL a=b `', ' c=d'),
    );
    expect(backtick.escape).toBe('`');
    expect(only(backtick).original).toBe('LABEL a=b  c=d');
    for (const prefix of ['', '# foo=bar', '# a comment']) {
      const text = lines(prefix, '# escape=`', 'FROM scratch', 'RUN a `');
      expect(parseDockerfile(text).escape).toBe('\\');
    }
  });

  it('strips a UTF-8 BOM and accepts instructions in any case', () => {
    const dockerfile = parseDockerfile('\uFEFFfrom scratch\nrUn echo hi\n');
    expect(only(dockerfile)).toMatchObject({ kind: 'RUN', original: 'rUn echo hi' });
  });
});

describe('parseDockerfile: instructions', () => {
  it('RUN, CMD and ENTRYPOINT: JSON arrays are the exec form, anything else the shell form', () => {
    expect(first('RUN ["echo", "a b"]')).toMatchObject({
      command: { json: true, args: ['echo', 'a b'] },
      mounts: [],
    });
    expect(first('CMD echo  "a"  ')).toMatchObject({
      kind: 'CMD',
      command: { json: false, text: 'echo  "a"' },
    });
    expect(first('ENTRYPOINT ["a",]')).toMatchObject({ command: { json: false, text: '["a",]' } });
    expect(first('CMD ["a"] foo')).toMatchObject({ command: { json: true, args: ['a'] } }); // as Go's decoder
    expect(first('CMD')).toMatchObject({ command: { json: false, text: '' } });
    expect(first('ENTRYPOINT []')).toMatchObject({ command: { json: true, args: [] } });
    expect(first('RUN --mount=type=cache,target=/x true')).toMatchObject({
      mounts: ['type=cache,target=/x'],
    });
  });

  it('SHELL takes the JSON form only', () => {
    expect(first('SHELL ["/bin/bash", "-c"]')).toMatchObject({
      kind: 'SHELL',
      args: ['/bin/bash', '-c'],
    });
  });

  it('ENV and LABEL: k=v pairs with raw quoted values, or the legacy `k v w` form', () => {
    expect(first('ENV a=1 b="x y" c=\'$z\' d=e\\ f')).toMatchObject({
      pairs: [
        ['a', '1'],
        ['b', '"x y"'],
        ['c', "'$z'"],
        ['d', 'e\\ f'],
      ],
    });
    expect(first('ENV name  some value ')).toMatchObject({ pairs: [['name', 'some value']] });
    expect(first('LABEL "com.x"="y z"')).toMatchObject({
      kind: 'LABEL',
      pairs: [['"com.x"', '"y z"']],
    });
    expect(first('ENV a=')).toMatchObject({ pairs: [['a', '']] });
  });

  it('ENV and LABEL words expand to what dockerd 20.10.24 stored in Env and Labels', () => {
    const dockerfile = parseDockerfile(
      lines(
        'FROM scratch',
        'ENV a=b\\ c d="e f" g=h\\\\ i=\\ j',
        'ENV k  l  m ',
        'LABEL "q r"="s t" u=',
      ),
    );
    const expand = new ShellWordExpander(dockerfile.escape);
    const stored = dockerfile.stages[0]?.instructions.map((i) =>
      i.kind === 'ENV' || i.kind === 'LABEL'
        ? i.pairs.map(([k, v]) => `${expand.word(k, new Map())}=${expand.word(v, new Map())}`)
        : [],
    );
    expect(stored).toEqual([['a=b c', 'd=e f', 'g=h\\', 'i= j'], ['k=l  m'], ['q r=s t', 'u=']]);
    expect(dockerfile.stages[0]?.instructions.map((i) => i.original)).toEqual([
      'ENV a=b\\ c d="e f" g=h\\\\ i=\\ j',
      'ENV k  l  m',
      'LABEL "q r"="s t" u=',
    ]);
  });

  it('ARG: names with optional raw defaults, several per line', () => {
    expect(first('ARG a=1 b c="x y"')).toMatchObject({
      args: [{ name: 'a', defaultValue: '1' }, { name: 'b' }, { name: 'c', defaultValue: '"x y"' }],
    });
  });

  it('COPY and ADD: sources, destination and flags (ADD has no --from)', () => {
    expect(first('COPY --from=build --chown=1:2 a b* /dst/')).toEqual({
      kind: 'COPY',
      line: 2,
      original: 'COPY --from=build --chown=1:2 a b* /dst/',
      sources: ['a', 'b*'],
      dest: '/dst/',
      from: 'build',
      chown: '1:2',
    });
    expect(first('ADD --chmod=755 ["a b", "c"]')).toMatchObject({
      sources: ['a b'],
      dest: 'c',
      chmod: '755',
    });
    expect(first('ADD http://x/y.tgz /')).toMatchObject({
      kind: 'ADD',
      sources: ['http://x/y.tgz'],
      dest: '/',
    });
  });

  it('EXPOSE sorts its words as dockerd does; VOLUME takes both forms', () => {
    expect(first('EXPOSE 8080/udp 80 443')).toMatchObject({
      words: ['443', '80', '8080/udp'],
      original: 'EXPOSE 8080/udp 80 443',
    });
    expect(first('VOLUME /a /b')).toMatchObject({ kind: 'VOLUME', words: ['/a', '/b'] });
    expect(first('VOLUME ["/a b"]')).toMatchObject({ words: ['/a b'] });
  });

  it('WORKDIR, USER, STOPSIGNAL and MAINTAINER keep the rest of the line as one word', () => {
    expect(first('WORKDIR /a b')).toMatchObject({ kind: 'WORKDIR', word: '/a b' });
    expect(first('USER a b')).toMatchObject({ kind: 'USER', word: 'a b' });
    expect(first('STOPSIGNAL --x=1 SIGKILL')).toMatchObject({
      kind: 'STOPSIGNAL',
      word: 'SIGKILL',
    }); // flags ignored
    expect(first('MAINTAINER Fisher "fisher@sudops.com"')).toMatchObject({
      word: 'Fisher "fisher@sudops.com"',
    });
  });

  it('HEALTHCHECK: NONE, CMD in both forms, durations in nanoseconds', () => {
    expect(first('HEALTHCHECK NONE')).toMatchObject({ test: ['NONE'] });
    expect(first('HEALTHCHECK --interval=5s NONE')).toMatchObject({ test: ['NONE'] }); // flags ignored
    expect(
      first(
        'HEALTHCHECK --interval=1m30s --timeout=1.5s --start-period=100ms --retries=3 cmd curl -f x',
      ),
    ).toEqual({
      kind: 'HEALTHCHECK',
      line: 2,
      original:
        'HEALTHCHECK --interval=1m30s --timeout=1.5s --start-period=100ms --retries=3 cmd curl -f x',
      test: ['CMD-SHELL', 'curl -f x'],
      intervalNs: 90e9,
      timeoutNs: 1.5e9,
      startPeriodNs: 100e6,
      retries: 3,
    });
    expect(first('HEALTHCHECK CMD ["curl", "-f"]')).toMatchObject({ test: ['CMD', 'curl', '-f'] });
  });

  it('ONBUILD keeps its trigger verbatim (dockerd 20.10.24 stored these in OnBuild)', () => {
    const dockerfile = parseDockerfile(
      'FROM scratch\nONBUILD   RUN echo  "a"   \nonbuild copy ["a", "b"]\n',
    );
    expect(
      dockerfile.stages[0]?.instructions.map((i) => (i.kind === 'ONBUILD' ? i.trigger : '')),
    ).toEqual(['RUN echo  "a"   ', 'copy ["a", "b"]']);
    expect(dockerfile.stepCount).toBe(3);
  });

  it('parses an ONBUILD trigger for the child build', () => {
    expect(parseOnbuildTrigger('copy ["a", "b"]')).toMatchObject({
      kind: 'COPY',
      sources: ['a'],
      dest: 'b',
    });
    expect(() => parseOnbuildTrigger('COPY a')).toThrow(
      'COPY requires at least two arguments, but only one was provided. Destination could not be determined',
    );
  });
});

describe('parseDockerfile: errors in dockerd 20.10.24 words (oracle runs)', () => {
  const instructionErrors: [string, string][] = [
    ['foo bar', 'unknown instruction: FOO'],
    ['COPY --foo=bar a b', 'Unknown flag: foo'],
    ['COPY --chown a b', 'Missing a value on flag: chown'],
    ['COPY --chown=1 --chown=2 a b', 'Duplicate flag specified: chown'],
    ['ADD --from=x a b', 'Unknown flag: from'],
    ['COPY --link a b', 'Unknown flag: link'],
    ['RUN --network=none true', 'Unknown flag: network'],
    [
      'COPY a',
      'COPY requires at least two arguments, but only one was provided. Destination could not be determined',
    ],
    [
      'ADD a',
      'ADD requires at least two arguments, but only one was provided. Destination could not be determined',
    ],
    ['HEALTHCHECK --interval=0s CMD x', 'Interval "interval" cannot be less than 1ms'],
    ['HEALTHCHECK --interval=100us CMD x', 'Interval "interval" cannot be less than 1ms'],
    ['HEALTHCHECK --interval=5 CMD x', 'time: missing unit in duration "5"'],
    ['HEALTHCHECK --interval=abc CMD x', 'time: invalid duration "abc"'],
    ['HEALTHCHECK --retries=0 CMD x', '--retries must be at least 1 (not 0)'],
    ['HEALTHCHECK --retries=x CMD x', 'strconv.ParseInt: parsing "x": invalid syntax'],
    ['HEALTHCHECK NONE x', 'HEALTHCHECK NONE takes no arguments'],
    ['HEALTHCHECK FOO x', 'Unknown type "FOO" in HEALTHCHECK (try CMD)'],
    ['HEALTHCHECK CMD', 'Missing command after HEALTHCHECK CMD'],
    ['HEALTHCHECK CMD []', 'Missing command after HEALTHCHECK CMD'],
    ['SHELL /bin/bash -c', 'SHELL requires the arguments to be in JSON form'],
    ['SHELL []', 'SHELL requires at least one argument'],
    ['ONBUILD ONBUILD RUN x', "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"],
    ['ONBUILD FROM x', "FROM isn't allowed as an ONBUILD trigger"],
    ['onbuild maintainer x', "MAINTAINER isn't allowed as an ONBUILD trigger"],
    ['ONBUILD', 'ONBUILD requires at least one argument'],
    ['ENV', 'ENV requires at least one argument'],
    ['ENV =b', 'ENV names can not be blank'],
    ['ARG', 'ARG requires at least one argument'],
    ['ARG =x', 'ARG names can not be blank'],
    ['EXPOSE', 'EXPOSE requires at least one argument'],
    ['VOLUME', 'VOLUME requires at least one argument'],
    ['VOLUME []', 'VOLUME requires at least one argument'],
    ['VOLUME [""]', 'VOLUME specified can not be an empty string'],
    ['WORKDIR', 'WORKDIR requires exactly one argument'],
    ['USER', 'USER requires exactly one argument'],
    ['STOPSIGNAL', 'STOPSIGNAL requires exactly one argument'],
    ['MAINTAINER', 'MAINTAINER requires exactly one argument'],
    ['MAINTAINER --x=1 a b', 'Unknown flag: x'],
    ['FROM a b', 'FROM requires either one or three arguments'],
    [
      'FROM a AS 1x',
      'invalid name for build stage: "1x", name can\'t start with a number or contain symbols',
    ],
    ['FROM --foo=x a', 'Unknown flag: foo'],
  ];
  it.each(instructionErrors)('%s → dockerfile parse error line 2: %s', (instruction, message) => {
    const error = errorOf(lines('FROM scratch', instruction));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toBe(`dockerfile parse error line 2: ${message}`);
  });

  const parseErrors: [string, string][] = [
    [
      lines('FROM scratch', 'CMD [1, "a"]'),
      'when using JSON array syntax, arrays must be comprised of strings only',
    ],
    [lines('FROM scratch', 'ENV a'), 'ENV must have two arguments'],
    [lines('FROM scratch', 'LABEL a'), 'LABEL must have two arguments'],
    [
      lines('FROM scratch', 'ENV a=b c'),
      'Syntax error - can\'t find = in "c". Must be of the form: name=value',
    ],
    [lines('# escape=x', 'FROM scratch'), "invalid escape token 'x' does not match ` or \\"],
    [
      lines('# escape=`', '# escape=\\', 'FROM scratch'),
      'only one escape parser directive can be used',
    ],
    [lines('', '# c', '  '), 'file with no instructions'],
  ];
  it.each(parseErrors)('%j → failed to parse Dockerfile: %s', (text, message) => {
    expect(errorOf(text).message).toBe(`failed to parse Dockerfile: ${message}`);
  });

  it('names the Dockerfile the client gave, refuses an empty one and a step before FROM', () => {
    expect(() => parseDockerfile('FROM scratch\nENV a\n', { name: 'sub/Df' })).toThrow(
      'failed to parse sub/Df: ENV must have two arguments',
    );
    expect(errorOf('').message).toBe('the Dockerfile (Dockerfile) cannot be empty');
    expect(errorOf('RUN x\n').message).toBe('no build stage in current context');
    expect(errorOf('ARG a\nRUN x\n').message).toBe('no build stage in current context');
  });
});
