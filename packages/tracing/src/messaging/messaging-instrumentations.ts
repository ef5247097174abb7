import type { Tracer } from '@opentelemetry/api';
import type { Diagnostics, InstrumentationName } from '@threadline/core';
import { watchClientLoads } from '../watch-clients';
import { instrumentAmqplib } from './amqplib';
import { instrumentBullmq } from './bullmq';
import { instrumentMqtt } from './mqtt';
import { instrumentNats } from './nats';

interface MessagingInstrumentation {
  packages: readonly string[];
  /** Patches the client once it loaded; returns the function that restores it. */
  instrument(exports: unknown, tracer: Tracer, diagnostics: Diagnostics): () => void;
}

/** A module a client's entry point loaded, found by its file (the entry point does not export it). */
function loadedModule(suffix: string): unknown {
  const file = Object.keys(require.cache).find((name) => name.replaceAll('\\', '/').endsWith(suffix));
  return file ? require.cache[file]?.exports : undefined;
}

const MESSAGING_INSTRUMENTATIONS: Partial<Record<InstrumentationName, MessagingInstrumentation>> = {
  amqplib: {
    packages: ['amqplib'],
    instrument: (_exports, tracer, diagnostics) => instrumentAmqplib(loadedModule('/node_modules/amqplib/lib/channel_model.js'), tracer, diagnostics),
  },
  nats: {
    packages: ['nats'],
    instrument: (entry, tracer, diagnostics) =>
      instrumentNats(
        {
          entry,
          connection: loadedModule('/node_modules/nats/lib/nats-base-client/nats.js'),
          jetStreamClient: loadedModule('/node_modules/nats/lib/jetstream/jsclient.js'),
          consumer: loadedModule('/node_modules/nats/lib/jetstream/consumer.js'),
          jetStreamMessage: loadedModule('/node_modules/nats/lib/jetstream/jsmsg.js'),
        },
        tracer,
        diagnostics,
      ),
  },
  mqtt: {
    packages: ['mqtt'],
    instrument: (entry, tracer, diagnostics) => instrumentMqtt(entry, tracer, diagnostics),
  },
  bullmq: {
    packages: ['bullmq'],
    instrument: (entry, tracer, diagnostics) => instrumentBullmq(entry, tracer, diagnostics),
  },
};

/**
 * Message-queue client instrumentations: Threadline's own small wrappers of each client's
 * publish and consume functions, applied when the app first loads the client (nothing is
 * loaded at start).
 */
export function enableMessagingInstrumentations(names: readonly InstrumentationName[], tracer: Tracer, diagnostics: Diagnostics): () => void {
  const restores: (() => void)[] = [];
  const stopWatching = watchClientLoads(names, MESSAGING_INSTRUMENTATIONS, diagnostics, { untraced: 'messages', failure: 'could not load a messaging instrumentation' }, (definition) => ({
    packages: definition.packages,
    onLoaded: (exports: unknown) => {
      restores.push(definition.instrument(exports, tracer, diagnostics));
      return exports;
    },
  }));
  return () => {
    stopWatching();
    for (const restore of restores.splice(0)) restore();
  };
}
