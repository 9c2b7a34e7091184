import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { DomainError } from '@stevedore/domain';

/** writeCtl writes one control line; O_NONBLOCK so a dead conmon (no reader) fails, not hangs. */
export async function writeCtl(
  ctl: string,
  size: { height: number; width: number },
): Promise<void> {
  const h = Math.trunc(size.height);
  const w = Math.trunc(size.width);
  if (!(h >= 0 && w >= 0 && h <= 1000 && w <= 1000)) {
    throw DomainError.invalidArgument(`invalid terminal size ${size.height}x${size.width}`);
  }
  const fh = await open(ctl, constants.O_WRONLY | constants.O_NONBLOCK).catch(
    (e: NodeJS.ErrnoException) => {
      throw DomainError.conflict(
        `cannot resize: the container's monitor is not running (${e.code})`,
      );
    },
  );
  try {
    await fh.write(`1 ${h} ${w}\n`);
  } finally {
    await fh.close();
  }
}
