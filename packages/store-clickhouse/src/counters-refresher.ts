/**
 * Runs the person counters' refresh (`person-counters.ts`) after applies: `poke` after each applied batch, and one
 * refresh runs `delayMs` later, so that a burst of batches costs one refresh. One at a time in a process (a poke
 * during a refresh runs another after it: the batch may have ended after that refresh took its stamp); refreshes of
 * several processes at once are safe. A failed refresh only leaves reads grouping the references: it is reported
 * and the next poke tries again.
 */
export interface CountersRefresher {
  /** Asks for a refresh `delayMs` from now, unless one is already due. */
  poke(): void;
  /** Cancels a pending refresh and waits for a running one. */
  stop(): Promise<void>;
}

export function createCountersRefresher(
  refresh: () => Promise<number>,
  delayMs: number,
  onError: (error: unknown) => void,
): CountersRefresher {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  const run = (): void => {
    timer = undefined;
    if (running !== undefined) {
      again = true;
      return;
    }
    running = refresh()
      .then(
        () => undefined,
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
      timer = undefined;
      await running;
    },
  };
}
