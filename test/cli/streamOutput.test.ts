import { Writable } from 'node:stream';
import { writeAll } from '../../src/cli/streamOutput';

/** A reader that takes one chunk at a time, slowly, with room for two chunks before `write` says wait. */
function slowReader(received: string[]): Writable {
  return new Writable({
    highWaterMark: 2,
    objectMode: true,
    write(chunk: string, _encoding, done) {
      setTimeout(() => {
        received.push(chunk);
        done();
      }, 2);
    },
  });
}

describe('writing an export as the output takes it', () => {
  test('the source is read no further ahead than the output can hold, and everything arrives in order', async () => {
    const received: string[] = [];
    let produced = 0;
    let mostAhead = 0;
    async function* lines() {
      for (let index = 0; index < 50; index++) {
        mostAhead = Math.max(mostAhead, produced - received.length);
        produced++;
        yield `line ${index}\n`;
      }
    }
    const out = slowReader(received);
    await writeAll(out, lines());
    await new Promise<void>((resolve) => out.end(resolve));

    expect(received).toEqual(Array.from({ length: 50 }, (_, index) => `line ${index}\n`));
    expect(mostAhead).toBeLessThanOrEqual(3);
  });

  test('an output that fails (its reader went away) stops the export with that error', async () => {
    const out = new Writable({
      highWaterMark: 1,
      objectMode: true,
      write(_chunk, _encoding, done) {
        done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    let produced = 0;
    async function* many() {
      for (let index = 0; index < 10_000; index++) {
        produced++;
        yield 'more\n';
      }
    }
    await expect(writeAll(out, many())).rejects.toMatchObject({ code: 'EPIPE' });
    expect(produced).toBeLessThan(10);
  });
});
