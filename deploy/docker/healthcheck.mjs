// Container health check of a MoSy service image: exits 0 when GET /healthz on the service's own PORT answers 2xx
// within 3 s, else 1. The images are node:*-slim, which has neither curl nor wget, so the check is Node itself; it
// reads PORT at check time, so a container started with another PORT is still checked on the right one.
import { get } from 'node:http';

const port = Number(process.env.PORT ?? 8080);
const request = get({ host: '127.0.0.1', port, path: '/healthz', timeout: 3000 }, (response) => {
  response.resume();
  process.exit(
    response.statusCode !== undefined && response.statusCode >= 200 && response.statusCode < 300 ? 0 : 1,
  );
});
request.on('timeout', () => request.destroy(new Error('timeout')));
request.on('error', () => process.exit(1));
