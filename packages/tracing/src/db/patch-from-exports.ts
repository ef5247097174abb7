import type { TracerProvider } from '@opentelemetry/api';
import type { InstrumentationModuleDefinition } from '@opentelemetry/instrumentation';

export interface Enableable {
  setTracerProvider(provider: TracerProvider): void;
  enable(): void;
  disable(): void;
  getModuleDefinitions(): InstrumentationModuleDefinition[];
}

type Exports = Record<string, unknown>;

/**
 * Applies an OpenTelemetry instrumentation to a client's exports directly, for a client bundled
 * into the app: its code never passes through `require`, so the instrumentation's load hooks
 * never fire. Each instrumentation's own patch functions do the wrapping (they unwrap first, so
 * a client that also loads through `require` is wrapped once); this only picks the object each
 * expects from the package's public exports. Throws when the exports are not the client's.
 */
export function patchFromExports(name: string, instrumentation: Enableable, given: unknown): void {
  const exports = moduleExports(given);
  const definitions = instrumentation.getModuleDefinitions();
  const definition = (moduleName: string) => definitions.find((candidate) => candidate.name === moduleName);
  switch (name) {
    case 'pg':
      // The `pg` definition patches `exports.Client.prototype`; `Pool` checks out those clients.
      expectFunction(exports, 'Client', name);
      definition('pg')?.patch?.(exports);
      return;
    case 'mysql2': {
      // The package definition picks up `format` (for the query text); the connection file's
      // patch wraps `query` and `execute` on the class `mysql2` exports as `Connection`.
      expectFunction(exports, 'Connection', name);
      const mysql = definition('mysql2');
      mysql?.patch?.(exports);
      mysql?.files.find((file) => file.name === 'mysql2/lib/connection.js')?.patch(exports.Connection);
      return;
    }
    case 'ioredis':
      if (typeof exports !== 'function' || typeof (exports as { prototype?: Exports }).prototype?.sendCommand !== 'function') {
        throw new Error('ioredis: expected the Redis class that require("ioredis") returns');
      }
      definition('ioredis')?.patch?.(exports);
      return;
    default:
      // node-redis 4+ is instrumented inside @redis/client's own files, which its public
      // exports do not reach.
      throw new Error(`${name} cannot be instrumented from its exports; keep it external (see docs/bundling.md)`);
  }
}

/** An ES module namespace (`import * as pg`) carries the CommonJS exports as `default`. */
function moduleExports(given: unknown): Exports {
  const candidate = given as Exports & { [Symbol.toStringTag]?: string };
  if (candidate && candidate[Symbol.toStringTag] === 'Module' && candidate.default) return candidate.default as Exports;
  return candidate;
}

function expectFunction(exports: Exports, key: string, name: string): void {
  if (typeof exports !== 'object' && typeof exports !== 'function') throw new Error(`${name}: expected the exports of require("${name}")`);
  if (typeof exports?.[key] !== 'function') throw new Error(`${name}: expected the exports of require("${name}") (no ${key})`);
}
