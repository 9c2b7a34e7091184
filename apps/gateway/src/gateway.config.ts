import { IsListenAddress, IsLogLevel, LogLevel } from '@stevedore/config';

/**
 * GatewayConfig is the gateway's environment: where the Docker Engine API listens and the log
 * level. Nothing else is read; validate it with `loadConfigOrExit(GatewayConfig, 'gateway')`.
 */
export class GatewayConfig {
  /**
   * STEVEDORE_LISTEN is the `host:port` to serve on (`[::1]:2375` for IPv6, port 0 for any free
   * port). Loopback by default: the Engine API has no authentication, like Docker's own TCP socket.
   */
  @IsListenAddress()
  STEVEDORE_LISTEN = '127.0.0.1:2375';

  /** STEVEDORE_LOG_LEVEL is the most verbose level logged: error, warn, info or debug. */
  @IsLogLevel()
  STEVEDORE_LOG_LEVEL: LogLevel = 'info';
}
