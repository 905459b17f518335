import { once } from 'node:events';
import type { Writable } from 'node:stream';

/**
 * Writes every chunk to `out`, waiting for 'drain' whenever `write` says its buffer is full, so a
 * slow reader (a pipe, a network share) holds back the source instead of the output piling up in
 * memory. A stream that fails (its reader went away) stops the writing with that error.
 */
export async function writeAll(out: Writable, chunks: AsyncIterable<string>): Promise<void> {
  let failure: Error | undefined;
  const onError = (error: Error) => {
    failure ??= error;
  };
  out.on('error', onError);
  try {
    for await (const chunk of chunks) {
      if (failure) throw failure;
      if (!out.write(chunk)) await once(out, 'drain');
    }
    if (failure) throw failure;
  } finally {
    out.off('error', onError);
  }
}
