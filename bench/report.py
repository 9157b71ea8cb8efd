#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the benchmark's results into tables and a JSON file.

  report.py [--json FILE] [--only dev] MACHINE[@CPUS]=RESULTS_LOG [...]

RESULTS_LOG is what MACHINE's benchmark boot sent back over its results
port (selftests/vm/run.py --mode bench; a machine named twice: the logs
of several boots, taken together): "# bench: " lines from
bench-calib, bench-switch, hv_bench, dirty_bench and kvm_bench (formats in
bench/bench.h, bench/calib.c, bench/switch.c and bench/dirty_bench.c) among
TAP and kernel-log lines.
Each machine's figures are read from the clock machines.BENCH names for
it, which counts emulated instructions: CLOCK_MONOTONIC under QEMU's
-icount shift=0 (1 ns per instruction), the TSC under Bochs (1 tick per
instruction). Each case's cost per exit is

  (median time of the case - median time of the baseline) / N

the instructions an exiting instruction costs beyond a NOP in the same
loop, on the same hypervisor. hv's OUT is also answered over the exit
ring, both sides sleeping (pio-ring), the vCPU polling for the module's
default ring_poll_ns while the owner sleeps (pio-ring-kpoll) and, on
machines booted with CPUS of 2 or more (run.py --bench-smp), both sides
polling on CPUs of their own (pio-ring-poll); all compare with KVM's pio
of the same boot. Beside them, what two thread switches cost, the
floor of any exit answered on the same CPU by a thread other than the
vCPU's (bench-switch's ping-pong less twice its write-and-read loop, per
round trip), against the same KVM figure. On machines whose BENCH says
"dev", dev_bench's lines: a 4 KiB random read on virtio-blk and a TCP
packet each way on virtio-net, under hvd and QEMU with KVM, with and
without vhost-net (--only dev: the results hold nothing else). The dirty log's figures are the median
instructions of one call over the whole slot. Exit status 1 if a figure is
missing (the benchmark did not run), whatever the figures are.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), "selftests", "vm"))
import machines  # noqa: E402

RUNNERS = ("hv", "kvm")
CASES = {
    "cpuid": "CPUID exit handled in the kernel",
    "pio": "OUT exit answered by userspace",
    "ipi": "self-IPI round trip (x2APIC SELF IPI, handler, EOI)",
    "ioeventfd": "OUT to a port with an ioeventfd (no exit to userspace)",
    "irqfd": ("device round trip: OUT signals an ioeventfd, a host thread "
              "writes an irqfd, its MSI wakes the halted vCPU, EOI"),
    "timer": ("APIC timer tick, periodic every 250 us: instructions per "
              "tick, handler and EOI included"),
    "ipi-halted": ("IPI to a halted vCPU and its IPI back (two vCPUs, one "
                   "round trip: two IPIs, two wake-ups, two EOIs)"),
}
# Cases measured per tick the guest counted, against a loop without ticks.
PER_TICK = {"timer": "timer-off"}
# hv's other ways of answering an OUT: case -> (KVM's case, what).
RING_CASES = {
    "pio-ring": ("pio", "OUT answered over the exit ring, sleeping"),
    "pio-ring-kpoll": ("pio", "OUT over the ring, vCPU polls, owner sleeps"),
    "pio-ring-poll": ("pio", "OUT answered over the exit ring, polling"),
}
# boot_bench's VMMs: hvd, and QEMU's microvm with KVM.
BOOT_VMMS = ("hvd", "qemu_kvm")
# dev_bench's VMMs: hvd and QEMU's pc machine with KVM, each with the
# packets moved by the VMM and by vhost-net.
DEV_VMMS = ("hvd", "hvd_vhost", "qemu_kvm", "qemu_kvm_vhost")
DEV_KEYS = ("rep", "n", "blk1_ns", "blk2_ns", "bytes", "tx1_ns", "tx1_pkts",
            "tx2_ns", "tx2_pkts", "txs1_ns", "txs1_pkts", "txs2_ns",
            "txs2_pkts", "rx1_ns", "rx1_pkts", "rx2_ns", "rx2_pkts")
# bench-switch's loops.
SWITCH_KINDS = ("pingpong", "syscalls")
# dirty_bench's variants; "scanned" only where the CPU keeps a log.
DIRTY_VARIANTS = ("hardware", "scanned", "emulated")
DIRTY_REQUIRED = ("hardware", "emulated")
PREFIX = "# bench: "
KV = re.compile(r"(\w+)=(\S+)")
TSC_MHZ = re.compile(r"tsc: Refined TSC clocksource calibration: "
                     r"([\d.]+) MHz|tsc: Detected ([\d.]+) MHz")
# What the guest kernel does on every entry, exit and return: part of
# every figure, for hv and KVM alike.
MITIGATION = re.compile(r"\] (Spectre V2|RETBleed|Speculative Return Stack "
                        r"Overflow) ?: Mitigation: (.*)$")
KERNEL = re.compile(r"\] Linux version (\S+)")


def parse(text):
    samples = {}        # (runner, case) -> [sample dict]
    calib = []
    switch = {}         # kind -> [sample dict]
    dirty = {}          # variant -> [sample dict]
    # boot, dev: VMM -> [sample dict]
    info = {"mitigations": {}, "boot": {}, "dev": {}}
    for raw in text.splitlines():
        line = raw.rstrip("\r")
        if line.startswith("# dmesg: "):
            m = TSC_MHZ.search(line)
            if m:
                info["tsc_mhz"] = float(m.group(1) or m.group(2))
            m = MITIGATION.search(line)
            if m:
                info["mitigations"][m.group(1)] = m.group(2)
            m = KERNEL.search(line)
            if m:
                info["kernel"] = m.group(1)
            continue
        if not line.startswith(PREFIX):
            continue
        words = line[len(PREFIX):].split() or [""]
        kv = dict(KV.findall(line))
        try:
            if words[0] == "sample" and len(words) >= 3:
                s = {k: int(kv[k]) for k in ("rep", "n", "ns", "tsc", "io")}
                s["ticks"] = int(kv.get("ticks", 0))
                samples.setdefault((words[1], words[2]), []).append(s)
            elif words[0] == "calib":
                calib.append({k: int(kv[k])
                              for k in ("insns", "ns", "tsc", "intr")})
            elif words[0] == "switch":
                switch.setdefault(kv["kind"], []).append(
                    {k: int(kv[k]) for k in ("n", "ns", "tsc")})
            elif words[0] == "boot" and len(words) >= 2:
                info["boot"].setdefault(words[1], []).append(
                    {k: int(kv[k]) for k in
                     ("ns", "pss_kib", "ram_kib", "used_kib")})
            elif words[0] == "dev" and len(words) >= 2:
                d = {k: int(kv[k]) for k in DEV_KEYS}
                # The packets the guest sent: not in older lines.
                d.update({k: int(v) for k, v in kv.items()
                          if k.endswith("_gpkts")})
                info["dev"].setdefault(words[1], []).append(d)
            elif words[0] == "dirty":
                d = {k: int(kv[k]) for k in
                     ("pages", "dirty", "rep", "peek_ns", "peek_tsc",
                      "clear_ns", "clear_tsc")}
                d["method"] = kv["method"]
                dirty.setdefault(kv["variant"], []).append(d)
        except (KeyError, ValueError):
            raise SystemExit("report: malformed line in the results: %r"
                             % line)
        if words[0] == "info":
            who = words[1] if len(words) > 1 and "=" not in words[1] else ""
            for k, v in kv.items():
                info[(who + "_" if who else "") + k] = v
    return samples, calib, switch, dirty, info


def med(values):
    return statistics.median(values)


def qemu_version():
    try:
        out = subprocess.run(["qemu-system-x86_64", "--version"],
                             capture_output=True, text=True).stdout
    except OSError:
        return None
    return out.splitlines()[0] if out else None


def machine_line(name, smp=None):
    b = machines.config(name, bench=True, smp=smp)
    if b["emulator"] == "qemu":
        return "%s: QEMU TCG -cpu %s -smp %d -m %d -icount %s" % (
            name, b["cpu"], b["smp"], b["megs"], b["icount"])
    return "%s: Bochs cpu model=%s count=%d ips=%d, %d MiB" % (
        name, b["model"], b["smp"], machines.BOCHS_IPS, b["megs"])


def figures(name, smp, samples, calib, switch, dirty, info):
    """Everything the tables and the JSON show; SystemExit if incomplete."""
    clock = machines.BENCH[name]["clock"]
    missing = []
    if not calib:
        missing.append("calibration")
    for r in RUNNERS:
        for c in ("baseline",) + tuple(CASES) + tuple(PER_TICK.values()):
            if (r, c) not in samples:
                missing.append("%s %s" % (r, c))
    ring_cases = ["pio-ring", "pio-ring-kpoll"] + (
        ["pio-ring-poll"] if (smp or 1) > 1 else [])
    for c in ring_cases:
        if ("hv", c) not in samples:
            missing.append("hv %s" % c)
    for k in SWITCH_KINDS:
        if k not in switch:
            missing.append("thread switch, %s" % k)
    for v in DIRTY_REQUIRED:
        if v not in dirty:
            missing.append("dirty log, %s" % v)
    if machines.BENCH[name].get("boot"):
        for v in BOOT_VMMS:
            if v not in info["boot"]:
                missing.append("Linux boot, %s" % v)
    if missing:
        raise SystemExit("report: %s: no figures for: %s (see the TAP lines "
                         "of the results log)" % (name, ", ".join(missing)))
    ns = set(s["n"] for v in samples.values() for s in v)
    if len(ns) != 1:
        raise SystemExit("report: %s: runs used different N: %s"
                         % (name, sorted(ns)))
    n = ns.pop()
    reps = min(len(v) for v in samples.values())

    insns = calib[0]["insns"]
    mid = sorted(calib, key=lambda c: c[clock])[(len(calib) - 1) // 2]
    cal = {
        "what": "userspace loop of DEC+JNZ timed in the emulated machine",
        "instructions": insns,
        "ns": [c["ns"] for c in calib],
        "tsc": [c["tsc"] for c in calib],
        "interrupts": [c["intr"] for c in calib],
        "ns_per_instruction": med(c["ns"] for c in calib) / insns,
        "tsc_per_instruction": med(c["tsc"] for c in calib) / insns,
        "clock_per_instruction": med(c[clock] for c in calib) / insns,
        "excess_per_interrupt": ((mid[clock] - insns) / mid["intr"]
                                 if mid["intr"] else None),
        "clocksource": info.get("clocksource"),
        "tsc_mhz": info.get("tsc_mhz"),
    }

    def runner_figs(r, c):
        v = samples[(r, c)]
        return {"ns": [s["ns"] for s in v], "tsc": [s["tsc"] for s in v],
                "ns_median": med(s["ns"] for s in v),
                "tsc_median": med(s["tsc"] for s in v),
                "insns_median": med(s[clock] for s in v)}

    base = {}
    for r in RUNNERS:
        b = runner_figs(r, "baseline")
        b["insns_per_iteration"] = b["insns_median"] / n
        b["what"] = ("the same loop with a NOP: 4 instructions per "
                     "iteration, plus one marker round trip")
        base[r] = b

    cases = {}
    for c, what in CASES.items():
        e = {"what": what, "n": n, "repetitions": reps}
        for r in RUNNERS:
            f = runner_figs(r, c)
            if c in PER_TICK:
                ticks = med(s["ticks"] for s in samples[(r, c)])
                if not ticks:
                    raise SystemExit("report: %s: %s counted no timer ticks"
                                     % (name, r))
                f["ticks_median"] = ticks
                f["insns_per_exit"] = (f["insns_median"] - runner_figs(
                    r, PER_TICK[c])["insns_median"]) / ticks
            else:
                f["insns_per_exit"] = (f["insns_median"] -
                                       base[r]["insns_median"]) / n
            e[r] = f
        e["ratio_hv_kvm"] = (e["hv"]["insns_per_exit"] /
                             e["kvm"]["insns_per_exit"])
        cases[c] = e
    for c in ring_cases:
        kc, what = RING_CASES[c]
        e = {"what": what, "n": n, "repetitions": reps}
        f = runner_figs("hv", c)
        f["insns_per_exit"] = (f["insns_median"] -
                               base["hv"]["insns_median"]) / n
        e["hv"] = f
        e["kvm"] = cases[kc]["kvm"]
        e["ratio_hv_kvm"] = f["insns_per_exit"] / e["kvm"]["insns_per_exit"]
        cases[c] = e

    sn = set(x["n"] for v in switch.values() for x in v)
    if len(sn) != 1:
        raise SystemExit("report: %s: the thread-switch loops used "
                         "different N: %s" % (name, sorted(sn)))
    sn = sn.pop()
    sw = {k: {"runs": [x[clock] for x in switch[k]],
              "median": med(x[clock] for x in switch[k])}
          for k in SWITCH_KINDS}
    floor = (sw["pingpong"]["median"] - 2 * sw["syscalls"]["median"]) / sn
    sw.update({
        "what": "two threads on one CPU hand a token over two eventfds "
                "(pingpong: two switches, two write()s, two read()s), less "
                "twice one thread's write and read of its own eventfd "
                "(syscalls): two switches with their wake-ups",
        "n": sn,
        "insns_per_round_trip": floor,
        "kvm_pio_insns_per_exit": cases["pio"]["kvm"]["insns_per_exit"],
        "ratio_floor_kvm": floor / cases["pio"]["kvm"]["insns_per_exit"],
    })

    logs = {}
    for v in (v for v in DIRTY_VARIANTS if v in dirty):
        d = dirty[v]
        methods = set(x["method"] for x in d)
        if len(methods) != 1:
            raise SystemExit("report: %s: the %s dirty log used several "
                             "methods: %s" % (name, v, sorted(methods)))
        pages, count = d[0]["pages"], d[0]["dirty"]
        peek = med(x["peek_" + clock] for x in d)
        clear = med(x["clear_" + clock] for x in d)
        logs[v] = {"method": methods.pop(), "pages": pages,
                   "dirty_pages": count, "repetitions": len(d),
                   "peek": [x["peek_" + clock] for x in d],
                   "get_and_clear": [x["clear_" + clock] for x in d],
                   "peek_median": peek, "get_and_clear_median": clear,
                   "get_and_clear_per_page": clear / pages}

    boot = {}
    for v, runs in info["boot"].items():
        # The VMM's own memory: its PSS less guest RAM's resident pages.
        boot[v] = {"runs": len(runs),
                   "insns": [r["ns"] for r in runs],
                   "insns_median": med(r["ns"] for r in runs),
                   "pss_kib_median": med(r["pss_kib"] for r in runs),
                   "ram_kib_median": med(r["ram_kib"] for r in runs),
                   "own_kib_median": med(r["pss_kib"] - r["ram_kib"]
                                         for r in runs),
                   "used_kib_median": med(r["used_kib"] for r in runs)}
    if len(boot) == len(BOOT_VMMS):
        boot["ratio_hvd_qemu_kvm"] = (boot["hvd"]["insns_median"] /
                                      boot["qemu_kvm"]["insns_median"])

    same = (info.get("hv_guest_fnv") is not None and
            info.get("hv_guest_fnv") == info.get("kvm_guest_fnv"))
    return {
        "unit": "emulated instructions (%s)" % (
            "virtual ns under -icount shift=0" if clock == "ns"
            else "Bochs TSC ticks"),
        "clock": clock,
        "machine": machine_line(name, smp),
        "cpus": machines.config(name, bench=True, smp=smp)["smp"],
        "emulator": (qemu_version() if machines.MACHINES[name]["emulator"]
                     == "qemu" else "Bochs 2.7"),
        "kvm": info.get("kvm", machines.BENCH[name]["kvm"]),
        "kernel": info.get("kernel"),
        "mitigations": info["mitigations"],
        "n": n,
        "repetitions": reps,
        "guest": {"fnv1a64": info.get("hv_guest_fnv"),
                  "bytes": int(info.get("hv_guest_bytes", 0)),
                  "same_for_both": same},
        "calibration": cal,
        "baseline": base,
        "cases": cases,
        "switch_floor": sw,
        "dirty_log": logs,
        "linux_boot": boot,
    }


def dev_figures(name, info):
    """The devices' benchmark: per request and per packet, each VMM."""
    missing = [v for v in DEV_VMMS if v not in info["dev"]]
    if missing:
        raise SystemExit("report: %s: no devices' figures for: %s (see the "
                         "TAP lines of the results log)"
                         % (name, ", ".join(missing)))
    out = {}
    for v in DEV_VMMS:
        runs = info["dev"][v]
        f = {"runs": len(runs), "n": runs[0]["n"],
             "bytes": runs[0]["bytes"]}
        blk = [(r["blk2_ns"] - r["blk1_ns"]) / r["n"] for r in runs]
        f["blk_read_4k"] = {"per_run": blk, "median": med(blk)}
        for d in ("tx", "txs", "rx"):
            pkts = [r[d + "2_pkts"] - r[d + "1_pkts"] for r in runs]
            if min(pkts) <= 0:
                raise SystemExit("report: %s: %s: %s moved no more packets "
                                 "with twice the bytes" % (name, v, d))
            per_pkt = [(r[d + "2_ns"] - r[d + "1_ns"]) / p
                       for r, p in zip(runs, pkts)]
            per_mib = [(r[d + "2_ns"] - r[d + "1_ns"]) * (1 << 20) /
                       r["bytes"] for r in runs]
            f[d] = {"packets": pkts, "per_packet": per_pkt,
                    "per_packet_median": med(per_pkt),
                    "per_mib_median": med(per_mib),
                    "packets_per_mib": med(pkts) * (1 << 20) /
                    runs[0]["bytes"]}
            if all(d + "2_gpkts" in r for r in runs):
                f[d]["guest_packets_per_mib"] = med(
                    r[d + "2_gpkts"] - r[d + "1_gpkts"]
                    for r in runs) * (1 << 20) / runs[0]["bytes"]
        out[v] = f

    def ratio(a, b, key):
        return key(out[a]) / key(out[b])

    for a, b in (("hvd", "qemu_kvm"), ("hvd_vhost", "qemu_kvm_vhost")):
        out["ratio_%s_%s" % (a, b)] = {
            "blk_read_4k": ratio(a, b, lambda f: f["blk_read_4k"]["median"]),
            "tx_per_packet": ratio(a, b,
                                   lambda f: f["tx"]["per_packet_median"]),
            "tx_per_mib": ratio(a, b, lambda f: f["tx"]["per_mib_median"]),
            "txs_per_packet": ratio(a, b,
                                    lambda f: f["txs"]["per_packet_median"]),
            "rx_per_packet": ratio(a, b,
                                   lambda f: f["rx"]["per_packet_median"])}
    return out


def dev_table(name, dev, kernel):
    runs = min(dev[v]["runs"] for v in DEV_VMMS)
    h = dev["hvd"]
    out = ["",
           "virtio devices: %s" % machine_line(name),
           "Linux %s, one vCPU, 128 MiB, the same image and tap; %d and %d "
           "reads, %d and %d bytes" % (kernel, h["n"], 2 * h["n"],
                                       h["bytes"], 2 * h["bytes"]),
           "each way; the difference counts (bench/dev_bench.c); median of "
           "%d runs; unit: emulated instructions" % runs,
           "",
           "%-40s %9s %9s %9s %9s %6s %6s" % (
               "", "hvd", "hvd", "QEMU+KVM", "QEMU+KVM", "hvd/", "vhost/"),
           "%-40s %9s %9s %9s %9s %6s %6s" % (
               "", "", "vhost", "", "vhost", "QEMU", "vhost")]
    out.append("-" * len(out[-1]))
    r1, r2 = dev["ratio_hvd_qemu_kvm"], dev["ratio_hvd_vhost_qemu_kvm_vhost"]

    def row(label, key, k1=None):
        try:
            vals = [key(dev[v]) for v in DEV_VMMS]
        except KeyError:
            return
        rs = ["%6.2f" % r1[k1], "%6.2f" % r2[k1]] if k1 else ["", ""]
        out.append("%-40s %9.0f %9.0f %9.0f %9.0f %6s %6s"
                   % tuple([label] + vals + rs))

    row("virtio-blk 4 KiB read, per request",
        lambda f: f["blk_read_4k"]["median"], "blk_read_4k")
    row("TCP guest to host (TSO), per MiB",
        lambda f: f["tx"]["per_mib_median"], "tx_per_mib")
    row("  per packet", lambda f: f["tx"]["per_packet_median"],
        "tx_per_packet")
    row("  packets per MiB", lambda f: f["tx"]["packets_per_mib"])
    row("    of them the guest's", lambda f: f["tx"]["guest_packets_per_mib"])
    row("TCP guest to host (no TSO), per packet",
        lambda f: f["txs"]["per_packet_median"], "txs_per_packet")
    row("  per MiB", lambda f: f["txs"]["per_mib_median"])
    row("  packets per MiB", lambda f: f["txs"]["packets_per_mib"])
    row("TCP host to guest, per packet",
        lambda f: f["rx"]["per_packet_median"], "rx_per_packet")
    row("  per MiB", lambda f: f["rx"]["per_mib_median"])
    row("  packets per MiB", lambda f: f["rx"]["packets_per_mib"])
    out += ["(packets: both ways across the tap, from its statistics; "
            "below 1: hvd spends less)"]
    return out


def spread(values):
    lo, hi = min(values), max(values)
    return "%.1f%%" % (100.0 * (hi - lo) / lo) if lo else "-"


def table(f):
    n = f["n"]
    cal = f["calibration"]
    clock = f["clock"]
    out = ["",
           "hv vs %s: %s" % (f["kvm"], f["machine"]),
           "N = %d iterations per run, median of %d runs; "
           "unit: emulated instructions per exit" % (n, f["repetitions"]),
           "",
           "%-58s %10s %10s %8s" % ("case", "hv", "kvm", "hv/kvm")]
    out.append("-" * len(out[-1]))
    for c, e in f["cases"].items():
        out.append("%-58s %10.0f %10.0f %8.2f"
                   % ("%s: %s" % (c, e["what"]), e["hv"]["insns_per_exit"],
                      e["kvm"]["insns_per_exit"], e["ratio_hv_kvm"]))
    sw = f["switch_floor"]
    out += ["%-58s %10.0f %10.0f %8.2f"
            % ("two thread switches, the floor of an exit answered",
               sw["insns_per_round_trip"], sw["kvm_pio_insns_per_exit"],
               sw["ratio_floor_kvm"]),
            "%-58s %10s %10s" % (
                "  by another thread on the same CPU (bench-switch)", "", ""),
            "",
            "%-58s %10.2f %10.2f" % (
                "baseline: instructions per NOP iteration",
                f["baseline"]["hv"]["insns_per_iteration"],
                f["baseline"]["kvm"]["insns_per_iteration"]),
            "%-58s %10s %10s" % (
                "  (4 instructions + markers / N)", "", ""),
            "%-58s %10s %10s" % (
                "largest spread between runs",
                max((spread(e["hv"][clock]) for e in f["cases"].values()),
                    key=lambda s: float(s.rstrip("%"))),
                max((spread(e["kvm"][clock]) for e in f["cases"].values()),
                    key=lambda s: float(s.rstrip("%")))),
            "%-58s %10s %10s" % (
                "same guest bytes (FNV-1a)", f["guest"]["fnv1a64"],
                "yes" if f["guest"]["same_for_both"] else "NO"),
            ""]
    logs = f["dirty_log"]
    any_log = next(iter(logs.values()))
    out += ["dirty log: %d pages (%d MiB), %d dirty; median of %d calls; "
            "unit: emulated instructions per call"
            % (any_log["pages"], any_log["pages"] >> 8,
               any_log["dirty_pages"], any_log["repetitions"]),
            "",
            "%-24s %-10s %12s %14s %10s" % ("variant", "method", "peek",
                                            "get-and-clear", "per page")]
    out.append("-" * len(out[-1]))
    for v, d in logs.items():
        out.append("%-24s %-10s %12.0f %14.0f %10.1f"
                   % (v, d["method"], d["peek_median"],
                      d["get_and_clear_median"],
                      d["get_and_clear_per_page"]))
    boot = f["linux_boot"]
    if boot:
        out += ["",
                "Linux to its init (%s, one vCPU, 128 MiB, same kernel and "
                "initramfs); median of %d boots"
                % (f["kernel"], boot["hvd"]["runs"]),
                "",
                "%-44s %14s %14s %8s" % ("", "hvd", "QEMU+KVM", "hvd/qemu")]
        out.append("-" * len(out[-1]))
        h, q = boot["hvd"], boot["qemu_kvm"]
        out += ["%-44s %14.0f %14.0f %8.2f"
                % ("emulated instructions, VMM start to init", h["insns_median"],
                   q["insns_median"], boot["ratio_hvd_qemu_kvm"]),
                "%-44s %14.0f %14.0f %8.2f"
                % ("VMM's PSS at init, KiB", h["pss_kib_median"],
                   q["pss_kib_median"],
                   h["pss_kib_median"] / q["pss_kib_median"]),
                "%-44s %14.0f %14.0f"
                % ("  of which guest RAM resident, KiB",
                   h["ram_kib_median"], q["ram_kib_median"]),
                "%-44s %14.0f %14.0f %8.2f"
                % ("  the VMM's own (PSS less guest RAM), KiB",
                   h["own_kib_median"], q["own_kib_median"],
                   h["own_kib_median"] / q["own_kib_median"]),
                "%-44s %14.0f %14.0f"
                % ("machine's used memory grew by, KiB",
                   h["used_kib_median"], q["used_kib_median"])]
    out += ["",
            "calibration: %d instructions in userspace took %.0f ns "
            "(%.4f ns/insn), %.0f TSC ticks (%.4f/insn)"
            % (cal["instructions"], med(cal["ns"]),
               cal["ns_per_instruction"], med(cal["tsc"]),
               cal["tsc_per_instruction"]),
            "  the excess is the %s interrupts taken meanwhile (%s "
            "instructions each); clocksource %s, TSC %s MHz" % (
                "/".join(str(i) for i in cal["interrupts"]),
                "%.0f" % cal["excess_per_interrupt"]
                if cal["excess_per_interrupt"] else "?",
                cal["clocksource"],
                "%.3f" % cal["tsc_mhz"] if cal["tsc_mhz"] else "?"),
            "guest kernel %s, mitigations: %s" % (
                f["kernel"], "; ".join("%s: %s" % kv for kv in
                                       f["mitigations"].items()) or "none"),
            "hv/kvm below 1: hv spends fewer instructions per exit"]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("results", nargs="+", metavar="MACHINE=RESULTS_LOG")
    ap.add_argument("--json")
    ap.add_argument("--only", choices=["dev"],
                    help="the results hold only the devices' benchmark")
    a = ap.parse_args()
    out = {}
    texts = {}
    for arg in a.results:
        key, _, path = arg.partition("=")
        name, _, cpus = key.partition("@")
        if (name not in machines.BENCH or not path or
                (cpus and not cpus.isdigit())):
            raise SystemExit("report: '%s' is not MACHINE[@CPUS]=RESULTS_LOG "
                             "with MACHINE one of %s"
                             % (arg, ", ".join(machines.BENCH)))
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                # One machine's benchmark split over several boots.
                texts[key] = texts.get(key, "") + fh.read()
        except OSError as e:
            raise SystemExit("report: cannot read %s: %s" % (path,
                                                             e.strerror))
    for key, text in texts.items():
        name, _, cpus = key.partition("@")
        parsed = parse(text)
        info = parsed[-1]
        if a.only == "dev":
            out[key] = {"machine": machine_line(name),
                        "kernel": info.get("kernel")}
        else:
            out[key] = figures(name, int(cpus) if cpus else None, *parsed)
            print("\n".join(table(out[key])))
        if machines.BENCH[name].get("dev") and not cpus:
            out[key]["devices"] = dev_figures(name, info)
            print("\n".join(dev_table(name, out[key]["devices"],
                                      info.get("kernel"))))
    if a.json:
        os.makedirs(os.path.dirname(os.path.abspath(a.json)), exist_ok=True)
        with open(a.json + ".tmp", "w") as fh:
            json.dump({"machines": out}, fh, indent=2)
            fh.write("\n")
        os.replace(a.json + ".tmp", a.json)
        print("report: figures in %s" % a.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
