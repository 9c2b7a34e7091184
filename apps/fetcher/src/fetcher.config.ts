import { IsOptional, IsString, Matches } from 'class-validator';
import {
  IsAmqpUrl,
  IsInternalToken,
  IsBlobstoreUrls,
  IsListenAddress,
  IsLogLevel,
  LogLevel,
  Sensitive,
} from '@stevedore/config';

/** FetcherConfig is the fetcher service's environment (cluster topology). */
export class FetcherConfig {
  /** AMQP_URL is the RabbitMQ broker (`amqp://` or `amqps://`); its password never appears in errors. */
  @IsAmqpUrl()
  AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

  /** STEVEDORE_BLOBSTORE_URL is the blobstore's internal endpoint (several replicas: comma-separated), where blob bytes go and come from. */
  @IsBlobstoreUrls()
  STEVEDORE_BLOBSTORE_URL = 'http://127.0.0.1:2380';

  /**
   * STEVEDORE_DATA_ROOT, when set, is the blob store's own data root, shared with this fetcher (the
   * same host or a shared filesystem): the fetcher then writes blobs into it itself, under the blob
   * store's rules (ingest locks, one verification, fsync, atomic rename), so the bytes cross no
   * second process. Unset, they stream to the blobstore's internal endpoint.
   */
  @IsOptional()
  @IsString()
  STEVEDORE_DATA_ROOT?: string;

  /** STEVEDORE_CONFIG is the daemon.json-shaped file with registry mirrors, insecure registries, credentials. */
  @IsOptional()
  @IsString()
  STEVEDORE_CONFIG?: string;

  /** STEVEDORE_BUS_NAMESPACE prefixes every queue name, so deployments (or test runs) can share one broker. */
  @Matches(/^[a-z0-9][a-z0-9_.-]{0,62}$/, {
    message: 'must be lower-case letters, digits, ".", "_" or "-"',
  })
  STEVEDORE_BUS_NAMESPACE = 'stevedore';

  /** STEVEDORE_HEALTH_LISTEN is where `/healthz`, `/readyz` and `/metrics` are served (`host:port`); off when unset. */
  @IsOptional()
  @IsListenAddress()
  STEVEDORE_HEALTH_LISTEN?: string;

  /**
   * STEVEDORE_INTERNAL_TOKEN is the secret the cluster's services share: it presents to the blobstore
   * (`Authorization: Bearer`). No default: without it the process refuses to start.
   */
  @Sensitive()
  @IsInternalToken()
  STEVEDORE_INTERNAL_TOKEN!: string;

  /** STEVEDORE_LOG_LEVEL is the most verbose level logged: error, warn, info or debug. */
  @IsLogLevel()
  STEVEDORE_LOG_LEVEL: LogLevel = 'info';
}
