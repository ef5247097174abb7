// The demo's command line.
const USAGE = `pnpm demo [-- options]
  --seed N          which bug gets planted (default: random; the run prints it)
  --duration S      seconds of traffic (default 60)
  --exit            end after the investigation instead of keeping the viewer up
  --report FILE     write what was planted and what the investigation found, as JSON
  --otlp-port N     the viewer's OTLP/HTTP port (default 4318, 0 picks a free one)
  --ui-port N       the viewer's web page port (default 4319, 0 picks a free one)`;

export function parseOptions(args) {
  const options = { seed: Math.floor(Math.random() * 1_000_000), duration: 60, exit: false, report: undefined, otlpPort: 4318, uiPort: 4319 };
  for (let index = 0; index < args.length; index++) {
    const flag = args[index];
    const value = () => {
      const next = args[++index];
      if (next === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return next;
    };
    const number = () => {
      const parsed = Number(value());
      if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${flag} needs a whole number\n${USAGE}`);
      return parsed;
    };
    if (flag === '--') continue;
    else if (flag === '--seed') options.seed = number();
    else if (flag === '--duration') options.duration = Math.max(5, number());
    else if (flag === '--exit') options.exit = true;
    else if (flag === '--report') options.report = value();
    else if (flag === '--otlp-port') options.otlpPort = number();
    else if (flag === '--ui-port') options.uiPort = number();
    else throw new Error(`unknown option ${flag}\n${USAGE}`);
  }
  return options;
}
