#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Unit tests of judge.py: what makes a test machine's run pass or fail."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import judge  # noqa: E402

DMESG = "# dmesg: [    1.000000] hv: svm backend\n"
END = "# hv-vm: done\n"


def results(*tops, plan=None, dmesg=DMESG, end=END):
    body = "".join(tops)
    n = plan if plan is not None else sum(
        1 for line in body.splitlines() if judge.TOP.match(line))
    return "TAP version 13\n1..%d\n%s%s%s" % (n, body, dmesg, end)


PROG_OK = ("# selftest: a_test\n# TAP version 13\n# 1..2\n"
           "# ok 1 f.one\n# ok 2 f.two\nok 2 a_test\n")


class Judge(unittest.TestCase):
    def test_all_pass(self):
        v = judge.judge(results("ok 1 module_load\n", PROG_OK,
                                "ok 3 module_unload\n"), "",
                        ["module_load", "a_test", "module_unload"])
        self.assertTrue(v.ok, v.problems)
        self.assertEqual((4, 0, 0), (v.passed, v.failed, v.skipped))
        self.assertEqual("m: 4 passed, 0 failed, 0 skipped", v.summary("m"))

    def test_missing_test_fails(self):
        v = judge.judge(results("ok 1 module_load\n"), "",
                        ["module_load", "a_test"])
        self.assertFalse(v.ok)
        self.assertIn("test a_test is missing", v.problems)

    def test_unexpected_test_fails(self):
        v = judge.judge(results("ok 1 module_load\n", PROG_OK), "",
                        ["module_load"])
        self.assertIn("test a_test was not expected", v.problems)

    def test_failed_subtest_fails_and_is_counted(self):
        prog = PROG_OK.replace("# ok 2 f.two", "# not ok 2 f.two")
        prog = prog.replace("ok 2 a_test", "not ok 2 a_test # exit status 1")
        v = judge.judge(results("ok 1 x\n", prog), "", ["x", "a_test"])
        self.assertFalse(v.ok)
        self.assertEqual((2, 1), (v.passed, v.failed))
        self.assertEqual(["a_test"], v.failed_tests)

    def test_program_failing_outside_its_tests_fails(self):
        prog = PROG_OK.replace("ok 2 a_test", "not ok 2 a_test # exit 139")
        v = judge.judge(results("ok 1 x\n", prog), "", ["x", "a_test"])
        self.assertFalse(v.ok)
        self.assertEqual(1, v.failed)

    def test_skip_is_not_a_pass(self):
        prog = PROG_OK.replace("# ok 2 f.two", "# ok 2 f.two # SKIP no vmx")
        v = judge.judge(results("ok 1 x\n", prog), "", ["x", "a_test"])
        self.assertFalse(v.ok)
        self.assertEqual((2, 1), (v.passed, v.skipped))
        v = judge.judge(results("ok 1 x\n", prog), "", ["x", "a_test"],
                        allowed_skips=["f.two"])
        self.assertTrue(v.ok, v.problems)

    def test_plan_mismatch_fails(self):
        v = judge.judge(results("ok 1 x\n", plan=2), "", ["x"])
        self.assertIn("plan announced 2 tests, 1 reported", v.problems)

    def test_no_plan_fails(self):
        v = judge.judge("", "", ["x"])
        self.assertFalse(v.ok)
        self.assertIn("no TAP plan: the test machine never ran the tests",
                      v.problems)

    def test_unfinished_run_fails(self):
        v = judge.judge(results("ok 1 x\n", end=""), "", ["x"])
        self.assertIn("the run did not finish (no end marker)", v.problems)

    def test_missing_kernel_log_fails(self):
        v = judge.judge(results("ok 1 x\n", dmesg=""), "", ["x"])
        self.assertIn("no kernel log came back", v.problems)

    def test_bad_kernel_lines_fail(self):
        for line in ("WARNING: CPU: 0 PID: 1 at kmod/vmx/vmx.c:10 f+0x1",
                     "BUG: kernel NULL pointer dereference",
                     "general protection fault, probably for non-canonical",
                     "RIP: 0010:hv_nl_get_info_doit+0x10/0x20 [hv]",
                     "Call Trace:",
                     "INFO: task insmod:12 blocked for more than 120 seconds.",
                     "WARNING: possible circular locking dependency detected",
                     "Oops: 0000 [#1] PREEMPT SMP"):
            v = judge.judge(results("ok 1 x\n",
                                    dmesg="# dmesg: [ 2.0] %s\n" % line),
                            "", ["x"])
            self.assertFalse(v.ok, line)
            self.assertEqual(["[ 2.0] " + line], v.bad_lines)
        v = judge.judge(results("ok 1 x\n"), "[ 9.0] Kernel panic - not "
                        "syncing: Fatal exception", ["x"])
        self.assertFalse(v.ok)

    def test_known_boot_advisories_are_not_warnings(self):
        for line in ("[    0.26] Speculative Return Stack Overflow: "
                     "WARNING: See https://kernel.org/doc/html/latest/"
                     "admin-guide/hw-vuln/srso.html for mitigation "
                     "options.",
                     "[    1.70] RETBleed: WARNING: Spectre v2 mitigation "
                     "leaves CPU vulnerable to RETBleed attacks, data "
                     "leaks possible!"):
            v = judge.judge(results("ok 1 x\n",
                                    dmesg="# dmesg: %s\n" % line),
                            line, ["x"])
            self.assertTrue(v.ok, v.problems)
            v = judge.judge(results("ok 1 x\n", dmesg="# dmesg: %s extra\n"
                                    % line), "", ["x"])
            self.assertFalse(v.ok)

    def test_output_of_a_failed_test_is_found(self):
        text = results("ok 1 x\n", PROG_OK)
        self.assertEqual(["# selftest: a_test", "# TAP version 13",
                          "# 1..2", "# ok 1 f.one", "# ok 2 f.two"],
                         judge.test_output(text, "a_test"))


if __name__ == "__main__":
    unittest.main()
