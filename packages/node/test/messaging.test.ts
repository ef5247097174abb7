import { randomBytes } from 'node:crypto';
import type { ReceivedMetric, ReceivedSpan } from '@threadline/testing';
import type { AppResult, RunningApp } from './helpers/run-app';
import { diagnosticLines, runApp, startApp } from './helpers/run-app';
import { jsonLines } from './helpers/log-lines';
import { useReceiver } from './helpers/receiver';

const SERVER = 2;
const CLIENT = 3;
const PRODUCER = 4;
const CONSUMER = 5;
const STATUS_ERROR = 2;
const GENERATED_ID = /^[0-9a-f]{32}$/;

/**
 * Per client: its `messaging.system`, the producer's operation name, the `error.type` of a
 * consumer asking for redelivery (`undefined`: the system does not redeliver), and whether the
 * consumer span can see the handler's error (a `for await` body's error ends the loop, so the
 * fixture catches it inside the body, where no library sees it). BullMQ job data is serialized
 * by BullMQ itself, so its size is not known without serializing it twice.
 */
const SYSTEMS: { client: string; system: string; sendOperation: string; rejectedAs: string | undefined; seesErrors: boolean }[] = [
  { client: 'amqplib', system: 'rabbitmq', sendOperation: 'publish', rejectedAs: 'nack', seesErrors: true },
  { client: 'amqplib-callback', system: 'rabbitmq', sendOperation: 'publish', rejectedAs: 'nack', seesErrors: true },
  { client: 'nats', system: 'nats', sendOperation: 'publish', rejectedAs: undefined, seesErrors: true },
  { client: 'nats-iterated', system: 'nats', sendOperation: 'publish', rejectedAs: undefined, seesErrors: false },
  { client: 'nats-jetstream', system: 'nats', sendOperation: 'publish', rejectedAs: 'nak', seesErrors: true },
  { client: 'nats-jetstream-iterated', system: 'nats', sendOperation: 'publish', rejectedAs: 'nak', seesErrors: false },
  { client: 'nats-jetstream-fetched', system: 'nats', sendOperation: 'publish', rejectedAs: 'nak', seesErrors: false },
  { client: 'mqtt', system: 'mqtt', sendOperation: 'publish', rejectedAs: undefined, seesErrors: true },
  { client: 'bullmq', system: 'bullmq', sendOperation: 'add', rejectedAs: 'RetryLater', seesErrors: true },
];

/** Everything as text, to prove a value is nowhere in it. */
const asText = (value: unknown): string => JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? String(item) : item));

type Point = Record<string, unknown> & { attributes: Record<string, unknown> };
interface Exemplar {
  traceId: string;
  spanId: string;
}

describe.each(SYSTEMS)('messages through $client', ({ client, system, sendOperation, rejectedAs, seesErrors }) => {
  const receiver = useReceiver();
  jest.setTimeout(120_000);

  function start(role: string, script: string, env: Record<string, string>): RunningApp {
    return startApp([script], {
      OTEL_SERVICE_NAME: `service-${role}`,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_BLRP_SCHEDULE_DELAY: '100',
      OTEL_METRIC_EXPORT_INTERVAL: '60000',
      ...env,
    });
  }

  /** Resolves once the app wrote a JSON log line with these fields. */
  async function waitForLine(app: RunningApp, fields: Record<string, unknown>): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (!jsonLines(app.output()).some((line) => Object.entries(fields).every(([key, value]) => line[key] === value))) {
      if (Date.now() > deadline || app.child.exitCode !== null) throw new Error(`no line with ${JSON.stringify(fields)}; stdout: ${app.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function stop(app: RunningApp): Promise<AppResult> {
    app.child.kill('SIGTERM');
    return app.exited;
  }

  it('carries one trace and one request ID from an HTTP request through the broker to the consumer and beyond', async () => {
    const destination = `threadline-test-${randomBytes(6).toString('hex')}`;
    const env = { SYSTEM: client, DESTINATION: destination };
    const downstream = start('downstream', 'chain-service.cjs', { ROLE: 'c' });
    const downstreamUrl = `http://127.0.0.1:${await downstream.waitForPort(60_000)}`;
    const consumer = start('consumer', 'messaging-service.cjs', { ...env, ROLE: 'consumer', NEXT_URL: downstreamUrl });
    await consumer.waitForOutput('consuming', 60_000);
    const producer = start('producer', 'messaging-service.cjs', { ...env, ROLE: 'producer' });
    const producerUrl = `http://127.0.0.1:${await producer.waitForPort(60_000)}`;

    const sent: Record<string, { mode: string; requestId: string }> = {};
    const publish = async (nonce: string, mode: string, given?: string) => {
      const answer = await fetch(`${producerUrl}/publish/${nonce}/${mode}`, { headers: given ? { 'x-request-id': given } : {} });
      sent[nonce] = { mode, requestId: ((await answer.json()) as { requestId: string }).requestId };
    };
    await publish('n0', 'ok', 'given-0');
    await publish('n1', 'ok');
    if (rejectedAs) await publish('n2', 'redeliver');
    await publish('n3', 'throw');
    await publish('n4', 'ok');
    // Another producer, without Threadline, sends request IDs that must not be accepted.
    const invalid = 'bad id "quoted" <b>';
    const oversized = `x${'y'.repeat(300)}`;
    for (const [nonce, requestId] of [['n5', invalid], ['n6', oversized]] as const) {
      const raw = await runApp(['messaging-raw-publish.cjs'], { ...env, NONCE: nonce, HEADERS: JSON.stringify({ 'x-request-id': requestId }) });
      expect(raw.stderr).toBe('');
    }
    const handled = ['n0', 'n1', ...(rejectedAs ? ['n2'] : []), 'n4', 'n5', 'n6'];
    for (const nonce of handled) await waitForLine(consumer, { event: 'consumer.done', nonce });
    await waitForLine(consumer, { event: 'consumer.unhandled' });

    const results = { producer: await stop(producer), consumer: await stop(consumer), downstream: await stop(downstream) };
    for (const result of Object.values(results)) expect(diagnosticLines(result.stderr)).toEqual([]);
    const spans = receiver.spans();
    const logLines = Object.values(results).flatMap((result) => jsonLines(result.stdout));
    const serviceOf = (span: ReceivedSpan) => span.resource['service.name'];

    for (const nonce of Object.keys(sent)) {
      const { mode, requestId } = sent[nonce]!;
      if (nonce === 'n0') expect(requestId).toBe('given-0');
      else expect(requestId).toMatch(GENERATED_ID);
      const entry = spans.find((span) => span.attributes['url.path'] === `/publish/${nonce}/${mode}`)!;
      const inTrace = spans.filter((span) => span.traceId === entry.traceId);
      const producerSpans = inTrace.filter((span) => span.kind === PRODUCER);
      expect(producerSpans).toHaveLength(1);
      const producerSpan = producerSpans[0]!;
      expect(producerSpan).toMatchObject({ name: `${sendOperation} ${destination}`, parentSpanId: entry.spanId });
      expect(producerSpan.attributes).toMatchObject({ 'messaging.system': system, 'messaging.operation.type': 'send', 'messaging.destination.name': destination });
      if (system !== 'bullmq') expect(producerSpan.attributes['messaging.message.body.size']).toBeGreaterThan(0);

      // The consumer span continues the producer's: its parent is the producer span.
      const consumerSpans = inTrace.filter((span) => span.kind === CONSUMER);
      expect(consumerSpans.length).toBe(mode === 'redeliver' ? 2 : 1);
      for (const consumerSpan of consumerSpans) {
        expect(serviceOf(consumerSpan)).toBe('service-consumer');
        expect(consumerSpan).toMatchObject({ name: `process ${destination}`, parentSpanId: producerSpan.spanId });
        expect(consumerSpan.attributes).toMatchObject({
          'messaging.system': system,
          'messaging.operation.type': 'process',
          'messaging.destination.name': destination,
          'request.id': requestId,
          tenant: 'acme',
        });
        expect(asText(consumerSpan)).not.toContain(`"nonce":"${nonce}"`);
      }
      if (mode === 'redeliver') {
        const [first, second] = [...consumerSpans].sort((a, b) => Number(a.startTimeUnixNano - b.startTimeUnixNano));
        expect(first!.attributes).toMatchObject({ 'messaging.message.redelivered': false, 'error.type': rejectedAs });
        expect(second!.attributes['messaging.message.redelivered']).toBe(true);
        expect(second!.attributes['error.type']).toBeUndefined();
      }
      if (mode === 'throw') {
        if (seesErrors) {
          expect(consumerSpans[0]!.status.code).toBe(STATUS_ERROR);
          expect(consumerSpans[0]!.attributes['error.type']).toBe('Error');
          expect(consumerSpans[0]!.events.map((event) => event.name)).toContain('exception');
        }
        continue;
      }

      // What the handler did joins the same trace, under the consumer span that handled it.
      const handledBy = consumerSpans.find((span) => span.attributes['error.type'] === undefined)!;
      const one = (what: string, predicate: (span: ReceivedSpan) => boolean): ReceivedSpan => {
        const found = inTrace.find(predicate);
        if (!found) throw new Error(`no ${what} in the trace of ${nonce}: ${inTrace.map((span) => `${String(serviceOf(span))} ${span.name}`).join(', ')}`);
        return found;
      };
      const consumerCall = one('consumer HTTP call', (span) => span.kind === CLIENT && serviceOf(span) === 'service-consumer' && span.attributes['http.request.method'] !== undefined);
      const consumerQuery = one('consumer query', (span) => serviceOf(span) === 'service-consumer' && span.attributes['db.system.name'] === 'postgresql');
      const downstreamEntry = one('downstream entry', (span) => span.kind === SERVER && serviceOf(span) === 'service-downstream');
      const downstreamQuery = one('downstream query', (span) => serviceOf(span) === 'service-downstream' && span.attributes['db.system.name'] === 'postgresql');
      expect(consumerCall.parentSpanId).toBe(handledBy.spanId);
      expect(consumerQuery.parentSpanId).toBe(handledBy.spanId);
      expect(downstreamEntry.parentSpanId).toBe(consumerCall.spanId);
      expect(downstreamQuery.parentSpanId).toBe(downstreamEntry.spanId);
      expect(downstreamEntry.attributes['request.id']).toBe(requestId);
      expect(new Set(inTrace.map(serviceOf))).toEqual(new Set(['service-producer', 'service-consumer', 'service-downstream']));

      // Every log line about this message, in all three services, has the trace and request ID;
      // the consumer's also the request's attributes and feature flags carried in baggage.
      const lines = logLines.filter((line) => line.nonce === nonce);
      expect(lines.map((line) => line.event).sort()).toEqual(
        [...(mode === 'redeliver' ? ['consumer.received'] : []), 'c.done', 'c.queried', 'c.received', 'consumer.done', 'consumer.received', 'producer.published'].sort(),
      );
      for (const line of lines) expect(line).toMatchObject({ trace_id: entry.traceId, request_id: requestId });
      for (const line of lines.filter((candidate) => candidate.service === 'service-consumer')) {
        expect(line).toMatchObject({ tenant: 'acme', feature_flags: { 'fast-path': true } });
      }
    }

    // The consumer went on after the handler that threw.
    const threw = logLines.find((line) => line.event === 'consumer.unhandled');
    expect(threw?.message).toBe('handler failed for n3');

    // A foreign producer's invalid or oversized request ID is replaced by a fresh one.
    for (const [nonce, rejected] of [['n5', invalid], ['n6', oversized]] as const) {
      const done = logLines.find((line) => line.event === 'consumer.done' && line.nonce === nonce)!;
      const consumerSpan = spans.find((span) => span.kind === CONSUMER && span.traceId === done.trace_id)!;
      expect(consumerSpan.parentSpanId).toBe('');
      const fresh = consumerSpan.attributes['request.id'];
      expect(fresh).toMatch(GENERATED_ID);
      expect(done).toMatchObject({ request_id: fresh, requestId: fresh, span_id: consumerSpan.spanId });
      const downstreamEntry = spans.find((span) => span.kind === SERVER && span.traceId === consumerSpan.traceId)!;
      expect(downstreamEntry.attributes['request.id']).toBe(fresh);
      const everything = asText({ spans, records: receiver.logRecords(), results });
      expect(everything).not.toContain(rejected.slice(0, 40));
    }

    // Metrics: counts and durations by system, destination and outcome; the process duration's
    // exemplars lead to consumer spans.
    const last = new Map<string, ReceivedMetric>();
    for (const metric of receiver.metrics()) if (metric.scope.name === '@threadline/metrics') last.set(`${String(metric.resource['service.name'])} ${metric.name}`, metric);
    const points = (service: string, name: string) => (last.get(`service-${service} ${name}`)?.dataPoints ?? []) as Point[];
    const sentPoint = points('producer', 'messaging.client.sent.messages').find((point) => point.attributes['messaging.destination.name'] === destination);
    expect(sentPoint).toMatchObject({ attributes: { 'messaging.system': system, 'messaging.operation.name': sendOperation } });
    expect(Number(sentPoint!.asInt ?? sentPoint!.value)).toBe(Object.keys(sent).length);
    const consumed = points('consumer', 'messaging.client.consumed.messages').filter((point) => point.attributes['messaging.destination.name'] === destination);
    // The consumer group is on the consumer's metrics where the system has one (both NATS fixtures read as `workers`).
    if (system === 'nats') for (const point of consumed) expect(point.attributes['messaging.consumer.group.name']).toBe('workers');
    const count = (point: Point | undefined) => Number(point?.asInt ?? 0);
    // A handler error the consumer span cannot see counts as handled.
    expect(count(consumed.find((point) => point.attributes['error.type'] === undefined))).toBe(handled.length + (seesErrors ? 0 : 1));
    if (rejectedAs) expect(count(consumed.find((point) => point.attributes['error.type'] === rejectedAs))).toBe(1);
    if (seesErrors) expect(count(consumed.find((point) => point.attributes['error.type'] === 'Error'))).toBe(1);
    expect(points('producer', 'messaging.client.operation.duration').length).toBeGreaterThan(0);
    const processed = points('consumer', 'messaging.process.duration').find((point) => point.attributes['error.type'] === undefined)!;
    expect(Number(processed.count)).toBe(handled.length + (seesErrors ? 0 : 1));
    const exemplars = (processed.exemplars ?? []) as Exemplar[];
    expect(exemplars.length).toBeGreaterThan(0);
    for (const exemplar of exemplars) {
      const span = spans.find((candidate) => candidate.spanId === exemplar.spanId);
      expect(span).toMatchObject({ kind: CONSUMER, traceId: exemplar.traceId });
    }
  });
});

describe('messages in an ES module app', () => {
  const receiver = useReceiver();

  it('traces every client imported with import, and joins each consumer to its producer', async () => {
    const destination = `threadline-test-${randomBytes(6).toString('hex')}`;
    const app = startApp(['--import', '@threadline/node/register', 'messaging-esm.mjs'], {
      OTEL_SERVICE_NAME: 'esm-app',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      DESTINATION: destination,
    });
    await app.waitForOutput('finished', 60_000);
    app.child.kill('SIGTERM');
    const result = await app.exited;
    expect(diagnosticLines(result.stderr)).toEqual([]);
    const spans = await receiver.waitForSpans((received) => received.filter((span) => span.kind === CONSUMER).length >= 5, 30_000);
    const root = spans.find((span) => span.name === 'esm.publish')!;
    const requestId = root.attributes['request.id'];
    expect(requestId).toMatch(GENERATED_ID);
    const lines = jsonLines(result.stdout).filter((line) => line.event === 'esm.consumed');
    for (const system of ['rabbitmq', 'nats', 'nats-iterated', 'mqtt', 'bullmq']) {
      const [messagingSystem, destinationName] = system === 'nats-iterated' ? ['nats', `${destination}-iterated`] : [system, destination];
      const sameTarget = (span: ReceivedSpan) => span.attributes['messaging.system'] === messagingSystem && span.attributes['messaging.destination.name'] === destinationName;
      const producerSpan = spans.find((span) => span.kind === PRODUCER && sameTarget(span))!;
      const consumerSpan = spans.find((span) => span.kind === CONSUMER && sameTarget(span))!;
      expect(producerSpan).toMatchObject({ traceId: root.traceId, parentSpanId: root.spanId });
      expect(consumerSpan).toMatchObject({ traceId: root.traceId, parentSpanId: producerSpan.spanId });
      expect(consumerSpan.attributes['request.id']).toBe(requestId);
      expect(lines.find((line) => line.system === system)).toMatchObject({ trace_id: root.traceId, span_id: consumerSpan.spanId, request_id: requestId, requestId });
    }
  });

  /** Runs the ESM app with the given instrumentation switches to its end; it must print no warning. */
  async function runSwitchedEsmApp(switches: Record<string, string>): Promise<AppResult> {
    const app = startApp(['--import', '@threadline/node/register', 'messaging-esm.mjs'], {
      OTEL_SERVICE_NAME: 'esm-app',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      DESTINATION: `threadline-test-${randomBytes(6).toString('hex')}`,
      ...switches,
    });
    await app.waitForOutput('finished', 60_000);
    app.child.kill('SIGTERM');
    const result = await app.exited;
    expect(diagnosticLines(result.stderr)).toEqual([]);
    return result;
  }

  it('leaves every client alone when its instrumentation is switched off', async () => {
    const result = await runSwitchedEsmApp({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'amqplib,nats,mqtt,bullmq' });
    // The background span arrived, so spans were exported; none of them is a messaging span.
    const spans = await receiver.waitForSpans((received) => received.some((span) => span.name === 'esm.publish'), 30_000);
    expect(spans.filter((span) => span.attributes['messaging.system'] !== undefined)).toEqual([]);
    expect(jsonLines(result.stdout).filter((line) => line.event === 'esm.consumed')).toHaveLength(5);
  });

  it('turns on only the named messaging instrumentations (OTEL_NODE_ENABLED_INSTRUMENTATIONS)', async () => {
    await runSwitchedEsmApp({ OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'nats' });
    const spans = await receiver.waitForSpans((received) => received.filter((span) => span.kind === CONSUMER).length >= 2, 30_000);
    expect(new Set(spans.map((span) => span.attributes['messaging.system']).filter(Boolean))).toEqual(new Set(['nats']));
  });

  it('says by name when a messaging client was loaded before Threadline started', async () => {
    const result = await runApp(['messaging-late.cjs'], { OTEL_SERVICE_NAME: 'late', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    expect(result.stdout).toContain('started');
    expect(diagnosticLines(result.stderr)).toEqual(['threadline warn: amqplib was loaded before Threadline started: its messages will not be traced; start Threadline first']);
  });
});
