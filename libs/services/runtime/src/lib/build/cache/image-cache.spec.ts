import { findCached, sameConfig } from './image-cache';

const base = {
  id: 'sha256:base',
  configJson: JSON.stringify({
    history: [{ created: 't0', comment: 'Imported from -' }],
    rootfs: { diff_ids: ['sha256:l0'] },
  }),
};

function child(id: string, created: string, cmd: string[], layer?: string) {
  return {
    id,
    configJson: JSON.stringify({
      created,
      container_config: { Cmd: cmd, Env: ['PATH=/bin'], Labels: {} },
      history: [
        { created: 't0', comment: 'Imported from -' },
        { created, ...(layer ? {} : { empty_layer: true }) },
      ],
      rootfs: { diff_ids: ['sha256:l0', ...(layer ? [layer] : [])] },
    }),
  };
}

describe('the classic cache probe', () => {
  const nop = ['/bin/sh', '-c', '#(nop) ', 'EXPOSE 80'];
  const run = ['/bin/sh', '-c', 'echo hi'];

  it('hits the newest image built on the parent with the same container config', () => {
    const images = [
      child('sha256:old', 't1', nop),
      child('sha256:new', 't2', nop),
      child('sha256:run', 't3', run, 'sha256:l1'),
    ];
    const probe = { Cmd: nop, Env: ['PATH=/bin'], Labels: null };
    expect(findCached(images, base, probe)).toBe('sha256:new');
    expect(findCached(images, base, { ...probe, Cmd: run })).toBe('sha256:run');
  });

  it('misses on another command, another env, or another parent', () => {
    const images = [child('sha256:a', 't1', run, 'sha256:l1')];
    const other = { Cmd: ['/bin/sh', '-c', 'echo ho'], Env: ['PATH=/bin'] };
    expect(findCached(images, base, other)).toBeUndefined();
    expect(findCached(images, base, { Cmd: run, Env: ['PATH=/bin', 'A=1'] })).toBeUndefined();
    expect(findCached(images, images[0], { Cmd: run, Env: ['PATH=/bin'] })).toBeUndefined();
    // On scratch the parent has no history: only one-entry images are its children.
    expect(findCached(images, undefined, { Cmd: run, Env: ['PATH=/bin'] })).toBeUndefined();
  });

  it('compares configs as dockerd: order of Env matters, of labels and ports does not', () => {
    const a = {
      Cmd: ['x'],
      Env: ['A=1', 'B=2'],
      Labels: { a: '1', b: '2' },
      ExposedPorts: { '80/tcp': {} },
    };
    expect(sameConfig(a, { ...a, Labels: { b: '2', a: '1' } })).toBe(true);
    expect(sameConfig(a, { ...a, Env: ['B=2', 'A=1'] })).toBe(false);
    expect(sameConfig(a, { ...a, ExposedPorts: { '81/tcp': {} } })).toBe(false);
    expect(sameConfig(a, { ...a, User: 'root' })).toBe(false);
    // WorkingDir is not compared (a WORKDIR step differs by its Cmd anyway).
    expect(sameConfig(a, { ...a, WorkingDir: '/x' })).toBe(true);
  });
});
