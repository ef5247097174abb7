import * as diagnosticsChannel from 'node:diagnostics_channel';
import type { InstrumentationName } from '@threadline/core';
import { GUARDED_BY_THREADLINE, INSTRUMENTATION_NAMES, describeError } from '@threadline/core';
import type { LoadedPackage } from './loaded-packages';
import { cachedExports, entryExports, loadedCopies } from './loaded-packages';
import type { InstrumentationRow, ProbeState } from './report-types';

/*
 * The marks Threadline's patches leave (the same `Symbol.for` keys the patching code sets), and
 * the one OpenTelemetry's instrumentations leave (shimmer's `__wrapped`). A probe reads the
 * mark off the object the app itself uses: nothing is assumed from Threadline's own state.
 */
const EXPRESS_MARK = Symbol.for('threadline.express.patched');
const KOA_MARK = Symbol.for('threadline.koa.patched');
const HONO_MARK = Symbol.for('threadline.hono.patched');
const NEST_MARK = Symbol.for('threadline.nest.patched');
const PINO_MARK = Symbol.for('threadline.pino-write');
const WINSTON_MARK = Symbol.for('threadline.winston-create-logger');
const MESSAGING_MARK = Symbol.for('threadline.messaging.original');

type Finding = { state: Exclude<ProbeState, 'not loaded' | 'off'>; evidence: string };
type Loose = Record<string | symbol, unknown> | undefined;

interface ProbeDefinition {
  target: string;
  /** The package whose loaded copies are probed; none for Node's own APIs. */
  probedPackage?: string;
  probe(loaded: LoadedPackage | undefined): Finding;
}

/** Is Threadline's subscriber (the guard named `what`) on the channel? `undefined`: this Node hides its subscribers. */
function hasThreadlineSubscriber(name: string, what: string): boolean | undefined {
  const subscribers = (diagnosticsChannel.channel(name) as unknown as { _subscribers?: unknown })._subscribers;
  if (!Array.isArray(subscribers)) return diagnosticsChannel.hasSubscribers(name) ? undefined : false;
  return subscribers.some((subscriber) => (subscriber as Loose)?.[GUARDED_BY_THREADLINE] === what);
}

function channelFinding(channels: readonly [string, string][]): Finding {
  const missing = channels.filter(([name, what]) => hasThreadlineSubscriber(name, what) === false).map(([name]) => name);
  const unknown = channels.filter(([name, what]) => hasThreadlineSubscriber(name, what) === undefined).map(([name]) => name);
  if (missing.length > 0) return { state: 'not patched', evidence: `no Threadline subscriber on ${missing.join(', ')}` };
  const names = channels.map(([name]) => name).join(', ');
  return { state: 'subscribed', evidence: unknown.length > 0 ? `${names} have subscribers (this Node does not show whose)` : `Threadline subscribes to ${names}` };
}

function marked(holder: unknown, mark: symbol | string, what: string): Finding {
  const value = (holder as Loose)?.[mark];
  return value ? { state: 'patched', evidence: `${what} carries Threadline's mark` } : { state: 'not patched', evidence: `${what} is not patched` };
}

function wrapped(method: unknown, what: string): Finding {
  return (method as Loose)?.__wrapped
    ? { state: 'patched', evidence: `${what} is wrapped by the OpenTelemetry instrumentation` }
    : { state: 'not patched', evidence: `${what} is not wrapped` };
}

function withDefault(exports: unknown): Loose {
  const loose = exports as Loose;
  return loose?.default && typeof loose.prototype !== 'object' ? (loose.default as Loose) : loose;
}

const entry = (loaded: LoadedPackage | undefined): Loose => (loaded ? (entryExports(loaded) as Loose) : undefined);
const prototypeOf = (value: unknown): Loose => (value as { prototype?: Loose } | undefined)?.prototype;

function expressLayer(loaded: LoadedPackage | undefined): unknown {
  const router = (entry(loaded)?.Router as (() => { use(handler: unknown): unknown; stack?: object[] }) | undefined)?.();
  router?.use(() => {});
  return router?.stack?.[0] ? Object.getPrototypeOf(router.stack[0]) : undefined;
}

/** The prototype pino's loggers share, reached the way the patch reaches it (pino.symbols.writeSym). */
function pinoWrite(loaded: LoadedPackage | undefined): unknown {
  const pino = entry(loaded) as unknown as ((options: object, destination: object) => object) & { symbols?: { writeSym?: symbol } };
  const writeKey = pino?.symbols?.writeSym;
  if (typeof pino !== 'function' || typeof writeKey !== 'symbol') return undefined;
  let shared = Object.getPrototypeOf(pino({ level: 'silent' }, { write: () => true })) as Loose | null;
  while (shared && !Object.prototype.hasOwnProperty.call(shared, writeKey)) shared = Object.getPrototypeOf(shared) as Loose | null;
  return shared?.[writeKey];
}

const PROBES: Record<InstrumentationName, ProbeDefinition> = {
  http: {
    target: 'node:http',
    probe: () => channelFinding([['http.server.request.start', 'http server instrumentation'], ['http.client.response.finish', 'http client instrumentation']]),
  },
  undici: { target: 'fetch (undici)', probe: () => channelFinding([['undici:request:create', 'fetch instrumentation']]) },
  fastify: { target: 'fastify', probedPackage: 'fastify', probe: () => channelFinding([['tracing:fastify.request.handler:start', 'fastify instrumentation']]) },
  express: { target: 'express', probedPackage: 'express', probe: (loaded) => marked(expressLayer(loaded), EXPRESS_MARK, "the router's Layer prototype") },
  koa: { target: 'koa', probedPackage: 'koa', probe: (loaded) => marked(prototypeOf(withDefault(entry(loaded))), KOA_MARK, 'Application.prototype') },
  hono: {
    target: 'hono',
    probedPackage: 'hono',
    probe: (loaded) => {
      const context = entry(loaded)?.Context ?? (loaded ? (cachedExports(loaded.root, 'dist/cjs/context.js') as Loose)?.Context : undefined);
      return marked(prototypeOf(context), HONO_MARK, 'Context.prototype');
    },
  },
  nestjs: { target: '@nestjs/core', probedPackage: '@nestjs/core', probe: (loaded) => marked(prototypeOf(entry(loaded)?.BaseExceptionFilter), NEST_MARK, 'BaseExceptionFilter.prototype') },
  pg: { target: 'pg', probedPackage: 'pg', probe: (loaded) => wrapped(prototypeOf(entry(loaded)?.Client)?.query, 'Client.prototype.query') },
  mysql2: { target: 'mysql2', probedPackage: 'mysql2', probe: (loaded) => wrapped(prototypeOf(entry(loaded)?.Connection)?.query, 'Connection.prototype.query') },
  ioredis: { target: 'ioredis', probedPackage: 'ioredis', probe: (loaded) => wrapped(prototypeOf(withDefault(entry(loaded)))?.sendCommand, 'Redis.prototype.sendCommand') },
  redis: {
    target: 'redis (@redis/client)',
    probedPackage: '@redis/client',
    probe: (loaded) => {
      const client = loaded ? withDefault(cachedExports(loaded.root, 'dist/lib/client/index.js')) : undefined;
      return wrapped(prototypeOf(client)?.sendCommand, 'RedisClient.prototype.sendCommand');
    },
  },
  pino: { target: 'pino', probedPackage: 'pino', probe: (loaded) => marked(pinoWrite(loaded), PINO_MARK, "the loggers' write method") },
  winston: { target: 'winston', probedPackage: 'winston', probe: (loaded) => marked(entry(loaded)?.createLogger, WINSTON_MARK, 'winston.createLogger') },
  amqplib: {
    target: 'amqplib',
    probedPackage: 'amqplib',
    probe: (loaded) => marked(prototypeOf((loaded ? (cachedExports(loaded.root, 'lib/channel_model.js') as Loose) : undefined)?.Channel)?.publish, MESSAGING_MARK, 'Channel.prototype.publish'),
  },
  nats: {
    target: 'nats',
    probedPackage: 'nats',
    probe: (loaded) =>
      marked(prototypeOf((loaded ? (cachedExports(loaded.root, 'lib/nats-base-client/nats.js') as Loose) : undefined)?.NatsConnectionImpl)?.publish, MESSAGING_MARK, 'NatsConnectionImpl.prototype.publish'),
  },
  mqtt: { target: 'mqtt', probedPackage: 'mqtt', probe: (loaded) => marked(prototypeOf(entry(loaded)?.MqttClient)?.publish, MESSAGING_MARK, 'MqttClient.prototype.publish') },
  bullmq: { target: 'bullmq', probedPackage: 'bullmq', probe: (loaded) => marked(prototypeOf(entry(loaded)?.Queue)?.addJob, MESSAGING_MARK, 'Queue.prototype.addJob') },
};

/** The package names each instrumentation watches for, to tell which were loaded before Threadline. */
export const WATCHED_PACKAGES: Partial<Record<InstrumentationName, readonly string[]>> = {
  express: ['express'],
  fastify: ['fastify'],
  koa: ['koa'],
  hono: ['hono'],
  nestjs: ['@nestjs/core'],
  pg: ['pg', 'pg-pool'],
  mysql2: ['mysql2'],
  ioredis: ['ioredis'],
  redis: ['redis', '@redis/client'],
  pino: ['pino'],
  winston: ['winston'],
  amqplib: ['amqplib'],
  nats: ['nats'],
  mqtt: ['mqtt'],
  bullmq: ['bullmq'],
};

function runProbe(definition: ProbeDefinition, loaded: LoadedPackage | undefined): Finding {
  try {
    return definition.probe(loaded);
  } catch (error) {
    return { state: 'not patched', evidence: `the probe failed: ${describeError(error)}` };
  }
}

/**
 * One row per instrumentation (one per loaded copy of its module): whether the module was
 * loaded, and whether the object the app uses carries the patch or the channel has
 * Threadline's subscriber. Never throws.
 */
export function probeInstrumentations(enabled: readonly InstrumentationName[]): InstrumentationRow[] {
  const rows: InstrumentationRow[] = [];
  for (const name of INSTRUMENTATION_NAMES) {
    const definition = PROBES[name];
    if (!enabled.includes(name)) {
      rows.push({ name, target: definition.target, state: 'off', evidence: 'turned off by the configuration' });
      continue;
    }
    if (!definition.probedPackage) {
      const version = name === 'undici' ? process.versions.undici : process.versions.node;
      rows.push({ name, target: definition.target, version, ...runProbe(definition, undefined) });
      continue;
    }
    const copies = loadedCopies(definition.probedPackage);
    if (copies.length === 0) {
      const finding = runProbe(definition, undefined);
      const waiting = finding.state === 'subscribed' ? `; ${finding.evidence}` : '';
      rows.push({ name, target: definition.target, state: 'not loaded', evidence: `the app has not loaded it (through require or import of CommonJS)${waiting}` });
      continue;
    }
    for (const copy of copies) rows.push({ name, target: definition.target, path: copy.root, version: copy.version, ...runProbe(definition, copy) });
  }
  return rows;
}
