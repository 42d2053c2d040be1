import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { honourConditionalWrites } from './s3-conditional-writes';
import type { S3rverObjects } from './s3-conditional-writes';

/** An object as s3rver's controllers hand it to the store: the request's body, and its allowed metadata. */
interface S3rverObject {
  readonly bucket: string;
  readonly key: string;
  readonly content: Readable | Buffer;
  readonly metadata: Readonly<Record<string, string>>;
}

/** The part of s3rver's filesystem store (3.7.1) that `durablePuts` reads and replaces. */
export interface S3rverStore extends S3rverObjects {
  /** The file of an object's `resource`: `object`, `object.md5` or `metadata.json`. */
  getResourcePath(bucket: string, key: string, resource: string): string;
  putObject(object: S3rverObject): Promise<{ readonly size: number; readonly md5: string }>;
}

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  /** Set by `run`. */
  readonly httpServer: Server;
  readonly store: S3rverStore;
}
type S3rverConstructor = new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string }[];
}) => S3rverInstance;

// s3rver ships no type declarations; this is the part used.
const S3rver = createRequire(__filename)('s3rver') as S3rverConstructor;

/** A running s3rver, as the local stack and the tests start it. */
export interface LocalS3rver {
  readonly port: number;
  readonly httpServer: Server;
  close(): Promise<void>;
}

/**
 * Starts s3rver on 127.0.0.1 (free port) over `directory`, with `buckets`, as the local stack runs it: S3's
 * conditional writes honoured (`honourConditionalWrites`) and each PUT stored whole or not at all
 * (`durablePuts`).
 */
export async function startLocalS3rver(input: {
  readonly directory: string;
  readonly buckets: readonly string[];
}): Promise<LocalS3rver> {
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: input.directory,
    configureBuckets: input.buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  durablePuts(server.store);
  honourConditionalWrites(server.httpServer, server.store);
  return { port, httpServer: server.httpServer, close: () => server.close() };
}

/** Metadata s3rver derives from the object's files on each read, and does not store. */
const DERIVED_METADATA: ReadonlySet<string> = new Set(['last-modified', 'etag', 'content-length']);

/** What a staged file's name ends with: no s3rver resource does, so a listing never sees one. */
const STAGED = '.partial';

/**
 * Makes s3rver's PutObject answer only once the object is on disk, whole, and store it so that a process
 * killed at any moment leaves the key either with its complete object or absent, as S3 does. s3rver 3.7.1
 * writes an object's three files (the object, its MD5, its metadata JSON) in place, and answers once its copy
 * of the body has gone through, which can be before the object's file is written: a `kill -9` left a key with an
 * empty metadata file, on which every later listing of the bucket failed with 500 (seen in the local stack's
 * crash test), and could leave an object cut short. Here each file is written under a staged name beside its final one, and renamed
 * into place once complete: the MD5 and the metadata first, the object last. The object's file is what makes
 * a key exist (s3rver's listing and `existsObject` look for it), so its rename commits the write. A kill
 * leaves at most some staged files (`*.partial`), which nothing reads; a replaced object's kill between the
 * renames leaves the new metadata with the old object. This is about the process dying, not the machine: no
 * file is synced to the disk.
 */
export function durablePuts(store: S3rverStore): void {
  store.putObject = async (object) => {
    const target = (resource: string) => store.getResourcePath(object.bucket, object.key, resource);
    const files = { object: target('object'), md5: target('object.md5'), metadata: target('metadata.json') };
    const stage = `.${randomUUID()}${STAGED}`;
    await mkdir(path.dirname(files.object), { recursive: true });
    const hash = createHash('md5');
    let size = 0;
    try {
      await pipeline(
        Buffer.isBuffer(object.content) ? Readable.from([object.content]) : object.content,
        new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            hash.update(chunk);
            size += chunk.length;
            callback(null, chunk);
          },
        }),
        createWriteStream(files.object + stage),
      );
    } catch (error) {
      await rm(files.object + stage, { force: true });
      throw error;
    }
    const md5 = hash.digest('hex');
    // What s3rver's own `putMetadata` keeps: the metadata s3rver allows, less what it derives on each read.
    const kept = Object.fromEntries(
      Object.entries(object.metadata).filter(([name]) => !DERIVED_METADATA.has(name)),
    );
    await Promise.all([
      writeFile(files.md5 + stage, md5).then(() => rename(files.md5 + stage, files.md5)),
      writeFile(files.metadata + stage, JSON.stringify(kept, null, 2)).then(() =>
        rename(files.metadata + stage, files.metadata),
      ),
    ]);
    await rename(files.object + stage, files.object);
    return { size, md5 };
  };
}
