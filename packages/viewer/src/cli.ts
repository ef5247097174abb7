import { DEFAULT_LIMITS } from './store';
import type { ViewerLimits, ViewerOptions } from './types';
import { DEFAULT_HOST, DEFAULT_OTLP_PORT, DEFAULT_UI_PORT, startViewer } from './viewer';

const USAGE = `threadline-viewer: a local OTLP/HTTP receiver and a web page joining traces, logs and metrics

  --port N          OTLP/HTTP port (default ${DEFAULT_OTLP_PORT}; 0 picks a free one)
  --ui-port N       web page and JSON API port (default ${DEFAULT_UI_PORT}; 0 picks a free one)
  --host ADDRESS    interface to listen on (default ${DEFAULT_HOST})
  --max-traces N    traces kept, oldest dropped first (default ${DEFAULT_LIMITS.maxTraces})
  --max-logs N      log records kept (default ${DEFAULT_LIMITS.maxLogRecords})
  --max-points N    metric points kept (default ${DEFAULT_LIMITS.maxMetricPoints})
  --forward URL     also send everything received to this OTLP/HTTP endpoint
`;

const LIMIT_FLAGS: Record<string, keyof ViewerLimits> = {
  '--max-traces': 'maxTraces',
  '--max-logs': 'maxLogRecords',
  '--max-points': 'maxMetricPoints',
};

export function parseArguments(args: readonly string[]): ViewerOptions | string {
  const options: ViewerOptions = {};
  const limits: Partial<ViewerLimits> = {};
  for (let index = 0; index < args.length; index++) {
    const flag = args[index]!;
    if (flag === '--help' || flag === '-h') return USAGE;
    const value = args[++index];
    if (value === undefined) return `${flag} needs a value\n\n${USAGE}`;
    const count = Number(value);
    const isCount = Number.isInteger(count) && count >= 0;
    if (flag === '--port' && isCount) options.otlpPort = count;
    else if (flag === '--ui-port' && isCount) options.uiPort = count;
    else if (flag === '--host') options.host = value;
    else if (flag === '--forward') options.forwardTo = value;
    else if (LIMIT_FLAGS[flag] && isCount && count > 0) limits[LIMIT_FLAGS[flag]] = count;
    else return `bad argument: ${flag} ${value}\n\n${USAGE}`;
  }
  options.limits = limits;
  return options;
}

export function main(args: readonly string[]): void {
  const options = parseArguments(args);
  if (typeof options === 'string') {
    process.stderr.write(options);
    process.exitCode = options === USAGE ? 0 : 2;
    return;
  }
  startViewer(options).then(
    (viewer) => {
      process.stdout.write(`Threadline viewer\n  OTLP/HTTP   ${viewer.otlpUrl}   (OTEL_EXPORTER_OTLP_ENDPOINT=${viewer.otlpUrl})\n  web page    ${viewer.uiUrl}\n`);
      const stop = (): void => void viewer.stop().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (error: unknown) => {
      process.stderr.write(`threadline-viewer could not start: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
