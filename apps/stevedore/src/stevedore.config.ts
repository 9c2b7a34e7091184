import { IsIn, IsOptional, IsString, Matches, ValidateIf } from 'class-validator';
import { IsListenAddress, IsLogLevel, IsOptionalApiVersion, LogLevel } from '@stevedore/config';

/**
 * StevedoreConfig is the embedded topology's environment: one process with every service.
 * Registry settings (mirrors, insecure registries, credentials) come from the file
 * STEVEDORE_CONFIG names, in the shape of dockerd's daemon.json.
 */
export class StevedoreConfig {
  /** STEVEDORE_LISTEN is where the Docker Engine API and `/api/v1` listen (`host:port`). */
  @IsListenAddress()
  STEVEDORE_LISTEN = '127.0.0.1:2375';

  /**
   * STEVEDORE_REGISTRY_LISTEN is where the OCI distribution API (`/v2/`) listens (`host:port`), or
   * `off`. Beyond loopback it needs access control, or STEVEDORE_REGISTRY_INSECURE=1.
   */
  @ValidateIf((config: StevedoreConfig) => config.STEVEDORE_REGISTRY_LISTEN !== 'off')
  @IsListenAddress()
  STEVEDORE_REGISTRY_LISTEN = '127.0.0.1:5000';

  /** STEVEDORE_REGISTRY_INSECURE=1 lets `/v2/` listen beyond loopback without authentication. */
  @IsOptional()
  @IsIn(['0', '1', 'true', 'false'])
  STEVEDORE_REGISTRY_INSECURE?: string;

  /**
   * STEVEDORE_SOCKET is a unix socket to serve the Engine API on as well (`/run/stevedore.sock`,
   * or `unix:///run/stevedore.sock` as in DOCKER_HOST), like dockerd's `-H unix://...`; unset: TCP only.
   */
  @IsOptional()
  @Matches(/^(unix:\/\/)?\/[^\0]*$/, {
    message: 'must be an absolute socket path (or unix:///path)',
  })
  STEVEDORE_SOCKET?: string;

  /** STEVEDORE_DATA_ROOT holds the blob store and the SQLite metadata (default ./.stevedore, or data-root). */
  @IsOptional()
  @IsString()
  STEVEDORE_DATA_ROOT?: string;

  /** STEVEDORE_CONFIG is the path of the daemon.json-shaped configuration file. */
  @IsOptional()
  @IsString()
  STEVEDORE_CONFIG?: string;

  /**
   * DOCKER_MIN_API_VERSION is the oldest Engine API version served, as dockerd reads it; it wins
   * over the config file's `min-api-version` (default 1.22, what Debian's skopeo and podman send).
   */
  @IsOptionalApiVersion()
  DOCKER_MIN_API_VERSION?: string;

  /** STEVEDORE_LOG_LEVEL is the most verbose level logged: error, warn, info or debug. */
  @IsLogLevel()
  STEVEDORE_LOG_LEVEL: LogLevel = 'info';
}
