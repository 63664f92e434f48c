// Who runs background work (the job worker) can learn when that work is only waiting on an
// upstream — the rate budget's window, a 429's Retry-After, a retry's backoff — and lend its place
// to other work meanwhile. The listener travels with the async context of the work
// (AsyncLocalStorage), so one cached client serves a background run (listened to) and a side-panel
// request (not) alike.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface WaitListener {
  /** Called with each such sleep of the work; resolves after it (and after whatever the listener
   *  does before the work goes on, e.g. take its place back). */
  waiting(sleep: Promise<void>): Promise<void>;
}

const listeners = new AsyncLocalStorage<WaitListener>();

/** Run `work` with `listener` told of each upstream wait inside it. */
export function listenForWaits<T>(listener: WaitListener, work: () => Promise<T>): Promise<T> {
  return listeners.run(listener, work);
}

/** An upstream wait (rate limit or retry backoff): told to the listener of the current work, if any. */
export function upstreamWait(sleep: Promise<void>): Promise<void> {
  const listener = listeners.getStore();
  return listener ? listener.waiting(sleep) : sleep;
}
