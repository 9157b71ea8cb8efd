# SPDX-License-Identifier: GPL-2.0
"""The initramfs of hv's test machines, written directly as a newc cpio
(no root needed for device nodes, timestamps zeroed so that equal inputs
give equal archives).

It holds static busybox, the /init script, hv.ko, the kernel modules the
tests need, hvctl, the selftests, the kernel's ynl CLI with python3 and
the few modules it imports, and every shared library those programs
load. To add a program, add it to the list in build(); its libraries follow
by themselves. The benchmark's initramfs (build(..., bench_dir=...)) adds
the benchmark's programs, and kvm_amd and kvm_intel with what they depend
on, each listed in load order in lib/modules/<module>.order.
"""
import lzma
import os
import re
import shutil
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))

S_IFDIR = 0o040000
S_IFREG = 0o100000
S_IFLNK = 0o120000
S_IFCHR = 0o020000


class Cpio:
    """A newc archive built in memory (the initramfs is tens of MiB)."""

    def __init__(self):
        self.parts = []
        self.ino = 1
        self.names = set()

    def _entry(self, name, mode, data=b"", rdev=(0, 0)):
        name_b = name.encode() + b"\0"
        fields = (self.ino, mode, 0, 0, 1, 0, len(data), 0, 0,
                  rdev[0], rdev[1], len(name_b), 0)
        hdr = b"070701" + b"".join(b"%08X" % f for f in fields)
        self.ino += 1
        out = hdr + name_b
        out += b"\0" * (-len(out) % 4)
        out += data + b"\0" * (-len(data) % 4)
        self.parts.append(out)

    def dir(self, path):
        path = path.strip("/")
        if not path or path in self.names:
            return
        self.dir(os.path.dirname(path))
        self.names.add(path)
        self._entry(path, S_IFDIR | 0o755)

    def file(self, path, data, mode=0o644):
        path = path.strip("/")
        if path in self.names:
            return
        self.dir(os.path.dirname(path))
        self.names.add(path)
        self._entry(path, S_IFREG | mode, data)

    def symlink(self, path, target):
        path = path.strip("/")
        self.dir(os.path.dirname(path))
        self.names.add(path)
        self._entry(path, S_IFLNK | 0o777, target.encode())

    def chardev(self, path, major, minor):
        path = path.strip("/")
        self.dir(os.path.dirname(path))
        self.names.add(path)
        self._entry(path, S_IFCHR | 0o600, rdev=(major, minor))

    def bytes(self):
        trailer = Cpio()
        trailer.ino = self.ino
        trailer._entry("TRAILER!!!", 0)
        return b"".join(self.parts + trailer.parts)


def shared_libs(path):
    """The shared libraries (and the ELF interpreter) a program loads."""
    res = subprocess.run(["ldd", path], capture_output=True, text=True)
    if res.returncode != 0:     # static binary ("not a dynamic executable")
        return []
    libs = []
    for line in res.stdout.splitlines():
        m = re.search(r"(/\S+) \(0x", line)
        if m:
            libs.append(m.group(1))
        elif "not found" in line:
            raise SystemExit("initramfs: %s: %s" % (path, line.strip()))
    return libs


def read_module(kver, name):
    """A module of the installed kernel, decompressed."""
    res = subprocess.run(["modinfo", "-k", kver, "-F", "filename", name],
                         capture_output=True, text=True)
    path = res.stdout.strip()
    if res.returncode != 0 or not path:
        raise SystemExit("initramfs: kernel module %s of %s not found"
                         % (name, kver))
    with open(path, "rb") as f:
        data = f.read()
    if path.endswith(".xz"):
        return lzma.decompress(data)
    if path.endswith(".zst"):
        return subprocess.run(["zstd", "-dc", path], check=True,
                              capture_output=True).stdout
    return data


def module_depends(kver, name):
    res = subprocess.run(["modinfo", "-k", kver, "-F", "depends", name],
                         capture_output=True, text=True)
    if res.returncode != 0:
        raise SystemExit("initramfs: kernel module %s of %s not found"
                         % (name, kver))
    return [d for d in res.stdout.strip().split(",") if d]


def load_order(kver, names):
    """NAMES and every module they depend on, dependencies first."""
    order = []

    def visit(name, path):
        if name in order:
            return
        if name in path:
            raise SystemExit("initramfs: modules depend on each other in a "
                             "cycle: %s" % " -> ".join(path + [name]))
        for dep in module_depends(kver, name):
            visit(dep.replace("-", "_"), path + [name])
        order.append(name)

    for name in names:
        visit(name.replace("-", "_"), [])
    return order


# Debian's own KVM, for each backend: what the benchmark compares hv
# with, and what the coexistence test runs beside it.
KVM_MODULES = ("kvm_amd", "kvm_intel")
BENCH_PROGRAMS = ("hv_bench", "kvm_bench", "bench-calib", "dirty_bench",
                  "bench-switch", "boot_bench", "dev_bench")
# The baselines: QEMU's microvm build with KVM for the Linux boot, and the
# full build for the devices (the microvm build has no virtio-pci), with
# the firmware they load (qboot for both; the full build insists on its
# Linux loader and TPR-patching option ROMs being there, unused by qboot).
BENCH_QEMU = ("/usr/bin/qemu-system-x86_64-microvm",
              "/usr/bin/qemu-system-x86_64")
BENCH_QEMU_DATA = ("/usr/share/qemu/bios-microvm.bin",
                   "/usr/share/qemu/qboot.rom",
                   "/usr/share/qemu/linuxboot_dma.bin",
                   "/usr/share/qemu/kvmvapic.bin")


# The kernel's ynl CLI for selftests/ynl_test.sh: Debian's python3 with
# only the modules the CLI imports (found by importing them here, with the
# same interpreter), python3-yaml, and the CLI itself with the spec.
PY_PROBE = r"""
import contextlib, io, sys
sys.path.insert(0, sys.argv[1])
import cli
import encodings.ascii, encodings.latin_1, encodings.utf_8  # noqa: F401
# Run it as the test does, for what it imports late (argparse's gettext
# imports locale); without hv loaded here, it stops at the family lookup.
sys.argv = ["cli.py", "--spec", sys.argv[2], "--no-schema", "--output-json",
            "--do", "get-info"]
with contextlib.redirect_stdout(io.StringIO()), \
        contextlib.redirect_stderr(io.StringIO()):
    try:
        cli.main()
    except BaseException:
        pass
for m in list(sys.modules.values()):
    f = getattr(m, "__file__", None)
    if f:
        print(f)
"""
PYTHON = "/usr/bin/python3"
YNL_FILES = ("cli.py", "lib/__init__.py", "lib/nlspec.py", "lib/ynl.py")


def add_ynl(cpio, build_dir, programs):
    """python3, the modules the ynl CLI needs, the CLI and hv.yaml."""
    ynl = os.path.join(build_dir, "ynl", "tools", "net", "ynl")
    if not os.path.exists(os.path.join(ynl, "cli.py")):
        raise SystemExit("initramfs: %s/cli.py is missing: run make" % ynl)
    spec = os.path.join(HERE, "..", "..", "kmod", "hv.yaml")
    res = subprocess.run([PYTHON, "-c", PY_PROBE, ynl, spec],
                         capture_output=True, text=True)
    if res.returncode:
        raise SystemExit("initramfs: %s cannot import the ynl CLI:\n%s"
                         % (PYTHON, res.stderr))
    real = os.path.realpath(PYTHON)
    programs.append((real, real))
    cpio.symlink(PYTHON, os.path.basename(real))
    for f in sorted(set(res.stdout.split())):
        if f.startswith(ynl):
            continue
        with open(f, "rb") as src:
            cpio.file(f, src.read(), 0o755 if f.endswith(".so") else 0o644)
        if f.endswith(".so"):
            programs.append((f, None))
    # Where python3 looks for its platform libraries; there may be none.
    ver = os.path.basename(real)
    cpio.dir("usr/lib/%s/lib-dynload" % ver)
    for name in YNL_FILES:
        with open(os.path.join(ynl, name), "rb") as f:
            cpio.file("usr/lib/hv/ynl/" + name, f.read())
    with open(spec, "rb") as f:
        cpio.file("usr/lib/hv/ynl/hv.yaml", f.read())


# The virtio drivers the guest loads in its "virtio" mode.
GUEST_MODULES = ("virtio_pci", "virtio_blk", "virtio_rng", "virtio_console",
                 "virtio_net")


def guest_initramfs(kver, vbench=None):
    """The initramfs of the Linux guest hvd boots in the test machines:
    static busybox, hvd_guest_init.sh as /init, and the virtio drivers
    with lib/modules/virtio.order listing them in load order; for the
    benchmark also the static vbench program at @vbench."""
    cpio = Cpio()
    cpio.chardev("dev/console", 5, 1)
    for d in ("proc", "sys", "dev", "bin", "sbin", "usr/bin", "usr/sbin"):
        cpio.dir(d)
    busybox = shutil.which("busybox") or "/bin/busybox"
    with open(busybox, "rb") as f:
        cpio.file("bin/busybox", f.read(), 0o755)
    cpio.symlink("bin/sh", "busybox")
    with open(os.path.join(HERE, "hvd_guest_init.sh"), "rb") as f:
        cpio.file("init", f.read(), 0o755)
    cpio.dir("lib")
    cpio.dir("lib/modules")
    order = load_order(kver, GUEST_MODULES)
    for name in order:
        cpio.file("lib/modules/%s.ko" % name, read_module(kver, name))
    cpio.file("lib/modules/virtio.order", ("\n".join(order) + "\n").encode())
    if vbench:
        with open(vbench, "rb") as f:
            cpio.file("bin/vbench", f.read(), 0o755)
    return cpio.bytes()


def build(out, kver, build_dir, module, bench_dir=None):
    """Write the initramfs to OUT; return its size.

    bench_dir: where the benchmark's programs are, for its initramfs.
    """
    cpio = Cpio()
    cpio.chardev("dev/console", 5, 1)
    for d in ("proc", "sys", "tmp", "run", "sbin", "usr/sbin"):
        cpio.dir(d)

    busybox = shutil.which("busybox") or "/bin/busybox"
    if subprocess.run(["ldd", busybox], capture_output=True).returncode == 0:
        raise SystemExit("initramfs: %s is not static: apt-get install "
                         "busybox-static" % busybox)
    with open(busybox, "rb") as f:
        cpio.file("bin/busybox", f.read(), 0o755)
    cpio.symlink("bin/sh", "busybox")
    with open(os.path.join(HERE, "guest_init.sh"), "rb") as f:
        cpio.file("init", f.read(), 0o755)
    cpio.file("etc/passwd", b"root:x:0:0:root:/:/bin/sh\n"
              b"nobody:x:65534:65534:nobody:/:/bin/false\n")
    cpio.file("etc/group", b"root:x:0:\nnogroup:x:65534:\n")

    with open(module, "rb") as f:
        cpio.file("lib/modules/hv.ko", f.read())
    # msr: /dev/cpu/N/msr for the selftests; tun and vhost_net (with what
    # it needs: vhost, vhost_iotlb, tap): hvd_test's virtio-net; loop: a
    # block device for its direct disk. Loaded in the order hvd.order
    # lists.
    cpio.file("lib/modules/msr.ko", read_module(kver, "msr"))
    order = load_order(kver, ("tun", "vhost_net", "loop"))
    for name in order:
        cpio.file("lib/modules/%s.ko" % name, read_module(kver, name))
    cpio.file("lib/modules/hvd.order", ("\n".join(order) + "\n").encode())

    programs = [(os.path.join(build_dir, "hvctl"), "usr/bin/hvctl"),
                (os.path.join(build_dir, "hvd"), "usr/bin/hvd")]
    # hvd's guest: the machine's own kernel, and a busybox initramfs.
    with open("/boot/vmlinuz-%s" % kver, "rb") as f:
        cpio.file("usr/lib/hv/guest/vmlinuz", f.read())
    cpio.file("usr/lib/hv/guest/initrd", guest_initramfs(
        kver, os.path.join(bench_dir, "vbench") if bench_dir else None))
    sdir = os.path.join(build_dir, "selftests")
    for name in sorted(os.listdir(sdir)):
        src = os.path.join(sdir, name)
        if name.endswith(".list") or name.endswith(".elf"):
            with open(src, "rb") as f:
                cpio.file("usr/lib/hv/selftests/" + name, f.read())
        elif os.access(src, os.X_OK) and os.path.isfile(src):
            programs.append((src, "usr/lib/hv/selftests/" + name))
    done = {"msr"} | set(order)    # written above
    for kvm in KVM_MODULES:
        order = load_order(kver, (kvm,))
        for name in order:
            if name not in done:
                cpio.file("lib/modules/%s.ko" % name,
                          read_module(kver, name))
                done.add(name)
        cpio.file("lib/modules/%s.order" % kvm,
                  ("\n".join(order) + "\n").encode())
    add_ynl(cpio, build_dir, programs)
    if bench_dir:
        for name in BENCH_PROGRAMS:
            src = os.path.join(bench_dir, name)
            if not os.access(src, os.X_OK):
                raise SystemExit("initramfs: %s is missing: run make "
                                 "bench-build" % src)
            programs.append((src, "usr/lib/hv/bench/" + name))
        for path in BENCH_QEMU:
            programs.append((path, path.lstrip("/")))
        for path in BENCH_QEMU_DATA:
            with open(os.path.realpath(path), "rb") as f:
                cpio.file(path.lstrip("/"), f.read())

    libs = set()
    for src, dst in programs:
        if dst:
            with open(src, "rb") as f:
                cpio.file(dst, f.read(), 0o755)
        libs.update(shared_libs(src))
    for lib in sorted(libs):
        with open(os.path.realpath(lib), "rb") as f:
            cpio.file(lib, f.read(), 0o755)

    data = cpio.bytes()
    with open(out + ".tmp", "wb") as f:
        f.write(data)
    os.replace(out + ".tmp", out)
    return len(data)
