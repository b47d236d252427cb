// Load generator for api.bench.ts, on its own thread: fires job.count requests at
// job.concurrency and reports sorted latencies (ms), elapsed seconds and the last body size.
import { parentPort, workerData } from 'node:worker_threads';

const job = workerData;
const latencies = [];
let bytes = 0;
let next = 0;
const started = performance.now();
async function loop() {
  while (next < job.count) {
    next += 1;
    const body = job.endpoint.body === 'team' ? JSON.stringify({ name: `Bench team ${next}-${started}`, kind: 'team' }) : undefined;
    const t = performance.now();
    const response = await fetch(job.base + job.endpoint.path, {
      method: job.endpoint.method ?? 'GET',
      headers: { cookie: job.cookie, 'x-csrf-token': job.csrf, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body } : {}),
    });
    const text = await response.text();
    latencies.push(performance.now() - t);
    if (response.status >= 300) throw new Error(`${job.endpoint.name}: ${response.status} ${text.slice(0, 200)}`);
    bytes = text.length;
  }
}
await Promise.all(Array.from({ length: job.concurrency }, loop));
latencies.sort((a, b) => a - b);
parentPort.postMessage({ latencies, seconds: (performance.now() - started) / 1000, bytes });
