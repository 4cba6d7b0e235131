import fs from 'node:fs';
import readline from 'node:readline';
import { type Readable, Transform } from 'node:stream';
import zlib from 'node:zlib';
import { Decompress } from 'fzstd';

/** A Transform that decompresses zstd; Node 20's zlib has no zstd (it arrived in Node 22.15). */
function zstdStream(): Transform {
  let decoder: Decompress;
  const t = new Transform({
    transform(chunk: Buffer, _enc, done) {
      try {
        decoder.push(chunk);
        done();
      } catch (err) {
        done(err as Error);
      }
    },
    flush(done) {
      try {
        decoder.push(new Uint8Array(0), true);
        done();
      } catch (err) {
        done(err as Error);
      }
    },
  });
  decoder = new Decompress((data) => {
    t.push(Buffer.from(data));
  });
  return t;
}

/** Open a file for streaming, decompressing `.gz` and `.zst` by their magic bytes. */
function openMaybeCompressed(file: string): Readable {
  const fd = fs.openSync(file, 'r');
  const head = Buffer.alloc(4);
  const n = fs.readSync(fd, head, 0, 4, 0);
  fs.closeSync(fd);
  const raw = fs.createReadStream(file);
  if (n >= 2 && head[0] === 0x1f && head[1] === 0x8b) return raw.pipe(zlib.createGunzip());
  if (n >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return raw.pipe(zstdStream());
  return raw;
}

/**
 * Lines of a (possibly compressed) text file, numbered from 1; memory stays flat whatever the size.
 *
 * @example
 * for await (const { line, text } of readLines('papers.jsonl.zst')) console.log(line, text);
 */
export async function* readLines(file: string): AsyncGenerator<{ line: number; text: string }> {
  const input = openMaybeCompressed(file);
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of rl) {
      line++;
      yield { line, text };
    }
  } finally {
    rl.close();
    input.destroy();
  }
}
