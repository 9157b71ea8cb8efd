# SPDX-License-Identifier: GPL-2.0
"""Judge a test machine's run from what came back over its serial ports.

The results port carries TAP from guest_init.sh: a plan, one top-level
line per program (with the program's own TAP, from the kselftest harness,
nested as "# " diagnostics), the guest's whole kernel log as "# dmesg: "
lines, and an end marker. The console port carries the kernel's console.

A run passes only if every expected test ran and passed, nothing was
skipped that the machine does not allow to skip, the end marker arrived,
and neither log has a line that shows the kernel in trouble.
"""
import re

END_MARKER = "# hv-vm: done"

# Kernel log lines that fail a run, wherever they come from.
BAD_LOG = re.compile(
    r"BUG:|WARNING:|Oops|general protection|RIP:|Call Trace|"
    r"Kernel panic|hung_task|blocked for more than|"
    r"possible recursive locking|circular locking dependency|"
    r"inconsistent lock state|lockdep|KASAN|UBSAN|kernel BUG")

# Exact texts that match BAD_LOG without meaning trouble: advisories the
# kernel prints at boot on the emulated CPUs, not WARN() splats (those read
# "WARNING: CPU: n PID: n at ..."). Keep each entry narrow.
BENIGN_LOG = [
    # arch/x86/kernel/cpu/bugs.c, srso_select_mitigation(): QEMU's EPYC
    # model lacks the IBPB-extending microcode.
    re.compile(r"Speculative Return Stack Overflow: WARNING: See "
               r"https://kernel\.org/doc/html/latest/admin-guide/hw-vuln/"
               r"srso\.html for mitigation options\.$"),
    # The same file, RETBLEED_INTEL_MSG: Bochs' Skylake-X has the RETBleed
    # bug and retpolines, not IBRS, are the Spectre v2 mitigation.
    re.compile(r"RETBleed: WARNING: Spectre v2 mitigation leaves CPU "
               r"vulnerable to RETBleed attacks, data leaks possible!$"),
]

TOP = re.compile(r"^(ok|not ok) (\d+) (\S+)(.*)$")
SUB = re.compile(r"^# (ok|not ok) (\d+) (\S+)(.*)$")
PLAN = re.compile(r"^1\.\.(\d+)$")


class Verdict:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.skipped = 0
        self.problems = []      # one line per reason the run failed
        self.failed_tests = []  # top-level names whose output to show
        self.bad_lines = []     # offending kernel log lines

    @property
    def ok(self):
        return not self.problems

    def summary(self, name):
        return "%s: %d passed, %d failed, %d skipped" % (
            name, self.passed, self.failed, self.skipped)


def _is_skip(rest):
    return re.search(r"#\s*SKIP", rest, re.IGNORECASE) is not None


def judge(results, console, expected, allowed_skips=()):
    """Judge one run.

    results: text of the results port; console: text of the console;
    expected: top-level test names that must all appear, in any order;
    allowed_skips: sub-test or top-level names that may be skipped.
    """
    v = Verdict()
    plan = None
    seen = {}
    subs = []           # (status, name, rest) of the current program
    dmesg = []
    done = False

    for raw in results.splitlines():
        line = raw.rstrip("\r")
        if line == END_MARKER:
            done = True
            continue
        if line.startswith("# dmesg: "):
            dmesg.append(line[len("# dmesg: "):])
            continue
        m = PLAN.match(line)
        if m and plan is None:
            plan = int(m.group(1))
            continue
        m = SUB.match(line)
        if m:
            subs.append((m.group(1), m.group(3), m.group(4)))
            continue
        m = TOP.match(line)
        if not m:
            continue
        status, name, rest = m.group(1), m.group(3), m.group(4)
        if name in seen:
            v.problems.append("test %s reported twice" % name)
        seen[name] = status
        top_fail = status == "not ok"
        if subs:
            for s_status, s_name, s_rest in subs:
                if s_status == "not ok":
                    v.failed += 1
                    top_fail = True
                elif _is_skip(s_rest):
                    v.skipped += 1
                    if s_name not in allowed_skips:
                        v.problems.append("%s: %s was skipped"
                                          % (name, s_name))
                else:
                    v.passed += 1
            if status == "not ok" and not any(s[0] == "not ok"
                                               for s in subs):
                v.failed += 1   # the program failed outside its tests
        elif status == "not ok":
            v.failed += 1
        elif _is_skip(rest):
            v.skipped += 1
            if name not in allowed_skips:
                v.problems.append("%s was skipped" % name)
        else:
            v.passed += 1
        if top_fail:
            v.problems.append("%s failed" % name)
            v.failed_tests.append(name)
        subs = []

    if plan is None:
        v.problems.append("no TAP plan: the test machine never ran the tests")
    elif plan != len(seen):
        v.problems.append("plan announced %d tests, %d reported"
                          % (plan, len(seen)))
    for name in expected:
        if name not in seen:
            v.problems.append("test %s is missing" % name)
    for name in seen:
        if name not in expected:
            v.problems.append("test %s was not expected" % name)
    if not done:
        v.problems.append("the run did not finish (no end marker)")

    for line in dmesg + console.splitlines():
        if (BAD_LOG.search(line) and line not in v.bad_lines and
                not any(b.search(line) for b in BENIGN_LOG)):
            v.bad_lines.append(line)
    if v.bad_lines:
        v.problems.append("the kernel log has %d bad line(s)"
                          % len(v.bad_lines))
    if not dmesg and done:
        v.problems.append("no kernel log came back")
    return v


def test_output(results, name):
    """The diagnostic lines a top-level test printed, for failure reports."""
    out, cur = [], []
    for line in results.splitlines():
        m = TOP.match(line)
        if m:
            if m.group(3) == name:
                out = cur
            cur = []
        elif line.startswith("# ") and not line.startswith("# dmesg: "):
            cur.append(line)
    return out
