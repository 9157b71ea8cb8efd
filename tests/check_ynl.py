#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check kmod/hv.yaml with the kernel's own YNL tooling (from Linux 6.12,
extracted by scripts/ynl_src.sh), against the code written by hand.

  check_ynl.py YNL_DIR kmod/hv.yaml kmod/uapi/hv.h KERNEL_C... [HEADER.h...]

  - the spec validates against Documentation/netlink/genetlink.yaml;
  - ynl-gen-c.py --mode uapi writes the same constants, name and value,
    as the hand-written uapi header;
  - the policies and the ops table ynl-gen-c.py --mode kernel writes
    accept what the hand-written ones (in KERNEL_C) accept, operation by
    operation, nested policies included (tests/policies.py); a dump may
    accept more by hand, as 6.1 has no separate dump policies;
  - ynl-gen-c.py --mode user writes its header and source. They do not
    compile: the notice definition's enum and the notice event's struct
    are both hv_notice, and with protocol genetlink neither can be
    renamed without changing HV_NOTICE_* or HV_CMD_NOTICE (enum-name on
    a definition needs genetlink-c). hv's C clients use libhv.

Exit status 0 if all agree; otherwise one line per disagreement.
"""
import importlib.util
import os
import subprocess
import sys
import tempfile

import jsonschema
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import policies  # noqa: E402

_spec = importlib.util.spec_from_file_location(
    "check_spec", os.path.join(HERE, "check_spec.py"))
check_spec = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_spec)

errors = []


def err(msg):
    errors.append(msg)


def constants(path):
    """{name: value} of a uapi header's enums and #defines."""
    with open(path) as f:
        text = f.read()
    out = {}
    for _, entries in check_spec.parse_enums(text):
        out.update(entries)
    for name, val in check_spec.defines(text).items():
        if not name.startswith("_"):        # not the include guard
            out[name] = val
    return out


def strip_binary_max_len(spec):
    """ynl-gen-c.py 6.12 raises on max-len of a binary attribute; the
    kernel spells it { .type = NLA_BINARY, .len = N }. Take those checks
    out of the spec the generator sees: {(set, attr value): max-len}."""
    taken = {}
    for aset in spec["attribute-sets"]:
        vals = policies.attr_values(aset)
        for a in aset["attributes"]:
            if a["type"] == "binary" and "max-len" in a.get("checks", {}):
                taken[(aset["name"], vals[a["name"]])] = \
                    a["checks"].pop("max-len")
                if not a["checks"]:
                    del a["checks"]
    return taken


def gen(ynl, spec_path, mode, kind, out):
    res = subprocess.run([sys.executable,
                          os.path.join(ynl, "tools/net/ynl/ynl-gen-c.py"),
                          "--mode", mode, "--" + kind, "--spec", spec_path,
                          "-o", out], capture_output=True, text=True,
                         timeout=120)
    if res.returncode:
        err("ynl-gen-c.py --mode %s --%s failed:\n%s%s"
            % (mode, kind, res.stdout, res.stderr))
        return False
    return True


def main():
    args = sys.argv[1:]
    if len(args) < 4:
        sys.exit(__doc__.strip())
    ynl, spec_path, uapi = args[:3]
    kernel_c = [p for p in args[3:] if p.endswith(".c")]
    headers = [p for p in args[3:] if p.endswith(".h")]
    ynl = os.path.abspath(ynl)
    with open(spec_path) as f:
        text = f.read()
    spec = yaml.safe_load(text)
    # The generator wants the SPDX line, which yaml.safe_dump() loses.
    spdx = next(line for line in text.splitlines() if "SPDX" in line)

    with open(os.path.join(ynl, "Documentation/netlink/genetlink.yaml")) as f:
        schema = yaml.safe_load(f)
    for e in jsonschema.Draft7Validator(schema).iter_errors(spec):
        err("schema: %s: %s" % ("/".join(str(p) for p in e.path),
                                e.message))

    taken = strip_binary_max_len(spec)
    specs = os.path.join(ynl, "Documentation/netlink/specs")
    os.makedirs(specs, exist_ok=True)
    gen_spec = os.path.join(specs, os.path.basename(spec_path))
    with open(gen_spec, "w") as f:
        f.write(spdx + "\n---\n")
        yaml.safe_dump(spec, f, sort_keys=False)

    with tempfile.TemporaryDirectory() as tmp:
        g_uapi = os.path.join(tmp, "hv.h")
        if gen(ynl, gen_spec, "uapi", "header", g_uapi):
            got, want = constants(g_uapi), constants(uapi)
            for n in sorted(set(got) | set(want)):
                if n not in want:
                    err("uapi: generated %s = %s is not in %s"
                        % (n, got[n], uapi))
                elif n not in got:
                    err("uapi: %s = %s is not generated" % (n, want[n]))
                elif str(got[n]) != str(want[n]):
                    err("uapi: %s is %s generated, %s in %s"
                        % (n, got[n], want[n], uapi))
            if not errors:
                print("ynl: the generated uapi header has the %d constants "
                      "of %s" % (len(want), uapi))

        g_c = os.path.join(tmp, "hv-nl-gen.c")
        if (os.path.exists(g_uapi) and
                gen(ynl, gen_spec, "kernel", "header",
                    os.path.join(tmp, "hv-nl-gen.h")) and
                gen(ynl, gen_spec, "kernel", "source", g_c)):
            check_policies(spec, g_c, tmp, kernel_c, headers, uapi, taken)

        gen(ynl, gen_spec, "user", "header", os.path.join(tmp, "hv-user.h"))
        gen(ynl, gen_spec, "user", "source", os.path.join(tmp, "hv-user.c"))

    for e in errors:
        print("check_ynl: " + e)
    if errors:
        return 1
    print("ynl: %s validates, and ynl-gen-c.py's uapi header, policies and "
          "ops agree with the hand-written ones" % spec_path)
    return 0


def check_policies(spec, g_c, g_uapi_dir, kernel_c, headers, uapi, taken):
    with open(g_c) as f:
        gops = policies.ops(f.read())
    gpols = policies.read([g_c], g_uapi_dir)
    kops = {}
    for path in kernel_c:
        with open(path) as f:
            text = f.read()
        if "genl_ops" in text and "hv_nl_ops" in text:
            kops.update(policies.ops(text))
    kpols = policies.read(kernel_c, os.path.dirname(uapi), headers)
    sets = {op["name"]: op.get("attribute-set")
            for op in spec["operations"]["list"]}
    byc = {check_spec.c_name(spec["name"], "cmd", n): s
           for n, s in sets.items()}
    n = 0
    for key in sorted(set(gops) | set(kops)):
        cmd, mode = key
        if key not in kops:
            err("%s %s: generated, not in the kernel's ops" % key)
            continue
        if key not in gops:
            err("%s %s: in the kernel's ops, not generated" % key)
            continue
        if gops[key]["admin"] != kops[key]["admin"]:
            err("%s %s: admin-perm differs" % key)
        gp, kp = gops[key]["policy"], kops[key]["policy"]
        got = policies.normalize(gpols, gp) if gp else {}
        for (aset, attr), max_len in taken.items():
            if aset == byc.get(cmd) and attr in got:
                got[attr]["max-len"] = max_len
        want = policies.normalize(kpols, kp) if kp else {}
        for e in policies.compare("%s %s (generated %s, kernel %s)"
                                  % (cmd, mode, gp, kp), got, want,
                                  subset=mode == "dump",
                                  allowed=list(policies.STRICTER.values())):
            err(e)
        n += 1
    if not errors:
        print("ynl: the generated policies of %d operations accept what "
              "the kernel's do" % n)


if __name__ == "__main__":
    sys.exit(main())
