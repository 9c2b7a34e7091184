/** ContentRange is a parsed `Content-Range: bytes <start>-<end>/<size>` (size undefined for `*`). */
export interface ContentRange {
  readonly start: number;
  readonly end: number;
  readonly size?: number;
}

/** parseContentRange reads a 206 response's `Content-Range`; undefined when it is not a byte range. */
export function parseContentRange(value: string | undefined): ContentRange | undefined {
  const match = /^\s*bytes\s+(\d+)-(\d+)\/(\d+|\*)\s*$/i.exec(value ?? '');
  if (!match?.[1] || !match[2] || !match[3]) return undefined;
  const size = match[3] === '*' ? undefined : Number(match[3]);
  return {
    start: Number(match[1]),
    end: Number(match[2]),
    ...(size !== undefined ? { size } : {}),
  };
}

/** ResumePlan says what to do with the response to a `Range: bytes=<offset>-` request (T13). */
export type ResumePlan =
  | { readonly kind: 'append' }
  | { readonly kind: 'skip'; readonly bytes: number }
  | { readonly kind: 'restart' }
  | { readonly kind: 'invalid'; readonly reason: string };

/**
 * planResume decides how a resumed blob response continues the stream at `offset` (T13): a 206 whose
 * range starts at `offset` is appended; a 200 (range ignored) has its first `offset` bytes skipped; a
 * 416 restarts from zero; a 206 that starts elsewhere is invalid.
 */
export function planResume(
  status: number,
  contentRange: string | undefined,
  offset: number,
): ResumePlan {
  if (status === 416) return { kind: 'restart' };
  if (status === 200) return offset === 0 ? { kind: 'append' } : { kind: 'skip', bytes: offset };
  if (status !== 206)
    return { kind: 'invalid', reason: `unexpected status ${status} to a range request` };
  const range = parseContentRange(contentRange);
  if (!range)
    return { kind: 'invalid', reason: `unreadable Content-Range "${contentRange ?? ''}"` };
  if (range.start !== offset) {
    return {
      kind: 'invalid',
      reason: `Content-Range starts at ${range.start}, expected ${offset}`,
    };
  }
  return { kind: 'append' };
}
