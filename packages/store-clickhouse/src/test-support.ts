/**
 * Shared by the integration tests (not part of the build): the server's clock, which stamps and leases follow, and a
 * connection with some of its methods replaced, where a test races a rebuild, fails a statement or fixes a stamp.
 */
import { integer } from '@mosy/sql';
import type { ClickHouseConnection } from './connection.js';

/** The server's clock in milliseconds (whole seconds, as stamps take it). */
export const serverMs = async (connection: ClickHouseConnection): Promise<number> =>
  integer((await connection.select('SELECT toInt64(now()) * 1000 AS t'))[0]?.t);

/** Resolves once the server's clock is past `ms`. */
export async function untilServerPast(connection: ClickHouseConnection, ms: number): Promise<void> {
  while ((await serverMs(connection)) <= ms) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** `connection` with the methods of `replaced` in place of its own; every other member is its own. */
export function replacing(
  connection: ClickHouseConnection,
  replaced: Partial<ClickHouseConnection>,
): ClickHouseConnection {
  return new Proxy(connection, {
    get(target, property) {
      if (Object.hasOwn(replaced, property)) return replaced[property as keyof ClickHouseConnection];
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
