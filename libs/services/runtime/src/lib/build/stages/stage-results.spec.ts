import type { ImageRecord } from '@stevedore/contracts';
import { StageResults } from './stage-results';

const image = (id: string) => ({ id }) as ImageRecord;

describe('the finished stages COPY --from and FROM look up', () => {
  const stages = new StageResults();
  stages.add('Builder', image('sha256:b'));
  stages.add(undefined, image('sha256:u'));

  it('finds a stage by name in any case, and by index', () => {
    expect(stages.get('builder')?.id).toBe('sha256:b');
    expect(stages.get('0')?.id).toBe('sha256:b');
    expect(stages.get('+1')?.id).toBe('sha256:u');
  });

  it('refuses an index no finished stage has, as dockerd does, instead of trying an image', () => {
    expect(() => stages.get('5')).toThrow('index out of bounds');
    expect(() => stages.get('-1')).toThrow('index out of bounds');
    expect(() => new StageResults().get('0')).toThrow('index out of bounds');
  });

  it('leaves a word that is neither name nor index to the image lookup', () => {
    expect(stages.get('busybox')).toBeUndefined();
    expect(stages.get('5a')).toBeUndefined();
  });

  it('lets FROM see names only (FROM 0 is an image called 0)', () => {
    expect(stages.byName('BUILDER')?.id).toBe('sha256:b');
    expect(stages.byName('0')).toBeUndefined();
  });
});
