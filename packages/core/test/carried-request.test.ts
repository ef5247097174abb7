import { ROOT_CONTEXT, propagation } from '@opentelemetry/api';
import { REQUEST_ID_BAGGAGE_KEY, createRequestContext, restoreCarriedRequest, withCarriedRequest, withRequestContext } from '../src';

const GENERATED_ID = /^[0-9a-f]{32}$/;

function carried(entries: Record<string, string>) {
  let baggage = propagation.createBaggage();
  for (const [key, value] of Object.entries(entries)) baggage = baggage.setEntry(key, { value });
  return propagation.setBaggage(ROOT_CONTEXT, baggage);
}

describe('a request carried through baggage', () => {
  it('puts the request ID, attributes and feature flags into the baggage to send', () => {
    const request = createRequestContext('req-1', undefined);
    request.attributes.tenant = 'acme';
    request.attributes.seats = 12;
    request.featureFlags['fast-path'] = true;
    request.attributes['bad key'] = 'x';
    const baggage = propagation.getBaggage(withCarriedRequest(withRequestContext(ROOT_CONTEXT, request)))!;
    expect(Object.fromEntries(baggage.getAllEntries().map(([key, entry]) => [key, entry.value]))).toEqual({
      [REQUEST_ID_BAGGAGE_KEY]: 'req-1',
      'request.attribute.tenant': 'acme',
      'request.attribute.seats': '12',
      'feature_flag.fast-path': 'true',
    });
  });

  it('leaves a context outside a request as it is', () => {
    expect(withCarriedRequest(ROOT_CONTEXT)).toBe(ROOT_CONTEXT);
  });

  it('restores the request: the given ID first, then the baggage one, then a fresh one', () => {
    const extracted = carried({ [REQUEST_ID_BAGGAGE_KEY]: 'from-baggage', 'request.attribute.tenant': 'acme', 'feature_flag.fast-path': 'true' });
    expect(restoreCarriedRequest(extracted, 'given', undefined).requestId).toBe('given');
    const restored = restoreCarriedRequest(extracted, 'bad id\r\n', undefined);
    expect(restored).toMatchObject({ requestId: 'from-baggage', attributes: { tenant: 'acme' }, featureFlags: { 'fast-path': true } });
    expect(restoreCarriedRequest(carried({ [REQUEST_ID_BAGGAGE_KEY]: 'x'.repeat(129) }), undefined, undefined).requestId).toMatch(GENERATED_ID);
  });

  it('refuses correlation fields, unsafe keys and floods, and cuts long values', () => {
    const entries: Record<string, string> = {
      'request.attribute.request_id': 'forged',
      'request.attribute.trace_id': 'forged',
      'request.attribute.a b': 'x',
      'request.attribute.long': 'v'.repeat(1000),
    };
    for (let i = 0; i < 100; i++) entries[`request.attribute.k${i}`] = String(i);
    const restored = restoreCarriedRequest(carried(entries), 'req-2', undefined);
    expect(restored.attributes.request_id).toBeUndefined();
    expect(restored.attributes.trace_id).toBeUndefined();
    expect(restored.attributes['a b']).toBeUndefined();
    expect(restored.attributes.long).toBe('v'.repeat(256));
    expect(Object.keys(restored.attributes).length).toBe(32);
  });
});
