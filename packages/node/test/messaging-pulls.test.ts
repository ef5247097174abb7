import { randomBytes } from 'node:crypto';
import type { OtlpReceiver, ReceivedSpan } from '@threadline/testing';
import { diagnosticLines, startApp } from './helpers/run-app';
import { jsonLines } from './helpers/log-lines';
import { useReceiver } from './helpers/receiver';

const PRODUCER = 4;
const CONSUMER = 5;
const GENERATED_ID = /^[0-9a-f]{32}$/;

/** Runs the pull scenarios in one app and hands back its spans and log lines once they all arrived. */
async function runScenarios(receiver: OtlpReceiver, scenarios: string, ready: (spans: ReceivedSpan[]) => boolean) {
  const app = startApp(['messaging-pulls.cjs'], {
    OTEL_SERVICE_NAME: 'puller',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_BSP_SCHEDULE_DELAY: '100',
    DESTINATION: `threadline-pull-${randomBytes(6).toString('hex')}`,
    SCENARIOS: scenarios,
  });
  await app.waitForOutput('finished', 60_000);
  app.child.kill('SIGTERM');
  const result = await app.exited;
  expect(diagnosticLines(result.stderr)).toEqual([]);
  const spans = await receiver.waitForSpans(ready, 30_000);
  const lines = jsonLines(result.stdout);
  const named = (name: string) => spans.find((span) => span.name === name)!;
  const linesOf = (event: string) => lines.filter((line) => line.event === event);
  // A counter's points in the app's last export (cumulative: the totals).
  const counted = (metric: string) =>
    ((receiver.metrics().filter((received) => received.name === metric).at(-1)?.dataPoints ?? []) as { attributes: Record<string, unknown>; asInt?: unknown; value?: unknown }[]).map(
      (point) => ({ attributes: point.attributes, value: Number(point.asInt ?? point.value) }),
    );
  return { spans, lines, named, linesOf, counted };
}

const sameIds = (line: Record<string, unknown> | undefined, span: ReceivedSpan) => expect(line).toMatchObject({ trace_id: span.traceId, span_id: span.spanId, request_id: span.attributes['request.id'] });

describe('messages that are pulled, batched or carry no headers', () => {
  const receiver = useReceiver();
  jest.setTimeout(120_000);

  it('makes a JetStream fetch() one receive span linked to each producer, each message its producer’s child, and next() a linked receive span', async () => {
    const { spans, named, linesOf } = await runScenarios(receiver, 'fetch', (received) => received.some((span) => span.name.startsWith('next ')));
    // A pull that brought nothing is timed but makes no span.
    expect(spans.filter((span) => span.parentSpanId === named('fetch.empty').spanId)).toEqual([]);
    const durations = receiver.metrics().filter((metric) => metric.name === 'messaging.client.operation.duration').at(-1)!.dataPoints as { attributes: Record<string, unknown>; count: unknown }[];
    expect(Number(durations.find((point) => point.attributes['messaging.operation.name'] === 'fetch')!.count)).toBe(2);
    const read = named('fetch.read');
    const batch = spans.find((span) => span.name.startsWith('fetch ') && span.kind === CONSUMER)!;
    expect(batch).toMatchObject({ traceId: read.traceId, parentSpanId: read.spanId });
    expect(batch.attributes).toMatchObject({ 'messaging.system': 'nats', 'messaging.operation.type': 'receive', 'messaging.operation.name': 'fetch', 'messaging.batch.message_count': 3 });

    const producers = [1, 2, 3].map((index) => {
      const root = named(`fetch.publish.${index}`);
      return spans.find((span) => span.kind === PRODUCER && span.parentSpanId === root.spanId)!;
    });
    // One link per message, to the span that produced it: three different traces.
    expect(batch.links.map((link) => `${link.traceId}/${link.spanId}`).sort()).toEqual(producers.map((span) => `${span.traceId}/${span.spanId}`).sort());
    expect(new Set(producers.map((span) => span.traceId)).size).toBe(3);

    // The loop body of each message runs in its own consumer span, in its producer's trace and request.
    for (const [position, producer] of producers.entries()) {
      const processing = spans.find((span) => span.kind === CONSUMER && span.parentSpanId === producer.spanId)!;
      expect(processing).toMatchObject({ traceId: producer.traceId, name: batch.name.replace('fetch ', 'process ') });
      const publishedWith = linesOf('fetch.published').find((line) => line.index === position + 1)!.request_id;
      expect(processing.attributes['request.id']).toBe(publishedWith);
      sameIds(
        linesOf('fetch.handled').find((line) => line.index === position + 1),
        processing,
      );
    }
    // After the loop, the reading run's own context again.
    sameIds(linesOf('fetch.after')[0], read);

    // next(): a receive span under the caller, linked to the message's producer; no process span.
    const nextRead = named('next.read');
    const nextProducer = spans.find((span) => span.kind === PRODUCER && span.parentSpanId === named('next.publish').spanId)!;
    const pulledOne = spans.find((span) => span.name.startsWith('next ') && span.parentSpanId === nextRead.spanId)!;
    expect(pulledOne.attributes).toMatchObject({ 'messaging.operation.type': 'receive', 'messaging.message.id': expect.any(String) });
    expect(pulledOne.links).toEqual([expect.objectContaining({ traceId: nextProducer.traceId, spanId: nextProducer.spanId })]);
    expect(spans.filter((span) => span.parentSpanId === nextProducer.spanId)).toEqual([]);
    sameIds(linesOf('next.after')[0], nextRead);
  });

  it('makes amqplib get() a receive span linked to the producer, and runs a callback-API get callback in the message’s request', async () => {
    const { spans, named, linesOf, counted } = await runScenarios(receiver, 'get', (received) => received.filter((span) => span.name.startsWith('get ')).length >= 2);
    const producerOf = (api: string) => spans.find((span) => span.kind === PRODUCER && span.parentSpanId === named(`get.publish.${api}`).spanId)!;
    const requestOf = (api: string) => linesOf('get.published').find((line) => line.api === api)!.request_id;

    const read = named('get.read');
    const pulled = spans.find((span) => span.name.startsWith('get ') && span.parentSpanId === read.spanId)!;
    expect(pulled).toMatchObject({ kind: CONSUMER, traceId: read.traceId });
    expect(pulled.attributes).toMatchObject({ 'messaging.system': 'rabbitmq', 'messaging.operation.type': 'receive', 'messaging.message.id': 'promise' });
    expect(pulled.links).toEqual([expect.objectContaining({ traceId: producerOf('promise').traceId, spanId: producerOf('promise').spanId })]);
    // The promise API's caller goes on in its own request.
    sameIds(linesOf('get.after')[0], read);

    const callbackRead = named('get.read.callback');
    const callbackPulled = spans.find((span) => span.name.startsWith('get ') && span.parentSpanId === callbackRead.spanId)!;
    expect(callbackPulled.links).toEqual([expect.objectContaining({ spanId: producerOf('callback').spanId })]);
    const processing = spans.find((span) => span.kind === CONSUMER && span.parentSpanId === producerOf('callback').spanId)!;
    expect(processing.attributes['request.id']).toBe(requestOf('callback'));
    sameIds(linesOf('get.handled')[0], processing);

    // Both pulls are timed as client operations; only the publishes count as messages sent.
    const durations = receiver.metrics().filter((metric) => metric.name === 'messaging.client.operation.duration').at(-1)!.dataPoints as { attributes: Record<string, unknown>; count: unknown }[];
    const pulls = durations.find((point) => point.attributes['messaging.operation.name'] === 'get')!;
    expect(pulls.attributes).toMatchObject({ 'messaging.operation.type': 'receive', 'messaging.system': 'rabbitmq' });
    expect(Number(pulls.count)).toBe(2);
    expect(counted('messaging.client.sent.messages').map((point) => [point.attributes['messaging.operation.name'], point.value])).toEqual([['publish', 2]]);
    expect(counted('messaging.client.consumed.messages').map((point) => point.value)).toEqual([1]);
  });

  it('starts each repetition of a BullMQ job scheduler as its own trace with a fresh request ID', async () => {
    const { spans, named, linesOf } = await runScenarios(receiver, 'repeat', (received) => received.filter((span) => span.kind === CONSUMER).length >= 2);
    const created = named('repeat.create');
    const runs = spans.filter((span) => span.kind === CONSUMER && span.attributes['messaging.system'] === 'bullmq');
    expect(runs).toHaveLength(2);
    const requestIds = new Set([created.attributes['request.id']]);
    for (const run of runs) {
      expect(run.parentSpanId).toBe('');
      expect(run.traceId).not.toBe(created.traceId);
      expect(run.attributes['request.id']).toMatch(GENERATED_ID);
      requestIds.add(run.attributes['request.id']);
      sameIds(
        linesOf('repeat.ran').find((line) => line.span_id === run.spanId),
        run,
      );
    }
    expect(requestIds.size).toBe(3);
    expect(runs[0]!.traceId).not.toBe(runs[1]!.traceId);
  });

  it('over MQTT 3.1.1 (no headers) traces both sides, the consumer in a new trace with a fresh request ID', async () => {
    const { spans, named, linesOf } = await runScenarios(receiver, 'mqtt3', (received) => received.filter((span) => span.kind === CONSUMER).length >= 2);
    const published = named('mqtt3.publish');
    const producer = spans.find((span) => span.kind === PRODUCER && span.parentSpanId === published.spanId)!;
    expect(producer.traceId).toBe(published.traceId);
    const consumers = spans.filter((span) => span.kind === CONSUMER);
    const handled = linesOf('mqtt3.handled');
    for (const consumer of consumers) {
      expect(consumer.parentSpanId).toBe('');
      expect(consumer.traceId).not.toBe(published.traceId);
      expect(consumer.attributes['request.id']).toMatch(GENERATED_ID);
      expect(consumer.attributes['request.id']).not.toBe(published.attributes['request.id']);
      sameIds(
        handled.find((line) => line.span_id === consumer.spanId),
        consumer,
      );
    }
    expect(linesOf('mqtt3.continued').find((line) => line.carried === false)?.request_id).toBe(handled[0]!.request_id);
    // What is possible: context carried in the payload joins the handler's work to the publisher's request.
    // (carryContext ran in the publishing run, before the publish: the run's span is the parent).
    const carrier = named('mqtt3.publish.carried');
    expect(linesOf('mqtt3.continued').find((line) => line.carried === true)).toMatchObject({
      trace_id: carrier.traceId,
      span_id: carrier.spanId,
      request_id: carrier.attributes['request.id'],
    });
  });

  it('carries a BullMQ flow’s trace and request to its parent job and every child', async () => {
    const { spans, named, linesOf, counted } = await runScenarios(receiver, 'flow', (received) => received.filter((span) => span.kind === CONSUMER).length >= 3);
    const created = named('flow.create');
    const producer = spans.find((span) => span.kind === PRODUCER)!;
    expect(producer).toMatchObject({ traceId: created.traceId, parentSpanId: created.spanId });
    expect(producer.attributes).toMatchObject({
      'messaging.system': 'bullmq',
      'messaging.operation.name': 'addFlow',
      'messaging.bullmq.job.name': 'parent',
      'messaging.batch.message_count': 3,
    });
    // One send of three jobs: three messages sent, three consumed.
    expect(counted('messaging.client.sent.messages')).toEqual([expect.objectContaining({ value: 3 })]);
    expect(counted('messaging.client.consumed.messages').reduce((total, point) => total + point.value, 0)).toBe(3);
    const jobs = spans.filter((span) => span.kind === CONSUMER);
    expect(jobs.map((span) => span.attributes['messaging.bullmq.job.name']).sort()).toEqual(['child-1', 'child-2', 'parent']);
    for (const job of jobs) {
      expect(job).toMatchObject({ traceId: created.traceId, parentSpanId: producer.spanId });
      expect(job.attributes['request.id']).toBe(created.attributes['request.id']);
      sameIds(
        linesOf('flow.ran').find((line) => line.job === job.attributes['messaging.bullmq.job.name']),
        job,
      );
    }
  });

  it('runs a BullMQ sandboxed processor, in its child process, inside the job’s consumer span and request', async () => {
    const app = startApp(['--require', '@threadline/node/register', 'messaging-sandbox.cjs'], {
      OTEL_SERVICE_NAME: 'sandboxed',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      DESTINATION: `threadline-sandbox-${randomBytes(6).toString('hex')}`,
    });
    await app.waitForOutput('finished', 60_000);
    app.child.kill('SIGTERM');
    const result = await app.exited;
    expect(diagnosticLines(result.stderr)).toEqual([]);
    const spans = await receiver.waitForSpans((received) => received.some((span) => span.attributes['db.system.name'] === 'postgresql'), 30_000);
    const lines = jsonLines(result.stdout);
    const added = spans.find((span) => span.name === 'sandbox.add')!;
    const producer = spans.find((span) => span.kind === PRODUCER)!;
    const consumer = spans.find((span) => span.kind === CONSUMER)!;
    expect(consumer).toMatchObject({ traceId: added.traceId, parentSpanId: producer.spanId });
    const query = spans.find((span) => span.attributes['db.system.name'] === 'postgresql')!;
    // The query ran in the child process (another process's resource), under the consumer span.
    expect(query.resource['process.pid']).not.toBe(consumer.resource['process.pid']);
    expect(query).toMatchObject({ traceId: added.traceId, parentSpanId: consumer.spanId });
    const ran = lines.find((line) => line.event === 'sandbox.ran')!;
    expect(ran.pid).not.toBe(lines.find((line) => line.event === 'sandbox.added')!.pid);
    expect(ran).toMatchObject({ trace_id: added.traceId, span_id: consumer.spanId, request_id: added.attributes['request.id'], requestId: added.attributes['request.id'] });
  });

  it('traces a JetStream ordered consumer’s messages once each, read by iteration or by callback', async () => {
    const { spans, named, linesOf } = await runScenarios(receiver, 'ordered', (received) => received.filter((span) => span.kind === CONSUMER).length >= 4);
    const processed = spans.filter((span) => span.kind === CONSUMER);
    // Two messages, each read twice (two consumers): four process spans, none for the client's own handler.
    expect(processed).toHaveLength(4);
    for (const index of [1, 2]) {
      const producer = spans.find((span) => span.kind === PRODUCER && span.parentSpanId === named(`ordered.publish.${index}`).spanId)!;
      const publishedWith = linesOf('ordered.published').find((line) => line.index === index)!.request_id;
      for (const how of ['iterated', 'callback']) {
        const line = linesOf('ordered.handled').find((candidate) => candidate.how === how && candidate.index === index)!;
        const span = processed.find((candidate) => candidate.spanId === line.span_id)!;
        expect(span).toMatchObject({ parentSpanId: producer.spanId, traceId: producer.traceId });
        expect(span.attributes['messaging.consumer.group.name']).toBeUndefined();
        expect(line.request_id).toBe(publishedWith);
      }
    }
  });

  it('ends the span of a message taken from an iterator by hand when its subscription closes', async () => {
    const { spans, named, linesOf } = await runScenarios(receiver, 'hand', (received) => received.some((span) => span.kind === CONSUMER));
    const producer = spans.find((span) => span.kind === PRODUCER && span.parentSpanId === named('hand.publish').spanId)!;
    const processing = spans.find((span) => span.kind === CONSUMER)!;
    expect(processing).toMatchObject({ traceId: producer.traceId, parentSpanId: producer.spanId });
    expect(processing.attributes['request.id']).toBe(linesOf('hand.published')[0]!.request_id);
    // The code after reading the message is in its request (there is no loop to return to).
    sameIds(linesOf('hand.taken')[0], processing);
  });
});
