import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readHostId } from '../../src/resource/host-id';

describe('readHostId', () => {
  it('takes the first readable 32-digit machine ID, skipping empty and missing files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'threadline-machine-id-'));
    try {
      writeFileSync(join(dir, 'empty'), '\n');
      writeFileSync(join(dir, 'dbus'), '3d1219c7c4c5404aaa1f6d2a48adfda4\n');
      expect(readHostId([join(dir, 'missing'), join(dir, 'empty'), join(dir, 'dbus')])).toBe('3d1219c7c4c5404aaa1f6d2a48adfda4');
      expect(readHostId([join(dir, 'missing'), join(dir, 'empty')])).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
