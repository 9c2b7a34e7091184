import type { NestExpressApplication } from '@nestjs/platform-express';
import {
  COMMIT_CONTAINER_V1,
  CREATE_CONTAINER_V1,
  GET_IMAGE_V1,
  INSPECT_CONTAINER_V1,
  KILL_CONTAINER_V1,
  LIST_CONTAINERS_V1,
  REMOVE_CONTAINER_V1,
  START_CONTAINER_V1,
  WAIT_CONTAINER_V1,
} from '@stevedore/contracts';
import { DomainError } from '@stevedore/domain';
import { containerJson } from './mapping/container-fixture';
import { Handler, startFakeRuntimeApp } from './testing/fake-runtime';

const IMAGE = {
  id: 'sha256:' + '1c35c4412082'.padEnd(64, '0'),
  os: 'linux',
  architecture: 'amd64',
  repoTags: ['docker.io/library/busybox:latest'],
  configJson: '{}',
};
const running = containerJson({
  Name: '/web',
  State: { Status: 'running', Running: true, StartedAt: new Date(Date.now() - 5000).toISOString() },
});
const sent: Record<string, unknown>[] = [];

const handlers: Record<string, Handler> = {
  [GET_IMAGE_V1]: ({ ref }) => {
    if (ref === 'busybox' || ref === IMAGE.id) return IMAGE;
    throw DomainError.notFound(`No such image: ${String(ref)}`);
  },
  [CREATE_CONTAINER_V1]: (p) => (sent.push(p), { Id: 'c'.repeat(64), Warnings: [] }),
  [START_CONTAINER_V1]: ({ id }) => (id === 'web' ? { notModified: true } : {}),
  [INSPECT_CONTAINER_V1]: ({ id }) => {
    if (id === 'web') return running;
    throw DomainError.notFound(`No such container: ${String(id)}`);
  },
  [LIST_CONTAINERS_V1]: () => ({ containers: [running] }),
  [REMOVE_CONTAINER_V1]: () => undefined,
  [KILL_CONTAINER_V1]: ({ id }) => {
    throw DomainError.conflict(`Container ${String(id)} is not running`);
  },
  [WAIT_CONTAINER_V1]: () => [{ type: 'waiting' }, { type: 'exited', StatusCode: 3 }],
  [COMMIT_CONTAINER_V1]: (p) => (sent.push(p), { Id: 'sha256:' + 'd'.repeat(64) }),
};

describe('container endpoints over real HTTP (fake runtime on a fake bus)', () => {
  let app: NestExpressApplication;
  let base: string;
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${base}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });

  beforeAll(async () => {
    const started = await startFakeRuntimeApp(handlers);
    app = started.app;
    base = `http://127.0.0.1:${started.port}/v1.50`;
  });
  beforeEach(() => sent.splice(0));
  afterAll(async () => app?.close());

  it('creates from the image ID the name resolves to: 201 {Id, Warnings}', async () => {
    const res = await call('POST', '/containers/create?name=c1', {
      Image: 'busybox',
      Cmd: ['true'],
      HostConfig: { AutoRemove: true },
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ Id: 'c'.repeat(64), Warnings: [] });
    expect(sent[0]).toMatchObject({
      name: 'c1',
      imageId: IMAGE.id,
      config: { Image: 'busybox', Cmd: ['true'] },
      hostConfig: { AutoRemove: true },
    });
  });

  it('answers an unknown image 404 "No such image: <name>:latest", the cue for docker run to pull', async () => {
    const res = await call('POST', '/containers/create', { Image: 'nosuch' });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: 'No such image: nosuch:latest' });
  });

  it('refuses an invalid name with dockerd’s 400', async () => {
    const res = await call('POST', '/containers/create?name=bad%20name', { Image: 'busybox' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      message: 'Invalid container name (bad name), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed',
    });
  });

  it('answers a platform the image is not for with 404, so the CLI pulls that platform', async () => {
    const res = await call('POST', '/containers/create?platform=linux/arm64', { Image: 'busybox' });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { message: string }).message).toBe(
      'image with reference busybox was found but does not match the specified platform: wanted linux/arm64, actual: linux/amd64',
    );
  });

  it('answers start of a running container 304', async () => {
    expect((await call('POST', '/containers/web/start')).status).toBe(304);
    expect((await call('POST', '/containers/other/start')).status).toBe(204);
  });

  it('lists docker ps rows', async () => {
    const rows = (await (await call('GET', '/containers/json')).json()) as Record<
      string,
      unknown
    >[];
    expect(rows).toEqual([
      expect.objectContaining({
        Names: ['/web'],
        Image: 'busybox',
        State: 'running',
        Status: 'Up 5 seconds',
      }),
    ]);
  });

  it('answers type-less inspect of an image name 404 No such container', async () => {
    const res = await call('GET', '/containers/127.0.0.1:5000/x:1/json');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: 'No such container: 127.0.0.1:5000/x:1' });
    const plain = await call('GET', '/containers/busybox/json');
    expect(await plain.json()).toEqual({ message: 'No such container: busybox' });
  });

  it('refuses to remove a running container without force, in dockerd 20.10’s words', async () => {
    const res = await call('DELETE', '/containers/web');
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({
      message: `You cannot remove a running container ${running.Id}. Stop the container before attempting removal or force remove`,
    });
    expect((await call('DELETE', '/containers/web?force=1')).status).toBe(204);
  });

  it('prefixes kill errors as dockerd does', async () => {
    const res = await call('POST', '/containers/web/kill');
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({
      message: 'Cannot kill container: web: Container web is not running',
    });
  });

  it('answers wait with the exit status after the heartbeats', async () => {
    const res = await call('POST', '/containers/web/wait?condition=next-exit');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ Error: null, StatusCode: 3 });
    const bad = await call('POST', '/containers/web/wait?condition=sometime');
    expect(await bad.json()).toEqual({ message: 'invalid condition: "sometime"' });
  });

  it('commits with the CLI’s query: normalised target, author, changes, pause', async () => {
    const res = await call(
      'POST',
      '/commit?author=add%20file&comment=&container=web&repo=docker.io/library/centos&tag=1.0&changes=CMD%20%5B%22sh%22%5D&pause=0',
    );
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ Id: 'sha256:' + 'd'.repeat(64) });
    expect(sent[0]).toEqual({
      id: 'web',
      repo: 'docker.io/library/centos',
      tag: '1.0',
      author: 'add file',
      changes: ['CMD ["sh"]'],
      pause: false,
    });
  });

  it('words a bad new name as dockerd 20.10’s rename does', async () => {
    const res = await call('POST', '/containers/web/rename?name=bad%20n');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      message:
        'Error when allocating new name: Invalid container name (/bad n), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed',
    });
  });

  it('refuses an empty create body as dockerd does', async () => {
    const res = await call('POST', '/containers/create', {});
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      message: 'Config cannot be empty in order to create a container',
    });
  });

  it('refuses a commit to a digest', async () => {
    const res = await call('POST', `/commit?container=web&repo=busybox@sha256:${'e'.repeat(64)}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      message: 'refusing to create a tag with a digest reference',
    });
  });
});

describe('container endpoints when no runtime answers (a topology without one, fake bus)', () => {
  let app: NestExpressApplication;
  let base: string;

  beforeAll(async () => {
    const started = await startFakeRuntimeApp({ [GET_IMAGE_V1]: () => IMAGE });
    app = started.app;
    base = `http://127.0.0.1:${started.port}/v1.50`;
  });
  afterAll(async () => app?.close());

  it('answers docker run and docker ps 503, saying what is missing', async () => {
    const create = await fetch(`${base}/containers/create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ Image: 'busybox' }),
    });
    expect(create.status).toBe(503);
    expect(((await create.json()) as { message: string }).message).toMatch(
      /^no container runtime answered \(.*\): Stevedore runs containers only where a runtime service runs$/,
    );
    expect((await fetch(`${base}/containers/json`)).status).toBe(503);
  });

  it('still answers type-less docker inspect 404', async () => {
    const res = await fetch(`${base}/containers/busybox/json`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: 'No such container: busybox' });
  });
});
