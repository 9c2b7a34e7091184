import { lastValueFrom, toArray } from 'rxjs';
import { DomainError } from '@stevedore/domain';
import { Bus } from '../lib/bus';
import { Correlation } from '../lib/correlation';

/** The behaviour every transport must show; run against in-process and RabbitMQ alike. */
export function describeBusContract(name: string, bus: () => Bus): void {
  describe(`Bus contract: ${name}`, () => {
    it('answers a request with the handler result, validated into its class', async () => {
      await expect(bus().send('echo.text.say.v1', { text: 'hi' })).resolves.toEqual({
        text: 'hi',
        isInstance: true,
      });
    });

    it('streams every reply of an Observable handler, in order', async () => {
      const events = await lastValueFrom(
        bus().stream<{ n: number }>('echo.number.count.v1', { upTo: 4 }).pipe(toArray()),
      );
      expect(events.map((e) => e.n)).toEqual([1, 2, 3, 4]);
    });

    it('brings a DomainError back with its code and message', async () => {
      const error = await bus()
        .send('echo.text.fail.v1', {})
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'NOT_FOUND', message: 'no such echo: nope' });
    });

    it('turns invalid payloads into INVALID_ARGUMENT naming the field', async () => {
      const error = await bus()
        .send('echo.text.say.v1', { text: 42 })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect((error as Error).message).toMatch(/text must be a string/);
    });

    it('hides unexpected errors behind INTERNAL with an errorId', async () => {
      const error = await bus()
        .send('echo.text.crash.v1', {})
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'INTERNAL' });
      expect((error as Error).message).toMatch(/errorId [0-9a-f-]{36}/);
      expect((error as Error).message).not.toMatch(/secret/);
    });

    it('carries a full disk to the caller as NO_SPACE in the OS words, mid-stream too', async () => {
      const error = await lastValueFrom(bus().stream('echo.disk.full.v1', {})).catch(
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: 'NO_SPACE', message: 'no space left on device' });
    });

    it('carries the caller correlation id into the handler', async () => {
      const reply = await Correlation.run('corr-123', () =>
        bus().send<{ id: string }>('echo.text.correlation.v1', {}),
      );
      expect(reply.id).toBe('corr-123');
    });

    it('gives each request without one a fresh correlation id', async () => {
      const reply = await bus().send<{ id: string }>('echo.text.correlation.v1', {});
      expect(reply.id).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('answers UNAVAILABLE naming the service, with a retry hint, when nobody answers', async () => {
      const error = await bus()
        .send('nobody.text.say.v1', {}, { timeoutMs: 300 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({
        code: 'UNAVAILABLE',
        message: expect.stringMatching(/^nobody service unavailable \(.+\), retry later$/),
      });
    });
  });
}
