import type * as workerThreads from 'node:worker_threads';
import type { ExitExport } from './types';
import { USER_AGENT } from './otlp/http-transport';

/** What a synchronous send at exit achieved, in items (spans, log records, metric points) per kind. */
export interface ExitSendResult {
  delivered: Map<string, number>;
  /** Refused, failed, or still unanswered at the deadline. */
  lost: Map<string, number>;
}

// The sender's slots in the shared memory: requests finished, then per request 1 (delivered)
// or 2 (failed); 0 means no answer yet.
const FINISHED = 0;
const DELIVERED = 1;

/**
 * Runs in a worker thread: POSTs every request at once, records each outcome in the shared
 * memory and wakes the main thread when all are answered. Plain JavaScript in a string, so
 * that no bundler rewrites it; it loads nothing but Node's own modules.
 */
const SENDER_SOURCE = `
const { workerData } = require('node:worker_threads');
const zlib = require('node:zlib');
const { state, requests, timeoutMillis, userAgent } = workerData;
let open = requests.length;
requests.forEach((request, index) => {
  let settled = false;
  const settle = (outcome) => {
    if (settled) return;
    settled = true;
    Atomics.store(state, index + 1, outcome);
    if (--open === 0) {
      Atomics.store(state, 0, 1);
      Atomics.notify(state, 0);
    }
  };
  try {
    const url = new URL(request.url);
    const client = require(url.protocol === 'https:' ? 'node:https' : 'node:http');
    let body = Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength);
    const headers = { ...request.headers, 'Content-Type': request.contentType, 'User-Agent': userAgent };
    if (request.gzip) {
      body = zlib.gzipSync(body);
      headers['Content-Encoding'] = 'gzip';
    }
    headers['Content-Length'] = String(body.byteLength);
    const post = client.request(url, { method: 'POST', headers, timeout: timeoutMillis }, (response) => {
      response.resume();
      response.on('end', () => settle(response.statusCode >= 200 && response.statusCode < 300 ? 1 : 2));
      response.on('error', () => settle(2));
    });
    post.on('timeout', () => post.destroy(new Error('timed out')));
    post.on('error', () => settle(2));
    post.end(body);
  } catch {
    settle(2);
  }
});
`;

/**
 * Sends OTLP requests from the `exit` event, where the event loop no longer runs: a worker
 * thread sends them while this thread waits on `Atomics.wait`, at most `timeoutMillis` (the
 * way pino's thread-stream flushes at exit). Never throws; what did not get a 2xx answer in
 * time is counted as lost.
 */
export function sendAtExit(exports: readonly ExitExport[], timeoutMillis: number): ExitSendResult {
  const result: ExitSendResult = { delivered: new Map(), lost: new Map() };
  const add = (counts: Map<string, number>, item: ExitExport): void => {
    counts.set(item.what, (counts.get(item.what) ?? 0) + item.count);
  };
  if (exports.length === 0) return result;
  const state = new Int32Array(new SharedArrayBuffer(4 * (exports.length + 1)));
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- only a process that exits with telemetry unsent pays for it
    const { Worker } = require('node:worker_threads') as typeof workerThreads;
    const requests = exports.map((item) => ({
      url: item.export.url,
      headers: item.export.headers,
      contentType: item.export.protocol === 'http/json' ? 'application/json' : 'application/x-protobuf',
      gzip: item.export.compression === 'gzip',
      body: item.body,
    }));
    // Neither the app's flags nor NODE_OPTIONS (which a worker parses again): a
    // `--require @threadline/node/register` there would start Threadline inside the sender.
    const env: Record<string, string | undefined> = { ...process.env };
    delete env.NODE_OPTIONS;
    const worker = new Worker(SENDER_SOURCE, {
      eval: true,
      execArgv: [],
      env,
      workerData: { state, requests, timeoutMillis, userAgent: USER_AGENT },
      stdout: true,
      stderr: true,
    });
    worker.unref();
    const deadline = Date.now() + timeoutMillis;
    while (Atomics.load(state, FINISHED) === 0) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      Atomics.wait(state, FINISHED, 0, remaining);
    }
  } catch {
    // No worker (resource limits, a worker-less runtime): everything counts as lost below.
  }
  exports.forEach((item, index) => add(Atomics.load(state, index + 1) === DELIVERED ? result.delivered : result.lost, item));
  return result;
}
