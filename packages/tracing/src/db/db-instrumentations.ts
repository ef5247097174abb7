import { createRequire } from 'node:module';
import type { Histogram, Meter, MeterOptions, MeterProvider, MetricOptions, TracerProvider } from '@opentelemetry/api';
import { createNoopMeter, metrics } from '@opentelemetry/api';
import type { Diagnostics, InstrumentationName, LoaderHookedPackage } from '@threadline/core';
import { alreadyLoaded, onAppModule, watchFirstLoads } from '@threadline/core';
import { rememberMysqlError } from './db-error-type';
import { patchFromExports } from './patch-from-exports';
import type { Enableable } from './patch-from-exports';
import { redisStatement } from './redis-statement';

interface DbInstrumentation {
  packages: readonly string[];
  /** Loads OpenTelemetry's instrumentation for the client, configured the Threadline way. */
  create(): Enableable;
  /** Runs once the client's code loaded. */
  onLoaded?(): void;
}

/** The metrics package's name for it; the tracing package does not depend on metrics. */
const DB_CLIENT_DURATION = 'db.client.operation.duration';

/**
 * A meter provider whose meters do not create the histogram `name`. instrumentation-pg records
 * db.client.operation.duration too, without exemplars; Threadline's covers every client, so
 * pg's copy is never made rather than counted twice (its pool metrics stay).
 */
function withoutHistogram(provider: MeterProvider, name: string): MeterProvider {
  const noop = createNoopMeter();
  return {
    getMeter(meterName: string, version?: string, options?: MeterOptions): Meter {
      const meter = provider.getMeter(meterName, version, options);
      const createHistogram = (histogramName: string, histogramOptions?: MetricOptions): Histogram =>
        histogramName === name ? noop.createHistogram(histogramName, histogramOptions) : meter.createHistogram(histogramName, histogramOptions);
      // The meter's own methods stay, called on the meter itself.
      return Object.assign(Object.create(meter) as Meter, { createHistogram });
    },
  };
}

/* eslint-disable @typescript-eslint/no-require-imports -- each loads on the first use of its client */
const DB_INSTRUMENTATIONS: Partial<Record<InstrumentationName, DbInstrumentation>> = {
  pg: {
    packages: ['pg', 'pg-pool'],
    create: () => {
      const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
      // Connection and pool-checkout spans are noise next to the query spans.
      const instrumentation = new PgInstrumentation({ enabled: false, ignoreConnectSpans: true, enhancedDatabaseReporting: false });
      instrumentation.setMeterProvider(withoutHistogram(metrics.getMeterProvider(), DB_CLIENT_DURATION));
      return instrumentation;
    },
  },
  mysql2: {
    packages: ['mysql2'],
    create: () => {
      const { MySQL2Instrumentation } = require('@opentelemetry/instrumentation-mysql2') as typeof import('@opentelemetry/instrumentation-mysql2');
      return new MySQL2Instrumentation({ enabled: false });
    },
    onLoaded: patchMysqlErrorPackets,
  },
  ioredis: {
    packages: ['ioredis'],
    create: () => {
      const { IORedisInstrumentation } = require('@opentelemetry/instrumentation-ioredis') as typeof import('@opentelemetry/instrumentation-ioredis');
      return new IORedisInstrumentation({ enabled: false, dbStatementSerializer: redisStatement });
    },
  },
  redis: {
    packages: ['redis', '@redis/client'],
    create: () => {
      const { RedisInstrumentation } = require('@opentelemetry/instrumentation-redis') as typeof import('@opentelemetry/instrumentation-redis');
      // Like ioredis by default: no spans outside a trace (connection set-up, reconnect chatter).
      return new RedisInstrumentation({ enabled: false, requireParentSpan: true, dbStatementSerializer: redisStatement });
    },
  },
};
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * Database client instrumentations, each loaded when the app first loads its client, or when
 * the app hands the client's exports over (a bundled app, see patch-from-exports.ts). A client
 * already loaded before Threadline started cannot be hooked any more: that is said once, by name.
 */
export function enableDbInstrumentations(
  names: readonly InstrumentationName[],
  provider: TracerProvider,
  diagnostics: Diagnostics,
): () => void {
  const created: Enableable[] = [];
  const targets = [];
  for (const name of names) {
    const definition = DB_INSTRUMENTATIONS[name];
    if (!definition) continue;
    // One instance per client, shared by the load hook and the exports an app hands over, so
    // that a client reaching both paths is wrapped once.
    let instance: Enableable | undefined;
    const instrumentation = (): Enableable => {
      if (!instance) {
        instance = definition.create();
        instance.setTracerProvider(provider);
        created.push(instance);
      }
      return instance;
    };
    onAppModule(name as LoaderHookedPackage, (exports) => patchFromExports(name, instrumentation(), exports));
    const early = definition.packages.find((packageName) => alreadyLoaded(packageName));
    if (early) {
      diagnostics.warn(`${early} was loaded before Threadline started: its calls will not be traced; start Threadline first`);
      continue;
    }
    targets.push({
      packages: definition.packages,
      onFirstLoad: () => instrumentation().enable(),
      onLoaded: (exports: unknown) => {
        definition.onLoaded?.();
        return exports;
      },
    });
  }
  const stopWatching = targets.length > 0 ? watchFirstLoads(targets, (error) => diagnostics.suppressed('could not load a database instrumentation', error)) : () => {};
  return () => {
    stopWatching();
    for (const instrumentation of created.splice(0)) instrumentation.disable();
  };
}

type ErrorPacket = { asError(this: unknown, ...args: unknown[]): { message?: unknown; code?: unknown } };

/**
 * instrumentation-mysql2 keeps only an error's message; the code (`ER_NO_REFERENCED_ROW_2`) is on
 * the error mysql2 builds from the server's error packet (`Packet.prototype.asError`, called only
 * for errors). Remembering the last one lets the span's end find the code (db-error-type.ts).
 * mysql2's exports map hides the file, so it is required relative to the loaded package.
 */
function patchMysqlErrorPackets(): void {
  const entry = Object.keys(require.cache).find((file) => /[\\/]node_modules[\\/]mysql2[\\/][^\\/]+\.js$/.test(file));
  if (!entry) return;
  const Packet = createRequire(entry)('./lib/packets/packet.js') as { prototype: ErrorPacket & Record<symbol, unknown> };
  const patched = Symbol.for('threadline.mysql2.patched');
  if (Packet.prototype[patched]) return;
  const asError = Packet.prototype.asError;
  Packet.prototype.asError = function (this: unknown, ...args: unknown[]) {
    const error = asError.apply(this, args);
    rememberMysqlError(error);
    return error;
  };
  Packet.prototype[patched] = true;
}
