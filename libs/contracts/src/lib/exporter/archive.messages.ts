import { ArrayMinSize, IsArray, IsString } from 'class-validator';

export const PLAN_ARCHIVE_V1 = 'exporter.archive.plan.v1' as const;
/**
 * Plans a `docker save` archive for the named images: the exporter answers with the list of
 * tar entries, each either small inline text (manifest.json, index.json, …) or a blob by digest
 * that the writer streams from the blob store. No blob bytes cross the bus.
 */
export class PlanArchiveV1 {
  @IsArray() @ArrayMinSize(1) @IsString({ each: true }) images!: string[];
}

export type ArchiveEntryV1 =
  | { path: string; kind: 'text'; text: string }
  | { path: string; kind: 'blob'; digest: string; size: number }
  | { path: string; kind: 'dir' };

export interface ArchivePlanV1 {
  entries: ArchiveEntryV1[];
}
