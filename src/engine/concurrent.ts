import PQueue from 'p-queue';
import { RunStoppedError } from './errors';

/**
 * Runs `task` over a stream with at most `limit` in flight, reading the stream only as fast as
 * tasks finish (constant memory). The first error that stops the run rejects; record-level errors
 * must be handled inside `task`.
 */
export async function forEachConcurrent<T>(items: AsyncIterable<T>, limit: number, signal: AbortSignal, task: (item: T) => Promise<void>): Promise<void> {
  const queue = new PQueue({ concurrency: Math.max(1, limit) });
  let failure: unknown;
  for await (const item of items) {
    if (failure !== undefined) break;
    if (signal.aborted) {
      failure = new RunStoppedError('the run was cancelled');
      break;
    }
    await queue.onSizeLessThan(limit);
    void queue.add(async () => {
      if (failure !== undefined) return;
      try {
        await task(item);
      } catch (error) {
        failure ??= error;
      }
    });
  }
  await queue.onIdle();
  if (failure !== undefined) throw failure;
}
