import { Injectable } from '@nestjs/common';
import { COMMIT_CONTAINER_V1, CommitResultV1 } from '@stevedore/contracts';
import { DomainError, assertTagTarget, parseReference } from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';

/** CommitCommand is `POST /commit`'s query and optional `Config` body. */
export interface CommitCommand {
  container: string;
  repo?: string;
  tag?: string;
  author?: string;
  comment?: string;
  changes: string[];
  pause: boolean;
  config?: Record<string, unknown>;
}

/**
 * commitTarget is dockerd's `RepoTagReference`: no repo, no name (an untagged image); else the
 * normalised name with `tag` (`latest` by default), a digest refused.
 */
export function commitTarget(repo?: string, tag?: string): string | undefined {
  if (repo === undefined || repo === '') return undefined;
  const named = assertTagTarget(parseReference(repo));
  return (tag ? named.withTag(tag) : named).normalized().toString();
}

/**
 * CommitContainerUseCase is `docker commit`: the target is validated here (400 before any work),
 * then the runtime turns the container's changes into a layer and records the image.
 */
@Injectable()
export class CommitContainerUseCase {
  constructor(private readonly bus: Bus) {}

  async execute(command: CommitCommand): Promise<CommitResultV1> {
    if (command.container === '') throw DomainError.notFound('No such container: ');
    const target = commitTarget(command.repo, command.tag);
    const reference = target === undefined ? {} : splitTarget(target);
    return this.bus.send<CommitResultV1>(
      COMMIT_CONTAINER_V1,
      {
        id: command.container,
        ...reference,
        ...(command.author ? { author: command.author } : {}),
        ...(command.comment ? { comment: command.comment } : {}),
        ...(command.changes.length > 0 ? { changes: command.changes } : {}),
        pause: command.pause,
        ...(command.config ? { config: command.config } : {}),
      },
      { timeoutMs: 10 * 60_000 },
    );
  }
}

/** splitTarget turns `name:tag` back into the contract's `repo` and `tag`. */
function splitTarget(target: string): { repo: string; tag: string } {
  const ref = parseReference(target);
  return { repo: ref.name, tag: ref.tag ?? 'latest' };
}
