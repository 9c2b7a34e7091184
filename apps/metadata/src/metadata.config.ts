import { IsString } from 'class-validator';
import { IsAmqpUrl, IsLogLevel, LogLevel } from '@stevedore/config';

/**
 * MetadataConfig is the metadata service's environment: the RabbitMQ broker it talks to, where it keeps its data
 * and its log level. Nothing else is read; validate it with `loadConfigOrExit(MetadataConfig, 'metadata')`.
 */
export class MetadataConfig {
  /** AMQP_URL is the RabbitMQ broker (`amqp://` or `amqps://`); its password never appears in errors. */
  @IsAmqpUrl()
  AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

  /** STEVEDORE_DATA_ROOT is where the service keeps its state (relative to the working directory). */
  @IsString()
  STEVEDORE_DATA_ROOT = './.stevedore';

  /** STEVEDORE_LOG_LEVEL is the most verbose level logged: error, warn, info or debug. */
  @IsLogLevel()
  STEVEDORE_LOG_LEVEL: LogLevel = 'info';
}
