import { MAX_REQUEST_ID_LENGTH, generateRequestId, isValidRequestId } from '../src/request-id';

describe('request IDs', () => {
  it.each(['abc-123', '3f2a1c0e-8b7d-4e6f-9a1b-2c3d4e5f6a7b', '01HZX3J7Q8', 'trace:abc/def+g=', 'a'.repeat(MAX_REQUEST_ID_LENGTH)])('accepts %s', (value) => {
    expect(isValidRequestId(value)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['too long', 'a'.repeat(MAX_REQUEST_ID_LENGTH + 1)],
    ['CR/LF', 'id\r\nx-injected: 1'],
    ['a quote', 'id"'],
    ['a JSON fragment', '{"request_id":"x"}'],
    ['non-ASCII', 'caf\u00e9'],
    ['a space', 'a b'],
    ['a control character', 'a\u0000b'],
    ['not a string', 42],
  ])('rejects %s', (_label, value) => {
    expect(isValidRequestId(value)).toBe(false);
  });

  it('generates distinct 128-bit hex IDs', () => {
    const ids = new Set(Array.from({ length: 1000 }, generateRequestId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
  });
});
