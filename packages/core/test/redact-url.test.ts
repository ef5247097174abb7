import { redactUrl } from '../src/redact-url';

describe('redactUrl', () => {
  it.each([
    ['https://user:pass@example.com/path?q=1', 'https://REDACTED:REDACTED@example.com/path?q=1'],
    ['https://token@example.com/', 'https://REDACTED:REDACTED@example.com/'],
    ['https://example.com/a@b', 'https://example.com/a@b'],
    ['https://bucket.s3.amazonaws.com/key?X-Amz-Credential=AKIA%2F20261128&X-Amz-Signature=abc123&X-Amz-Expires=60',
      'https://bucket.s3.amazonaws.com/key?X-Amz-Credential=REDACTED&X-Amz-Signature=REDACTED&X-Amz-Expires=60'],
    ['https://s.example/o?AWSAccessKeyId=AKIA&Signature=xyz&sig=1#frag', 'https://s.example/o?AWSAccessKeyId=REDACTED&Signature=REDACTED&sig=REDACTED#frag'],
    ['https://storage.googleapis.com/b/o?X-Goog-Signature=deadbeef&alt=media', 'https://storage.googleapis.com/b/o?X-Goog-Signature=REDACTED&alt=media'],
    ['http://example.com/search?q=signature', 'http://example.com/search?q=signature'],
    ['http://example.com/plain', 'http://example.com/plain'],
  ])('%s -> %s', (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });
});
