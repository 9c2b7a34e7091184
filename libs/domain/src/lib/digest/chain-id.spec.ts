import { Digest } from './digest';
import { chainId, chainIds, chainStep } from './chain-id';
import { EMPTY_LAYER_DIFF_ID } from './well-known';

describe('T3 ChainID', () => {
  it('keeps a single identity DiffID and hashes "sha256:a sha256:b" for two', () => {
    expect(chainStep('sha256:a', 'sha256:b')).toBe(
      'sha256:970a948bffa8de94d6e22d747ba8c95030e6e546909f98f54e99a13005e173a8',
    );
  });

  it('chains three identity strings', () => {
    const two = chainStep('sha256:a', 'sha256:b');
    expect(chainStep(two, 'sha256:c')).toBe(
      'sha256:dee159b33409cefa3f6eda71539f006014283e9d9130c18a1dea7bd8a33c9b1b',
    );
  });

  it('computes the image-spec config example', () => {
    const diffIds = [
      'sha256:c6f988f4874bb0add23a778f753c65efe992244e148a1d2ec2a8b664fb66bbd1',
      'sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef',
    ].map((d) => Digest.parse(d));
    expect(chainIds(diffIds).map(String)).toEqual([
      'sha256:c6f988f4874bb0add23a778f753c65efe992244e148a1d2ec2a8b664fb66bbd1',
      'sha256:c3191d32a37d7159b2e30830937d2e30268ad6c375a773a8994911a3aba9b93f',
    ]);
  });

  it.each([
    [1, EMPTY_LAYER_DIFF_ID.toString()],
    [2, 'sha256:170b376f64fb30995c140276be3d71dfb256b308d86183ca3b22aa93a79ad548'],
    [3, 'sha256:7800f80a93336d416612f372faa5f69eb67b353ce6ae9535fa0848f8784c74b1'],
  ])('stacks the empty-tar DiffID %i times', (count, top) => {
    expect(chainId(Array.from({ length: count }, () => EMPTY_LAYER_DIFF_ID)).toString()).toBe(top);
  });

  it('has no ChainID for an empty stack', () => {
    expect(chainIds([])).toEqual([]);
    expect(() => chainId([])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
