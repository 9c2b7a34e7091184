import { IsOptional, IsString, Matches } from 'class-validator';
import { IsAmqpUrl, IsListenAddress, IsLogLevel, LogLevel, Sensitive } from '@stevedore/config';

/** MetadataConfig is the metadata service's environment (cluster topology). */
export class MetadataConfig {
  /** AMQP_URL is the RabbitMQ broker (`amqp://` or `amqps://`); its password never appears in errors. */
  @IsAmqpUrl()
  AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

  /** STEVEDORE_DATA_ROOT holds the SQLite database (`metadata.db`) when MONGODB_URL is not set. */
  @IsString()
  STEVEDORE_DATA_ROOT = './.stevedore';

  /** MONGODB_URL switches the store to MongoDB (for several metadata replicas). */
  @IsOptional()
  @Sensitive()
  @Matches(/^mongodb(\+srv)?:\/\//, { message: 'must be a mongodb:// or mongodb+srv:// URL' })
  MONGODB_URL?: string;

  /** STEVEDORE_BUS_NAMESPACE prefixes every queue name, so deployments (or test runs) can share one broker. */
  @Matches(/^[a-z0-9][a-z0-9_.-]{0,62}$/, {
    message: 'must be lower-case letters, digits, ".", "_" or "-"',
  })
  STEVEDORE_BUS_NAMESPACE = 'stevedore';

  /** STEVEDORE_HEALTH_LISTEN is where `/healthz`, `/readyz` and `/metrics` are served (`host:port`); off when unset. */
  @IsOptional()
  @IsListenAddress()
  STEVEDORE_HEALTH_LISTEN?: string;

  /** STEVEDORE_LOG_LEVEL is the most verbose level logged: error, warn, info or debug. */
  @IsLogLevel()
  STEVEDORE_LOG_LEVEL: LogLevel = 'info';
}
