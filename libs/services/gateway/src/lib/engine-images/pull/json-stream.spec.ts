import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Observable, concat, of, throwError } from 'rxjs';
import { DomainError } from '@stevedore/domain';
import type { JsonMessage } from '../engine-types';
import { writeJsonOrFail, writeJsonStream } from './json-stream';

// Each route streams one scenario; a rejected stream is answered the way the exception filter would.
const SCENARIOS: Record<string, () => Observable<JsonMessage>> = {
  ok: () => of({ status: 'a' }, { status: 'b', id: 'x', progressDetail: {} }),
  empty: () => of(),
  failsFirst: () => throwError(() => DomainError.notFound('No such thing')),
  unauthorizedFirst: () =>
    throwError(() =>
      DomainError.fromPayload({
        code: 'UNAUTHORIZED',
        message: 'authentication required',
      }),
    ),
  failsLater: () =>
    concat(
      of({ status: 'a' }),
      throwError(() => DomainError.unsupported('cannot')),
    ),
  diskFullLater: () =>
    concat(
      of({ status: 'a' }),
      throwError(() =>
        Object.assign(new Error("ENOSPC: no space left on device, write '/data/x'"), {
          code: 'ENOSPC',
          syscall: 'write',
        }),
      ),
    ),
  crashesLater: () =>
    concat(
      of({ status: 'a' }),
      throwError(() => new Error('password=hunter2')),
    ),
};

describe('writeJsonStream (real HTTP)', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const app = express();
    app.get('/:scenario', (req, res) => {
      const scenario = SCENARIOS[req.params['scenario'] ?? ''] ?? (() => of());
      writeJsonStream(res, scenario()).catch((err: DomainError) => {
        res.status(err.code === 'NOT_FOUND' ? 404 : 500).json({ message: err.message });
      });
    });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  async function get(
    scenario: string,
  ): Promise<{ status: number; type: string | null; body: string }> {
    const response = await fetch(`${base}/${scenario}`);
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      body: await response.text(),
    };
  }

  it('writes one JSON object per \\r\\n-terminated line as application/json', async () => {
    expect(await get('ok')).toEqual({
      status: 200,
      type: 'application/json',
      body: '{"status":"a"}\r\n{"status":"b","id":"x","progressDetail":{}}\r\n',
    });
  });

  it('answers an empty stream with 200 and no body (the CLI counts that as success)', async () => {
    expect(await get('empty')).toEqual({
      status: 200,
      type: 'application/json',
      body: '',
    });
  });

  it('leaves an error before the first message to the HTTP status', async () => {
    expect(await get('failsFirst')).toMatchObject({
      status: 404,
      body: '{"message":"No such thing"}',
    });
  });

  it('puts UNAUTHORIZED in-stream even first, because a 401 makes the CLI prompt for a login', async () => {
    expect(await get('unauthorizedFirst')).toEqual({
      status: 200,
      type: 'application/json',
      body: '{"errorDetail":{"message":"authentication required"},"error":"authentication required"}\r\n',
    });
  });

  it('reports a later error in-stream with errorDetail, hiding non-domain details', async () => {
    expect((await get('failsLater')).body).toBe(
      '{"status":"a"}\r\n{"errorDetail":{"message":"cannot"},"error":"cannot"}\r\n',
    );
    const crashed = await get('crashesLater');
    // The cause is logged under an id, and the stream names only the id.
    const id = /errorId ([0-9a-f-]{36})/.exec(crashed.body)?.[1];
    const message = `internal error (errorId ${id})`;
    expect(crashed.body).toBe(
      `{"status":"a"}\r\n{"errorDetail":{"message":"${message}"},"error":"${message}"}\r\n`,
    );
  });

  it('reports a full disk in-stream in the OS words, not as an internal error', async () => {
    expect((await get('diskFullLater')).body).toBe(
      '{"status":"a"}\r\n{"errorDetail":{"message":"no space left on device"},"error":"no space left on device"}\r\n',
    );
  });
});

describe('writeJsonOrFail (real HTTP), as dockerd answers an import', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const app = express();
    app.post('/:outcome', (req, res) => {
      const produce = async (): Promise<JsonMessage[]> => {
        if (req.params['outcome'] === 'bad')
          throw DomainError.invalidArgument('nope is not a valid change command');
        return [{ status: 'sha256:abc' }];
      };
      writeJsonOrFail(res, req, produce).catch((err: DomainError) => {
        res.status(400).json({ message: err.message });
      });
    });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  const post = async (outcome: string) => {
    // A body the handler never reads: the failure must still be answered.
    const response = await fetch(`${base}/${outcome}`, {
      method: 'POST',
      body: 'x'.repeat(1 << 20),
    });
    return { status: response.status, body: await response.text() };
  };

  it('answers the result lines with 200', async () => {
    expect(await post('ok')).toEqual({ status: 200, body: '{"status":"sha256:abc"}\r\n' });
  });

  it('leaves a failure to the HTTP status, not the stream, draining the upload', async () => {
    expect(await post('bad')).toEqual({
      status: 400,
      body: '{"message":"nope is not a valid change command"}',
    });
  });
});
