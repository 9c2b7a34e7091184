import { ValidationOptions } from 'class-validator';
import { IsUrlList, parseUrlList } from './url-list';

/** parseBlobstoreUrls splits `STEVEDORE_BLOBSTORE_URL` (one URL, or several blobstore replicas separated by commas). */
export const parseBlobstoreUrls = parseUrlList;

/** IsBlobstoreUrls validates a list of blobstore endpoints (see {@link parseBlobstoreUrls}). */
export function IsBlobstoreUrls(options?: ValidationOptions): PropertyDecorator {
  return IsUrlList('http://127.0.0.1:2380', options);
}
