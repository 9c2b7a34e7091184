/**
 * The parsed Dockerfile the classic builder executes. Words that Docker expands at build time
 * (FROM, ENV, LABEL, ARG defaults, COPY/ADD, EXPOSE, VOLUME, WORKDIR, USER, STOPSIGNAL, ONBUILD is
 * not expanded) are kept RAW here, quotes and `$` included: the builder expands them step by step
 * with {@link ShellWordExpander} and the environment and build args in force at that step, exactly
 * as dockerd's dispatchers do. RUN, CMD, ENTRYPOINT and HEALTHCHECK are never expanded by the
 * builder (the shell in the container does it).
 */

/** Where an instruction came from, for error messages (`Dockerfile:3`) and the step line. */
export interface SourceLine {
  /** 1-based line of the instruction's first physical line. */
  readonly line: number;
  /**
   * The instruction as Docker prints it in `Step n/m : <original>`: the logical line with
   * continuations joined and comments inside continuations dropped, surrounding space trimmed.
   */
  readonly original: string;
}

/** A command in exec form (`["a","b"]`, JSON) or shell form (`a b`, run through SHELL). */
export type CommandForm =
  | { readonly json: true; readonly args: readonly string[] }
  | { readonly json: false; readonly text: string };

/** `--name=value` flags given to an instruction, already validated against its allowed set. */
export type Flags = Readonly<Record<string, string>>;

export interface FromInstruction extends SourceLine {
  readonly kind: 'FROM';
  /** Raw image word (expanded with the meta args only, i.e. ARGs before the first FROM). */
  readonly image: string;
  /** `AS name`, lower-cased as Docker does. */
  readonly stageName?: string;
  /** Raw `--platform` value. */
  readonly platform?: string;
}

export interface RunInstruction extends SourceLine {
  readonly kind: 'RUN';
  readonly command: CommandForm;
  /**
   * Raw `--mount=` values. dockerd 20.10 parses the flag but its classic builder refuses it when
   * the step runs ("the --mount option requires BuildKit. ..."); empty when not given.
   */
  readonly mounts: readonly string[];
}

export interface CmdInstruction extends SourceLine {
  readonly kind: 'CMD' | 'ENTRYPOINT';
  readonly command: CommandForm;
}

export interface ShellInstruction extends SourceLine {
  readonly kind: 'SHELL';
  /** SHELL only has the JSON form. */
  readonly args: readonly string[];
}

/** ENV and LABEL: `k=v k2=v2` or the legacy `k v with spaces` form, raw words. */
export interface KeyValueInstruction extends SourceLine {
  readonly kind: 'ENV' | 'LABEL';
  readonly pairs: readonly (readonly [key: string, rawValue: string])[];
}

export interface ArgInstruction extends SourceLine {
  readonly kind: 'ARG';
  /** `ARG a=1 b` is two args; `defaultValue` is raw (expanded when the ARG step runs). */
  readonly args: readonly { readonly name: string; readonly defaultValue?: string }[];
}

export interface CopyInstruction extends SourceLine {
  readonly kind: 'COPY' | 'ADD';
  /** Raw source words (globs, context-relative; ADD may name an http(s) URL). */
  readonly sources: readonly string[];
  /** Raw destination word; a trailing `/` means "into this directory". */
  readonly dest: string;
  /** `--from=<stage name|index|image>` (COPY only). */
  readonly from?: string;
  readonly chown?: string;
  /**
   * Raw `--chmod` value. dockerd 20.10 parses it but its classic builder refuses it when the step
   * runs ("the --chmod option requires BuildKit"); Stevedore's builder applies it, as BuildKit does.
   */
  readonly chmod?: string;
}

export interface WordsInstruction extends SourceLine {
  readonly kind: 'EXPOSE' | 'VOLUME';
  /** Raw words: ports like `80`, `80/tcp`, `8000-8010/udp`; VOLUME paths (JSON or shell form). */
  readonly words: readonly string[];
}

export interface WordInstruction extends SourceLine {
  readonly kind: 'WORKDIR' | 'USER' | 'STOPSIGNAL' | 'MAINTAINER';
  /** The raw argument (MAINTAINER: the rest of the line, never expanded). */
  readonly word: string;
}

export interface HealthcheckInstruction extends SourceLine {
  readonly kind: 'HEALTHCHECK';
  /** `HEALTHCHECK NONE` → `{ test: ['NONE'] }`; `CMD x` → `['CMD-SHELL', 'x']`, JSON → `['CMD', ...]`. */
  readonly test: readonly string[];
  /** Durations in nanoseconds, as the image config stores them; absent when not given. */
  readonly intervalNs?: number;
  readonly timeoutNs?: number;
  readonly startPeriodNs?: number;
  readonly retries?: number;
}

export interface OnbuildInstruction extends SourceLine {
  readonly kind: 'ONBUILD';
  /**
   * The trigger as written after ONBUILD (`RUN echo hi`), stored verbatim in the config's OnBuild
   * list (case and trailing spaces kept, as dockerd does). A child build parses it with
   * `parseOnbuildTrigger`.
   */
  readonly trigger: string;
}

export type Instruction =
  | RunInstruction
  | CmdInstruction
  | ShellInstruction
  | KeyValueInstruction
  | ArgInstruction
  | CopyInstruction
  | WordsInstruction
  | WordInstruction
  | HealthcheckInstruction
  | OnbuildInstruction;

/** One `FROM ...` and the instructions up to the next FROM. */
export interface Stage {
  /** 0-based position (what `COPY --from=0` names). */
  readonly index: number;
  readonly from: FromInstruction;
  readonly instructions: readonly Instruction[];
}

export interface Dockerfile {
  /** The escape character from the `# escape=` directive (default backslash). */
  readonly escape: '\\' | '`';
  /** ARG instructions before the first FROM (usable in FROM lines only, unless re-declared). */
  readonly metaArgs: readonly ArgInstruction[];
  readonly stages: readonly Stage[];
  /** Total instructions as Docker counts them for `Step n/m` (FROMs and meta ARGs included). */
  readonly stepCount: number;
  /**
   * Lines dockerd writes to the build output (stderr stream) before the first step, e.g. for empty
   * continuation lines: `[WARNING]: Empty continuation line found in:\n    ENV a=b c=d`.
   */
  readonly warnings: readonly string[];
}
