import type { TracerProvider } from '@opentelemetry/api';
import type { Diagnostics, InstrumentationName } from '@threadline/core';
import { watchClientLoads } from '../watch-clients';
import { redisStatement } from './redis-statement';

interface Enableable {
  setTracerProvider(provider: TracerProvider): void;
  enable(): void;
  disable(): void;
}

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
 * Database client instrumentations, each loaded when the app first loads its client. A client
 * already loaded before Threadline started cannot be hooked any more: that is said once, by name.
 */
export function enableDbInstrumentations(
  names: readonly InstrumentationName[],
  provider: TracerProvider,
  diagnostics: Diagnostics,
): () => void {
  const enabled: Enableable[] = [];
  const stopWatching = watchClientLoads(names, DB_INSTRUMENTATIONS, diagnostics, { untraced: 'calls', failure: 'could not load a database instrumentation' }, (definition) => ({
    packages: definition.packages,
    onFirstLoad: () => {
      const instrumentation = definition.create();
      instrumentation.setTracerProvider(provider);
      instrumentation.enable();
      enabled.push(instrumentation);
    },
  }));
  return () => {
    stopWatching();
    for (const instrumentation of enabled.splice(0)) instrumentation.disable();
  };
}
