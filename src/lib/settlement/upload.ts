/**
 * Streams one multipart upload to disk: never more than the limit is read (413 at limit + 1
 * byte), the bytes are hashed while they pass, and the type is decided by magic bytes, not by
 * the name or the declared Content-Type.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import busboy from 'busboy';
import type { DocumentType } from '@db/schema';
import { Invalid, PayloadTooLarge, UnsupportedMediaType } from '~/lib/errors';
import { storedPath } from './storage';
import type { StoredUpload } from './service';

/** 10 MB (decimal). A file of MAX_DOCUMENT_BYTES + 1 bytes is refused with 413. */
export const MAX_DOCUMENT_BYTES = 10_000_000;
/** Room for the multipart boundaries and the small text fields around the file. */
const ENVELOPE_BYTES = 64 * 1024;

export function sniffType(head: Uint8Array): DocumentType | null {
  const b = Buffer.from(head);
  if (b.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  return null;
}

const EXT: Record<DocumentType, string> = { pdf: '.pdf', png: '.png', jpeg: '.jpg' };

/**
 * Keeps a file name safe to store and to send back: no directories (`../`, `\`), no NUL or
 * control characters, no leading dots, at most 150 characters. Chinese and other letters stay.
 */
export function sanitizeFileName(raw: string | undefined, type: DocumentType | null): string {
  let name = (raw ?? '').normalize('NFC');
  name = name.split(/[\\/]/).pop() ?? '';
  name = name.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '');
  name = name.replace(/["<>:|?*]/g, '_').replace(/\.{2,}/g, '.').replace(/^[.\s]+/, '').trim();
  name = [...name].slice(0, 150).join('');
  if (!name) name = 'document';
  if (type && !/\.[A-Za-z0-9]{2,5}$/.test(name)) name += EXT[type];
  return name;
}

/** `attachment` with an ASCII fallback and the exact UTF-8 name (RFC 6266 / RFC 5987). */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export interface ReceivedUpload {
  fields: Record<string, string>;
  file: StoredUpload | null;
}

export async function receiveUpload(request: Request): Promise<ReceivedUpload> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data/i.test(type)) throw new UnsupportedMediaType('Send the document as multipart/form-data with fields “item” and “file”.');
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > MAX_DOCUMENT_BYTES + ENVELOPE_BYTES) throw new PayloadTooLarge(`A document may be at most ${MAX_DOCUMENT_BYTES} bytes.`);
  if (!request.body) throw new Invalid('Some fields are not valid.', { file: ['Choose a file to upload.'] });

  const parser = busboy({
    headers: { 'content-type': type },
    defParamCharset: 'utf8',
    // busboy signals the limit on reaching it, so allow one more byte: reaching MAX + 1 means too large.
    limits: { fileSize: MAX_DOCUMENT_BYTES + 1, files: 1, fields: 10, fieldSize: 10_000, parts: 12 },
  });
  const body = Readable.fromWeb(request.body as import('node:stream/web').ReadableStream);
  const fields: Record<string, string> = {};
  let file: StoredUpload | null = null;
  let tmpName: string | null = null;
  let pending: Promise<void> = Promise.resolve();
  let tooLarge = false;

  const done = new Promise<void>((resolve, reject) => {
    const fail = (err: unknown) => {
      body.unpipe(parser);
      body.destroy();
      reject(err);
    };
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || file || tmpName) {
        stream.resume();
        return;
      }
      const storedName = randomBytes(16).toString('hex');
      tmpName = `${storedName}.part`;
      const hash = createHash('sha256');
      const out = createWriteStream(storedPath(tmpName), { flags: 'wx' });
      let size = 0;
      let head = Buffer.alloc(0);
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (head.length < 8) head = Buffer.concat([head, chunk.subarray(0, 8 - head.length)]);
        hash.update(chunk);
      });
      // Past the limit busboy discards the rest of the file; we answer 413 once the part ends.
      stream.on('limit', () => {
        tooLarge = true;
      });
      stream.pipe(out);
      pending = new Promise<void>((res, rej) => {
        out.on('finish', () => {
          if (tooLarge) return res();
          const sniffed = sniffType(head);
          file = { storedName, originalName: sanitizeFileName(info.filename, sniffed), size, sha256: hash.digest('hex'), type: sniffed };
          res();
        });
        out.on('error', rej);
      });
    });
    parser.on('filesLimit', () => undefined);
    parser.on('error', (err) => fail(new Invalid(`The multipart body could not be read: ${(err as Error).message}`)));
    parser.on('close', () => {
      if (tooLarge) reject(new PayloadTooLarge(`A document may be at most ${MAX_DOCUMENT_BYTES} bytes.`));
      else pending.then(resolve, reject);
    });
    let total = 0;
    body.on('data', (chunk: Buffer) => {
      total += chunk.length;
      // A body without a (truthful) Content-Length is cut off here rather than read forever.
      if (total > MAX_DOCUMENT_BYTES + ENVELOPE_BYTES) fail(new PayloadTooLarge(`A document may be at most ${MAX_DOCUMENT_BYTES} bytes.`));
    });
    body.on('error', fail);
    body.pipe(parser);
  });

  try {
    await done;
  } catch (err) {
    if (tmpName) rmSync(storedPath(tmpName), { force: true });
    throw err;
  }
  if (!file) {
    if (tmpName) rmSync(storedPath(tmpName), { force: true });
    throw new Invalid('Some fields are not valid.', { file: ['Choose a file to upload.'] });
  }
  const received = file as StoredUpload;
  if (received.size === 0) {
    rmSync(storedPath(tmpName!), { force: true });
    throw new Invalid('Some fields are not valid.', { file: ['The file is empty.'] });
  }
  renameSync(storedPath(tmpName!), storedPath(received.storedName));
  return { fields, file: received };
}
