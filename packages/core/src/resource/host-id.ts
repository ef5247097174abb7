import { readSmallFile } from './read-small-file';

/** systemd's machine ID, then D-Bus's copy of it (older distributions); 32 hex digits. */
const MACHINE_ID_FILES = ['/etc/machine-id', '/var/lib/dbus/machine-id'];

/**
 * `host.id` as the semantic conventions define it for non-cloud hosts: the machine ID. In a
 * container image it is often absent or empty (then nothing is reported), or shared by every
 * container made from the image, which is why `container.id` is reported beside it.
 */
export function readHostId(files: readonly string[] = MACHINE_ID_FILES): string | undefined {
  for (const file of files) {
    const id = readSmallFile(file, 256)?.trim();
    if (id && /^[0-9a-f]{32}$/.test(id)) return id;
  }
  return undefined;
}
