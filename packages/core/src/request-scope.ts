import type { Baggage, BaggageEntry, Context, Span } from '@opentelemetry/api';
import { INVALID_SPAN_CONTEXT, propagation, trace } from '@opentelemetry/api';
import { REQUEST_ID_BAGGAGE_KEY } from './correlation';
import type { RequestContext } from './request-context';
import { REQUEST_CONTEXT_KEY } from './request-context';

/** The key a `set` function of the API writes, learnt from the API itself rather than spelt here. */
function keyWrittenBy(set: (context: Context) => Context): symbol | undefined {
  let written: symbol | undefined;
  const probe: Context = {
    getValue: () => undefined,
    setValue: (key) => {
      written = key;
      return probe;
    },
    deleteValue: () => probe,
  };
  set(probe);
  return written;
}

const SPAN_KEY = keyWrittenBy((context) => trace.setSpan(context, trace.wrapSpanContext(INVALID_SPAN_CONTEXT)));
const BAGGAGE_KEY = keyWrittenBy((context) => propagation.setBaggage(context, propagation.createBaggage()));

/**
 * The context a served request runs in: its span, its baggage (the inbound entries plus the
 * request ID) and its request context, in one object. Built with the API's `setValue` this is
 * three copies of the extracted context's map per request, and a baggage copy that only
 * matters if something reads or injects it; here the baggage is built on first use.
 */
class RequestScope implements Context {
  private baggage: Baggage | undefined;

  constructor(
    private readonly parent: Context,
    private readonly span: Span,
    private readonly request: RequestContext,
    private readonly inbound: Baggage | undefined,
  ) {}

  getValue(key: symbol): unknown {
    if (key === SPAN_KEY) return this.span;
    if (key === REQUEST_CONTEXT_KEY) return this.request;
    if (key === BAGGAGE_KEY) return (this.baggage ??= new RequestBaggage(this.inbound, this.request.requestId));
    return this.parent.getValue(key);
  }

  setValue(key: symbol, value: unknown): Context {
    return new OverridingContext(this, key, value);
  }

  deleteValue(key: symbol): Context {
    return new OverridingContext(this, key, undefined);
  }
}

/** A context that differs from its parent in one key (what `setValue` on a request's context returns). */
class OverridingContext implements Context {
  constructor(
    private readonly parent: Context,
    private readonly key: symbol,
    private readonly value: unknown,
  ) {}

  getValue(key: symbol): unknown {
    return key === this.key ? this.value : this.parent.getValue(key);
  }

  setValue(key: symbol, value: unknown): Context {
    return new OverridingContext(this, key, value);
  }

  deleteValue(key: symbol): Context {
    return new OverridingContext(this, key, undefined);
  }
}

/**
 * The request's baggage: the inbound entries with `request.id` set to the request's ID (in
 * the inbound position if it was there, else last, as `setEntry` would put it). Reads of the
 * request ID need no copy; anything else builds the full baggage once.
 */
class RequestBaggage implements Baggage {
  private readonly requestIdEntry: BaggageEntry;
  private full: Baggage | undefined;

  constructor(
    private readonly inbound: Baggage | undefined,
    requestId: string,
  ) {
    this.requestIdEntry = { value: requestId };
  }

  private materialized(): Baggage {
    return (this.full ??= (this.inbound ?? propagation.createBaggage()).setEntry(REQUEST_ID_BAGGAGE_KEY, this.requestIdEntry));
  }

  getEntry(key: string): BaggageEntry | undefined {
    if (key === REQUEST_ID_BAGGAGE_KEY) return this.requestIdEntry;
    return this.inbound?.getEntry(key);
  }

  getAllEntries(): [string, BaggageEntry][] {
    if (this.inbound === undefined) return [[REQUEST_ID_BAGGAGE_KEY, this.requestIdEntry]];
    return this.materialized().getAllEntries();
  }

  setEntry(key: string, entry: BaggageEntry): Baggage {
    return this.materialized().setEntry(key, entry);
  }

  removeEntry(key: string): Baggage {
    return this.materialized().removeEntry(key);
  }

  removeEntries(...keys: string[]): Baggage {
    return this.materialized().removeEntries(...keys);
  }

  clear(): Baggage {
    return this.materialized().clear();
  }
}

/**
 * The active context of a served request, in one step: `parent` (what was extracted from the
 * inbound headers) with the request's span, its baggage and its request context.
 */
export function createRequestScope(parent: Context, span: Span, request: RequestContext): Context {
  if (SPAN_KEY === undefined || BAGGAGE_KEY === undefined) {
    // An API whose setters write no key cannot be mirrored; build it the API's way.
    const baggage = (propagation.getBaggage(parent) ?? propagation.createBaggage()).setEntry(REQUEST_ID_BAGGAGE_KEY, { value: request.requestId });
    return propagation.setBaggage(trace.setSpan(parent, span), baggage).setValue(REQUEST_CONTEXT_KEY, request);
  }
  return new RequestScope(parent, span, request, propagation.getBaggage(parent));
}
