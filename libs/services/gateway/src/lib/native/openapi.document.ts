const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const imageRef = {
  name: 'ref',
  in: 'path',
  required: true,
  description: 'Reference (`busybox:latest`) or image ID / ID prefix',
  schema: { type: 'string' },
};
const error = { description: 'Error', content: { 'application/json': { schema: ref('Error') } } };
const batchId = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'Batch id (UUID)',
  schema: { type: 'string', format: 'uuid' },
};
const batch = { description: 'Batch', content: { 'application/json': { schema: ref('Batch') } } };

/** OPENAPI_DOCUMENT describes `/api/v1` (OpenAPI 3.1). */
export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: { title: 'Stevedore native API', version: '1.0.0' },
  paths: {
    '/api/v1/pulls': {
      post: {
        summary:
          'Pull an image; streams newline-delimited JSON progress events, then the image record',
        parameters: [
          {
            name: 'X-Registry-Auth',
            in: 'header',
            required: false,
            schema: { type: 'string' },
            description: 'base64url JSON credentials, as the Engine API',
          },
        ],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: ref('PullRequest') } },
        },
        responses: {
          '200': {
            description: 'Progress stream',
            content: { 'application/x-ndjson': { schema: ref('PullEvent') } },
          },
          '400': error,
        },
      },
    },
    '/api/v1/images': {
      get: {
        summary: 'List images',
        responses: {
          '200': {
            description: 'Images',
            content: { 'application/json': { schema: { type: 'array', items: ref('Image') } } },
          },
        },
      },
    },
    '/api/v1/images/{ref}': {
      get: {
        summary: 'Inspect an image',
        parameters: [imageRef],
        responses: {
          '200': {
            description: 'Image',
            content: { 'application/json': { schema: ref('Image') } },
          },
          '404': error,
        },
      },
      delete: {
        summary: "Remove a tag or an image (Docker's rmi semantics)",
        parameters: [
          imageRef,
          { name: 'force', in: 'query', required: false, schema: { type: 'boolean' } },
        ],
        responses: {
          '200': { description: 'Untagged and deleted items' },
          '404': error,
          '409': error,
        },
      },
    },
    '/api/v1/images/{ref}/archive': {
      get: {
        summary: 'A docker-save compatible tar (also an OCI layout), streamed',
        parameters: [imageRef],
        responses: {
          '200': { description: 'tar', content: { 'application/x-tar': {} } },
          '404': error,
        },
      },
    },
    '/api/v1/batches': {
      post: {
        summary:
          'Queue a batch of pulls: a list of images (optionally every tag of each), or a sync spec (registry, repository, tag globs)',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: ref('BatchRequest') } },
        },
        responses: { '202': batch, '400': error },
      },
      get: {
        summary: 'List batches, newest first',
        responses: {
          '200': {
            description: 'Batches',
            content: { 'application/json': { schema: { type: 'array', items: ref('Batch') } } },
          },
        },
      },
    },
    '/api/v1/batches/{id}': {
      get: {
        summary: 'A batch with per-item state, totals and timings',
        parameters: [batchId],
        responses: { '200': batch, '404': error },
      },
      delete: {
        summary: 'Cancel the items that have not started',
        parameters: [batchId],
        responses: { '200': batch, '404': error },
      },
    },
  },
  components: {
    schemas: {
      Error: { type: 'object', required: ['message'], properties: { message: { type: 'string' } } },
      PullRequest: {
        type: 'object',
        required: ['reference'],
        properties: {
          reference: { type: 'string' },
          platform: { type: 'string', examples: ['linux/arm64'] },
        },
      },
      PullEvent: {
        oneOf: [
          {
            type: 'object',
            properties: {
              event: { const: 'resolved' },
              reference: { type: 'string' },
              digest: { type: 'string' },
            },
          },
          {
            type: 'object',
            properties: {
              event: { const: 'blob' },
              digest: { type: 'string' },
              state: { enum: ['queued', 'exists', 'downloading', 'verifying', 'done'] },
              current: { type: 'integer' },
              total: { type: 'integer' },
            },
          },
          {
            type: 'object',
            properties: {
              event: { const: 'image' },
              image: ref('Image'),
              changed: { type: 'boolean' },
            },
          },
          {
            type: 'object',
            properties: {
              event: { const: 'error' },
              code: { type: 'string' },
              message: { type: 'string' },
            },
          },
        ],
      },
      BatchRequest: {
        type: 'object',
        properties: {
          images: { type: 'array', items: { type: 'string' } },
          allTags: { type: 'boolean' },
          platform: { type: 'string' },
          registry: { type: 'string' },
          repository: { type: 'string' },
          tags: {
            type: 'object',
            properties: {
              include: { type: 'array', items: { type: 'string' } },
              exclude: { type: 'array', items: { type: 'string' } },
              semver: { type: 'string', examples: ['^1.2'] },
            },
          },
        },
      },
      Batch: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          platform: { type: 'string' },
          createdAt: { type: 'string' },
          finishedAt: { type: 'string' },
          totals: { type: 'object', additionalProperties: { type: 'integer' } },
          items: { type: 'array', items: ref('BatchItem') },
        },
      },
      BatchItem: {
        type: 'object',
        properties: {
          index: { type: 'integer' },
          reference: { type: 'string' },
          state: { enum: ['queued', 'running', 'done', 'failed', 'cancelled'] },
          attempts: { type: 'integer' },
          current: { type: 'integer' },
          total: { type: 'integer' },
          imageId: { type: 'string' },
          error: ref('ItemError'),
          startedAt: { type: 'string' },
          finishedAt: { type: 'string' },
        },
      },
      ItemError: {
        type: 'object',
        properties: { code: { type: 'string' }, message: { type: 'string' } },
      },
      Image: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          repoTags: { type: 'array', items: { type: 'string' } },
          repoDigests: { type: 'array', items: { type: 'string' } },
          created: { type: 'string' },
          size: { type: 'integer' },
          os: { type: 'string' },
          architecture: { type: 'string' },
          variant: { type: 'string' },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
    },
  },
} as const;
