import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

const ROOT = join(__dirname, '..', '..', '..', 'infra');

/** A parsed manifest: untyped YAML. */
export type Doc = Record<string, unknown>;

/** at is a small path reader for untyped YAML. */
export const at = (value: unknown, ...path: (string | number)[]): unknown =>
  path.reduce<unknown>(
    (v, key) =>
      v !== null && typeof v === 'object'
        ? (v as Record<string | number, unknown>)[key]
        : undefined,
    value,
  );

/** k8sDocs parses every manifest under infra/k8s. */
export function k8sDocs(): Doc[] {
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

/** compose parses infra/compose/compose.yaml, its `<<: *service` merges applied. */
export function compose(): Doc {
  return parseAllDocuments(readFileSync(join(ROOT, 'compose', 'compose.yaml'), 'utf8'), {
    merge: true,
  })[0]?.toJS({
    maxAliasCount: 100,
  }) as Doc;
}

/** The kinds that run a service's pods: Deployments, and the runtime's DaemonSet (one per node). */
export const WORKLOADS = ['Deployment', 'DaemonSet'];

/** workload is the Deployment or DaemonSet named `name`. */
export function workload(docs: Doc[], name: string): Doc | undefined {
  return docs.find(
    (d) => WORKLOADS.includes(String(d['kind'])) && at(d, 'metadata', 'name') === name,
  );
}

/** containerOf is a workload's first container. */
export function containerOf(docs: Doc[], name: string): Doc | undefined {
  return at(workload(docs, name), 'spec', 'template', 'spec', 'containers', 0) as Doc | undefined;
}

/** envOf is the plain value of a container's variable. */
export function envOf(docs: Doc[], name: string, key: string): string | undefined {
  const vars = (at(containerOf(docs, name), 'env') as Doc[] | undefined) ?? [];
  return vars.find((v) => v['name'] === key)?.['value'] as string | undefined;
}
