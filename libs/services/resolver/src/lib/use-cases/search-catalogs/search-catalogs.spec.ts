import type { EngineEventV1 } from '@stevedore/contracts';
import { InProcessBroadcasts } from '@stevedore/messaging';
import type { RegistryClient } from '@stevedore/registry-client';
import { SearchCatalogsUseCase } from './search-catalogs.use-case';

const HOST = '127.0.0.1:5000';

/** A registry whose catalog the test grows, counting how often it is listed. */
function registryWith(repositories: string[]) {
  const listed = { count: 0 };
  const client = {
    async *catalog() {
      listed.count += 1;
      yield* [...repositories];
    },
  } as unknown as RegistryClient;
  return { client, listed };
}

const pushEvent = (id: string): EngineEventV1 =>
  ({
    Type: 'image',
    Action: 'push',
    Actor: { ID: id, Attributes: { name: id } },
    scope: 'local',
    time: 1,
    timeNano: '1',
  }) as EngineEventV1;

describe('SearchCatalogsUseCase and pushes (in-process broadcasts)', () => {
  it('reuses a catalog for a burst of searches, and lists it again after a push to that registry', async () => {
    const repositories = ['team/app'];
    const { client, listed } = registryWith(repositories);
    const broadcasts = new InProcessBroadcasts();
    const search = new SearchCatalogsUseCase(
      client,
      [HOST],
      { mirrors: [], insecureRegistries: [] },
      broadcasts,
    );
    search.onModuleInit();
    const names = async (term: string) =>
      (await search.execute({ term, registry: HOST })).repositories;

    expect(await names('team')).toEqual([`${HOST}/team/app`]);
    repositories.push('team/new');
    expect(await names('team')).toEqual([`${HOST}/team/app`]);
    expect(listed.count).toBe(1);

    broadcasts.publish('engine-events', pushEvent(`${HOST}/team/new:1`));
    await new Promise((resolve) => setImmediate(resolve));
    expect(await names('team')).toEqual([`${HOST}/team/app`, `${HOST}/team/new`]);
    expect(listed.count).toBe(2);

    // A push elsewhere, or another kind of event, keeps this registry's catalog.
    search.pushed(pushEvent('other.example/x:1'));
    search.pushed({ ...pushEvent(`${HOST}/team/new:1`), Action: 'tag' });
    await names('team');
    expect(listed.count).toBe(2);
    search.onApplicationShutdown();
    await broadcasts.close();
  });
});
