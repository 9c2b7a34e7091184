import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

const ROOT = join(__dirname, '..', '..', '..', 'infra');
const SERVICES = ['gateway', 'resolver', 'fetcher', 'blobstore', 'metadata', 'exporter'];
const IMAGE = /^stevedore\/(gateway|resolver|fetcher|blobstore|metadata|exporter):[\w.-]+$/;

type Doc = Record<string, unknown>;
// A small path reader: the manifests are untyped YAML.
const at = (value: unknown, ...path: (string | number)[]): unknown =>
  path.reduce<unknown>(
    (v, key) =>
      v !== null && typeof v === 'object'
        ? (v as Record<string | number, unknown>)[key]
        : undefined,
    value,
  );

function k8sDocs(): Doc[] {
  const dir = join(ROOT, 'k8s');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) =>
      parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => {
        if (d.errors.length > 0) throw new Error(`${f}: ${d.errors[0]?.message}`);
        return d.toJS() as Doc;
      }),
    );
}

function compose(): Doc {
  return parseAllDocuments(readFileSync(join(ROOT, 'compose', 'compose.yaml'), 'utf8'))[0]?.toJS({
    maxAliasCount: 100,
  }) as Doc;
}

/** problems lists every inconsistency of a set of manifests; empty means consistent. */
export function problems(docs: Doc[], composeFile: Doc): string[] {
  const out: string[] = [];
  const deployments = docs.filter((d) => d['kind'] === 'Deployment');
  const services = docs.filter((d) => d['kind'] === 'Service');
  for (const name of SERVICES) {
    const dep = deployments.find((d) => at(d, 'metadata', 'name') === name);
    if (!dep) {
      out.push(`no Deployment for ${name}`);
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
  const env = (name: string, key: string): string | undefined => {
    const dep = deployments.find((d) => at(d, 'metadata', 'name') === name);
    const vars =
      (at(dep, 'spec', 'template', 'spec', 'containers', 0, 'env') as Doc[] | undefined) ?? [];
    return vars.find((v) => v['name'] === key)?.['value'] as string | undefined;
  };
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
  return out;
}

describe('infra/ manifests (kubectl-free check)', () => {
  it('parse as YAML and name images, probes, ports and the KEDA trigger consistently with compose', () => {
    expect(problems(k8sDocs(), compose())).toEqual([]);
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
