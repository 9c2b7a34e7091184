import { Controller, Get, Query, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError } from '@stevedore/domain';
import { EngineExceptionFilter } from '../../engine/engine-exception.filter';
import { QueryValue, one } from '../../engine/request-params';
import { parseFiltersParam } from '../filters/filters-param';
import { EngineEvent, eventJson } from './engine-event';
import { eventFilter } from './event-filter';
import { EventLog } from './event-log';

/**
 * EventsController is `GET /events?since&until&filters` (`docker events`), as dockerd's getEvents:
 * the kept events from `since` first, then live ones; with an `until` in the past it ends after
 * the past ones, with one in the future when that time comes, else when the client leaves.
 */
@UseFilters(EngineExceptionFilter)
@Controller('events')
export class EventsController {
  constructor(private readonly log: EventLog) {}

  @Get()
  events(
    @Query('since') sinceRaw: QueryValue,
    @Query('until') untilRaw: QueryValue,
    @Query('filters') filters: QueryValue,
    @Res() res: Response,
  ): void {
    const since = eventTime(one(sinceRaw));
    const until = eventTime(one(untilRaw));
    if (until !== undefined && since !== undefined && until < since)
      throw DomainError.invalidArgument(
        `\`since\` time (${one(sinceRaw)}) cannot be after \`until\` time (${one(untilRaw)})`,
      );
    const wanted = eventFilter(parseFiltersParam(one(filters)));
    const write = (e: EngineEvent) => void (wanted(e) && res.write(eventJson(e)));
    res.status(200).setHeader('Content-Type', 'application/json');
    res.flushHeaders();
    const unsubscribe = this.log.subscribe(write);
    if (since !== undefined || until !== undefined)
      this.log.past(since ?? 0n, until).forEach(write);
    const now = BigInt(Date.now()) * 1_000_000n;
    const end = () => {
      unsubscribe();
      clearTimeout(timer);
      res.end();
    };
    const wait = until === undefined ? undefined : Number((until - now) / 1_000_000n);
    const timer = wait === undefined ? undefined : setTimeout(end, Math.max(0, wait));
    res.on('close', end);
  }
}

/**
 * eventTime reads `since`/`until` as moby's timetypes.ParseTimestamps: `seconds[.nanoseconds]`
 * since the epoch; absent or empty is undefined.
 */
export function eventTime(raw: string | undefined): bigint | undefined {
  if (raw === undefined || raw === '') return undefined;
  const match = /^(-?\d+)(?:\.(\d{1,9}))?$/.exec(raw);
  if (!match) throw DomainError.invalidArgument(`invalid timestamp: ${raw}`);
  return (
    BigInt(match[1] as string) * 1_000_000_000n + BigInt((match[2] ?? '').padEnd(9, '0') || '0')
  );
}
