import type { Attributes, Tracer } from '@opentelemetry/api';
import { context, createContextKey } from '@opentelemetry/api';
import type { Diagnostics } from '@threadline/core';
import type { ConsumedMessage } from './message-spans';
import { continuedContext, injectContext, processMessage, startProducerSpan } from './message-spans';
import { attempt, endWhenDone, patchMethod } from './patch';

/**
 * The job option the trace and request travel in. BullMQ keeps job options it does not know
 * (and stores them with the job in Redis); its own `telemetry.metadata` is left to BullMQ's
 * telemetry integration, so the two never overwrite each other.
 */
export const BULLMQ_CONTEXT_OPTION = 'threadlineContext';

interface Job {
  id?: string;
  name: string;
  attemptsMade?: number;
  repeatJobKey?: string;
  opts?: Record<string, unknown>;
}
interface BulkJob {
  name: string;
  data: unknown;
  opts?: Record<string, unknown>;
}
interface FlowNode {
  name: string;
  queueName: string;
  opts?: Record<string, unknown>;
  children?: FlowNode[];
}
type Method = (this: unknown, ...args: unknown[]) => unknown;

const SYSTEM = 'bullmq';
// What a FlowProducer's `add`/`addBulk` carries to every job of the flow it adds (the root and
// all its descendants, each added through `addNode`).
const FLOW_CONTEXT = createContextKey('threadline.messaging.bullmq.flow');

/**
 * BullMQ (`bullmq`): `Queue.add` and `addBulk` get a producer span and put the trace and request
 * into the job's options; a `Worker`'s processor runs each job in a consumer span continuing
 * them (a retried job is `messaging.message.redelivered`). A `FlowProducer` flow is one
 * producer span whose context every job of the flow carries, so parent and children are
 * processed in the trace and request that added the flow. A job a job scheduler (repeat)
 * created belongs to no request: it starts its own trace with a fresh request ID.
 */
export function instrumentBullmq(entry: unknown, childProcessor: unknown, tracer: Tracer, diagnostics: Diagnostics): () => void {
  // In a sandboxed processor's child process, the entry the app loaded is BullMQ's child main
  // file: only the child side is there.
  const child = (childProcessor as { ChildProcessor?: { prototype: object } } | undefined)?.ChildProcessor?.prototype;
  if (child && isSandboxChild(entry)) return patchMethod(child, 'start', (original) => wrapSandboxStart(original as Method, diagnostics));
  const classes = entry as { Queue?: { prototype: object }; Worker?: { prototype: object }; FlowProducer?: { prototype: object }; Job?: { prototype: object } };
  if (!classes.Queue || !classes.Worker) {
    diagnostics.warn('this bullmq version has no Queue or Worker class where Threadline expects it: jobs will not be traced');
    return () => {};
  }
  const restores = [
    patchMethod(classes.Queue.prototype, 'addJob', (original) => wrapAdd(original as Method, tracer, diagnostics)),
    patchMethod(classes.Queue.prototype, 'addBulk', (original) => wrapAddBulk(original as Method, tracer, diagnostics)),
    patchMethod(classes.Worker.prototype, 'callProcessJob', (original) => wrapProcess(original as Method, tracer, diagnostics)),
  ];
  if (classes.Job) restores.push(patchMethod(classes.Job.prototype, 'asJSONSandbox', (original) => wrapSandboxJob(original as Method, diagnostics)));
  if (child) restores.push(patchMethod(child, 'start', (original) => wrapSandboxStart(original as Method, diagnostics)));
  const flows = classes.FlowProducer?.prototype;
  if (flows) {
    restores.push(
      patchMethod(flows, 'add', (original) => wrapAddFlows(original as Method, tracer, diagnostics, 'addFlow')),
      patchMethod(flows, 'addBulk', (original) => wrapAddFlows(original as Method, tracer, diagnostics, 'addBulkFlows')),
      patchMethod(flows, 'addNode', (original) => wrapAddNode(original as Method)),
    );
  }
  return () => restores.forEach((restore) => restore());
}

function queueName(queue: unknown): string {
  return String((queue as { name?: unknown }).name ?? '');
}

function wrapAdd(original: Method, tracer: Tracer, diagnostics: Diagnostics): Method {
  return function addJob(this: unknown, name, data, options, ...rest) {
    const traced = attempt(diagnostics, 'bullmq add', () => {
      const given = (options ?? {}) as Record<string, unknown>;
      const carried: Record<string, string> = {};
      const attributes: Attributes = { 'messaging.bullmq.job.name': String(name) };
      if (typeof given.jobId === 'string') attributes['messaging.message.id'] = given.jobId;
      const end = startProducerSpan(tracer, { system: SYSTEM, destination: queueName(this), operationName: 'add', attributes }, (key, value) => (carried[key] = value));
      return { end, options: { ...given, [BULLMQ_CONTEXT_OPTION]: carried } };
    });
    if (!traced) return original.call(this, name, data, options, ...rest);
    return endWhenDone(() => original.call(this, name, data, traced.options, ...rest), traced.end);
  };
}

function wrapAddBulk(original: Method, tracer: Tracer, diagnostics: Diagnostics): Method {
  return function addBulk(this: unknown, jobs, ...rest) {
    if (!Array.isArray(jobs)) return original.call(this, jobs, ...rest);
    const traced = attempt(diagnostics, 'bullmq addBulk', () => {
      const carried: Record<string, string> = {};
      const attributes: Attributes = { 'messaging.batch.message_count': jobs.length };
      const end = startProducerSpan(tracer, { system: SYSTEM, destination: queueName(this), operationName: 'addBulk', attributes }, (key, value) => (carried[key] = value));
      const withContext = (jobs as BulkJob[]).map((job) => ({ ...job, opts: { ...job.opts, [BULLMQ_CONTEXT_OPTION]: carried } }));
      return { end, jobs: withContext };
    });
    if (!traced) return original.call(this, jobs, ...rest);
    return endWhenDone(() => original.call(this, traced.jobs, ...rest), traced.end);
  };
}

/** One producer span for a flow (or a bulk of flows); its context goes into every job's options. */
function wrapAddFlows(original: Method, tracer: Tracer, diagnostics: Diagnostics, operationName: string): Method {
  return function addFlows(this: unknown, flows, ...rest) {
    const roots = (operationName === 'addBulkFlows' ? flows : [flows]) as FlowNode[];
    if (!Array.isArray(roots) || roots.length === 0) return original.call(this, flows, ...rest);
    const traced = attempt(diagnostics, `bullmq ${operationName}`, () => {
      const carried: Record<string, string> = {};
      const queues = new Set(roots.map((root) => String(root?.queueName ?? '')));
      // A flow is a batch: the parent job and each of its descendants is a job sent.
      const attributes: Attributes = { 'messaging.batch.message_count': roots.reduce((total, root) => total + jobsIn(root), 0) };
      if (operationName === 'addFlow') attributes['messaging.bullmq.job.name'] = String(roots[0]?.name ?? '');
      // A bulk of flows into several queues has no one destination.
      const destination = queues.size === 1 ? [...queues][0]! : '';
      const end = startProducerSpan(tracer, { system: SYSTEM, destination, operationName, attributes }, (key, value) => (carried[key] = value));
      return { end, carried };
    });
    if (!traced) return original.call(this, flows, ...rest);
    return endWhenDone(() => context.with(context.active().setValue(FLOW_CONTEXT, traced.carried), () => original.call(this, flows, ...rest)), traced.end);
  };
}

function jobsIn(node: FlowNode | undefined): number {
  return node ? 1 + (node.children ?? []).reduce((total, child) => total + jobsIn(child), 0) : 0;
}

function wrapAddNode(original: Method): Method {
  return function addNode(this: unknown, options, ...rest) {
    const carried = context.active().getValue(FLOW_CONTEXT);
    const given = options as { node?: FlowNode } | undefined;
    if (!carried || typeof given?.node !== 'object' || given.node === null) return original.call(this, options, ...rest);
    // The caller's flow description is copied, never written into.
    const node = { ...given.node, opts: { ...given.node.opts, [BULLMQ_CONTEXT_OPTION]: carried } };
    return original.call(this, { ...given, node }, ...rest);
  };
}

function wrapProcess(original: Method, tracer: Tracer, diagnostics: Diagnostics): Method {
  return function callProcessJob(this: unknown, job, ...rest) {
    const consumed = attempt(diagnostics, 'bullmq process', () => describe(job as Job, queueName(this)));
    if (!consumed) return original.call(this, job, ...rest);
    return processMessage(tracer, consumed, () => original.call(this, job, ...rest));
  };
}

function isSandboxChild(entry: unknown): boolean {
  return typeof entry !== 'object' || entry === null || !('Worker' in entry);
}

/**
 * A sandboxed processor (a file run in a child process or worker thread) gets the job as JSON;
 * the JSON carries the consumer span's context (active here, inside the consumer span), in
 * place of the producer's, so the child's work is the consumer span's.
 */
function wrapSandboxJob(original: Method, diagnostics: Diagnostics): Method {
  return function asJSONSandbox(this: unknown, ...args) {
    const json = original.apply(this, args) as { opts?: Record<string, unknown> };
    const traced = attempt(diagnostics, 'bullmq sandbox', () => {
      const carried: Record<string, string> = {};
      injectContext(context.active(), (key, value) => (carried[key] = value));
      return { ...json, opts: { ...json.opts, [BULLMQ_CONTEXT_OPTION]: carried } };
    });
    return traced ?? json;
  };
}

/** In the child: the processor runs in the context the job's JSON carries (no second consumer span). */
function wrapSandboxStart(original: Method, diagnostics: Diagnostics): Method {
  return function start(this: unknown, job, ...rest) {
    const carried = (job as { opts?: Record<string, unknown> } | undefined)?.opts?.[BULLMQ_CONTEXT_OPTION];
    const active = typeof carried === 'object' && carried !== null ? attempt(diagnostics, 'bullmq sandbox', () => continuedContext(carried as Record<string, unknown>)) : undefined;
    if (!active) return original.call(this, job, ...rest);
    return context.with(active, () => original.call(this, job, ...rest));
  };
}

function describe(job: Job, queue: string): ConsumedMessage {
  const stored = job.opts?.[BULLMQ_CONTEXT_OPTION];
  // A scheduler's repetitions are not caused by the request that created the scheduler.
  const carried = !job.repeatJobKey && typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
  const attributes: Attributes = {
    'messaging.bullmq.job.name': job.name,
    'messaging.message.redelivered': (job.attemptsMade ?? 0) > 0,
    'messaging.bullmq.job.attempts_made': job.attemptsMade ?? 0,
  };
  if (job.id !== undefined) attributes['messaging.message.id'] = String(job.id);
  return {
    system: SYSTEM,
    destination: queue,
    operationName: 'process',
    attributes,
    header: (name) => (typeof carried[name] === 'string' ? carried[name] : undefined),
    headerNames: () => Object.keys(carried),
  };
}
