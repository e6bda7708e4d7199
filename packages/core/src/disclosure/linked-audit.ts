/**
 * The audit that closes `protectLinkedTables`. Each table's hypercube moves keep that table's published values,
 * but a move may shift an entry it shares with another table in a way the other table cannot follow: a margin
 * that one table moves down by 1 may be, in another table, a sum of withheld cells that are all 1 already (an
 * attacker knows a withheld count is at least 1). Then relations of two tables together can pin an entry that
 * neither pins alone. So after the tables are protected, the whole publication is audited as one system of
 * relations: interval bounds propagated through every line of every table to a fixed point, published entries
 * exact, withheld ones at least 1. A withheld entry whose bounds meet is pinned; the caller withholds the nearest
 * published entry (see `nearestPublished`) and protects again. Every relation is taken as strictly as the true
 * counts allow (a line whose margin is the sum of its cells as additive, even when the dimension is a
 * multi-valued one), so interval reasoning by an attacker who knows which relations are sums pins nothing the
 * audit does not. Not covered: bounds narrower than the truth allows that pin nothing (a withheld 1 shown to be
 * at most 2), and reasoning stronger than intervals (linear programming over all lines at once).
 * Pure: indices in, indices out.
 */
import { MosyError } from '../errors.js';

/** A relation of the publication: a margin and the cells of its line, by entry index. */
export interface AuditLine {
  readonly margin: number;
  readonly cells: readonly number[];
  /** `margin = sum(cells)`; otherwise (distinct persons) `max(cells) ≤ margin ≤ sum(cells)`. */
  readonly additive: boolean;
}

/** The publication as the audit reads it: entry values, which are withheld, and every relation once. */
export interface AuditSystem {
  readonly values: ArrayLike<number>;
  readonly lines: readonly AuditLine[];
  /** For each entry, the indices of the lines it is on. */
  readonly linesOf: readonly (readonly number[])[];
}

/** Builds the system, each line additive exactly when its true counts add up. */
export function auditSystem(
  values: ArrayLike<number>,
  relations: readonly Omit<AuditLine, 'additive'>[],
): AuditSystem {
  const linesOf: number[][] = Array.from({ length: values.length }, () => []);
  const lines = relations.map(({ margin, cells }, l) => {
    let sum = 0;
    for (const cell of cells) {
      sum += values[cell]!;
      linesOf[cell]!.push(l);
    }
    linesOf[margin]!.push(l);
    return { margin, cells, additive: sum === values[margin] };
  });
  return { values, lines, linesOf };
}

/**
 * The withheld entries (`withheld[i] === 1`) whose value follows from the published ones: interval propagation to
 * a fixed point over every line, a published entry known exactly, a withheld one in [1, ∞). The bounds always
 * hold the true value (every relation is one the true counts satisfy, and a withheld count is at least 1), so they
 * never cross, and they stop moving: each only tightens towards the true value. In index order.
 * @throws MosyError `internal` when a withheld entry is 0 (zeros are published: the bounds would cross).
 */
export function pinnedEntries(system: AuditSystem, withheld: Uint8Array): number[] {
  const { values, lines, linesOf } = system;
  const lo = new Float64Array(values.length);
  const hi = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    if (withheld[i] === 1 && values[i]! < 1)
      throw new MosyError('internal', 'A zero is never withheld: it discloses nobody.');
    lo[i] = withheld[i] === 1 ? 1 : values[i]!;
    hi[i] = withheld[i] === 1 ? Infinity : values[i]!;
  }
  // The lines left to tighten, first in first out (each at most once: `queued`): those with a withheld entry (a
  // line of published entries only has nothing to tighten), then the lines of each entry whose bounds moved.
  const queued = new Uint8Array(lines.length);
  const queue = new Int32Array(lines.length);
  let head = 0;
  let size = 0;
  const enqueue = (l: number): void => {
    if (queued[l] === 1) return;
    queued[l] = 1;
    queue[(head + size++) % lines.length] = l;
  };
  lines.forEach(({ margin, cells }, l) => {
    if (withheld[margin] === 1 || cells.some((c) => withheld[c] === 1)) enqueue(l);
  });
  const moved = (i: number): void => {
    for (const l of linesOf[i]!) enqueue(l);
  };
  const tighten = (i: number, low: number, high: number): void => {
    if (low <= lo[i]! && high >= hi[i]!) return;
    lo[i] = Math.max(lo[i]!, low);
    hi[i] = Math.min(hi[i]!, high);
    moved(i);
  };
  // The order lines are taken in does not change the fixed point; first in first out reaches it in fewer steps.
  while (size > 0) {
    const l = queue[head]!;
    head = (head + 1) % lines.length;
    size--;
    queued[l] = 0;
    const { margin, cells, additive } = lines[l]!;
    let sumLo = 0;
    let maxLo = 0;
    let finiteHi = 0;
    let infinite = 0;
    for (const c of cells) {
      sumLo += lo[c]!;
      maxLo = Math.max(maxLo, lo[c]!);
      if (hi[c] === Infinity) infinite++;
      else finiteHi += hi[c]!;
    }
    tighten(margin, additive ? sumLo : maxLo, infinite > 0 ? Infinity : finiteHi);
    for (const c of cells) {
      // The other cells' largest sum: infinite while any other cell is unbounded.
      const othersHi =
        infinite - (hi[c] === Infinity ? 1 : 0) > 0 ? Infinity : finiteHi - (hi[c] === Infinity ? 0 : hi[c]!);
      tighten(c, lo[margin]! - othersHi, additive ? hi[margin]! - (sumLo - lo[c]!) : hi[margin]!);
    }
  }
  const pinned: number[] = [];
  for (let i = 0; i < values.length; i++) if (withheld[i] === 1 && lo[i] === hi[i]) pinned.push(i);
  return pinned;
}

/**
 * The published non-zero entry closest to a pinned one through the lines (on a line with it, else on a line with
 * a withheld entry on a line with it, and so on), the smallest of the closest, then the first by `order`.
 * A heuristic: a pin needs a finite bound above, which only published non-zero entries give, and the nearest is
 * the likeliest to give it; the caller audits again until nothing is pinned. Zeros stay published (they disclose
 * nobody, and a line of zeros bounds nothing above). One exists while the entry is pinned: were every non-zero
 * entry it is linked to withheld, no bound above would be finite.
 * @throws MosyError `internal` when there is none.
 */
export function nearestPublished(
  system: AuditSystem,
  withheld: Uint8Array,
  pinned: number,
  order: (a: number, b: number) => number,
): number {
  const { values, lines, linesOf } = system;
  const seen = new Set<number>([pinned]);
  for (let frontier = [pinned]; frontier.length > 0;) {
    const next: number[] = [];
    const found: number[] = [];
    for (const entry of frontier)
      for (const l of linesOf[entry]!)
        for (const other of [lines[l]!.margin, ...lines[l]!.cells]) {
          if (seen.has(other)) continue;
          seen.add(other);
          if (withheld[other] === 1) next.push(other);
          else if (values[other]! > 0) found.push(other);
        }
    if (found.length > 0) return found.sort((a, b) => values[a]! - values[b]! || order(a, b))[0]!;
    frontier = next;
  }
  throw new MosyError(
    'internal',
    'A withheld entry is pinned with no published entry to withhold; this is a bug.',
  );
}
