/**
 * @module shared/read-capped
 *
 * Reads a text file of at most `maxBytes`, stopping as soon as it holds more: a size check
 * before reading would miss a pipe or a device (`/dev/stdin`, `/dev/zero`), whose size is 0.
 * Each read is copied out of one scratch buffer, so memory follows what was read.
 */
import { open } from 'node:fs/promises';

/** The file holds more than the cap. */
export class FileTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`file holds more than ${maxBytes} bytes`);
  }
}

const CHUNK = 1 << 20;

/** The file's text (UTF-8); throws {@link FileTooLarge} past `maxBytes`, fs errors as they are. */
export async function readTextCapped(path: string, maxBytes: number): Promise<string> {
  const file = await open(path, 'r');
  try {
    const chunks: Buffer[] = [];
    const scratch = Buffer.allocUnsafe(CHUNK);
    let total = 0;
    for (;;) {
      const length = Math.min(CHUNK, maxBytes + 1 - total);
      const { bytesRead } = await file.read(scratch, 0, length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) throw new FileTooLarge(maxBytes);
      // a copy the size of the read: a pipe answers in small pieces, and a view would keep
      // the whole scratch buffer alive for each of them
      chunks.push(Buffer.from(scratch.subarray(0, bytesRead)));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    await file.close();
  }
}

/** A failed {@link readTextCapped} in words: too large (then `hint`), or the file system's code. */
export function readProblem(error: unknown, hint: string): string {
  if (error instanceof FileTooLarge) {
    return `file is larger than ${error.maxBytes / 2 ** 20} MiB (${hint})`;
  }
  return `cannot read file (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`;
}
