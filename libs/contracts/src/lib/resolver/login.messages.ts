import { IsString, MaxLength } from 'class-validator';

export const CHECK_LOGIN_V1 = 'resolver.registry.login.v1' as const;
/** Checks credentials against a registry (`docker login`). Secret: the password is never logged or stored. */
export class CheckLoginV1 {
  /** `host[:port]`, or `docker.io`. */
  @IsString() @MaxLength(255) registry!: string;
  @IsString() @MaxLength(1024) username!: string;
  @IsString() @MaxLength(16_384) password!: string;
}
export interface LoginResultV1 {
  status: 'Login Succeeded';
}
