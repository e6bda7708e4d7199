/**
 * Runs the person counters' refresh (`person-counters.ts`) after applies: `poke` after each applied batch, and one
 * refresh runs `delayMs` later, so that a burst of batches costs one refresh. One at a time in a process (a poke
 * during a refresh runs another after it: the batch may have ended after that refresh took its stamp); refreshes of
 * several processes at once are safe. A failed refresh only leaves reads grouping the references: it is reported
 * and the next poke tries again. Under a steady stream of applies a refresh would otherwise follow the last one
 * `delayMs` after it ended, and on a large store (a refresh of seconds) the store would spend most of its time
 * refreshing, slowing down the applies that make records visible: so a refresh also waits `restFactor` times as
 * long as the previous one took, and refreshing takes at most 1 / (1 + restFactor) of the store's time.
 */
export interface CountersRefresher {
  /** Asks for a refresh `delayMs` from now, unless one is already due. */
  poke(): void;
  /** Cancels a pending refresh and waits for a running one. */
  stop(): Promise<void>;
}

/**
 * How many times as long as a refresh took the next one waits at least: a quarter of the store's time at most. Reads
 * of the periods written meanwhile stay exact, grouping the references (person-counters.ts).
 */
export const REST_FACTOR = 3;

export function createCountersRefresher(
  refresh: () => Promise<number>,
  delayMs: number,
  onError: (error: unknown) => void,
  restFactor: number = REST_FACTOR,
): CountersRefresher {
  let timer: NodeJS.Timeout | undefined;
  /** When the previous refresh may be followed by the next: its end plus `restFactor` times its duration. */
  let restedAt = -Infinity;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  const run = (): void => {
    timer = undefined;
    if (running !== undefined) {
      again = true;
      return;
    }
    const started = Date.now();
    running = refresh()
      .then(
        () => undefined,
        (error: unknown) => onError(error),
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
      timer = undefined;
      await running;
    },
  };
}
