import { Injectable } from '@nestjs/common';
import {
  BatchListV1,
  BatchRecord,
  CANCEL_BATCH_V1,
  CREATE_BATCH_V1,
  GET_BATCH_V1,
  LIST_BATCHES_V1,
  LIST_TAGS_V1,
  MAX_BATCH_ITEMS,
  RUN_BATCH_ITEM_V1,
  TagListV1,
} from '@stevedore/contracts';
import { DomainError, Reference, parseReference } from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';
import { BatchSpec, selectTags } from './expand-batch';

const LIST_TAGS_TIMEOUT_MS = 120_000;

/**
 * BatchesUseCases run the native batch API: expand a request into references (tag listings for
 * `allTags` and sync specs), record the batch, and queue one durable work item per image for the
 * fetchers; read, list and cancel batches.
 */
@Injectable()
export class BatchesUseCases {
  constructor(private readonly bus: Bus) {}

  async create(spec: BatchSpec, platform?: string): Promise<BatchRecord> {
    const references = await this.expand(spec);
    if (references.length === 0)
      throw DomainError.invalidArgument('the batch selects no image (no tag matched)');
    if (references.length > MAX_BATCH_ITEMS)
      throw DomainError.invalidArgument(`a batch holds at most ${MAX_BATCH_ITEMS} images`);
    const batch = await this.bus.send<BatchRecord>(CREATE_BATCH_V1, {
      references,
      ...(platform ? { platform } : {}),
    });
    for (const item of batch.items) {
      await this.bus.emit(RUN_BATCH_ITEM_V1, {
        batchId: batch.id,
        index: item.index,
        reference: item.reference,
        ...(platform ? { platform } : {}),
      });
    }
    return batch;
  }

  get(id: string): Promise<BatchRecord> {
    return this.bus.send<BatchRecord>(GET_BATCH_V1, { id: uuid(id) });
  }

  async list(): Promise<BatchRecord[]> {
    return (await this.bus.send<BatchListV1>(LIST_BATCHES_V1, {})).batches;
  }

  cancel(id: string): Promise<BatchRecord> {
    return this.bus.send<BatchRecord>(CANCEL_BATCH_V1, { id: uuid(id) });
  }

  private async expand(spec: BatchSpec): Promise<string[]> {
    if (spec.kind === 'sync') {
      const tags = await this.tagsOf(spec.repository);
      return selectTags(tags, spec.include, spec.exclude, spec.semver).map((t) =>
        spec.repository.withTag(t).toString(),
      );
    }
    const refs = spec.images.map((image) => parseReference(image));
    if (!spec.allTags) return unique(refs.map((r) => r.normalized().toString()));
    const expanded: string[] = [];
    for (const ref of refs)
      expanded.push(
        ...(await this.tagsOf(ref.repository())).map((t) => ref.repository().withTag(t).toString()),
      );
    return unique(expanded);
  }

  private async tagsOf(repository: Reference): Promise<string[]> {
    const listed = await this.bus.send<TagListV1>(
      LIST_TAGS_V1,
      { repository: repository.name },
      { timeoutMs: LIST_TAGS_TIMEOUT_MS },
    );
    return listed.tags;
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function uuid(id: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id))
    throw DomainError.notFound(`no such batch: ${id}`);
  return id;
}
