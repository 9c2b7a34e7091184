import { IsIn, IsOptional, IsString, Matches, ValidateIf } from 'class-validator';
import {
  IsAmqpUrl,
  IsBlobstoreUrls,
  IsInternalToken,
  IsListenAddress,
  IsLogLevel,
  IsOptionalApiVersion,
  IsUrlList,
  LogLevel,
  Sensitive,
} from '@stevedore/config';

/**
 * GatewayConfig is the gateway's environment: where the Docker Engine API listens, the broker, the
 * exporter, the API floor and the log level. Nothing else is read; validate it with
 * `loadConfigOrExit(GatewayConfig, 'gateway')`.
 */
export class GatewayConfig {
  /**
   * STEVEDORE_LISTEN is the `host:port` to serve on (`[::1]:2375` for IPv6, port 0 for any free
   * port). Loopback by default: the Engine API has no authentication, like Docker's own TCP socket.
   */
  @IsListenAddress()
  STEVEDORE_LISTEN = '127.0.0.1:2375';

  /**
   * STEVEDORE_REGISTRY_LISTEN is where the OCI distribution API (`/v2/`) listens (`host:port`), or
   * `off`; start:cluster gives extra gateways the next ports. Beyond loopback it needs access
   * control, or STEVEDORE_REGISTRY_INSECURE=1.
   */
  @ValidateIf((config: GatewayConfig) => config.STEVEDORE_REGISTRY_LISTEN !== 'off')
  @IsListenAddress()
  STEVEDORE_REGISTRY_LISTEN = '127.0.0.1:5000';

  /** STEVEDORE_REGISTRY_INSECURE=1 lets `/v2/` listen beyond loopback without authentication. */
  @IsOptional()
  @IsIn(['0', '1', 'true', 'false'])
  STEVEDORE_REGISTRY_INSECURE?: string;

  /** STEVEDORE_BLOBSTORE_URL is the blobstore's internal endpoint (comma-separated replicas): `/v2/` streams blobs to and from it. */
  @IsBlobstoreUrls()
  STEVEDORE_BLOBSTORE_URL = 'http://127.0.0.1:2380';

  /**
   * STEVEDORE_SOCKET is a unix socket to serve the Engine API on as well (`/run/stevedore.sock`,
   * or `unix:///run/stevedore.sock` as in DOCKER_HOST), like dockerd's `-H unix://...`; unset: TCP only.
   */
  @IsOptional()
  @Matches(/^(unix:\/\/)?\/[^\0]*$/, {
    message: 'must be an absolute socket path (or unix:///path)',
  })
  STEVEDORE_SOCKET?: string;

  /** AMQP_URL is the RabbitMQ broker the services listen on; its password never appears in errors. */
  @IsAmqpUrl()
  AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

  /** STEVEDORE_EXPORTER_URL is the exporter's internal endpoint (several replicas: comma-separated); load, import and save stream to and from it. */
  @IsUrlList('http://127.0.0.1:2381')
  STEVEDORE_EXPORTER_URL = 'http://127.0.0.1:2381';

  /**
   * STEVEDORE_RUNTIME_URL is the runtimes' internal endpoints (one per host, comma-separated):
   * attach, exec, logs, `docker cp` and export stream to and from the runtime that owns the container.
   */
  @IsUrlList('http://127.0.0.1:2382')
  STEVEDORE_RUNTIME_URL = 'http://127.0.0.1:2382';

  /** STEVEDORE_BUS_NAMESPACE prefixes every queue name, so deployments (or test runs) can share one broker. */
  @Matches(/^[a-z0-9][a-z0-9_.-]{0,62}$/, {
    message: 'must be lower-case letters, digits, ".", "_" or "-"',
  })
  STEVEDORE_BUS_NAMESPACE = 'stevedore';

  /**
   * STEVEDORE_INTERNAL_TOKEN is the secret the cluster's services share: it presents to the exporter and the runtimes
   * (`Authorization: Bearer`). No default: without it the process refuses to start.
   */
  @Sensitive()
  @IsInternalToken()
  STEVEDORE_INTERNAL_TOKEN!: string;

  /** STEVEDORE_CONFIG is the daemon.json-shaped file; the gateway reads its `min-api-version`. */
  @IsOptional()
  @IsString()
  STEVEDORE_CONFIG?: string;

  /** DOCKER_MIN_API_VERSION lowers or raises the API floor as for dockerd, over `min-api-version`. */
  @IsOptionalApiVersion()
  DOCKER_MIN_API_VERSION?: string;

  /** STEVEDORE_LOG_LEVEL is the most verbose level logged: error, warn, info or debug. */
  @IsLogLevel()
  STEVEDORE_LOG_LEVEL: LogLevel = 'info';
}
