#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Boot hv's test machines and run the selftests inside them.

  run.py --build DIR --kver KVER --machine NAME [NAME...] [--mode MODE]

Modes: check (default) runs the machine's test set and judges it (exit
status 0 only if every machine passed); demo loads hv.ko and shows hvctl
info; shell gives an interactive shell on the machine's console; bench
runs the benchmark (bench/) on the machines of machines.BENCH, changed as
it says, and judges that it ran (bench/report.py reads its figures). Machines
are listed in machines.py. Outputs land in DIR/vm/<machine>/ (bench:
DIR/vm/<machine>-bench/): console.log, results.log, and the emulator's own
logs.
"""
import argparse
import os
import re
import select
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import initramfs  # noqa: E402
import judge  # noqa: E402
import machines  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PANIC = "Kernel panic - not syncing"
# The stages guest_init.sh reports in bench mode, as TAP tests.
BENCH_STAGES = ["module_load", "bench_calibrate", "bench_switch", "bench_hv", "bench_dirty",
                "kvm_load", "bench_kvm", "module_unload"]
# Where the machine's BENCH says "boot": Linux booted by hvd, then by QEMU
# with KVM.
BOOT_STAGES = ["bench_boot_hvd", "bench_boot_qemu_kvm"]
# Where it says "dev": virtio-blk and virtio-net under hvd, then under QEMU
# with KVM, each without and with vhost-net (stages bench_dev_VMM).
DEV_VMMS = ["hvd", "hvd_vhost", "qemu_kvm", "qemu_kvm_vhost"]
# Where each VMM run (about a minute) ends with a line on the results port.
DEV_ONLY_STALL = 150
# What --bench-only dev leaves of BENCH_STAGES.
DEV_ONLY_STAGES = ["module_load", "kvm_load", "module_unload"]

print_lock = threading.Lock()


def say(*lines):
    with print_lock:
        for line in lines:
            print(line, flush=True)


class Paths:
    def __init__(self, build, kver, bench=False):
        self.build = build
        self.kver = kver
        self.vm = os.path.join(build, "vm")
        self.kernel = "/boot/vmlinuz-%s" % kver
        # The benchmark's initramfs adds KVM and its programs: its own file.
        self.bench = os.path.join(build, "bench") if bench else None
        self.initrd = os.path.join(self.vm, "initramfs-bench.cpio"
                                   if bench else "initramfs.cpio")
        self.fast = os.path.join(self.vm, "vmlinuz-%s.fast" % kver)
        self.module = os.path.join(ROOT, "hv.ko")


def prepare(p, names):
    os.makedirs(p.vm, exist_ok=True)
    if not os.path.exists(p.kernel):
        sys.exit("run.py: no %s: install linux-image-amd64 (make deps)"
                 % p.kernel)
    for need in (p.module, os.path.join(p.build, "hvctl")):
        if not os.path.exists(need):
            sys.exit("run.py: %s is missing: run make first" % need)
    size = initramfs.build(p.initrd, p.kver, p.build, p.module, p.bench)
    say("vm: initramfs %s (%d KiB)" % (p.initrd, size // 1024))
    if any(machines.MACHINES[n]["emulator"] == "bochs" for n in names):
        inputs = [p.kernel, os.path.join(HERE, "fastkernel.py"),
                  os.path.join(HERE, "fastkernel_stub.S")]
        if (not os.path.exists(p.fast) or
                any(os.path.getmtime(i) > os.path.getmtime(p.fast)
                    for i in inputs)):
            subprocess.run([sys.executable,
                            os.path.join(HERE, "fastkernel.py"),
                            p.kernel, p.fast], check=True)


def workdir(p, name):
    d = os.path.join(p.vm, name)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        if f.endswith((".log", ".stderr", ".iso", "bochsrc")):
            os.unlink(os.path.join(d, f))
    return d


def start(p, name, mode, d, console_tty=None, extra="", smp=None):
    """Start a machine; return the Emulator and its two log paths."""
    m = machines.MACHINES[name]
    console = os.path.join(d, "console.log")
    results = os.path.join(d, "results.log")
    append = machines.cmdline(mode, name, extra)
    if m["emulator"] == "qemu":
        cmd = machines.qemu_command(name, p.kernel, p.initrd, append,
                                    console, results,
                                    interactive=mode == "shell",
                                    bench=mode == "bench", smp=smp)
        if mode == "shell":
            return None, cmd, console, results
        emu = machines.Emulator(cmd, d)
    else:
        iso = os.path.join(d, "boot.iso")
        machines.make_iso(iso, p.fast, p.initrd, append, d)
        rc = os.path.join(d, "bochsrc")
        with open(rc, "w") as f:
            f.write(machines.bochsrc(name, iso, console, results,
                                     os.path.join(d, "bochs.log"),
                                     console_tty, bench=mode == "bench",
                                     smp=smp))
        dbg = os.path.join(d, "debugger.rc")
        with open(dbg, "w") as f:
            # Debian's Bochs has its debugger built in and stops before
            # the first instruction: continue, and quit when it returns.
            f.write("c\nquit\n")
        emu = machines.Emulator(["bochs-bin", "-q", "-f", rc, "-rc", dbg], d,
                                pty_display=True)
    return emu, None, console, results


def read_new(path, pos):
    try:
        with open(path, "rb") as f:
            f.seek(pos)
            data = f.read()
    except FileNotFoundError:
        return b"", pos
    return data, pos + len(data)


def watch(emu, name, console, results, timeout, progress, stall=None):
    """Follow a run until the machine powers off, panics or times out
    (or, with @stall, says nothing for @stall seconds)."""
    rpos = cpos = 0
    heard = time.monotonic()
    rbuf = b""
    ctext = b""
    reason = None
    done_at = None
    emu.booted = None
    while True:
        alive = emu.alive()
        data, rpos = read_new(results, rpos)
        if data and emu.booted is None:
            emu.booted = emu.elapsed()    # /init's first words
        rbuf += data
        *lines, rbuf = rbuf.split(b"\n")
        for raw in lines:
            line = raw.decode("utf-8", "replace").rstrip("\r")
            if progress and judge.TOP.match(line):
                say("[%s] %s" % (name, line))
            if line == judge.END_MARKER:
                done_at = time.monotonic()
        if data:
            heard = time.monotonic()
        data, cpos = read_new(console, cpos)
        ctext += data
        if data:
            heard = time.monotonic()
        if not alive:
            break
        if stall and time.monotonic() - heard > stall:
            reason = ("nothing on the console or the results port for %d s: "
                      "the machine hangs" % stall)
            break
        if PANIC.encode() in ctext:
            reason = "the guest kernel panicked"
            time.sleep(1)   # let the rest of the panic reach the log
            break
        if emu.elapsed() > timeout:
            reason = "time limit of %d s exceeded" % timeout
            break
        if done_at and time.monotonic() - done_at > 60:
            reason = "the guest did not power off after its tests"
            break
        time.sleep(0.2)
    emu.kill()
    with open(results, "rb") as f:
        rtext = f.read().decode("utf-8", "replace")
    with open(console, "rb") as f:
        ctext = f.read().decode("utf-8", "replace")
    return reason, rtext, ctext


def expected_tests(p, name):
    m = machines.MACHINES[name]
    with open(os.path.join(p.build, "selftests", m["set"] + ".list")) as f:
        tests = f.read().split()
    if m["load"]:
        tests = ["module_load"] + tests + ["module_unload"]
    return tests


# The fuzzers' last lines: their seed and counts, shown even on success.
FUZZ_LINE = re.compile(r"^# ((?:guest|nl)_fuzz: seed \S+: .*)$", re.M)


# More kernel command line words for every check run (--append).
APPEND = ""


def check(p, name, progress, fuzz=None):
    d = workdir(p, name)
    m = machines.MACHINES[name]
    extra, timeout = APPEND, int(os.environ.get("HV_VM_TIMEOUT",
                                                m["timeout"]))
    if fuzz:
        extra += " hvfuzz_seconds=%d" % fuzz.seconds
        if fuzz.seed is not None:
            extra += " hvfuzz_seed=%#x" % fuzz.seed
        if fuzz.iter is not None:
            extra += " hvfuzz_iter=%d" % fuzz.iter
        # Two fuzzers, each for its time, and their start and checks.
        timeout += 2 * (fuzz.seconds + 120)
    emu, _, console, results = start(p, name, "check", d, extra=extra)
    reason, rtext, ctext = watch(emu, name, console, results, timeout,
                                 progress)
    v = judge.judge(rtext, ctext, expected_tests(p, name),
                    m.get("allowed_skips", ()))
    if reason:
        v.problems.insert(0, reason)
    boot = ("boot %.0f s, " % emu.booted) if emu.booted else ""
    report = [v.summary(name) + " (%stotal %.0f s)" % (boot, emu.elapsed())]
    report += ["  " + line for line in FUZZ_LINE.findall(rtext)]
    if not v.ok:
        report += failure_report(name, v, rtext, ctext, console)
    return v.ok, report


def failure_report(label, v, rtext, ctext, console):
    """Why a judged run failed, with the output that shows it."""
    report = ["%s: FAILED: %s" % (label, prob) for prob in v.problems]
    for t in v.failed_tests:
        report.append("%s: output of %s:" % (label, t))
        report += ["  " + line for line in judge.test_output(rtext, t)]
    if v.bad_lines:
        report.append("%s: bad kernel log lines:" % label)
        report += ["  " + line for line in v.bad_lines[:40]]
    tail = ctext.splitlines()[-40:]
    report.append("%s: last console lines (%s):" % (label, console))
    report += ["  " + line for line in tail]
    return report


def bench(p, name, sizes):
    """Run the benchmark in one boot; judge that it ran, not its figures."""
    smp = sizes.smp
    d = workdir(p, name + "-bench" + ("-smp%d" % smp if smp else ""))
    b = machines.config(name, bench=True, smp=smp)
    say("bench: booting %s (%s) against %s: %d iterations per run, "
        "%d runs per case, %d MiB dirty log"
        % (name, machines.describe(name, bench=True, smp=smp), b["kvm"],
           sizes.n, sizes.reps, sizes.dirty_mib))
    dev = b.get("dev") and smp in (None, 1)
    only = sizes.only == "dev"
    if only and not dev:
        return False, ["bench: %s: --bench-only dev: this machine has no "
                       "devices' benchmark" % name]
    extra = ("hvbench_n=%d hvbench_reps=%d hvbench_calib=%d "
             "hvbench_dirty=%d hvbench_kvm=%s"
             % (sizes.n, sizes.reps, sizes.calib, sizes.dirty_mib, b["kvm"]))
    if b.get("boot") and not only:
        extra += " hvbench_boot=1"
    if dev:
        extra += (" hvbench_dev=1 hvbench_dev_n=%d hvbench_dev_bytes=%d "
                  "hvbench_dev_vmms=%s"
                  % (sizes.dev_n, sizes.dev_bytes, ",".join(sizes.dev_vmms)))
    if only:
        extra += " hvbench_only=dev"
    emu, _, console, results = start(p, name, "bench", d, extra=extra,
                                     smp=smp)
    reason, rtext, ctext = watch(emu, name, console, results, b["timeout"],
                                 progress=True,
                                 stall=DEV_ONLY_STALL if only else
                                 b.get("stall"))
    v = judge.judge(rtext, ctext,
                    (DEV_ONLY_STAGES if only else BENCH_STAGES) +
                    (BOOT_STAGES if b.get("boot") and not only else []) +
                    (["bench_dev_" + v for v in sizes.dev_vmms]
                     if dev else []))
    if reason:
        v.problems.insert(0, reason)
    boot = ("boot %.0f s, " % emu.booted) if emu.booted else ""
    report = ["bench: %s: %s (%stotal %.0f s); results in %s"
              % (name, "ran" if v.ok else "FAILED", boot, emu.elapsed(),
                 results)]
    if not v.ok:
        report += failure_report("bench", v, rtext, ctext, console)
    return v.ok, report


def demo(p, name):
    d = workdir(p, name)
    say("demo: booting Debian's %s kernel on %s (%s) with hv.ko and hvctl"
        % (p.kver, name, machines.describe(name)))
    emu, _, console, results = start(p, name, "demo", d)
    pos, shown, buf = 0, False, b""
    running = True
    while running:
        running = (emu.alive() and
                   emu.elapsed() < machines.MACHINES[name]["timeout"])
        data, pos = read_new(console, pos)   # once more after the end
        buf += data
        *lines, buf = buf.split(b"\n")
        for raw in lines:
            line = raw.decode("utf-8", "replace").rstrip("\r")
            shown = shown or line.startswith("== ")
            if shown and "reboot: Power down" not in line:
                print(line, flush=True)
        time.sleep(0.2)
    emu.kill()
    if not shown:
        print("demo: the machine did not get to hv; see %s" % console)
        return False
    return True


def shell(p, name):
    d = workdir(p, name)
    m = machines.MACHINES[name]
    print("vm: booting %s; 'poweroff -f' in the guest ends the session"
          % name, flush=True)
    if m["emulator"] == "qemu":
        _, cmd, _, _ = start(p, name, "shell", d)
        print("vm: Ctrl-A X quits QEMU at any time", flush=True)
        return subprocess.run(cmd).returncode == 0
    # Bochs: its serial port talks to a pty we bridge to this terminal.
    import pty
    import termios
    import tty
    master, slave = pty.openpty()
    emu, _, _, _ = start(p, name, "shell", d, os.ttyname(slave))
    print("vm: Ctrl-] quits Bochs at any time", flush=True)
    saved = termios.tcgetattr(0) if os.isatty(0) else None
    if saved:
        tty.setraw(0)
    try:
        while emu.alive():
            r, _, _ = select.select([0, master], [], [], 0.2)
            if master in r:
                try:
                    os.write(1, os.read(master, 4096))
                except OSError:
                    break
            if 0 in r:
                data = os.read(0, 1024)
                if not data or b"\x1d" in data:
                    break
                os.write(master, data)
    finally:
        if saved:
            termios.tcsetattr(0, termios.TCSADRAIN, saved)
        emu.kill()
        os.close(master)
        os.close(slave)
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", required=True)
    ap.add_argument("--kver", required=True)
    ap.add_argument("--machine", nargs="+", default=["qemu-svm"],
                    choices=sorted(machines.MACHINES))
    ap.add_argument("--mode", default="check",
                    choices=["check", "demo", "shell", "bench"])
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                    help="machines run at once (check and bench modes)")
    ap.add_argument("--build-only", action="store_true")
    ap.add_argument("--append", default="", metavar="WORDS",
                    help="more kernel command line words for the machines "
                    "(their init passes key=value words to the tests, "
                    "e.g. hvd_test_smp=8)")
    ap.add_argument("--tests", nargs="+", metavar="TEST",
                    help="run these selftests instead of the machine's "
                         "set (check mode)")
    ap.add_argument("--fuzz-seconds", type=int,
                    help="how long each fuzzer runs (check mode; default "
                         "its own)")
    ap.add_argument("--fuzz-seed", type=lambda v: int(v, 0),
                    help="the fuzzers' seed, to replay a run (check mode)")
    ap.add_argument("--fuzz-iter", type=int,
                    help="replay this iteration of --fuzz-seed only "
                         "(check mode)")
    ap.add_argument("--bench-n", type=int, default=50000,
                    help="iterations of each measured loop (bench mode)")
    ap.add_argument("--bench-reps", type=int, default=3,
                    help="runs of each case per hypervisor (bench mode)")
    ap.add_argument("--bench-calib", type=int, default=20000000,
                    help="instructions of the calibration loop (bench mode)")
    ap.add_argument("--bench-smp", type=int, default=None,
                    help="CPUs of the benchmark's machines instead of "
                         "their own (bench mode; 2 for the polling runs)")
    ap.add_argument("--bench-dirty-mib", type=int, default=1024,
                    help="guest memory of the dirty-log measurement "
                         "(bench mode)")
    ap.add_argument("--bench-dev-n", type=int, default=1000,
                    help="virtio-blk reads of the devices' benchmark's "
                         "shorter run (bench mode; the longer has twice)")
    ap.add_argument("--bench-dev-bytes", type=int, default=2 << 20,
                    help="TCP bytes of the devices' benchmark's shorter "
                         "transfers (bench mode)")
    ap.add_argument("--bench-only", choices=["all", "dev"], default="all",
                    help="run only the devices' benchmark (bench mode)")
    ap.add_argument("--bench-dev-vmms", default=",".join(DEV_VMMS),
                    help="the devices' benchmark's VMMs, comma-separated, "
                         "of %s (bench mode)" % ", ".join(DEV_VMMS))
    a = ap.parse_args()
    global APPEND
    APPEND = a.append
    if not a.kver:
        ap.error("no kernel release to boot: install linux-image-amd64 "
                 "(make deps does) or set KVER")
    if a.mode == "bench":
        other = [m for m in a.machine if m not in machines.BENCH]
        if other:
            ap.error("bench mode runs on %s only, not on %s"
                     % (", ".join(machines.BENCH), ", ".join(other)))
    if a.bench_smp is not None and not 1 <= a.bench_smp <= 4:
        ap.error("--bench-smp takes 1 to 4, not %d" % a.bench_smp)
    dev_vmms = [v for v in a.bench_dev_vmms.split(",") if v]
    if not dev_vmms or any(v not in DEV_VMMS for v in dev_vmms):
        ap.error("--bench-dev-vmms takes some of %s, not '%s'"
                 % (",".join(DEV_VMMS), a.bench_dev_vmms))
    if not 1 <= a.bench_dev_n <= 1000000 or \
            not 65536 <= a.bench_dev_bytes <= 1 << 30:
        ap.error("invalid devices' benchmark sizes: --bench-dev-n %d (1 to "
                 "1000000), --bench-dev-bytes %d (64 KiB to 1 GiB)"
                 % (a.bench_dev_n, a.bench_dev_bytes))
    if (a.bench_n < 1 or not 1 <= a.bench_reps <= 100 or
            a.bench_calib < 2 or not 1 <= a.bench_dirty_mib <= 1536):
        ap.error("invalid benchmark sizes: --bench-n %d, --bench-reps %d, "
                 "--bench-calib %d, --bench-dirty-mib %d (1 to 1536)"
                 % (a.bench_n, a.bench_reps, a.bench_calib,
                    a.bench_dirty_mib))

    p = Paths(os.path.abspath(a.build), a.kver, bench=a.mode == "bench")
    if a.tests:
        # A set of its own, which the initramfs carries like the others.
        with open(os.path.join(p.build, "selftests", "only.list"), "w") as f:
            f.write("\n".join(a.tests) + "\n")
        for name in a.machine:
            machines.MACHINES[name]["set"] = "only"
    prepare(p, a.machine)
    if a.build_only:
        return 0
    if a.mode == "demo":
        return 0 if demo(p, a.machine[0]) else 1
    if a.mode == "shell":
        return 0 if shell(p, a.machine[0]) else 1

    fuzz = None
    if (a.fuzz_seconds is not None or a.fuzz_seed is not None or
            a.fuzz_iter is not None):
        fuzz = argparse.Namespace(seconds=a.fuzz_seconds
                                  if a.fuzz_seconds is not None else 20,
                                  seed=a.fuzz_seed, iter=a.fuzz_iter)
    sizes = argparse.Namespace(n=a.bench_n, reps=a.bench_reps,
                               calib=a.bench_calib,
                               dirty_mib=a.bench_dirty_mib,
                               smp=a.bench_smp, only=a.bench_only,
                               dev_n=a.bench_dev_n, dev_vmms=dev_vmms,
                               dev_bytes=a.bench_dev_bytes)
    results = {}
    pending = list(a.machine)

    def worker():
        while True:
            with print_lock:
                if not pending:
                    return
                name = pending.pop(0)
            say("vm: %s: booting" % name)
            try:
                if a.mode == "bench":
                    results[name] = bench(p, name, sizes)
                else:
                    results[name] = check(p, name, progress=True,
                                          fuzz=fuzz)
            except (OSError, subprocess.SubprocessError) as e:
                results[name] = (False, ["%s: FAILED: cannot run the "
                                         "machine: %s" % (name, e)])

    threads = [threading.Thread(target=worker)
               for _ in range(max(1, min(a.jobs, len(a.machine))))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    ok = True
    say("")
    for name in a.machine:
        passed, report = results[name]
        ok = ok and passed
        say(*report)
    # Last, where a log's tail shows it: what failed, machine by machine.
    failures = [line for name in a.machine
                for line in results[name][1] if ": FAILED: " in line]
    failures += [line for name in a.machine
                 for line in results[name][1]
                 if line.startswith("  ") and
                 ("not ok" in line or "Expected" in line)][:20]
    if failures:
        say("", "what failed:", *failures)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
