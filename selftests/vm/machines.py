# SPDX-License-Identifier: GPL-2.0
"""hv's test machines and how to start them.

Each machine boots Debian's own kernel (the release linux-image-amd64
installed) with hv's initramfs under an emulator that provides the
hardware virtualization hv needs, since the development machines have none:

  qemu-svm       QEMU TCG (single-threaded), -cpu EPYC,+svm,+npt, 2 vCPUs:
                 the SVM backend
  bochs-haswell  Bochs corei7_haswell_4770, 2 CPUs: VMX, EPT with A/D bits
  bochs-sandy    Bochs corei7_sandy_bridge_2600k, 2 CPUs: VMX, EPT without
                 A/D
  bochs-skylake  Bochs corei7_skylake_x, 2 CPUs: VMX, EPT with A/D and
                 page-modification logging
  bochs-noept    Bochs bx_generic, vmx=1: VMX without EPT; hv must refuse

Both emulators get two serial ports: ttyS0 is the console, ttyS1 the
results channel read by judge.py.

The benchmark (run.py --mode bench) boots qemu-svm, bochs-haswell and
bochs-skylake changed as BENCH says.
"""
import fcntl
import os
import re
import signal
import struct
import subprocess
import termios
import time
import tty

# Bochs' TSC ticks once per emulated instruction; with sync=none guest time
# is instructions / IPS, deterministic whatever the host is doing.
BOCHS_IPS = 50_000_000
SCREEN = re.compile(r"Bochs connected to screen \"(/dev/pts/\d+)\"")

MACHINES = {
    "qemu-svm": {
        "emulator": "qemu",
        "cpu": "EPYC,+svm,+npt",
        "smp": 2,
        "megs": 1024,
        "set": "main",
        "load": True,
        # hvd_test boots Debian's kernel here: with one vCPU (then
        # poweroff, reboot both ways, SIGKILL of hvd) and with two.
        "append": "hvd_test_boots=all hvd_test_smp=1",
        "timeout": 900,
    },
    "bochs-haswell": {
        "emulator": "bochs",
        "model": "corei7_haswell_4770",
        "smp": 2,
        "megs": 512,
        "set": "vmx",
        "load": True,
        # hvd_test boots Debian's kernel with one vCPU (about 3 minutes
        # here; one with two vCPUs, hvd_test_smp=1, takes 6 more, which
        # the check's 30 minutes cannot spare); the other Bochs machines
        # skip it.
        "append": "hvd_test_boots=one hvd_test_wait=300 "
                  "hvtest_extra_seconds=600",
        "timeout": 1500,
    },
    "bochs-sandy": {
        "emulator": "bochs",
        "model": "corei7_sandy_bridge_2600k",
        "smp": 2,
        "megs": 512,
        "set": "vmx",
        "load": True,
        "timeout": 900,
    },
    "bochs-skylake": {
        "emulator": "bochs",
        "model": "corei7_skylake_x",
        # Bochs' CPUID leaf 0xd gives the standard XSAVE layout's size
        # (2688 bytes with AVX-512) for the compacted one too, where the
        # components add up to 2432, and the kernel WARNs at boot; without
        # XSAVES and XSAVEC it keeps to the standard layout, which agrees.
        "append": "noxsaves clearcpuid=xsavec",
        "smp": 2,
        "megs": 512,
        "set": "vmx",
        "load": True,
        "timeout": 900,
    },
    "bochs-noept": {
        "emulator": "bochs",
        "model": "bx_generic",
        # VMX without EPT, VPID or unrestricted guest; an Intel vendor
        # string, or the guest kernel treats the CPU as AMD.
        "cpuid": "cpuid: x86_64=1, 1g_pages=1, pcid=1, sep=1, mmx=1, "
                 "simd=sse4_2, apic=x2apic, xsave=1, aes=1, movbe=1, "
                 "vmx=1, vendor_string=\"GenuineIntel\", family=6, "
                 "model=0x3c, stepping=3",
        "megs": 512,
        "set": "refusal",
        "load": False,
        "timeout": 900,
    },
}


# The benchmark's machines: what it changes in each, and the KVM module it
# compares hv with. One CPU each, so that the clock the figures are read
# from counts the instructions of the measured thread alone ("clock"):
# under QEMU's -icount shift=0 the emulated clocks (TSC, timers,
# CLOCK_MONOTONIC) advance exactly 1 ns per emulated instruction, and
# QEMU would run several vCPUs round-robin on that one clock; Bochs' TSC
# ticks once per instruction, and with several CPUs it would tick once per
# round of all of them. 2 GiB, so that a 1 GiB guest fits beside the
# machine's own kernel.
BENCH = {
    "qemu-svm": {
        "smp": 1,
        "megs": 2048,
        "icount": "shift=0",
        "timeout": 2400,
        "kvm": "kvm_amd",
        "clock": "ns",
        # Linux booted to its init by hvd and by QEMU (microvm) with KVM;
        # on qemu-svm only, where it costs a few minutes of the run.
        "boot": True,
        # virtio-blk and virtio-net, the same way (bench/dev_bench.c).
        "dev": True,
        # A nested guest of KVM's can hang the whole machine here (QEMU's
        # TCG delivers an interrupt EVENTINJ injected twice, which KVM
        # does not work around: kmod/svm/cpu.c), which then says nothing
        # more: ended after this many seconds of silence, where the
        # longest stage says something every few minutes.
        "stall": 900,
    },
    "bochs-haswell": {
        "smp": 1,
        "megs": 2048,
        "timeout": 3600,
        "kvm": "kvm_intel",
        "clock": "tsc",
    },
    "bochs-skylake": {
        "smp": 1,
        "megs": 2048,
        "timeout": 3600,
        "kvm": "kvm_intel",
        "clock": "tsc",
    },
}


def config(machine, bench=False, smp=None):
    """A machine's settings, with the benchmark's changes if bench, and
    smp CPUs instead of its own if given (the benchmark's polling runs:
    see BENCH for what the clocks then count)."""
    m = dict(MACHINES[machine], **(BENCH[machine] if bench else {}))
    if smp:
        m["smp"] = smp
    return m


def describe(machine, bench=False, smp=None):
    m = config(machine, bench, smp)
    if m["emulator"] == "qemu":
        return "QEMU TCG (one thread), -cpu %s, %d vCPUs, %d MiB%s" % (
            m["cpu"], m["smp"], m["megs"],
            ", -icount %s" % m["icount"] if "icount" in m else "")
    return "Bochs, CPU model %s, %d CPUs, %d MiB, ips %d" % (
        m["model"], m.get("smp", 1), m["megs"], BOCHS_IPS)


def cmdline(mode, machine, extra=""):
    m = MACHINES[machine]
    # Checks want warnings on the console (a hung run still shows them);
    # the demo wants only what it prints itself.
    words = ["console=ttyS0,115200",
             "quiet" if mode == "demo" else "loglevel=5", "panic=-1",
             "hvmode=%s" % mode, "hvset=%s" % m["set"],
             "hvload=%d" % (1 if m["load"] else 0),
             # hv's caches under their own names in /proc/slabinfo.
             "slab_nomerge"]
    if m["emulator"] == "bochs":
        # Newer Bochs models report CPUID 0x15/0x16 and Linux would then
        # believe in a GHz TSC; this pins it to the emulated rate.
        words.append("tsc_early_khz=%d" % (BOCHS_IPS // 1000))
        # A churn round costs Bochs about 0.3 s (selftests/churn_test.c).
        words.append("hvchurn_rounds=150")
    if "append" in m:
        words.append(m["append"])
    if extra:
        words.append(extra)
    return " ".join(words)


def qemu_command(machine, kernel, initrd, append, console, results,
                 interactive=False, bench=False, smp=None):
    m = config(machine, bench, smp)
    # One host thread for all vCPUs: under multi-threaded TCG, QEMU 7.2's
    # SVM emulation sometimes stores a CPU's host state (the VMRUN host
    # save area contents) into a VMCB, or leaves a CPU unable to take
    # interrupts, when several vCPUs enter and leave guests at once.
    cmd = ["qemu-system-x86_64", "-machine", "q35",
           "-accel", "tcg,thread=single",
           "-cpu", m["cpu"], "-smp", str(m["smp"]), "-m", str(m["megs"]),
           "-nodefaults", "-display", "none", "-no-reboot",
           "-kernel", kernel, "-initrd", initrd, "-append", append]
    if "icount" in m:
        cmd += ["-icount", m["icount"]]
    if os.environ.get("HV_QEMU_LOG"):
        cmd += ["-d", "cpu_reset,guest_errors", "-D", os.environ["HV_QEMU_LOG"]]
    if interactive:
        cmd += ["-serial", "mon:stdio"]
    else:
        cmd += ["-monitor", "none",
                "-chardev", "file,id=con,path=%s" % console,
                "-serial", "chardev:con"]
    cmd += ["-chardev", "file,id=res,path=%s" % results,
            "-serial", "chardev:res"]
    return cmd


def bochsrc(machine, iso, console, results, log, console_tty=None,
            bench=False, smp=None):
    m = config(machine, bench, smp)
    lines = [
        "config_interface: textconfig",
        "display_library: term",
        "megs: %d" % m["megs"],
        "cpu: model=%s, count=%d, ips=%d, reset_on_triple_fault=0, "
        "ignore_bad_msrs=1" % (m["model"], m.get("smp", 1), BOCHS_IPS),
        "clock: sync=none, time0=local",
        "romimage: file=/usr/share/bochs/BIOS-bochs-latest, options=fastboot",
        "vgaromimage: file=/usr/share/vgabios/vgabios.bin",
        "pci: enabled=1, chipset=i440fx",
        "ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14",
        "ata0-master: type=cdrom, path=%s, status=inserted" % iso,
        "boot: cdrom",
        "floppy_bootsig_check: disabled=1",
        ("com1: enabled=1, mode=term, dev=%s" % console_tty) if console_tty
        else "com1: enabled=1, mode=file, dev=%s" % console,
        "com2: enabled=1, mode=file, dev=%s" % results,
        "magic_break: enabled=0",
        "log: %s" % log,
        "panic: action=fatal",
        "error: action=report",
        "info: action=report",
        "debug: action=ignore",
        "mouse: enabled=0",
    ]
    if "cpuid" in m:
        lines.append(m["cpuid"])
    return "\n".join(lines) + "\n"


def make_iso(iso, kernel, initrd, append, workdir):
    """An ISOLINUX CD: Bochs has no direct kernel boot."""
    root = os.path.join(workdir, "iso")
    subprocess.run(["rm", "-rf", root], check=True)
    os.makedirs(os.path.join(root, "isolinux"))
    os.makedirs(os.path.join(root, "boot"))
    for f in ("/usr/lib/ISOLINUX/isolinux.bin",
              "/usr/lib/syslinux/modules/bios/ldlinux.c32"):
        subprocess.run(["cp", f, os.path.join(root, "isolinux")], check=True)
    os.link(kernel, os.path.join(root, "boot", "vmlinuz"))
    os.link(initrd, os.path.join(root, "boot", "initrd"))
    with open(os.path.join(root, "isolinux", "isolinux.cfg"), "w") as f:
        f.write("DEFAULT hv\nPROMPT 0\nTIMEOUT 0\nLABEL hv\n"
                "  KERNEL /boot/vmlinuz\n  INITRD /boot/initrd\n"
                "  APPEND %s\n" % append)
    subprocess.run(["xorriso", "-as", "mkisofs", "-quiet", "-o", iso,
                    "-b", "isolinux/isolinux.bin", "-c", "isolinux/boot.cat",
                    "-no-emul-boot", "-boot-load-size", "4",
                    "-boot-info-table", root], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run(["rm", "-rf", root], check=True)


class Emulator:
    """A running emulator, stopped with SIGKILL (Bochs ignores SIGTERM)."""

    def __init__(self, cmd, workdir, pty_display=False):
        self.master = None
        stdin = stdout = subprocess.DEVNULL
        if pty_display:
            # Debian's bochs-bin has no headless display: give its 'term'
            # display a private pty and drain it.
            self.master, slave = os.openpty()
            fcntl.ioctl(slave, termios.TIOCSWINSZ,
                        struct.pack("HHHH", 25, 80, 0, 0))
            os.set_blocking(self.master, False)
            stdin = stdout = slave
        self.errpath = os.path.join(workdir, "emulator.stderr")
        self.errlog = open(self.errpath, "w")
        self.screen = None
        self.proc = subprocess.Popen(cmd, stdin=stdin, stdout=stdout,
                                     stderr=self.errlog, cwd=workdir,
                                     env=dict(os.environ, TERM="xterm"),
                                     start_new_session=True)
        if pty_display:
            os.close(slave)
        self.start = time.monotonic()

    def drain(self):
        if self.master is not None and self.screen is None:
            self.open_screen()
        for fd in (self.master, self.screen):
            while fd is not None:
                try:
                    if not os.read(fd, 65536):
                        break
                except (BlockingIOError, OSError):
                    break

    def open_screen(self):
        """Bochs' debugger keeps the console: the display gets a pty of
        its own, whose other side Bochs names on stderr and nobody reads.
        Once its input buffer is full, Bochs blocks on the next screen
        update: read it, raw, so that it never fills."""
        try:
            with open(self.errpath, errors="replace") as f:
                m = SCREEN.search(f.read())
        except OSError:
            return
        if m:
            try:
                self.screen = os.open(m.group(1), os.O_RDWR | os.O_NOCTTY |
                                      os.O_NONBLOCK)
            except OSError:
                return
            tty.setraw(self.screen)

    def alive(self):
        self.drain()
        return self.proc.poll() is None

    def kill(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait()
        for fd in (self.master, self.screen):
            if fd is not None:
                os.close(fd)
        self.master = self.screen = None
        self.errlog.close()

    def elapsed(self):
        return time.monotonic() - self.start
