import { Connection, Model, Schema } from 'mongoose';
import type { ImageManifestRecord } from '@stevedore/contracts';

/** ImageDoc is an image in the `images` collection; `blobs` lists every digest it refers to (multikey index). */
export interface ImageDoc {
  _id: string;
  created: string;
  addedAt: string;
  lastTagTime?: string;
  size: number;
  // Label keys contain dots (`org.opencontainers.image.version`), which Mongo field names should not.
  labels: { key: string; value: string }[];
  os: string;
  architecture: string;
  variant?: string;
  configJson: string;
  manifests: ImageManifestRecord[];
  blobs: string[];
}

/** RefDoc is one reference in the `refs` collection: `_id` is the fully qualified `name:tag` or `name@digest`. */
export interface RefDoc {
  _id: string;
  kind: 'tag' | 'digest';
  imageId: string;
}

const opts = { _id: false, versionKey: false, strict: 'throw' } as const;

const descriptorSchema = new Schema(
  {
    mediaType: { type: String, required: true },
    digest: { type: String, required: true },
    size: { type: Number, required: true },
  },
  opts,
);

const manifestSchema = new Schema<ImageManifestRecord>(
  {
    digest: { type: String, required: true },
    mediaType: { type: String, required: true },
    size: { type: Number, required: true },
    indexDigest: { type: String },
    platform: {
      type: new Schema(
        {
          os: { type: String, required: true },
          architecture: { type: String, required: true },
          variant: String,
        },
        opts,
      ),
      required: true,
    },
    config: { type: descriptorSchema, required: true },
    layers: { type: [descriptorSchema], default: [] },
  },
  opts,
);

const imageSchema = new Schema<ImageDoc>(
  {
    _id: { type: String, required: true },
    created: { type: String, required: true },
    addedAt: { type: String, required: true },
    lastTagTime: { type: String },
    size: { type: Number, required: true },
    labels: {
      type: [
        new Schema(
          { key: { type: String, required: true }, value: { type: String, default: '' } },
          opts,
        ),
      ],
      default: [],
    },
    os: { type: String, required: true },
    architecture: { type: String, required: true },
    variant: { type: String },
    configJson: { type: String, required: true },
    manifests: { type: [manifestSchema], default: [] },
    blobs: { type: [String], default: [], index: true },
  },
  { collection: 'images', versionKey: false, strict: 'throw' },
);

const refSchema = new Schema<RefDoc>(
  {
    _id: { type: String, required: true },
    kind: { type: String, enum: ['tag', 'digest'], required: true },
    imageId: { type: String, required: true, index: true },
  },
  { collection: 'refs', versionKey: false, strict: 'throw' },
);

/**
 * ManifestDoc is a repository manifest in the `manifests` collection: `_id` is
 * `<repository>@<digest>`; annotations as JSON text (their keys hold dots); `blobs` multikey
 * indexed for GC; `seq` orders the referrers list as recorded.
 */
export interface ManifestDoc {
  _id: string;
  repository: string;
  digest: string;
  mediaType: string;
  size: number;
  artifactType?: string;
  subject?: string;
  annotationsJson?: string;
  imageId?: string;
  blobs: string[];
  /** Tags of the repository that name this manifest. */
  tags: string[];
  seq: number;
}

const manifestDocSchema = new Schema<ManifestDoc>(
  {
    _id: { type: String, required: true },
    repository: { type: String, required: true },
    digest: { type: String, required: true },
    mediaType: { type: String, required: true },
    size: { type: Number, required: true },
    artifactType: { type: String },
    subject: { type: String },
    annotationsJson: { type: String },
    imageId: { type: String, index: true, sparse: true },
    blobs: { type: [String], default: [], index: true },
    tags: { type: [String], default: [] },
    seq: { type: Number, required: true },
  },
  { collection: 'manifests', versionKey: false, strict: 'throw' },
);
manifestDocSchema.index({ repository: 1, subject: 1, artifactType: 1, seq: 1 });
manifestDocSchema.index({ repository: 1, tags: 1 });

/** MetadataModels are the models of the metadata store, all bound to one connection. */
export interface MetadataModels {
  images: Model<ImageDoc>;
  refs: Model<RefDoc>;
  manifests: Model<ManifestDoc>;
}

/** registerMetadataModels registers the store's models on `connection`, never on mongoose's global one. */
export function registerMetadataModels(connection: Connection): MetadataModels {
  return {
    images: modelOn(connection, 'Image', imageSchema),
    refs: modelOn(connection, 'Ref', refSchema),
    manifests: modelOn(connection, 'RepositoryManifest', manifestDocSchema),
  };
}

/**
 * createMetadataModels registers the models (see {@link registerMetadataModels}) and makes sure
 * their collections and indexes exist — a transaction cannot create them.
 */
export async function createMetadataModels(connection: Connection): Promise<MetadataModels> {
  const models = registerMetadataModels(connection);
  await Promise.all([models.images.init(), models.refs.init(), models.manifests.init()]);
  return models;
}

// A second store on the same connection reuses the models instead of redefining them (which throws).
function modelOn<T>(connection: Connection, name: string, schema: Schema<T>): Model<T> {
  return connection.modelNames().includes(name)
    ? connection.model<T>(name)
    : connection.model<T>(name, schema);
}
