/** Docker's PATH when the image sets none (moby's DefaultPathEnv for Linux). */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

const key = (entry: string) => entry.split('=', 1)[0] as string;

/**
 * buildEnv merges env lists as Docker does: later entries replace earlier ones with the same name
 * in place; Docker's PATH, HOSTNAME and (with a TTY) TERM=xterm come first and the image's and
 * user's values replace them. HOME is left to runc, which sets it from the container's passwd.
 */
export function buildEnv(
  env: readonly string[],
  opts: { hostname: string; tty: boolean },
): string[] {
  const out: string[] = [];
  const index = new Map<string, number>();
  const put = (entry: string, override: boolean) => {
    const k = key(entry);
    const at = index.get(k);
    if (at === undefined) {
      index.set(k, out.length);
      out.push(entry);
    } else if (override) out[at] = entry;
  };
  put(`PATH=${DEFAULT_PATH}`, false);
  put(`HOSTNAME=${opts.hostname}`, false);
  if (opts.tty) put('TERM=xterm', false);
  for (const entry of env) put(entry, true);
  return out;
}
