import { Body, Controller, HttpCode, HttpException, Post, UseFilters } from '@nestjs/common';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { CHECK_LOGIN_V1, LoginResultV1 } from '@stevedore/contracts';
import { DomainError, isDomainError } from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';
import { EngineExceptionFilter } from '../../engine/engine-exception.filter';
import { serverAddressParam } from '../../engine/request-params';

/** The body `docker login` sends to `POST /auth`. */
export class AuthConfigDto {
  /** The daemon decodes this body into Go's `registry.AuthConfig`, which its errors name. */
  static readonly goType = 'registry.AuthConfig';
  @IsOptional() @IsString() @MaxLength(1024) username?: string;
  @IsOptional() @IsString() @MaxLength(16_384) password?: string;
  @IsOptional() @IsString() @MaxLength(1024) serveraddress?: string;
  @IsOptional() @IsString() email?: string;
  @IsOptional() @IsString() auth?: string;
  @IsOptional() @IsString() identitytoken?: string;
  @IsOptional() @IsString() registrytoken?: string;
}

/** registryOf turns the CLI's `serveraddress` into a registry host (`https://index.docker.io/v1/` is Docker Hub). */
export function registryOf(serveraddress: string | undefined): string {
  const raw = (serveraddress ?? '').trim();
  if (
    raw === '' ||
    /^(https?:\/\/)?(index\.)?docker\.io(\/v1\/?)?$/.test(raw) ||
    raw === 'registry-1.docker.io'
  )
    return 'docker.io';
  return raw.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
}

/**
 * EngineAuthController is `docker login` (`POST /auth`): the registry checks the credentials and
 * the answer is Docker's `{"Status":"Login Succeeded"}`; wrong ones get dockerd's message and status
 * (made by the registry client): the registry's refusal of `/v2/` is a 500 `login attempt to
 * <origin>/v2/ failed with status: …` (untyped in dockerd's loginV2), a token server's a 401
 * `Get "<origin>/v2/": unauthorized: …`; the CLI prints either and exits 1. Nothing is stored.
 */
@UseFilters(EngineExceptionFilter)
@Controller()
export class EngineAuthController {
  constructor(private readonly bus: Bus) {}

  @Post('auth')
  @HttpCode(200)
  async login(@Body() body: AuthConfigDto): Promise<{ Status: string; IdentityToken: string }> {
    if (!body.username || !body.password)
      throw DomainError.invalidArgument('a username and a password are required to log in');
    const registry = registryOf(serverAddressParam(body.serveraddress));
    try {
      const result = await this.bus.send<LoginResultV1>(CHECK_LOGIN_V1, {
        registry,
        username: body.username,
        password: body.password,
      });
      return { Status: result.status, IdentityToken: '' };
    } catch (err) {
      if (isDomainError(err) && (err.code === 'UNAUTHORIZED' || err.code === 'DENIED'))
        // dockerd types a token server's refusal (401) but not the registry's own (500).
        throw new HttpException(err.message, err.details?.['refused'] === 'token' ? 401 : 500);
      throw err;
    }
  }
}
