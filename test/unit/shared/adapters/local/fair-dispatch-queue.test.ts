import { describe, expect, it } from 'vitest';
import { FairDispatchQueue } from '../../../../../shared/adapters/local/fair-dispatch-queue.ts';

describe('FairDispatchQueue', () => {
  it('serves keys round-robin, each in its own FIFO order', () => {
    const queue = new FairDispatchQueue<string>(10);
    for (const item of ['a1', 'a2', 'a3']) queue.enqueue('a', item);
    queue.enqueue('b', 'b1');
    queue.enqueue('c', 'c1');

    const order = Array.from({ length: 5 }, () => queue.take()?.item);

    expect(order).toEqual(['a1', 'b1', 'c1', 'a2', 'a3']);
  });

  it('holds a key at its in-progress cap while other keys are served, and resumes it when one is done', () => {
    const queue = new FairDispatchQueue<string>(2);
    for (const item of ['a1', 'a2', 'a3', 'a4']) queue.enqueue('a', item);

    const first = [queue.take()?.item, queue.take()?.item];
    const whileCapped = queue.take();
    queue.enqueue('b', 'b1');
    const other = queue.take()?.item;
    queue.done('a');
    const resumed = queue.take()?.item;

    expect(first).toEqual(['a1', 'a2']);
    expect(whileCapped).toBeUndefined();
    expect(other).toBe('b1');
    expect(resumed).toBe('a3');
    expect(queue.size).toBe(1);
  });

  it('hands back every queued item on drain', () => {
    const queue = new FairDispatchQueue<number>(1);
    queue.enqueue('a', 1);
    queue.enqueue('b', 2);
    queue.enqueue('a', 3);

    expect(queue.drain().sort()).toEqual([1, 2, 3]);
    expect(queue.take()).toBeUndefined();
  });
});
