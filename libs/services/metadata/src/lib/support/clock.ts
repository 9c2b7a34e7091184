import { Injectable } from '@nestjs/common';

/** Clock is the time port of the metadata use-cases: `now()` is the wall clock, replaceable in tests. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
