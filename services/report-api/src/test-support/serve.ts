/**
 * Test support (not built): serves a finished express app on a free local port, with a GET that sends a role's
 * key and a close that also closes the stores behind it.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Express } from 'express';
import type { Role } from '@mosy/core';

export interface Served {
  readonly url: string;
  /** GET with a role's key; returns status, content type and body (parsed JSON unless text). */
  get(path: string, role: Role): Promise<{ status: number; body: unknown; text: string; type: string }>;
  close(): Promise<void>;
}

export async function serve(
  app: Express,
  keys: Readonly<Record<Role, string>>,
  stores: { close(): Promise<void> },
): Promise<Served> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    async get(path, role) {
      const response = await fetch(url + path, { headers: { authorization: `Bearer ${keys[role]}` } });
      const text = await response.text();
      const type = response.headers.get('content-type') ?? '';
      return {
        status: response.status,
        text,
        type,
        body: type.includes('json') ? (JSON.parse(text) as unknown) : text,
      };
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await stores.close();
    },
  };
}
