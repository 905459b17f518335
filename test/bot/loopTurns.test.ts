import { LoopTurns, takingTurns } from '../../src/bot/loopTurns';
import type { RequestStore } from '../../src/requests/requestStore';

/** Holds the thread for `ms`, as an SQLite write does. */
function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('taking turns of the event loop', () => {
  it('lets other work run between the pieces of work that arrived together, in the order they asked', async () => {
    const turns = new LoopTurns();
    const ran: string[] = [];
    const pieces = ['first', 'second', 'third'].map((name) => turns.take().then(() => ran.push(name)));
    const other = new Promise<void>((resolve) => setImmediate(() => resolve(void ran.push('other'))));
    await Promise.all([...pieces, other]);
    expect(ran).toEqual(['first', 'other', 'second', 'third']);
  });

  it('lets a timer fire while a burst of store writes is under way, and keeps the writes in order', async () => {
    const written: number[] = [];
    const store = {
      async setSetting(name: string) {
        busyFor(0.5);
        written.push(Number(name));
      },
      async getSetting() {
        return String(written.length);
      },
    } as unknown as RequestStore;
    const turns = takingTurns(store, new LoopTurns());
    const burst = Array.from({ length: 100 }, (_, i) => turns.setSetting(String(i), 'x'));
    const seenByTimer = new Promise<number>((resolve) => setTimeout(() => resolve(written.length), 1));
    // Reads are not writes: they answer at once.
    expect(await turns.getSetting('count')).toBe('0');
    await Promise.all(burst);
    expect(await seenByTimer).toBeLessThan(100);
    expect(written).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('answers the clicks of a burst before the background work queued ahead of them, which still gets every fifth turn', async () => {
    const turns = new LoopTurns();
    const ran: string[] = [];
    const background = [0, 1, 2].map((i) => turns.take().then(() => ran.push(`creation ${i}`)));
    const clicks = turns.forAnswer(() => Promise.all([0, 1, 2, 3, 4, 5].map((i) => turns.take().then(() => ran.push(`click ${i}`)))));
    await Promise.all([...background, clicks]);
    expect(ran).toEqual(['click 0', 'click 1', 'click 2', 'click 3', 'creation 0', 'click 4', 'click 5', 'creation 1', 'creation 2']);
  });

  it('counts what an answered click left running (its creation) as background work', async () => {
    const turns = new LoopTurns();
    const ran: string[] = [];
    let creation: Promise<unknown> = Promise.resolve();
    await turns.forAnswer(async (answered) => {
      await turns.take();
      answered();
      creation = turns.take().then(() => ran.push('creation'));
    });
    const nextClick = turns.forAnswer(() => turns.take().then(() => ran.push('next click')));
    await Promise.all([creation, nextClick]);
    expect(ran).toEqual(['next click', 'creation']);
  });
});
