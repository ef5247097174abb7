import { createDiagnostics } from '../src/diagnostics';

describe('diagnostics', () => {
  const capture = () => {
    const lines: string[] = [];
    return { lines, sink: (line: string) => lines.push(line) };
  };

  it('writes prefixed lines at or above the configured level', () => {
    const { lines, sink } = capture();
    const diagnostics = createDiagnostics('warn', sink);
    diagnostics.error('broken');
    diagnostics.warn('careful');
    diagnostics.info('hello');
    diagnostics.debug('details');
    expect(lines).toEqual(['threadline error: broken\n', 'threadline warn: careful\n']);
  });

  it('writes nothing at level none', () => {
    const { lines, sink } = capture();
    const diagnostics = createDiagnostics('none', sink);
    diagnostics.error('broken');
    diagnostics.suppressed('export', new Error('down'));
    expect(lines).toEqual([]);
  });

  it('says a warnOnce message once per key', () => {
    const { lines, sink } = capture();
    const diagnostics = createDiagnostics('info', sink);
    diagnostics.warnOnce('twice', 'started twice');
    diagnostics.warnOnce('twice', 'started twice');
    diagnostics.warnOnce('other', 'something else');
    expect(lines).toEqual(['threadline warn: started twice\n', 'threadline warn: something else\n']);
  });

  it('rate-limits repeated failures, counts all of them and reports how many were held back', () => {
    const { lines, sink } = capture();
    let now = 1_000_000;
    const realNow = Date.now;
    Date.now = () => now;
    try {
      const diagnostics = createDiagnostics('info', sink, 60_000);
      for (let i = 0; i < 50; i++) diagnostics.suppressed('span export failed', new Error('ECONNREFUSED'));
      expect(lines).toEqual(['threadline warn: span export failed: ECONNREFUSED\n']);
      now += 60_000;
      diagnostics.suppressed('span export failed', new Error('ECONNREFUSED'));
      expect(lines[1]).toBe('threadline warn: span export failed: ECONNREFUSED (49 more since the last report)\n');
      expect(diagnostics.counters.get('span export failed')).toBe(51);
    } finally {
      Date.now = realNow;
    }
  });

  it('reports the failures the rate limit held back, with the total, once', () => {
    const { lines, sink } = capture();
    const diagnostics = createDiagnostics('info', sink, 60_000);
    for (let i = 0; i < 5; i++) diagnostics.suppressed('http server failed', new Error('boom'));
    diagnostics.suppressed('fetch failed', new Error('once'));
    diagnostics.reportHeldBack();
    diagnostics.reportHeldBack();
    expect(lines).toEqual([
      'threadline warn: http server failed: boom\n',
      'threadline warn: fetch failed: once\n',
      'threadline warn: http server failed: 5 times since start (4 after the last report)\n',
    ]);
  });
});
