import { closeSync, openSync, readSync } from 'node:fs';

/**
 * Reads at most `maxBytes` of a file, synchronously (resource detection runs once, at start);
 * a missing or unreadable file is `undefined`, never an error. The bound keeps a huge
 * `/proc/self/mountinfo` (thousands of mounts on a busy node) from costing more than a read.
 */
export function readSmallFile(path: string, maxBytes = 64 * 1024): string | undefined {
  let descriptor: number | undefined;
  try {
    descriptor = openSync(path, 'r');
    const buffer = Buffer.alloc(maxBytes);
    const length = readSync(descriptor, buffer, 0, maxBytes, 0);
    return buffer.toString('utf8', 0, length);
  } catch {
    return undefined;
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}
