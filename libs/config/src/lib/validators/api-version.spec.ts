import { ConfigError } from '../config-error';
import { validateConfig } from '../validate-config';
import { IsOptionalApiVersion } from './api-version';

class FloorConfig {
  @IsOptionalApiVersion()
  DOCKER_MIN_API_VERSION?: string;
}

describe('IsOptionalApiVersion', () => {
  it('takes an absent value or X.Y', () => {
    expect(validateConfig(FloorConfig, {}).DOCKER_MIN_API_VERSION).toBeUndefined();
    const config = validateConfig(FloorConfig, { DOCKER_MIN_API_VERSION: '1.24' });
    expect(config.DOCKER_MIN_API_VERSION).toBe('1.24');
  });

  it.each(['v1.24', '1', '1.24.0', 'latest'])('refuses %p, saying what it wants', (value) => {
    const bad = () => validateConfig(FloorConfig, { DOCKER_MIN_API_VERSION: value });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(/DOCKER_MIN_API_VERSION.*must be an API version such as "1.24"/);
  });
});
