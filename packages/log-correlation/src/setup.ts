import type { Attributes, Diagnostics, ResolvedConfig } from '@threadline/core';
import { alreadyLoaded, onAppModule, watchFirstLoads } from '@threadline/core';
import { correlateConsole } from './console-injection';
import type { LogPipeline } from './log-pipeline';
import type { LogPolicy } from './log-policy';
import { createLogPolicy } from './log-policy';
import { createLogPipeline } from './log-pipeline';
import { correlatePinoInPlace } from './pino-in-place';
import { wrapPino } from './pino-injection';
import { instrumentWinston } from './winston-injection';

export interface LogCorrelation {
  pipeline: LogPipeline;
  /** What every logger masks and bounds; the Threadline logger takes it too. */
  policy: LogPolicy;
  /** Removes the injections (the pipeline is shut down by its own `shutdown`). */
  uninstall(): void;
}

/**
 * Sets up what the bootstrap needs for logs: the OTLP log pipeline, the injection into the
 * app's pino and winston loggers (when the app loads them, or hands them over from a bundle),
 * and console correlation if asked.
 */
export function setUpLogCorrelation(config: ResolvedConfig, resourceAttributes: Attributes, diagnostics: Diagnostics): LogCorrelation {
  const pipeline = createLogPipeline(config, resourceAttributes, diagnostics);
  const policy = createLogPolicy(config, (error) => diagnostics.suppressed('a log call failed inside Threadline', error));
  const targets = [];
  if (config.instrumentations.includes('pino')) {
    onAppModule('pino', (exports) => correlatePinoInPlace(exports, pipeline.sink));
    // Loggers made through `require('pino')` get the wrapped function (correlation through
    // their options, records as pino serialized them); the loggers' shared write method is
    // patched as well, for an ES module's `import pino from 'pino'`, which keeps the original.
    targets.push({
      packages: ['pino'],
      onLoaded: (exports: unknown) => {
        if (typeof exports !== 'function') return exports;
        correlatePinoInPlace(exports, pipeline.sink);
        return wrapPino(exports as never, pipeline.sink, policy);
      },
    });
  }
  if (config.instrumentations.includes('winston')) {
    onAppModule('winston', (exports) => {
      if (typeof (exports as { createLogger?: unknown })?.createLogger !== 'function') throw new Error('winston: expected the exports of require("winston")');
      instrumentWinston(exports as never, pipeline.sink, policy);
    });
    targets.push({ packages: ['winston'], onLoaded: (exports: unknown) => instrumentWinston(exports as never, pipeline.sink, policy) });
  }
  for (const target of targets) {
    const name = target.packages[0]!;
    if (alreadyLoaded(name)) diagnostics.warn(`${name} was loaded before Threadline started: its log lines will not carry trace and request IDs; start Threadline first`);
  }
  const stopWatching = watchFirstLoads(
    targets.filter((target) => !alreadyLoaded(target.packages[0]!)),
    (error) => diagnostics.suppressed('could not add correlation to a logger', error),
  );
  const restoreConsole = config.logs.correlateConsole ? correlateConsole(config.serviceName, pipeline.sink, policy) : () => {};
  return {
    pipeline,
    policy,
    uninstall() {
      stopWatching();
      restoreConsole();
    },
  };
}
