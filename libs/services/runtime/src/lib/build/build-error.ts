/**
 * BuildError is a step's failure as dockerd reports it in the stream: its message, and for a
 * failing RUN the exit code (`errorDetail.code`).
 */
export class BuildError extends Error {
  constructor(
    message: string,
    readonly code?: number,
  ) {
    super(message);
    this.name = 'BuildError';
  }
}
