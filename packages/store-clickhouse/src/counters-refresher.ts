import type { CountersRefresh } from './person-counters.js';

/**
 * Runs the person counters' refresh (`person-counters.ts`) after applies: `poke` after each applied batch, and one
 * refresh runs `delayMs` later, so that a burst of batches costs one refresh. One at a time in a process (a poke
 * during a refresh runs another after it: the batch may have ended after that refresh took its stamp); refreshes of
 * several processes at once are safe. A refresh that left periods alone under an apply's lease runs another once
 * the earliest of those leases ran out, with no poke: an apply killed between its marks, or whose end mark failed,
 * writes nothing more, and its periods would otherwise wait for the next write. A failed refresh only leaves reads
 * grouping the references: it is reported and tried again after `delayMs`, doubling up to `MAX_RETRY_MS` while it
 * keeps failing (the periods it had to certify, a killed apply's among them, may get no other poke), or at the next
 * poke if that comes first. Under a steady stream of applies a refresh would otherwise follow the last one `delayMs`
 * after it ended, and on a large store (a refresh of seconds) the store would spend most of its time refreshing,
 * slowing down the applies that make records visible: so a poke's refresh also waits `restFactor` times as long as
 * the previous one took, and poked refreshes take at most 1 / (1 + restFactor) of the store's time.
 */
export interface CountersRefresher {
  /** Asks for a refresh `delayMs` from now, unless one is already due. */
  poke(): void;
  /** Cancels a pending refresh and waits for a running one. */
  stop(): Promise<void>;
}

/** The longest wait before retrying a refresh that keeps failing. */
export const MAX_RETRY_MS = 60_000;

/**
 * How many times as long as a refresh took the next poked one waits at least: a quarter of the store's time at most.
 * Reads of the periods written meanwhile stay exact, grouping the references (person-counters.ts).
 */
export const REST_FACTOR = 3;

export function createCountersRefresher(
  refresh: () => Promise<CountersRefresh>,
  delayMs: number,
  onError: (error: unknown) => void,
  restFactor: number = REST_FACTOR,
): CountersRefresher {
  let timer: NodeJS.Timeout | undefined;
  // The refresh after the earliest lease the last refresh was kept from runs out.
  let leaseTimer: NodeJS.Timeout | undefined;
  /** When the previous refresh may be followed by a poked one: its end plus `restFactor` times its duration. */
  let restedAt = -Infinity;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  let failures = 0;

  // `leaseEndsInMs` counts from the refresh's stamp to the first whole server second past the lease's end, so the
  // refresh fires past it by the refresh's own duration; a stamp run ahead of the server's clock (stamps within one
  // second) may fire it early, and then it finds the lease held and reports the next second. A refresh due sooner (a
  // poke) supersedes it: it reports the leases left again. The retry of a failed refresh waits the same way.
  const wakeAfter = (ms: number | undefined): void => {
    if (leaseTimer !== undefined) clearTimeout(leaseTimer);
    leaseTimer = undefined;
    if (stopped || ms === undefined) return;
    leaseTimer = setTimeout(() => {
      leaseTimer = undefined;
      if (timer === undefined) run();
    }, ms);
  };

  const run = (): void => {
    timer = undefined;
    if (running !== undefined) {
      again = true;
      return;
    }
    const started = Date.now();
    running = refresh()
      .then(
        (outcome) => {
          failures = 0;
          wakeAfter(outcome.leaseEndsInMs);
        },
        (error: unknown) => {
          onError(error);
          failures += 1;
          wakeAfter(Math.min(delayMs * 2 ** (failures - 1), MAX_RETRY_MS));
        },
      )
      .finally(() => {
        const ended = Date.now();
        restedAt = ended + (ended - started) * restFactor;
        running = undefined;
        if (again && !stopped) {
          again = false;
          poke();
        }
      });
  };

  function poke(): void {
    if (stopped || timer !== undefined) return;
    timer = setTimeout(run, Math.max(delayMs, restedAt - Date.now()));
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
