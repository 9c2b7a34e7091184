import { DynamicModule, Inject, Module, OnApplicationShutdown, Provider } from '@nestjs/common';
import {
  BATCH_STORE,
  BLOB_LINK_STORE,
  BatchStore,
  BlobLinkStore,
  CONTENT_LEASE_STORE,
  ContentLeaseStore,
  METADATA_STORE,
  MetadataStore,
  SqliteBatchStore,
  SqliteBlobLinkStore,
  SqliteContentLeaseStore,
  SqliteMetadataStore,
  connectMongoBatchStore,
  connectMongoBlobLinkStore,
  connectMongoContentLeaseStore,
  connectMongoMetadataStore,
} from '@stevedore/metadata-store';
import { BatchHandler } from './batch.handler';
import { BlobLinkHandler } from './blob-link.handler';
import { BLOB_LINK_USE_CASES } from './use-cases/blob-links/blob-link.use-cases';
import { ContentHandler } from './content.handler';
import { CONTENT_USE_CASES } from './use-cases/content-leases/content-use-cases';
import { DownloadHandler } from './download.handler';
import { BATCH_USE_CASES } from './use-cases/batches/batch.use-cases';
import { DOWNLOAD_USE_CASES } from './use-cases/downloads/download.use-cases';
import { MetadataHandler } from './metadata.handler';
import { RepositoryManifestHandler } from './repository-manifest.handler';
import { REPOSITORY_MANIFEST_USE_CASES } from './use-cases/repository-manifests/repository-manifest.use-cases';
import { EngineHandler } from './engine.handler';
import {
  ENGINE_DATA_ROOT,
  EngineIdentityUseCase,
} from './use-cases/engine-identity/engine-identity.use-case';
import { Clock } from './support/clock';
import { ImageFinder } from './support/image-finder';
import { GetImageUseCase } from './use-cases/get-image/get-image.use-case';
import { ListImageSummariesUseCase } from './use-cases/list-image-summaries/list-image-summaries.use-case';
import { ListImagesUseCase } from './use-cases/list-images/list-images.use-case';
import { RecordImageUseCase } from './use-cases/record-image/record-image.use-case';
import { RecordPresentImageUseCase } from './use-cases/record-image/record-present-image.use-case';
import { RemoveImageUseCase } from './use-cases/remove-image/remove-image.use-case';
import { TagImageUseCase } from './use-cases/tag-image/tag-image.use-case';

/** MetadataStoreConfig chooses the database: a SQLite file (or `:memory:`), or a MongoDB replica set. */
export type MetadataStoreConfig = { kind: 'sqlite'; path: string } | { kind: 'mongo'; url: string };

/** MetadataServiceOptions configure {@link MetadataServiceModule.forRoot}. */
export interface MetadataServiceOptions {
  store: MetadataStoreConfig;
  /** The data root, where the engine id (`docker info`'s `ID`) is kept. */
  dataRoot: string;
}

/** openMetadataStore opens the store `config` names (migrating SQLite, connecting to MongoDB). */
export async function openMetadataStore(config: MetadataStoreConfig): Promise<MetadataStore> {
  return config.kind === 'sqlite'
    ? SqliteMetadataStore.open(config.path)
    : connectMongoMetadataStore(config.url);
}

/** openBatchStore opens the batch tables: SQLite beside the images, or MongoDB for replicated metadata. */
async function openBatchStore(config: MetadataStoreConfig): Promise<BatchStore> {
  return config.kind === 'sqlite'
    ? SqliteBatchStore.open(config.path)
    : connectMongoBatchStore(config.url);
}

/** openContentLeaseStore opens the content leases and GC marks, in the same database as the images. */
async function openContentLeaseStore(config: MetadataStoreConfig): Promise<ContentLeaseStore> {
  return config.kind === 'sqlite'
    ? SqliteContentLeaseStore.open(config.path)
    : connectMongoContentLeaseStore(config.url);
}

/** openBlobLinkStore opens the per-repository blob links, in the same database as the images. */
async function openBlobLinkStore(config: MetadataStoreConfig): Promise<BlobLinkStore> {
  return config.kind === 'sqlite'
    ? SqliteBlobLinkStore.open(config.path)
    : connectMongoBlobLinkStore(config.url);
}

const USE_CASES: Provider[] = [
  ...BLOB_LINK_USE_CASES,
  ...CONTENT_USE_CASES,
  ...BATCH_USE_CASES,
  ...DOWNLOAD_USE_CASES,
  ...REPOSITORY_MANIFEST_USE_CASES,
  RecordImageUseCase,
  RecordPresentImageUseCase,
  ListImagesUseCase,
  ListImageSummariesUseCase,
  GetImageUseCase,
  TagImageUseCase,
  RemoveImageUseCase,
  EngineIdentityUseCase,
];

/**
 * MetadataServiceModule is the metadata service: the `metadata.*` message handlers, their
 * use-cases, and the store they share, opened at start-up and closed at shutdown.
 */
@Module({})
export class MetadataServiceModule implements OnApplicationShutdown {
  constructor(
    @Inject(METADATA_STORE) private readonly store: MetadataStore,
    @Inject(BATCH_STORE) private readonly batches: BatchStore,
    @Inject(CONTENT_LEASE_STORE) private readonly leases: ContentLeaseStore,
    @Inject(BLOB_LINK_STORE) private readonly links: BlobLinkStore,
  ) {}

  /** MetadataServiceModule.forRoot wires the service onto the store `options.store` describes. */
  static forRoot(options: MetadataServiceOptions): DynamicModule {
    return {
      module: MetadataServiceModule,
      controllers: [
        MetadataHandler,
        RepositoryManifestHandler,
        BatchHandler,
        ContentHandler,
        BlobLinkHandler,
        DownloadHandler,
        EngineHandler,
      ],
      providers: [
        { provide: METADATA_STORE, useFactory: () => openMetadataStore(options.store) },
        { provide: BATCH_STORE, useFactory: () => openBatchStore(options.store) },
        { provide: CONTENT_LEASE_STORE, useFactory: () => openContentLeaseStore(options.store) },
        { provide: BLOB_LINK_STORE, useFactory: () => openBlobLinkStore(options.store) },
        { provide: ENGINE_DATA_ROOT, useValue: options.dataRoot },
        Clock,
        ImageFinder,
        ...USE_CASES,
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.links.close();
    await this.leases.close();
    await this.batches.close();
    await this.store.close();
  }
}
