import { DEFAULT_REDACT_KEYS, createFieldRedactor, maskSecretAttributes } from '../src/redact-fields';

describe('createFieldRedactor', () => {
  const redactor = createFieldRedactor(DEFAULT_REDACT_KEYS);

  it.each([
    'password', 'userPassword', 'db.password', 'passwd', 'client_secret', 'accessToken', 'refresh-token',
    'api_key', 'x-api-key', 'apiKey', 'APIKEY', 'authorization', 'http.request.header.authorization',
    'cookie', 'set-cookie', 'Set-Cookie', 'sessionId', 'session', 'credit_card', 'creditCard', 'credit-card-number',
  ])('masks %s', (key) => {
    expect(redactor.isSecret(key)).toBe(true);
  });

  it.each(['orderId', 'user.id', 'request.id', 'url.full', 'db.query.text', 'author', 'message', 'http.route'])('keeps %s', (key) => {
    expect(redactor.isSecret(key)).toBe(false);
  });

  it('takes its own list, and an empty list masks nothing', () => {
    const custom = createFieldRedactor(['ssn', 'pin_code']);
    expect(custom.isSecret('customer.ssn')).toBe(true);
    expect(custom.isSecret('pinCode')).toBe(true);
    expect(custom.isSecret('password')).toBe(false);
    expect(createFieldRedactor([]).isSecret('password')).toBe(false);
  });

  it('answers the same for a name past its cache bound', () => {
    const bounded = createFieldRedactor(['secret']);
    for (let i = 0; i < 5000; i++) bounded.isSecret(`field${i}`);
    expect(bounded.isSecret('my_secret')).toBe(true);
    expect(bounded.isSecret('field4999')).toBe(false);
  });

  it('masks the attributes of a metric measurement by the same names, copying only when one matches', () => {
    const plain = { 'http.route': '/orders/:id', method: 'GET' };
    expect(maskSecretAttributes(plain, redactor)).toBe(plain);
    const given = { 'user.password': 'hunter2', method: 'form' };
    expect(maskSecretAttributes(given, redactor)).toEqual({ 'user.password': '[REDACTED]', method: 'form' });
    expect(given['user.password']).toBe('hunter2');
  });
});
