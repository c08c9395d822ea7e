/**
 * Loaded with `--import` into every process of the local platform the API bench starts (the
 * server and its execution workers, through NODE_OPTIONS): it appends one line per outgoing HTTP
 * call (start, end, what) to BENCH_HTTP_LOG. Outgoing calls of the platform are its AWS SDK calls to
 * the stand-ins (DynamoDB Local, s3rver), so the bench can count them per route. Bench-only: the
 * production code has no hook for this.
 */
import { subscribe } from 'node:diagnostics_channel';
import { appendFileSync } from 'node:fs';
import type { ClientRequest } from 'node:http';

const logFile = process.env.BENCH_HTTP_LOG;
const now = () => performance.timeOrigin + performance.now();

if (logFile) {
  const started = new WeakMap<ClientRequest, number>();
  subscribe('http.client.request.start', (message) => {
    started.set((message as { request: ClientRequest }).request, now());
  });
  subscribe('http.client.response.finish', (message) => {
    const { request } = message as { request: ClientRequest };
    const start = started.get(request);
    if (start === undefined) return;
    const target = request.getHeader('x-amz-target');
    const what =
      typeof target === 'string'
        ? target.replace(/^DynamoDB_\d+\./, 'dynamodb:')
        : `s3:${request.method} ${request.path.split('?')[0]?.split('/')[1] ?? ''}`;
    appendFileSync(logFile, `${start.toFixed(3)} ${now().toFixed(3)} ${what}\n`);
  });
}
