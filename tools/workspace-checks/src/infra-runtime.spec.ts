import { Doc, at, compose, containerOf, envOf, k8sDocs, workload } from './infra-docs';

/**
 * runtimeProblems checks what the runtime needs to own its host's containers: privileged and
 * root (runc, overlay mounts, CNI), its data root on the host (containers outlive the pod or
 * container of the service, and the next one finds them), one per node (a DaemonSet; compose
 * runs one, never replicas).
 */
export function runtimeProblems(docs: Doc[], composeFile: Doc): string[] {
  const out: string[] = [];
  const container = containerOf(docs, 'runtime');
  const security = at(container, 'securityContext') as Doc | undefined;
  if (security?.['privileged'] !== true) out.push('runtime: not privileged');
  if (security?.['runAsUser'] !== 0) out.push('runtime: not run as root (runAsUser 0)');
  if (at(workload(docs, 'runtime'), 'spec', 'replicas') !== undefined)
    out.push('runtime: a replica count, but there is one runtime per node');
  const dataRoot = envOf(docs, 'runtime', 'STEVEDORE_DATA_ROOT');
  const mount = ((at(container, 'volumeMounts') as Doc[] | undefined) ?? []).find(
    (m) => m['mountPath'] === dataRoot,
  );
  const volumes = (at(workload(docs, 'runtime'), 'spec', 'template', 'spec', 'volumes') ??
    []) as Doc[];
  const volume = volumes.find((v) => v['name'] === mount?.['name']);
  if (!mount || !at(volume, 'hostPath', 'path'))
    out.push(`runtime: the data root ${String(dataRoot)} is not a hostPath volume`);
  const service = at(composeFile, 'services', 'runtime') as Doc | undefined;
  if (service?.['privileged'] !== true || service['user'] !== 'root')
    out.push('compose runtime: not privileged and root');
  if (Number(at(service, 'deploy', 'replicas') ?? 1) !== 1)
    out.push('compose runtime: more than one replica on one host');
  const composeRoot = at(service, 'environment', 'STEVEDORE_DATA_ROOT');
  const binds = ((service?.['volumes'] as string[] | undefined) ?? []).map((v) => v.split(':'));
  if (!binds.some(([from, to]) => from?.startsWith('/') && to === composeRoot))
    out.push(`compose runtime: the data root ${String(composeRoot)} is not bound from the host`);
  return out;
}

describe('infra/ runtime manifests (kubectl-free check)', () => {
  it('run the runtime privileged, as root, one per node, with its data root on the host', () => {
    expect(runtimeProblems(k8sDocs(), compose())).toEqual([]);
  });

  it('notice a runtime that could not run containers or would lose them', () => {
    const docs = k8sDocs();
    const file = compose();
    const daemonSet = workload(docs, 'runtime') as Doc;
    (daemonSet['spec'] as Doc)['replicas'] = 2;
    const container = containerOf(docs, 'runtime') as Doc;
    container['securityContext'] = { privileged: false };
    container['volumeMounts'] = [];
    const service = at(file, 'services', 'runtime') as Doc;
    service['volumes'] = ['data:/var/lib/stevedore-runtime'];
    service['deploy'] = { replicas: 3 };
    expect(runtimeProblems(docs, file)).toEqual([
      'runtime: not privileged',
      'runtime: not run as root (runAsUser 0)',
      'runtime: a replica count, but there is one runtime per node',
      'runtime: the data root /var/lib/stevedore-runtime is not a hostPath volume',
      'compose runtime: more than one replica on one host',
      'compose runtime: the data root /var/lib/stevedore-runtime is not bound from the host',
    ]);
  });
});
