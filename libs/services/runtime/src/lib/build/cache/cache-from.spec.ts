import type { ImageRecord } from '@stevedore/contracts';
import { matchSource } from './cache-from';

const nop = (what: string) => `/bin/sh -c #(nop)  ${what}`;
const layer = (n: number) => ({ mediaType: 'l', digest: `sha256:blob${n}`, size: n });

function image(id: string, history: object[], diffIds: string[]): ImageRecord {
  const configJson = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    author: 'Fisher',
    history,
    rootfs: { type: 'layers', diff_ids: diffIds },
  });
  return { id, configJson } as unknown as ImageRecord;
}

const base = image('sha256:base', [{ created: 't0', created_by: 'import' }], ['sha256:l0']);
// A source built on base: MAINTAINER (empty), RUN (a layer), EXPOSE (empty).
const history = [
  { created: 't0', created_by: 'import' },
  { created: 't1', created_by: nop('MAINTAINER Fisher'), empty_layer: true },
  { created: 't2', created_by: '/bin/sh -c echo hi' },
  { created: 't3', created_by: nop('EXPOSE 22'), empty_layer: true },
];
const source = image('sha256:src', history, ['sha256:l0', 'sha256:l1']);
const layersOf = (i: ImageRecord) => (i.id === 'sha256:src' ? [layer(0), layer(1)] : [layer(0)]);

describe('--cache-from, as dockerd 20.10 matches its sources', () => {
  it('restores the intermediate image a step made from the source’s history', () => {
    const probe = { Cmd: ['/bin/sh', '-c', '#(nop) ', 'MAINTAINER Fisher'], Env: ['PATH=/bin'] };
    const match = matchSource([source], base, probe, layersOf);
    expect(match?.kind).toBe('restore');
    if (match?.kind !== 'restore') return;
    const json = JSON.parse(match.configJson);
    expect(json.history).toEqual(history.slice(0, 2));
    expect(json.rootfs.diff_ids).toEqual(['sha256:l0']);
    expect(json.config.Cmd).toEqual(probe.Cmd);
    expect(json.created).toBe('t1');
    expect(match.layers).toEqual([layer(0)]);
  });

  it('takes the layer of a step that made one', () => {
    const parent = image('sha256:p', history.slice(0, 2), ['sha256:l0']);
    const probe = { Cmd: ['/bin/sh', '-c', 'echo hi'] };
    const match = matchSource([source], parent, probe, layersOf);
    if (match?.kind !== 'restore') throw new Error('no restore');
    expect(JSON.parse(match.configJson).rootfs.diff_ids).toEqual(['sha256:l0', 'sha256:l1']);
    expect(match.layers).toEqual([layer(0), layer(1)]);
  });

  it('hits the source itself at its last step, and misses a step it did not make', () => {
    const parent = image('sha256:p', history.slice(0, 3), ['sha256:l0', 'sha256:l1']);
    const expose = { Cmd: ['/bin/sh', '-c', '#(nop) ', 'EXPOSE 22'] };
    expect(matchSource([source], parent, expose, layersOf)).toEqual({ kind: 'self', source });
    const other = { Cmd: ['/bin/sh', '-c', '#(nop) ', 'EXPOSE 80'] };
    expect(matchSource([source], parent, other, layersOf)).toBeUndefined();
  });

  it('misses a source that was not built on the parent', () => {
    const elsewhere = image('sha256:x', [{ created: 'tx', created_by: 'other' }], ['sha256:lx']);
    const probe = { Cmd: ['/bin/sh', '-c', '#(nop) ', 'MAINTAINER Fisher'] };
    expect(matchSource([source], elsewhere, probe, layersOf)).toBeUndefined();
  });
});
