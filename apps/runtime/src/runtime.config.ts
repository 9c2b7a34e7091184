import { IsOptional, IsString, Matches } from 'class-validator';
import {
  IsAmqpUrl,
  IsBlobstoreUrls,
  IsInternalToken,
  IsListenAddress,
  IsLogLevel,
  LogLevel,
  Sensitive,
} from '@stevedore/config';

/** RuntimeConfig is the runtime service's environment (cluster topology: one runtime per host). */
export class RuntimeConfig {
  /** AMQP_URL is the RabbitMQ broker (`amqp://` or `amqps://`); its password never appears in errors. */
  @IsAmqpUrl()
  AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

  /** STEVEDORE_BLOBSTORE_URL is the blobstore's internal endpoint (several replicas: comma-separated), where layers are read from and committed layers go. */
  @IsBlobstoreUrls()
  STEVEDORE_BLOBSTORE_URL = 'http://127.0.0.1:2380';

  /** STEVEDORE_DATA_ROOT holds this host's containers, snapshots, volumes and runc/conmon/CNI state: local to the host, never shared. */
  @IsString()
  STEVEDORE_DATA_ROOT = './.stevedore';

  /** STEVEDORE_INTERNAL_LISTEN is where the internal endpoint serves the gateways the container streams (attach, exec, logs, cp, export). */
  @IsListenAddress()
  STEVEDORE_INTERNAL_LISTEN = '127.0.0.1:2382';

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
   * STEVEDORE_INTERNAL_TOKEN is the secret the cluster's services share: its internal endpoint requires and it presents to the blobstore
   * (`Authorization: Bearer`). No default: without it the process refuses to start.
   */
  @Sensitive()
  @IsInternalToken()
  STEVEDORE_INTERNAL_TOKEN!: string;

  /** STEVEDORE_LOG_LEVEL is the most verbose level logged: error, warn, info or debug. */
  @IsLogLevel()
  STEVEDORE_LOG_LEVEL: LogLevel = 'info';
}
