import { LoopbackAccess, isLoopback } from './registry-access';
import { paginate } from './discovery.handlers';
import { RegistryError, toRegistryError } from './registry-error';
import { pushedName, repositoryOf } from './registry-names';
import { actionsOf, parseRoute } from './registry-route';
import { RegistryServer } from './registry-server';
import { DomainError } from '@stevedore/domain';

const SELF = new Set(['localhost:5000', '127.0.0.1:5000']);

describe('registry naming (one store, two faces)', () => {
  it.each([
    ['docker.io/library/busybox', 'library/busybox'],
    ['docker.io/x/y', 'x/y'],
    ['localhost:5000/x/y', 'x/y'],
    ['127.0.0.1:5000/team/app', 'team/app'],
    ['ghcr.io/org/app', 'ghcr.io/org/app'],
    ['myreg:5001/app', undefined],
  ])('serves %s as %s', (name, repository) => {
    expect(repositoryOf(name, SELF)).toBe(repository);
  });

  it('records a push under the host the client addressed, unless the path names a registry', () => {
    expect(pushedName('x/y', 'localhost:5000')).toBe('localhost:5000/x/y');
    expect(pushedName('busybox', 'localhost:5000')).toBe('localhost:5000/busybox');
    expect(pushedName('ghcr.io/org/app', 'localhost:5000')).toBe('ghcr.io/org/app');
  });
});

describe('registry routes', () => {
  it.each([
    ['/v2/', { kind: 'base' }],
    ['/v2/_catalog', { kind: 'catalog' }],
    ['/v2/a/b/manifests/latest', { kind: 'manifest', repository: 'a/b', reference: 'latest' }],
    ['/v2/a/blobs/sha256:ab', { kind: 'blob', repository: 'a', digest: 'sha256:ab' }],
    ['/v2/a/blobs/uploads/', { kind: 'uploads', repository: 'a' }],
    ['/v2/a/blobs/uploads/u-1', { kind: 'upload', repository: 'a', uuid: 'u-1' }],
    ['/v2/a/tags/list', { kind: 'tags', repository: 'a' }],
    ['/v2/a/referrers/sha256:ab', { kind: 'referrers', repository: 'a', digest: 'sha256:ab' }],
    ['/v2/blobs/manifests/x', { kind: 'manifest', repository: 'blobs', reference: 'x' }],
  ])('takes %s apart', (path, route) => {
    expect(parseRoute(path)).toEqual(route);
  });

  it('refuses a repository name outside the grammar with NAME_INVALID', () => {
    expect(() => parseRoute('/v2/UPPER/tags/list')).toThrow(
      expect.objectContaining({ code: 'NAME_INVALID', status: 400 }),
    );
  });

  it('asks the access hook for what each request needs', () => {
    expect(actionsOf(parseRoute('/v2/a/manifests/x'), 'GET')).toEqual(['pull']);
    expect(actionsOf(parseRoute('/v2/a/manifests/x'), 'PUT')).toEqual(['push']);
    expect(actionsOf(parseRoute('/v2/a/manifests/x'), 'DELETE')).toEqual(['delete']);
    expect(actionsOf(parseRoute('/v2/a/blobs/uploads/'), 'POST')).toEqual(['pull', 'push']);
    expect(actionsOf(parseRoute('/v2/_catalog'), 'GET')).toBe('catalog');
  });
});

describe('pagination', () => {
  const url = (query: string) => new URL(`http://r/v2/_catalog${query}`);

  it('sorts, starts after last and stops at n with a next page', () => {
    expect(paginate(['c', 'a', 'b'], url(''))).toEqual({ items: ['a', 'b', 'c'] });
    expect(paginate(['c', 'a', 'b'], url('?n=2'))).toEqual({
      items: ['a', 'b'],
      next: { n: 2, last: 'b' },
    });
    expect(paginate(['c', 'a', 'b'], url('?n=2&last=b'))).toEqual({ items: ['c'] });
  });
});

describe('registry errors and access', () => {
  it('maps domain codes to the spec error form', () => {
    const error = toRegistryError(DomainError.digestMismatch('bad'));
    expect([error.status, error.code]).toEqual([400, 'DIGEST_INVALID']);
    expect(JSON.parse(error.body())).toEqual({
      errors: [{ code: 'DIGEST_INVALID', message: 'bad', detail: null }],
    });
    expect(toRegistryError(new Error('secret path /x')).message).toBe('internal server error');
  });

  it('allows loopback and refuses the rest by default', async () => {
    expect(isLoopback('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopback('10.0.0.1')).toBe(false);
    const access = new LoopbackAccess();
    const request = { method: 'GET', actions: ['pull'] as const, headers: {} };
    expect(await access.authorize({ ...request, remoteAddress: '127.0.0.1' })).toBe('allow');
    expect(await access.authorize({ ...request, remoteAddress: '10.0.0.1' })).toMatchObject({
      status: 403,
      code: 'DENIED',
    });
  });

  it('refuses to listen beyond loopback without authentication unless told to', async () => {
    const none = { routes: () => ({}) };
    const server = new RegistryServer(
      new LoopbackAccess(),
      none as never,
      none as never,
      none as never,
      none as never,
    );
    await expect(server.listen({ host: '0.0.0.0', port: 0 })).rejects.toThrow(
      /refuses to listen on 0.0.0.0 without authentication/,
    );
    expect(new RegistryError(404, 'BLOB_UNKNOWN', 'x').status).toBe(404);
  });
});
