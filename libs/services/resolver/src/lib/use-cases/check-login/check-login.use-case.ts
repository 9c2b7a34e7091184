import { Injectable } from '@nestjs/common';
import type { CheckLoginV1, LoginResultV1 } from '@stevedore/contracts';
import { RegistryClient, staticCredentials } from '@stevedore/registry-client';

/**
 * CheckLoginUseCase is `docker login`: it proves the credentials against the registry (an
 * authenticated `GET /v2/`, through its token server when it has one). Nothing is kept: the CLI
 * stores the credentials and sends them with later requests.
 */
@Injectable()
export class CheckLoginUseCase {
  constructor(private readonly registry: RegistryClient) {}

  async execute(request: CheckLoginV1): Promise<LoginResultV1> {
    const credentials = staticCredentials({
      [request.registry]: { username: request.username, password: request.password },
    });
    await this.registry.withCredentials(credentials).checkLogin(request.registry);
    return { status: 'Login Succeeded' };
  }
}
