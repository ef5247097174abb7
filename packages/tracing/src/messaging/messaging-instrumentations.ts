import { join } from 'node:path';
import type { Tracer } from '@opentelemetry/api';
import type { Diagnostics, InstrumentationName } from '@threadline/core';
import type { AttachContext } from './iterated-messages';
import { watchClientLoads } from '../watch-clients';
import { instrumentAmqplib } from './amqplib';
import { instrumentBullmq } from './bullmq';
import { instrumentMqtt } from './mqtt';
import { instrumentNats } from './nats';

interface MessagingInstrumentation {
  packages: readonly string[];
  /** Patches the client once it loaded; returns the function that restores it. */
  instrument(exports: unknown, tracer: Tracer, diagnostics: Diagnostics, attach: AttachContext): () => void;
}

/** A module a client's entry point loaded, found by its file (the entry point does not export it). */
function loadedModule(suffix: string): unknown {
  const file = Object.keys(require.cache).find((name) => name.replaceAll('\\', '/').endsWith(suffix));
  return file ? require.cache[file]?.exports : undefined;
}

/**
 * A module of a package the app loaded, loaded from the app's copy (the package's entry point
 * for one API does not load the other's module). Only modules of packages already loaded, so
 * nothing is loaded that the app does not have.
 */
function packageModule(packageName: string, file: string): unknown {
  const marker = `/node_modules/${packageName}/`;
  const loaded = Object.keys(require.cache).find((name) => name.replaceAll('\\', '/').includes(marker));
  if (!loaded) return undefined;
  const root = loaded.slice(0, loaded.replaceAll('\\', '/').lastIndexOf(marker) + marker.length);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the app's own copy, found at run time
    return require(join(root, file)) as unknown;
  } catch {
    return undefined; // another layout of the package: the instrumentation says what it misses
  }
}

const MESSAGING_INSTRUMENTATIONS: Partial<Record<InstrumentationName, MessagingInstrumentation>> = {
  amqplib: {
    packages: ['amqplib'],
    // Both APIs are patched whichever the app loaded first (`amqplib` or `amqplib/callback_api`):
    // the first load of either is the only one Threadline sees.
    instrument: (_exports, tracer, diagnostics) => instrumentAmqplib({ promise: packageModule('amqplib', 'lib/channel_model.js'), callback: packageModule('amqplib', 'lib/callback_model.js') }, tracer, diagnostics),
  },
  nats: {
    packages: ['nats'],
    instrument: (entry, tracer, diagnostics, attach) =>
      instrumentNats(
        {
          entry,
          connection: loadedModule('/node_modules/nats/lib/nats-base-client/nats.js'),
          jetStreamClient: loadedModule('/node_modules/nats/lib/jetstream/jsclient.js'),
          consumer: loadedModule('/node_modules/nats/lib/jetstream/consumer.js'),
          jetStreamMessage: loadedModule('/node_modules/nats/lib/jetstream/jsmsg.js'),
          protocol: loadedModule('/node_modules/nats/lib/nats-base-client/protocol.js'),
        },
        tracer,
        diagnostics,
        attach,
      ),
  },
  mqtt: {
    packages: ['mqtt'],
    instrument: (entry, tracer, diagnostics) => instrumentMqtt(entry, tracer, diagnostics),
  },
  bullmq: {
    packages: ['bullmq'],
    instrument: (entry, tracer, diagnostics) => instrumentBullmq(entry, loadedModule('/node_modules/bullmq/dist/cjs/classes/child-processor.js'), tracer, diagnostics),
  },
};

/**
 * Message-queue client instrumentations: Threadline's own small wrappers of each client's
 * publish and consume functions, applied when the app first loads the client (nothing is
 * loaded at start).
 */
export function enableMessagingInstrumentations(names: readonly InstrumentationName[], tracer: Tracer, diagnostics: Diagnostics, attach: AttachContext): () => void {
  const restores: (() => void)[] = [];
  const stopWatching = watchClientLoads(names, MESSAGING_INSTRUMENTATIONS, diagnostics, { untraced: 'messages', failure: 'could not load a messaging instrumentation' }, (definition) => ({
    packages: definition.packages,
    onLoaded: (exports: unknown) => {
      restores.push(definition.instrument(exports, tracer, diagnostics, attach));
      return exports;
    },
  }));
  return () => {
    stopWatching();
    for (const restore of restores.splice(0)) restore();
  };
}
