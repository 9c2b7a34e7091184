import { Doc, WORKLOADS, at, compose, containerOf, envOf, k8sDocs, workload } from './infra-docs';

const SERVICES = ['gateway', 'resolver', 'fetcher', 'blobstore', 'metadata', 'exporter', 'runtime'];
const IMAGE = /^stevedore\/(gateway|resolver|fetcher|blobstore|metadata|exporter|runtime):[\w.-]+$/;
/** The runtime owns its node's containers: one per node, a DaemonSet; the others are Deployments. */
const kindOf = (service: string) => (service === 'runtime' ? 'DaemonSet' : 'Deployment');

/** The internal endpoint variables, and the service that serves each on STEVEDORE_INTERNAL_LISTEN. */
const ENDPOINTS: Record<string, string> = {
  STEVEDORE_BLOBSTORE_URL: 'blobstore',
  STEVEDORE_EXPORTER_URL: 'exporter',
  STEVEDORE_RUNTIME_URL: 'runtime',
};
/** Which service must be told which endpoint (the gateway hands load, import and save to the exporter). */
const REQUIRED: [string, string][] = [
  ['gateway', 'STEVEDORE_EXPORTER_URL'],
  ['gateway', 'STEVEDORE_RUNTIME_URL'],
  ['runtime', 'STEVEDORE_BLOBSTORE_URL'],
  ['exporter', 'STEVEDORE_BLOBSTORE_URL'],
  ['fetcher', 'STEVEDORE_BLOBSTORE_URL'],
];

const portOf = (listen: string | undefined): string | undefined => listen?.split(':').at(-1);

/**
 * endpointProblems checks that every service is told the internal endpoints it needs, and that
 * every endpoint URL names its owner's Service on a port that reaches the container port the owner
 * listens on (STEVEDORE_INTERNAL_LISTEN). Owners without a Deployment are reported elsewhere.
 */
export function endpointProblems(docs: Doc[]): string[] {
  const out: string[] = [];
  const deployment = (name: string) => workload(docs, name);
  const container = (name: string) => containerOf(docs, name);
  const env = (name: string, key: string) => envOf(docs, name, key);
  for (const [service, key] of REQUIRED)
    if (deployment(service) && !env(service, key)) out.push(`${service}: no ${key}`);
  for (const [key, owner] of Object.entries(ENDPOINTS)) {
    if (!deployment(owner)) continue;
    const listens = portOf(env(owner, 'STEVEDORE_INTERNAL_LISTEN'));
    const service = docs.find(
      (d) => d['kind'] === 'Service' && at(d, 'metadata', 'name') === owner,
    );
    for (const user of SERVICES) {
      const url = env(user, key);
      if (url)
        out.push(...reaches(`${user}: ${key}`, url, owner, listens, service, container(owner)));
    }
  }
  return out;
}

/** composeEndpointProblems is {@link endpointProblems} for compose, where a URL names the owner's service. */
export function composeEndpointProblems(composeFile: Doc): string[] {
  const out: string[] = [];
  const env = (name: string, key: string) =>
    at(composeFile, 'services', name, 'environment', key) as string | undefined;
  for (const [service, key] of REQUIRED)
    if (!env(service, key)) out.push(`compose ${service}: no ${key}`);
  for (const [key, owner] of Object.entries(ENDPOINTS)) {
    const listens = portOf(env(owner, 'STEVEDORE_INTERNAL_LISTEN'));
    for (const user of SERVICES) {
      const url = env(user, key);
      if (url && (new URL(url).hostname !== owner || new URL(url).port !== listens))
        out.push(`compose ${user}: ${key} ${url} does not reach ${owner} on ${listens}`);
    }
  }
  return out;
}

/** reaches checks one URL against the owner's Service and container ports. */
function reaches(
  what: string,
  url: string,
  owner: string,
  listens: string | undefined,
  service: Doc | undefined,
  container: Doc | undefined,
): string[] {
  const { hostname, port } = new URL(url);
  if (hostname !== owner) return [`${what} names ${hostname}, not the ${owner} Service`];
  const servicePort = ((at(service, 'spec', 'ports') as Doc[] | undefined) ?? []).find(
    (p) => String(p['port']) === port,
  );
  if (!servicePort)
    return [`${what} uses port ${port}, which the ${owner} Service does not expose`];
  const target = ((at(container, 'ports') as Doc[] | undefined) ?? []).find(
    (p) => p['name'] === servicePort['targetPort'],
  );
  if (String(target?.['containerPort']) !== listens)
    return [
      `${what} reaches container port ${String(target?.['containerPort'])}, but ${owner} listens on ${listens}`,
    ];
  return [];
}

const TOKEN_SECRET = 'stevedore-internal-token';

/**
 * tokenProblems checks that every Deployment reads STEVEDORE_INTERNAL_TOKEN from one Secret, that
 * the Secret ships without a value (a committed token would be everyone's), and that compose
 * requires the operator to supply one.
 */
export function tokenProblems(docs: Doc[], composeFile: Doc): string[] {
  const out: string[] = [];
  const secret = docs.find(
    (d) => d['kind'] === 'Secret' && at(d, 'metadata', 'name') === TOKEN_SECRET,
  );
  if (!secret) out.push(`no Secret ${TOKEN_SECRET}`);
  else if (at(secret, 'stringData', 'token') !== '' || at(secret, 'data') !== undefined)
    out.push(`the Secret ${TOKEN_SECRET} ships a token: it must be empty in the repository`);
  for (const dep of docs.filter((d) => WORKLOADS.includes(String(d['kind'])))) {
    const name = String(at(dep, 'metadata', 'name'));
    const vars = (at(dep, 'spec', 'template', 'spec', 'containers', 0, 'env') as Doc[]) ?? [];
    const ref = at(
      vars.find((v) => v['name'] === 'STEVEDORE_INTERNAL_TOKEN'),
      'valueFrom',
      'secretKeyRef',
    );
    if (at(ref, 'name') !== TOKEN_SECRET || at(ref, 'key') !== 'token')
      out.push(`${name}: STEVEDORE_INTERNAL_TOKEN is not read from the Secret ${TOKEN_SECRET}`);
  }
  for (const name of SERVICES) {
    const value = at(composeFile, 'services', name, 'environment', 'STEVEDORE_INTERNAL_TOKEN');
    if (!String(value).startsWith('${STEVEDORE_INTERNAL_TOKEN:?'))
      out.push(`compose ${name}: STEVEDORE_INTERNAL_TOKEN is not required from the operator`);
  }
  return out;
}

/** problems lists every inconsistency of a set of manifests; empty means consistent. */
export function problems(docs: Doc[], composeFile: Doc): string[] {
  const out: string[] = [];
  const services = docs.filter((d) => d['kind'] === 'Service');
  for (const name of SERVICES) {
    const dep = workload(docs, name);
    if (!dep || dep['kind'] !== kindOf(name)) {
      out.push(`no ${kindOf(name)} for ${name}`);
      continue;
    }
    if (!services.some((s) => at(s, 'metadata', 'name') === name))
      out.push(`no Service for ${name}`);
    const container = at(dep, 'spec', 'template', 'spec', 'containers', 0) as Doc;
    const image = String(at(container, 'image'));
    if (!IMAGE.test(image) || !image.startsWith(`stevedore/${name}:`))
      out.push(`${name}: image ${image} does not follow stevedore/<service>:<tag>`);
    const ports = ((at(container, 'ports') as Doc[] | undefined) ?? []).map((p) => p['name']);
    for (const [probe, path] of [
      ['livenessProbe', '/healthz'],
      ['readinessProbe', '/readyz'],
    ] as const) {
      const get = at(container, probe, 'httpGet') as Doc | undefined;
      if (!get) out.push(`${name}: no ${probe}`);
      else {
        if (get['path'] !== path)
          out.push(`${name}: ${probe} checks ${String(get['path'])}, not ${path}`);
        if (!ports.includes(get['port']))
          out.push(
            `${name}: ${probe} targets port ${String(get['port'])}, which the container does not declare`,
          );
      }
    }
  }
  const env = (name: string, key: string) => envOf(docs, name, key);
  const scaled = docs.find((d) => d['kind'] === 'ScaledObject');
  if (!scaled) out.push('no KEDA ScaledObject');
  else {
    if (at(scaled, 'spec', 'scaleTargetRef', 'name') !== 'fetcher')
      out.push('the ScaledObject does not scale fetcher');
    const trigger = at(scaled, 'spec', 'triggers', 0) as Doc;
    const queue = at(trigger, 'metadata', 'queueName');
    const namespace = env('fetcher', 'STEVEDORE_BUS_NAMESPACE');
    if (trigger?.['type'] !== 'rabbitmq') out.push('the KEDA trigger is not a rabbitmq trigger');
    if (queue !== `${namespace}.fetcher`)
      out.push(
        `the KEDA trigger watches ${String(queue)}, not the fetchers' queue ${namespace}.fetcher`,
      );
    const triggerHost = new URL(String(at(trigger, 'metadata', 'host'))).host;
    const amqpHost = new URL(env('fetcher', 'AMQP_URL') ?? 'amqp://missing').host;
    if (triggerHost !== amqpHost)
      out.push(`the KEDA trigger reads RabbitMQ at ${triggerHost}, the services use ${amqpHost}`);
  }
  const composed = Object.keys((composeFile['services'] as Doc | undefined) ?? {})
    .filter((s) => SERVICES.includes(s))
    .sort();
  if (composed.join() !== [...SERVICES].sort().join())
    out.push(`compose names ${composed.join(', ')}, not every service`);
  return [
    ...out,
    ...endpointProblems(docs),
    ...composeEndpointProblems(composeFile),
    ...tokenProblems(docs, composeFile),
  ];
}

describe('infra/ manifests (kubectl-free check)', () => {
  it('parse as YAML and name images, probes, ports and the KEDA trigger consistently with compose', () => {
    expect(problems(k8sDocs(), compose())).toEqual([]);
  });

  it('notice an internal endpoint that does not reach its owner', () => {
    const docs = k8sDocs();
    const file = compose();
    const exporter = docs.find(
      (d) => d['kind'] === 'Deployment' && at(d, 'metadata', 'name') === 'exporter',
    ) as Doc;
    const vars = at(exporter, 'spec', 'template', 'spec', 'containers', 0, 'env') as Doc[];
    (vars.find((v) => v['name'] === 'STEVEDORE_INTERNAL_LISTEN') as Doc)['value'] = '0.0.0.0:2390';
    const gateway = at(file, 'services', 'gateway', 'environment') as Doc;
    delete gateway['STEVEDORE_EXPORTER_URL'];
    expect(problems(docs, file)).toEqual([
      'gateway: STEVEDORE_EXPORTER_URL reaches container port 2381, but exporter listens on 2390',
      'compose gateway: no STEVEDORE_EXPORTER_URL',
    ]);
  });

  it('notice a Deployment without the internal token, a committed token and an optional one', () => {
    const docs = k8sDocs();
    const file = compose();
    const resolver = docs.find(
      (d) => d['kind'] === 'Deployment' && at(d, 'metadata', 'name') === 'resolver',
    ) as Doc;
    const container = at(resolver, 'spec', 'template', 'spec', 'containers', 0) as Doc;
    container['env'] = (container['env'] as Doc[]).filter(
      (v) => v['name'] !== 'STEVEDORE_INTERNAL_TOKEN',
    );
    const secret = docs.find((d) => d['kind'] === 'Secret') as Doc;
    secret['stringData'] = { token: 'committed-by-mistake' };
    (at(file, 'services', 'exporter', 'environment') as Doc)['STEVEDORE_INTERNAL_TOKEN'] = 'x';
    expect(tokenProblems(docs, file)).toEqual([
      'the Secret stevedore-internal-token ships a token: it must be empty in the repository',
      'resolver: STEVEDORE_INTERNAL_TOKEN is not read from the Secret stevedore-internal-token',
      'compose exporter: STEVEDORE_INTERNAL_TOKEN is not required from the operator',
    ]);
  });

  it('notice a broken manifest', () => {
    const docs = k8sDocs();
    const fetcher = docs.find(
      (d) => d['kind'] === 'Deployment' && at(d, 'metadata', 'name') === 'fetcher',
    ) as Doc;
    const container = at(fetcher, 'spec', 'template', 'spec', 'containers', 0) as Doc;
    (container['readinessProbe'] as Doc)['httpGet'] = { path: '/ready', port: 'metrics' };
    const scaled = docs.find((d) => d['kind'] === 'ScaledObject') as Doc;
    (at(scaled, 'spec', 'triggers', 0, 'metadata') as Doc)['queueName'] = 'stevedore.resolver';
    expect(
      problems(
        docs.filter((d) => at(d, 'metadata', 'name') !== 'exporter'),
        compose(),
      ),
    ).toEqual([
      'fetcher: readinessProbe checks /ready, not /readyz',
      'fetcher: readinessProbe targets port metrics, which the container does not declare',
      'no Deployment for exporter',
      "the KEDA trigger watches stevedore.resolver, not the fetchers' queue stevedore.fetcher",
    ]);
  });
});
