import { IsInt, IsObject, IsString, Matches, Min } from 'class-validator';
import { ContainerRefV1 } from './container.messages';

const EXEC_ID = /^[a-f0-9]{64}$/;

export const CREATE_EXEC_V1 = 'runtime.exec.create.v1' as const;
/** `POST /containers/{id}/exec`: `config` is the Engine API's ExecConfig as the client sent it. */
export class CreateExecV1 extends ContainerRefV1 {
  @IsObject() config!: Record<string, unknown>;
}

export class ExecRefV1 {
  @IsString() @Matches(EXEC_ID, { message: 'invalid exec ID' }) execId!: string;
}

export const INSPECT_EXEC_V1 = 'runtime.exec.inspect.v1' as const;

export const RESIZE_EXEC_V1 = 'runtime.exec.resize.v1' as const;
export class ResizeExecV1 extends ExecRefV1 {
  @IsInt() @Min(0) height!: number;
  @IsInt() @Min(0) width!: number;
}
