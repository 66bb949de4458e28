/**
 * Streams one multipart upload to disk: never more than the limit is read (413 at limit + 1
 * byte), the bytes are hashed while they pass, and the type is decided by magic bytes, not by
 * the name or the declared Content-Type.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
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

/** Each type's extensions; the first is the one a file of that type is given. */
const EXT: Record<DocumentType, string[]> = { pdf: ['.pdf'], png: ['.png'], jpeg: ['.jpg', '.jpeg'] };

/**
 * Keeps a file name safe to store and to send back: no directories (`../`, `\`), no NUL or
 * control characters, no leading dots, at most 150 characters. Chinese and other letters stay.
 * The extension is the detected type's, never the client's: `passport.html` that is a PNG is
 * stored and served as `passport.png`.
 */
export function sanitizeFileName(raw: string | undefined, type: DocumentType | null): string {
  let name = (raw ?? '').normalize('NFC');
  name = name.split(/[\\/]/).pop() ?? '';
  name = name.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '');
  name = name.replace(/["<>:|?*]/g, '_').replace(/\.{2,}/g, '.').replace(/^[.\s]+/, '').trim();
  name = [...name].slice(0, 150).join('');
  if (!name) name = 'document';
  if (type) {
    const ext = /\.[A-Za-z0-9]{1,10}$/.exec(name)?.[0];
    if (!ext || !EXT[type].includes(ext.toLowerCase())) name = (ext ? name.slice(0, -ext.length) : name) + EXT[type][0]!;
  }
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

/** `place` maps a stored name to its path: settlement's folder unless another domain gives its own. */
export async function receiveUpload(request: Request, place: (storedName: string) => string = storedPath): Promise<ReceivedUpload> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data/i.test(type)) throw new UnsupportedMediaType('Send the document as multipart/form-data with fields “item” and “file”.');
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > MAX_DOCUMENT_BYTES + ENVELOPE_BYTES) throw new PayloadTooLarge(`A document may be at most ${MAX_DOCUMENT_BYTES} bytes.`);
  if (!request.body) throw new Invalid('Some fields are not valid.', { file: ['Choose a file to upload.'] });

  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': type },
      defParamCharset: 'utf8',
      // busboy signals the limit on reaching it, so allow one more byte: reaching MAX + 1 means too large.
      limits: { fileSize: MAX_DOCUMENT_BYTES + 1, files: 1, fields: 10, fieldSize: 10_000, parts: 12 },
    });
  } catch (err) {
    // busboy throws at once for a content type it cannot parse (no boundary, say)
    throw new Invalid(`The multipart body could not be read: ${(err as Error).message}`);
  }
  const body = Readable.fromWeb(request.body as import('node:stream/web').ReadableStream);
  const fields: Record<string, string> = {};
  let file: StoredUpload | null = null;
  let tmpName: string | null = null;
  let pending: Promise<void> = Promise.resolve();
  let tooLarge = false;

  const done = new Promise<void>((resolve, reject) => {
    let failed = false;
    // Every stream here (the body, the parser, the file part, the temp file) reports its error
    // through this one function: a stream error without a listener would end the process.
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      body.unpipe(parser);
      body.destroy();
      parser.destroy(); // ends a file part still open, so its temp file is closed
      reject(err);
    };
    const unreadable = (err: Error) => new Invalid(`The multipart body could not be read: ${err.message}`);
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      stream.on('error', (err) => fail(unreadable(err)));
      if (name !== 'file' || file || tmpName) {
        stream.resume();
        return;
      }
      const storedName = randomBytes(16).toString('hex');
      tmpName = `${storedName}.part`;
      const hash = createHash('sha256');
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
      // pipeline closes the temp file whichever side fails (a body cut off inside the part, a full disk)
      pending = pipeline(stream, createWriteStream(place(tmpName), { flags: 'wx' })).then(() => {
        if (tooLarge) return;
        const sniffed = sniffType(head);
        file = { storedName, originalName: sanitizeFileName(info.filename, sniffed), size, sha256: hash.digest('hex'), type: sniffed };
      });
      pending.catch(fail);
    });
    parser.on('filesLimit', () => undefined);
    parser.on('error', (err) => fail(unreadable(err as Error)));
    parser.on('close', () => {
      if (tooLarge) fail(new PayloadTooLarge(`A document may be at most ${MAX_DOCUMENT_BYTES} bytes.`));
      else pending.then(resolve, fail);
    });
    let total = 0;
    body.on('data', (chunk: Buffer) => {
      total += chunk.length;
      // A body without a (truthful) Content-Length is cut off here rather than read forever.
      if (total > MAX_DOCUMENT_BYTES + ENVELOPE_BYTES) fail(new PayloadTooLarge(`A document may be at most ${MAX_DOCUMENT_BYTES} bytes.`));
    });
    body.on('error', (err) => fail(unreadable(err)));
    body.pipe(parser);
  });

  try {
    await done;
  } catch (err) {
    // the temp file is closed (or never opened) once its pipeline settles; then remove it
    await pending.catch(() => undefined);
    if (tmpName) rmSync(place(tmpName), { force: true });
    throw err;
  }
  if (!file) {
    if (tmpName) rmSync(place(tmpName), { force: true });
    throw new Invalid('Some fields are not valid.', { file: ['Choose a file to upload.'] });
  }
  const received = file as StoredUpload;
  if (received.size === 0) {
    rmSync(place(tmpName!), { force: true });
    throw new Invalid('Some fields are not valid.', { file: ['The file is empty.'] });
  }
  renameSync(place(tmpName!), place(received.storedName));
  return { fields, file: received };
}
