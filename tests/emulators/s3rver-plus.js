#!/usr/bin/env node
'use strict';

// s3rver 3.7.1 on 127.0.0.1, patched (from the outside, s3rver itself is untouched) so that AWSSDK v4 and Delta
// commits behave against it as they do against S3:
//   1. aws-chunked request bodies (the SDK's STREAMING-*-PAYLOAD[-TRAILER]) are decoded before they are stored;
//   2. If-None-Match: * and If-Match: <etag> on PutObject and CompleteMultipartUpload answer 412
//      PreconditionFailed, atomically: every write to one key is serialised;
//   3. x-amz-copy-source with %2F-encoded slashes is understood (CopyObject);
//   4. AbortMultipartUpload (DELETE ?uploadId=) answers 204;
//   5. deletes no longer fail with 500 when another request prunes or fills the same empty folder;
//   6. ListObjectsV2 continuation tokens work on OpenSSL 3 (s3rver asks for single DES, which OpenSSL 3 only has in
//      its legacy provider; two-key triple DES with both keys equal is the same cipher);
//   7. --conflict-once REGEX: the first conditional write to each key matching REGEX answers 409
//      ConditionalRequestConflict (as S3 does when conditional writes race), so a writer's retry loop is exercised.
// Objects are also written to a temporary file and renamed into place, so a concurrent GET never sees half an object.
//
// Usage: node s3rver-plus.js --directory DIR --port PORT [--silent] [--conflict-once REGEX]
// The access key id must be S3RVER; signatures are not verified.

const crypto = require('crypto');
const fs = require('fs-extra');
const path = require('path');
const { Transform } = require('stream');
const minimist = require('minimist');
const S3rver = require('s3rver');
const FilesystemStore = require('s3rver/lib/stores/filesystem');
const S3Error = require('s3rver/lib/models/error');

const args = minimist(process.argv.slice(2), {
  string: ['directory', 'port', 'conflict-once'],
  boolean: ['silent'],
  alias: { d: 'directory', p: 'port' },
});
if (!args.directory || !args.port) {
  console.error('usage: node s3rver-plus.js --directory DIR --port PORT [--silent] [--conflict-once REGEX]');
  process.exit(2);
}
const port = Number(args.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`s3rver-plus: --port must be a TCP port number, not '${args.port}'`);
  process.exit(2);
}
const conflictOnce = args['conflict-once'] ? new RegExp(args['conflict-once']) : null;

// 6. Single DES → DES-EDE with K1 = K2, the same cipher, available in OpenSSL 3's default provider.
for (const name of ['createCipheriv', 'createDecipheriv']) {
  const original = crypto[name];
  crypto[name] = function desCompatible(algorithm, key, iv, options) {
    if (typeof algorithm === 'string' && /^des(-cbc)?$/i.test(algorithm) && key && key.length === 8) {
      return original.call(crypto, 'des-ede-cbc', Buffer.concat([key, key]), iv, options);
    }
    return original.call(crypto, algorithm, key, iv, options);
  };
}

// 1. aws-chunked framing: "<hex size>[;chunk-signature=...]\r\n<data>\r\n" ... "0[;...]\r\n[trailers\r\n]\r\n".
class AwsChunkedDecoder extends Transform {
  constructor() {
    super();
    this.pending = Buffer.alloc(0);
    this.state = 'size';
    this.remaining = 0;
  }

  _transform(chunk, encoding, callback) {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    try {
      this.decode();
      callback();
    } catch (err) {
      callback(err);
    }
  }

  _flush(callback) {
    if (this.state === 'done' || (this.state === 'trailer' && this.pending.length === 0)) {
      callback();
    } else {
      callback(new Error(`aws-chunked body ended early (while reading ${this.state})`));
    }
  }

  decode() {
    for (;;) {
      if (this.state === 'data') {
        if (this.pending.length === 0) return;
        const take = Math.min(this.remaining, this.pending.length);
        this.push(this.pending.subarray(0, take));
        this.pending = this.pending.subarray(take);
        this.remaining -= take;
        if (this.remaining === 0) this.state = 'data-end';
        continue;
      }
      const eol = this.pending.indexOf('\r\n');
      if (eol < 0) {
        if (this.pending.length > 8192) throw new Error('aws-chunked body: a chunk header is longer than 8 KiB');
        return;
      }
      const line = this.pending.subarray(0, eol).toString('latin1');
      this.pending = this.pending.subarray(eol + 2);
      switch (this.state) {
        case 'data-end':
          if (line !== '') throw new Error('aws-chunked body: a chunk is longer than its declared size');
          this.state = 'size';
          break;
        case 'size': {
          const size = parseInt(line.split(';')[0], 16);
          if (!Number.isSafeInteger(size) || size < 0) throw new Error(`aws-chunked body: bad chunk size '${line}'`);
          if (size === 0) {
            this.state = 'trailer';
          } else {
            this.remaining = size;
            this.state = 'data';
          }
          break;
        }
        case 'trailer':
          // Trailer lines (x-amz-checksum-*, x-amz-trailer-signature) are not checked; an empty line ends the body.
          if (line === '') this.state = 'done';
          break;
        default:
          break;
      }
    }
  }
}

function isAwsChunked(headers) {
  const sha = headers['x-amz-content-sha256'] || '';
  const encoding = headers['content-encoding'] || '';
  return sha.startsWith('STREAMING-') || encoding.split(',').some(e => e.trim() === 'aws-chunked');
}

function stripAwsChunked(headers) {
  if ('x-amz-decoded-content-length' in headers) {
    headers['content-length'] = headers['x-amz-decoded-content-length'];
  }
  if (headers['content-encoding']) {
    const rest = headers['content-encoding']
      .split(',')
      .map(e => e.trim())
      .filter(e => e && e !== 'aws-chunked');
    if (rest.length) headers['content-encoding'] = rest.join(',');
    else delete headers['content-encoding'];
  }
}

// Writes a stream to a temporary file beside target and renames it into place; resolves [size, md5].
async function writeAtomically(content, target) {
  // The client may have gone (a killed writer) while the request waited for its key: store nothing.
  if (content.destroyed || content.errored) throw content.errored || new Error('the request body was aborted');
  const temporary = `${target}.${crypto.randomBytes(6).toString('hex')}.part`;
  // Open before reading any of the body: a concurrent delete may prune the (still empty) folder right after mkdirp.
  let fd;
  for (let attempt = 0; fd === undefined; attempt++) {
    await fs.mkdirp(path.dirname(target));
    try {
      fd = await fs.open(temporary, 'w');
    } catch (err) {
      if (err.code !== 'ENOENT' || attempt >= 5) throw err;
    }
  }
  return new Promise((resolve, reject) => {
    const md5 = crypto.createHash('md5');
    let size = 0;
    const out = fs.createWriteStream(null, { fd });
    const fail = err => {
      out.destroy();
      fs.remove(temporary).catch(() => {});
      reject(err);
    };
    content.on('error', fail);
    content.on('close', () => {
      if (!content.readableEnded) fail(new Error('the request body was aborted'));
    });
    out.on('error', fail);
    content.on('data', chunk => {
      md5.update(chunk);
      size += chunk.length;
    });
    // The folder holds the temporary file, so nothing can prune it before the rename.
    out.on('finish', () => fs.rename(temporary, target).then(() => resolve([size, md5.digest('hex')]), fail));
    content.pipe(out);
  });
}

FilesystemStore.prototype.putObject = async function putObject(object) {
  const objectPath = this.getResourcePath(object.bucket, object.key, 'object');
  let size;
  let md5;
  if (Buffer.isBuffer(object.content)) {
    const { Readable } = require('stream');
    [size, md5] = await writeAtomically(Readable.from([object.content]), objectPath);
  } else {
    [size, md5] = await writeAtomically(object.content, objectPath);
  }
  await this.putMetadata(object.bucket, object.key, object.metadata, md5);
  return { size, md5 };
};

FilesystemStore.prototype.putPart = async function putPart(bucket, uploadId, partNumber, content) {
  const partPath = path.join(this.getResourcePath(bucket, undefined, 'uploads'), uploadId, partNumber.toString());
  const [size, md5] = await writeAtomically(content, partPath);
  await fs.writeFile(`${partPath}.md5`, md5);
  return { size, md5 };
};

// 5. Deleting prunes empty folders; another request may remove or fill one at the same moment.
FilesystemStore.prototype.deleteObject = async function deleteObject(bucket, key) {
  await Promise.all(
    ['object', 'object.md5', 'metadata.json'].map(resource =>
      fs.unlink(this.getResourcePath(bucket, key, resource)).catch(err => {
        if (err.code !== 'ENOENT') throw err;
      }),
    ),
  );
  const bucketPath = this.getBucketPath(bucket);
  const parts = FilesystemStore.encodeKeyPath(key).split('/');
  parts.pop();
  while (parts.length) {
    try {
      await fs.rmdir(path.join(bucketPath, ...parts));
    } catch (err) {
      if (['ENOENT', 'ENOTEMPTY', 'EEXIST'].includes(err.code)) break;
      throw err;
    }
    parts.pop();
  }
};

// 2. Every write to one key runs alone, so a conditional check and the write that follows it are atomic.
const keyLocks = new Map();
async function withKeyLock(lockKey, work) {
  const previous = keyLocks.get(lockKey) || Promise.resolve();
  let release;
  const current = new Promise(resolve => (release = resolve));
  const tail = previous.then(() => current);
  keyLocks.set(lockKey, tail);
  await previous;
  try {
    return await work();
  } finally {
    release();
    if (keyLocks.get(lockKey) === tail) keyLocks.delete(lockKey);
  }
}

const conflicted = new Set();

function drain(stream) {
  return new Promise(resolve => {
    if (stream.readableEnded || stream.destroyed) return resolve();
    stream.on('end', resolve);
    stream.on('error', resolve);
    stream.on('close', resolve);
    stream.resume();
  });
}

function preconditionFailed(condition) {
  return new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', {
    Condition: condition,
  });
}

async function checkConditions(ctx, bucket, key) {
  const ifNoneMatch = ctx.headers['if-none-match'];
  const ifMatch = ctx.headers['if-match'];
  if (ifNoneMatch === undefined && ifMatch === undefined) return;
  if (conflictOnce && conflictOnce.test(key) && !conflicted.has(`${bucket}/${key}`)) {
    conflicted.add(`${bucket}/${key}`);
    const err = new S3Error(
      'ConditionalRequestConflict',
      'A conflicting conditional operation is currently in progress against this resource. Please try again.',
    );
    err.status = 409;
    err.expose = true;
    throw err;
  }
  const exists = await ctx.app.store.existsObject(bucket, key);
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() !== '*') {
      throw new S3Error('NotImplemented', 'If-None-Match is only supported with the value *');
    }
    if (exists) throw preconditionFailed('If-None-Match');
  }
  if (ifMatch !== undefined) {
    if (!exists) throw new S3Error('NoSuchKey', 'The specified key does not exist.', { Key: key });
    const metadata = await ctx.app.store.getMetadata(bucket, key);
    const current = String(metadata.etag).replace(/"/g, '');
    const wanted = ifMatch.split(',').map(e => e.trim().replace(/"/g, ''));
    if (!wanted.includes('*') && !wanted.includes(current)) throw preconditionFailed('If-Match');
  }
}

function splitPath(ctx) {
  const parts = ctx.path.split('/').filter((p, i) => i > 0);
  if (parts.length < 2 || parts[1] === '') return null;
  return { bucket: decodeURIComponent(parts[0]), key: decodeURIComponent(parts.slice(1).join('/')) };
}

async function fixups(ctx, next) {
  const target = splitPath(ctx);
  const method = ctx.method;

  // 1. Decode aws-chunked bodies; s3rver reads the body from ctx.req.
  if ((method === 'PUT' || method === 'POST') && isAwsChunked(ctx.headers)) {
    const decoder = new AwsChunkedDecoder();
    const original = ctx.req;
    // Whoever reads the body listens for its errors; this keeps an aborted upload from crashing the server.
    decoder.on('error', () => {});
    original.on('error', err => decoder.destroy(err));
    original.on('aborted', () => decoder.destroy(new Error('the request body was aborted')));
    original.pipe(decoder);
    stripAwsChunked(original.headers);
    ctx.req = decoder;
  }

  // 3. CopyObject's source, URL-encoded in full by the SDK; s3rver decodes it with decodeURI only.
  const copySource = ctx.headers['x-amz-copy-source'];
  if (copySource && /%2F/i.test(copySource)) {
    ctx.request.req.headers['x-amz-copy-source'] = encodeURI(decodeURIComponent(copySource));
  }

  if (!target) return next();
  const { bucket, key } = target;

  // 4. AbortMultipartUpload.
  if (method === 'DELETE' && 'uploadId' in ctx.query) {
    const uploadDir = path.join(ctx.app.store.getResourcePath(bucket, undefined, 'uploads'), String(ctx.query.uploadId));
    if (!(await fs.pathExists(uploadDir))) {
      throw new S3Error('NoSuchUpload', 'The specified upload does not exist.', { UploadId: ctx.query.uploadId });
    }
    await fs.remove(uploadDir);
    ctx.status = 204;
    ctx.body = null;
    return undefined;
  }

  const isObjectWrite =
    (method === 'PUT' && !('uploadId' in ctx.query) && !('tagging' in ctx.query) && !('acl' in ctx.query)) ||
    (method === 'POST' && 'uploadId' in ctx.query) ||
    (method === 'DELETE' && Object.keys(ctx.query).length === 0);
  if (!isObjectWrite) return next();

  return withKeyLock(`${bucket}/${key}`, async () => {
    try {
      await checkConditions(ctx, bucket, key);
    } catch (err) {
      await drain(ctx.req);
      throw err;
    }
    return next();
  });
}

const server = new S3rver({
  address: '127.0.0.1',
  port,
  directory: path.resolve(args.directory),
  silent: args.silent,
});
// Run before every s3rver middleware (its logger, router and controllers).
server.middleware.unshift(fixups);

server.run().then(
  address => {
    if (!args.silent) console.error(`s3rver-plus listening on http://${address.address}:${address.port}`);
  },
  err => {
    console.error(`s3rver-plus: cannot listen on 127.0.0.1:${port}: ${err.message}`);
    process.exit(1);
  },
);

// A test emulator outlives its clients' mistakes: log and go on.
process.on('uncaughtException', err => console.error(`s3rver-plus: ${err.stack || err}`));

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => process.exit(0));
}
