/**
 * `container.id` from what the kernel shows the process, no runtime API call. Container
 * runtimes name a container by 64 hex digits and put that name in its cgroup path (cgroup v1)
 * or in the source path of the files they bind-mount into it (cgroup v2, where the process's
 * own cgroup is usually just `/`).
 */
const CONTAINER_ID = /^[0-9a-f]{64}$/;

/**
 * cgroup v1 `/proc/self/cgroup` lines, `hierarchy:controllers:path`, with the ID as the last
 * path segment, bare or with a runtime's prefix and systemd's `.scope`:
 * `/docker/<id>`, `/system.slice/docker-<id>.scope`, `/kubepods/burstable/pod<uid>/<id>`
 * (containerd, Docker under Kubernetes), `.../cri-containerd-<id>.scope`, `.../crio-<id>.scope`,
 * `/machine.slice/libpod-<id>.scope` (podman).
 */
export function containerIdFromCgroup(content: string): string | undefined {
  for (const line of content.split('\n')) {
    const path = line.split(':').slice(2).join(':');
    const last = path.slice(path.lastIndexOf('/') + 1).replace(/\.scope$/, '');
    const candidate = last.slice(last.lastIndexOf('-') + 1);
    if (CONTAINER_ID.test(candidate)) return candidate;
  }
  return undefined;
}

/**
 * cgroup v2: `/proc/self/mountinfo`, where the runtime's per-container `hostname` (or
 * `hosts`, `resolv.conf`) file is mounted from a directory named by the ID:
 * Docker `/var/lib/docker/containers/<id>/hostname`, podman and CRI-O
 * `.../overlay-containers/<id>/userdata/hostname`. containerd under Kubernetes mounts them
 * from the pod's sandbox (`.../sandboxes/<sandbox id>/hostname`), which is not the container's
 * ID, so that is not taken.
 */
export function containerIdFromMountinfo(content: string): string | undefined {
  for (const line of content.split('\n')) {
    // mount ID, parent ID, major:minor, root (the source path), mount point, ...
    const [, , , root, mountPoint] = line.split(' ');
    if (!root || !mountPoint || !/^\/etc\/(hostname|hosts|resolv\.conf)$/.test(mountPoint)) continue;
    const segments = root.split('/');
    for (let index = 1; index < segments.length; index++) {
      const parent = segments[index - 1];
      if ((parent === 'containers' || parent === 'overlay-containers') && CONTAINER_ID.test(segments[index]!)) return segments[index];
    }
  }
  return undefined;
}
