import { containerIdFromCgroup, containerIdFromMountinfo } from '../../src/resource/container-id';

const ID = 'a3f8c2d19e4b7f60c5d2e81b9a7c4f3d2e1b0a9c8d7e6f5a4b3c2d1e0f9a8b7c';

describe('containerIdFromCgroup (cgroup v1, /proc/self/cgroup)', () => {
  it.each([
    ['docker', `12:cpuset:/docker/${ID}\n11:memory:/docker/${ID}\n0::/docker/${ID}`],
    ['docker under systemd', `9:pids:/system.slice/docker-${ID}.scope\n0::/system.slice/docker-${ID}.scope`],
    ['containerd under Kubernetes', `11:cpu,cpuacct:/kubepods/burstable/pod3f1d7e8a-2b4c-4d6e-8f0a-1b2c3d4e5f60/${ID}`],
    ['containerd with the systemd driver', `5:memory:/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod3f1d7e8a.slice/cri-containerd-${ID}.scope`],
    ['cri-o', `4:devices:/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod7e8a.slice/crio-${ID}.scope`],
    ['podman', `1:name=systemd:/machine.slice/libpod-${ID}.scope`],
    ['podman (cgroupfs)', `3:cpuset:/libpod_parent/libpod-${ID}`],
  ])('%s', (_runtime, content) => {
    expect(containerIdFromCgroup(content)).toBe(ID);
  });

  it('finds none outside a container, nor in an ID of another length', () => {
    expect(containerIdFromCgroup('9:name=systemd:/\n4:memory:/process_api/787e7863ab73626a3291c49bfe9c52a9\n0::/')).toBeUndefined();
    expect(containerIdFromCgroup('0::/user.slice/user-1000.slice/session-3.scope')).toBeUndefined();
    expect(containerIdFromCgroup('')).toBeUndefined();
  });
});

describe('containerIdFromMountinfo (cgroup v2, /proc/self/mountinfo)', () => {
  const line = (root: string, mountPoint: string) => `612 589 254:1 ${root} ${mountPoint} rw,relatime - ext4 /dev/vda1 rw`;
  const overlay = '589 520 0:52 / / rw,relatime master:232 - overlay overlay rw,lowerdir=/var/lib/docker/overlay2/l/X';

  it.each([
    ['docker', [overlay, line(`/var/lib/docker/containers/${ID}/resolv.conf`, '/etc/resolv.conf'), line(`/var/lib/docker/containers/${ID}/hostname`, '/etc/hostname')]],
    ['podman', [overlay, line(`/home/u/.local/share/containers/storage/overlay-containers/${ID}/userdata/hostname`, '/etc/hostname')]],
    ['cri-o', [line(`/var/lib/containers/storage/overlay-containers/${ID}/userdata/hostname`, '/etc/hostname')]],
  ])('%s', (_runtime, lines) => {
    expect(containerIdFromMountinfo(lines.join('\n'))).toBe(ID);
  });

  it("does not take containerd's pod sandbox ID, nor IDs of mounts elsewhere", () => {
    const sandbox = line(`/var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes/${ID}/hostname`, '/etc/hostname');
    const elsewhere = line(`/var/lib/docker/containers/${ID}/hostname`, '/data/hostname');
    expect(containerIdFromMountinfo([overlay, sandbox, elsewhere].join('\n'))).toBeUndefined();
    expect(containerIdFromMountinfo('')).toBeUndefined();
  });
});
