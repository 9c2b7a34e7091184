import { IsAmqpUrl, IsLogLevel, LogLevel } from '@stevedore/config';

/**
 * ExporterConfig is the exporter service's environment: the RabbitMQ broker it talks to
 * and its log level. Nothing else is read; validate it with `loadConfigOrExit(ExporterConfig, 'exporter')`.
 */
export class ExporterConfig {
  /** AMQP_URL is the RabbitMQ broker (`amqp://` or `amqps://`); its password never appears in errors. */
  @IsAmqpUrl()
  AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

  /** STEVEDORE_LOG_LEVEL is the most verbose level logged: error, warn, info or debug. */
  @IsLogLevel()
  STEVEDORE_LOG_LEVEL: LogLevel = 'info';
}
