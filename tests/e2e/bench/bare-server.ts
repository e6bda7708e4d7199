/**
 * The bare HTTP baseline, run as a child process: a node:http server that reads each POST body, parses it as JSON
 * and answers 202 with the number of records, nothing else. What MoSy does per request beyond this is its cost.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { records?: unknown[] };
    res.writeHead(202, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ accepted: body.records?.length ?? 0 }));
  });
});
// As MoSy's servers (packages/http), so that both keep their connections alike.
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on ${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
