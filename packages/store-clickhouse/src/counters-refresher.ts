import type { CountersRefresh } from './person-counters.js';

/**
 * Runs the person counters' refresh (`person-counters.ts`) after applies: `poke` after each applied batch, and one
 * refresh runs `delayMs` later, so that a burst of batches costs one refresh. One at a time in a process (a poke
 * during a refresh runs another after it: the batch may have ended after that refresh took its stamp); refreshes of
 * several processes at once are safe. A refresh that left periods alone under an apply's lease runs another once
 * the earliest of those leases ran out, with no poke: an apply killed between its marks, or whose end mark failed,
 * writes nothing more, and its periods would otherwise wait for the next write. A failed refresh only leaves reads
 * grouping the references: it is reported and the next poke tries again.
 */
export interface CountersRefresher {
  /** Asks for a refresh `delayMs` from now, unless one is already due. */
  poke(): void;
  /** Cancels a pending refresh and waits for a running one. */
  stop(): Promise<void>;
}

export function createCountersRefresher(
  refresh: () => Promise<CountersRefresh>,
  delayMs: number,
  onError: (error: unknown) => void,
): CountersRefresher {
  let timer: NodeJS.Timeout | undefined;
  // The refresh after the earliest lease the last refresh was kept from runs out.
  let leaseTimer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  // `leaseEndsInMs` counts from the refresh's stamp, which is the server's clock in whole seconds, so the refresh
  // fires up to a second past the lease's end; a stamp run ahead of that clock (stamps within one second) may fire
  // it early, and then it finds the lease held and reports it again. A refresh due sooner (a poke) supersedes it:
  // it reports the leases left again.
  const wakeAfterLease = (leaseEndsInMs: number | undefined): void => {
    if (leaseTimer !== undefined) clearTimeout(leaseTimer);
    leaseTimer = undefined;
    if (stopped || leaseEndsInMs === undefined) return;
    leaseTimer = setTimeout(() => {
      leaseTimer = undefined;
      if (timer === undefined) run();
    }, leaseEndsInMs);
  };

  const run = (): void => {
    timer = undefined;
    if (running !== undefined) {
      again = true;
      return;
    }
    running = refresh()
      .then(
        (outcome) => wakeAfterLease(outcome.leaseEndsInMs),
        (error: unknown) => onError(error),
      )
      .finally(() => {
        running = undefined;
        if (again && !stopped) {
          again = false;
          poke();
        }
      });
  };

  function poke(): void {
    if (stopped || timer !== undefined) return;
    timer = setTimeout(run, delayMs);
  }

  return {
    poke,
    async stop(): Promise<void> {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      if (leaseTimer !== undefined) clearTimeout(leaseTimer);
      timer = undefined;
      leaseTimer = undefined;
      await running;
    },
  };
}
