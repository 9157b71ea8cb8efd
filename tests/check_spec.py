#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check that the YNL spec of the hv family and the code that speaks it agree.

  check_spec.py kmod/hv.yaml kmod/uapi/hv.h lib/names.c kmod/main.c \
      kmod/nl/family.c [more .c files with policies] [kmod/hv_host.h ...]

The uapi header is written by hand (the YNL generator is not in Linux
6.1), so this applies the generator's naming rules
(Documentation/userspace-api/netlink/c-code-gen.rst) to the spec and
compares every enum, flag, attribute and command, name and value. It also
checks the name tables of libhv and the kernel against the spec's entry
names, the kernel's operation table against the spec's operations and
their admin-perm flags, and that everything in the spec is documented.
The policies of the C files given from family.c on (constants from the
.h files given) must accept exactly the attributes each operation's
request lists, each with the type and the bounds of the spec's checks
(tests/policies.py); a dump, whose policy 6.1 shares with the do, may
accept more.
Exit status 0 if all agree; otherwise one line per disagreement.
"""
import os
import re
import sys

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import policies  # noqa: E402

errors = []


def err(msg):
    errors.append(msg)


def c_name(*parts):
    return "_".join(p.upper().replace("-", "_") for p in parts if p)


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def parse_enums(text):
    """{enum name or '' for anonymous: [(entry, value)]}, values evaluated."""
    text = strip_comments(text)
    env = {}
    enums = []
    for m in re.finditer(r"enum\s*(\w*)\s*\{(.*?)\}\s*;", text, re.S):
        entries = []
        nxt = 0
        for item in m.group(2).split(","):
            item = item.strip()
            if not item:
                continue
            if "=" in item:
                name, expr = (s.strip() for s in item.split("=", 1))
                val = eval(expr, {}, dict(env))  # noqa: S307 - our header
            else:
                name, val = item, nxt
            env[name] = val
            entries.append((name, val))
            nxt = val + 1
        enums.append((m.group(1), entries))
    return enums


def defines(text):
    return dict(re.findall(r"#define[ \t]+(\w+)[ \t]+(\S+)", text))


def compare(what, got, want):
    if got == want:
        return
    for g in got:
        if g not in want:
            err("%s: the header has %s = %s, the spec does not" % (what, *g))
    for w in want:
        if w not in got:
            err("%s: the spec wants %s = %s, the header does not" % (what, *w))
    if sorted(got) == sorted(want):
        err("%s: the header orders the entries differently" % what)


def expect_enum(enums, cname, want, what):
    for name, entries in enums:
        if name == cname:
            compare(what, entries, want)
            return
    err("%s: no 'enum %s' in the header" % (what, cname))


def expect_anon(enums, want, what):
    """An anonymous enum whose first entry is want[0][0]."""
    for name, entries in enums:
        if not name and entries and entries[0][0] == want[0][0]:
            compare(what, entries, want)
            return
    err("%s: no anonymous enum starting with %s" % (what, want[0][0]))


def check_header(spec, header):
    fam = spec["name"]
    enums = parse_enums(header)
    d = defines(header)
    if d.get(c_name(fam, "family-name")) != '"%s"' % fam:
        err("%s is not \"%s\"" % (c_name(fam, "family-name"), fam))
    if d.get(c_name(fam, "family-version")) != "1":
        err("%s is not 1" % c_name(fam, "family-version"))

    for dfn in spec.get("definitions", []):
        if dfn["type"] == "const":
            name = c_name(fam, dfn["name"])
            if d.get(name) != str(dfn["value"]):
                err("%s is %s in the header, %s in the spec"
                    % (name, d.get(name), dfn["value"]))
            continue
        entries = [e if isinstance(e, dict) else {"name": e}
                   for e in dfn["entries"]]
        # As ynl-gen-c.py: a name-prefix is spelled in C like any name.
        prefix = (c_name(dfn["name-prefix"]) if dfn.get("name-prefix")
                  else c_name(fam, dfn["name"]) + "_")
        want = []
        start = dfn.get("value-start", 0)
        for i, e in enumerate(entries):
            if dfn["type"] == "flags":
                val = e.get("value", 1 << (start + i))
            else:
                val = e.get("value", start + i)
            want.append((prefix + c_name(e["name"]), val))
        cname = dfn.get("enum-name") or (fam + "_" + dfn["name"]).replace(
            "-", "_")
        expect_enum(enums, cname, want, "definition %s" % dfn["name"])
        for e in entries:
            if "doc" not in e and dfn["type"] == "flags":
                err("flag %s.%s has no doc" % (dfn["name"], e["name"]))

    for aset in spec["attribute-sets"]:
        prefix = aset.get("name-prefix") or (
            c_name(fam, "a") + "_" if aset["name"] == fam
            else c_name(fam, "a", aset["name"]) + "_")
        want, nxt = [], 1
        for a in aset["attributes"]:
            val = a.get("value", nxt)
            want.append((prefix + c_name(a["name"]), val))
            nxt = val + 1
            if a.get("type") != "pad" and "doc" not in a:
                err("attribute %s.%s has no doc" % (aset["name"], a["name"]))
        cnt = "__" + prefix + "MAX"
        want += [(cnt, nxt), (prefix + "MAX", nxt - 1)]
        expect_anon(enums, want, "attribute set %s" % aset["name"])

    for grp in spec.get("mcast-groups", {}).get("list", []):
        dname = grp.get("c-define-name") or c_name(fam, "mcgrp", grp["name"])
        if d.get(dname) != '"%s"' % grp["name"]:
            err("%s is not \"%s\"" % (dname, grp["name"]))

    prefix = spec["operations"].get("name-prefix") or c_name(fam, "cmd") + "_"
    want, nxt = [], 1
    for op in spec["operations"]["list"]:
        val = op.get("value", nxt)
        want.append((prefix + c_name(op["name"]), val))
        nxt = val + 1
    want += [("__" + prefix + "MAX", nxt), (prefix + "MAX", nxt - 1)]
    expect_anon(enums, want, "operations")


def string_table(text, var):
    """The strings of 'const char *const VAR[] = { ... };' in order."""
    m = re.search(r"\b%s\[\w*\]\s*=\s*\{(.*?)\};" % re.escape(var),
                  strip_comments(text), re.S)
    if not m:
        err("no table %s" % var)
        return None
    body = m.group(1)
    if "[" in body:     # designated: [HV_X_Y] = "name"
        return dict(re.findall(r"\[(\w+)\]\s*=\s*\"([^\"]*)\"", body))
    return re.findall(r"\"([^\"]*)\"", body)


def check_names(spec, names_c, main_c):
    fam = spec["name"]
    defs = {d["name"]: d for d in spec.get("definitions", [])}

    def entry_names(d):
        return [e if isinstance(e, str) else e["name"] for e in d["entries"]]

    for var, src, dname in (("hv_cap_names", names_c, "cap"),
                            ("cap_names", main_c, "cap"),
                            ("hv_mitigation_names", names_c, "mitigation")):
        got = string_table(src, var)
        if got is not None and got != entry_names(defs[dname]):
            err("%s differs from the spec's %s entries" % (var, dname))
    for var, dname in (("backend_names", "backend"),
                       ("l1tf_names", "l1tf"),
                       ("l1d_flush_mode_names", "l1d-flush-mode"),
                       ("l1d_flush_method_names", "l1d-flush-method"),
                       ("transport_names", "transport")):
        got = string_table(names_c, var)
        d = defs[dname]
        want = {c_name(fam, d["name"], n): n for n in entry_names(d)}
        if got is not None and got != want:
            err("%s differs from the spec's %s entries" % (var, dname))


def check_ops(spec, netlink_c):
    fam = spec["name"]
    text = strip_comments(netlink_c)
    m = re.search(r"genl_ops\s+\w+\[\]\s*=\s*\{(.*?)\n\};", text, re.S)
    if not m:
        err("no genl_ops table in the family's file")
        return
    kernel = {}
    for block in re.findall(r"\{(.*?)\}", m.group(1), re.S):
        cmd = re.search(r"\.cmd\s*=\s*(\w+)", block)
        if cmd:
            kernel[cmd.group(1)] = "GENL_ADMIN_PERM" in block
    for op in spec["operations"]["list"]:
        name = c_name(fam, "cmd", op["name"])
        if "do" not in op and "dump" not in op:
            if name in kernel:
                err("event %s has a handler in the kernel" % op["name"])
            continue        # an event: the kernel only sends it
        if name not in kernel:
            err("operation %s is not in the kernel's ops table" % op["name"])
            continue
        admin = "admin-perm" in op.get("flags", [])
        if kernel.pop(name) != admin:
            err("operation %s: admin-perm is %s in the spec but not in "
                "the kernel" % (op["name"], admin))
    for name in kernel:
        err("kernel operation %s is not in the spec" % name)


def check_bounds(spec, c_files, headers, uapi_dir):
    """Every operation's policy against its request in the spec."""
    fam = spec["name"]
    pols = policies.read(c_files, uapi_dir, headers)
    kops = {}
    for path in c_files:
        with open(path) as f:
            text = f.read()
        if re.search(r"genl_ops\s+\w+\[\]", text):
            kops.update(policies.ops(text))
    for op in spec["operations"]["list"]:
        cmd = c_name(fam, "cmd", op["name"])
        for mode in ("do", "dump"):
            if mode not in op or (cmd, mode) not in kops:
                continue    # check_ops() reports missing operations
            names = op[mode].get("request", {}).get("attributes", [])
            want = policies.spec_set(spec, op["attribute-set"], names)
            pname = kops[(cmd, mode)]["policy"]
            got = policies.normalize(pols, pname) if pname else {}
            for e in policies.compare("%s %s (%s)" % (op["name"], mode,
                                                       pname),
                                      want, got, subset=mode == "dump"):
                err(e)


def check_comments(path):
    """A plain one-line scalar is cut at ' #' (a comment) and split at a
    comma in a flow mapping: such docs must be quoted."""
    with open(path) as f:
        for n, line in enumerate(f, 1):
            m = re.search(r"\bdoc: ([^\"'|>].*)$", line)
            if not m:
                continue
            val = m.group(1)
            if " #" in val or (line.lstrip().startswith("- {") and
                               "," in val.rstrip(" }")):
                err("%s:%d: quote this doc (YAML cuts or splits it)"
                    % (path, n))


def main():
    if len(sys.argv) < 6:
        sys.exit(__doc__.strip())
    paths = sys.argv[1:6]
    more = sys.argv[6:]
    with open(paths[0]) as f:
        spec = yaml.safe_load(f)
    text = []
    for p in paths[1:]:
        with open(p) as f:
            text.append(f.read())
    header, names_c, main_c, netlink_c = text

    if spec.get("protocol", "genetlink") != "genetlink":
        err("protocol must be genetlink")
    for key in ("doc",):
        if key not in spec:
            err("the spec has no %s" % key)
    for op in spec["operations"]["list"]:
        if "doc" not in op:
            err("operation %s has no doc" % op["name"])
    check_header(spec, header)
    check_names(spec, names_c, main_c)
    check_ops(spec, netlink_c)
    check_comments(paths[0])
    check_bounds(spec, [paths[4]] + [p for p in more if p.endswith(".c")],
                 [p for p in more if p.endswith(".h")],
                 os.path.dirname(paths[1]))

    for e in errors:
        print("check_spec: " + e)
    if errors:
        return 1
    print("spec: %s agrees with the header, name tables, ops table and "
          "policies" % paths[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
