import type { TracerProvider } from '@opentelemetry/api';
import type { Diagnostics, InstrumentationName, LoaderHookedPackage } from '@threadline/core';
import { alreadyLoaded, onAppModule, watchFirstLoads } from '@threadline/core';
import { patchFromExports } from './patch-from-exports';
import type { Enableable } from './patch-from-exports';
import { redisStatement } from './redis-statement';

interface DbInstrumentation {
  packages: readonly string[];
  /** Loads OpenTelemetry's instrumentation for the client, configured the Threadline way. */
  create(): Enableable;
}

/* eslint-disable @typescript-eslint/no-require-imports -- each loads on the first use of its client */
const DB_INSTRUMENTATIONS: Partial<Record<InstrumentationName, DbInstrumentation>> = {
  pg: {
    packages: ['pg', 'pg-pool'],
    create: () => {
      const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
      // Connection and pool-checkout spans are noise next to the query spans.
      return new PgInstrumentation({ enabled: false, ignoreConnectSpans: true, enhancedDatabaseReporting: false });
    },
  },
  mysql2: {
    packages: ['mysql2'],
    create: () => {
      const { MySQL2Instrumentation } = require('@opentelemetry/instrumentation-mysql2') as typeof import('@opentelemetry/instrumentation-mysql2');
      return new MySQL2Instrumentation({ enabled: false });
    },
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
    targets.push({ packages: definition.packages, onFirstLoad: () => instrumentation().enable() });
  }
  const stopWatching = targets.length > 0 ? watchFirstLoads(targets, (error) => diagnostics.suppressed('could not load a database instrumentation', error)) : () => {};
  return () => {
    stopWatching();
    for (const instrumentation of created.splice(0)) instrumentation.disable();
  };
}
