import type { NestExpressApplication } from '@nestjs/platform-express';
import { CREATE_EXEC_V1, INSPECT_CONTAINER_V1, INSPECT_EXEC_V1 } from '@stevedore/contracts';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { containerJson } from '../mapping/container-fixture';
import { startFakeRuntimeApp } from '../testing/fake-runtime';

const DOCKER = '/usr/local/bin/docker';
const EXEC_ID = 'f'.repeat(64);

function docker(port: number, args: string[], stdin: string) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      DOCKER,
      args,
      {
        env: { PATH: '/usr/bin:/bin', HOME: '/tmp', DOCKER_HOST: `tcp://127.0.0.1:${port}` },
        timeout: 20_000,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? -1) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin);
  });
}

// The real docker CLI 28 hijacks the connection; the runtime behind it is a fake that echoes.
(existsSync(DOCKER) ? describe : describe.skip)(
  `docker exec -i through the real docker CLI (fake runtime that echoes)${existsSync(DOCKER) ? '' : ' (skipped: no docker CLI)'}`,
  () => {
    let app: NestExpressApplication;
    let port: number;

    beforeAll(async () => {
      ({ app, port } = await startFakeRuntimeApp({
        [INSPECT_CONTAINER_V1]: () =>
          containerJson({
            State: { Status: 'running', Running: true, StartedAt: '2026-01-01T00:00:00Z' },
          }),
        [CREATE_EXEC_V1]: () => ({ Id: EXEC_ID }),
        [INSPECT_EXEC_V1]: () => ({ ID: EXEC_ID, Running: false, ExitCode: 0, ContainerID: 'c1' }),
      }));
    });
    afterAll(async () => app?.close());

    it('sends stdin over the upgraded connection and prints the demultiplexed output', async () => {
      const result = await docker(port, ['exec', '-i', 'c1', 'cat'], 'hello through the hijack\n');
      expect(result).toEqual({
        code: 0,
        stdout: 'exec ffff tty=false\nhello through the hijack\n',
        stderr: '',
      });
    });
  },
);
