/**
 * A stamp of one of the store's clocks: the server's time in milliseconds, but past `latest` (the largest stamp
 * written so far, an Int64 aggregate over `from`, a table with its WHERE), so that a stamp taken after another is
 * never smaller even within one second of the server's clock. One ClickHouse server, whose clock is not stepped back.
 */
export const nextStamp = (latest: string, from: string): string =>
  `SELECT greatest(toInt64(now()) * 1000, ${latest} + 1) FROM ${from}`;
