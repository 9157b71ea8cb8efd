# SPDX-License-Identifier: GPL-2.0
"""Read netlink policies out of kernel C, for tests/check_spec.py and
tests/check_ynl.py.

The policy arrays, the range structs and the file's own #defines are cut
out of the C files and compiled on the host with stand-ins for the
kernel's struct nla_policy and NLA_POLICY_*() macros, so that the
compiler, not a regex, evaluates designated ranges ([A ... B] = X),
macros and constants. The program prints every policy; normalize() turns
an entry into what it accepts, so that equivalent spellings compare equal
(NLA_POLICY_MASK(NLA_U32, 0xffff) and NLA_POLICY_MAX(NLA_U32, 0xffff),
a NLA_REJECT entry and no entry).
"""
import json
import os
import re
import subprocess
import tempfile

HARNESS = r"""
#include <limits.h>
#include <stdio.h>
#include <stdint.h>
typedef uint8_t u8; typedef uint16_t u16; typedef uint32_t u32;
typedef uint64_t u64; typedef int64_t s64;
#define PAGE_SIZE 4096
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
enum { NLA_UNSPEC, NLA_U8, NLA_U16, NLA_U32, NLA_U64, NLA_STRING, NLA_FLAG,
       NLA_MSECS, NLA_NESTED, NLA_NESTED_ARRAY, NLA_NUL_STRING, NLA_BINARY,
       NLA_S8, NLA_S16, NLA_S32, NLA_S64, NLA_BITFIELD32, NLA_REJECT,
       NLA_BE16, NLA_BE32 };
enum { V_NONE, V_MIN, V_MAX, V_RANGE, V_RANGE_PTR, V_MASK };
struct netlink_range_validation { u64 min, max; };
struct nla_policy {
	int type, vt;
	long long len, min, max;
	unsigned long long mask;
	const struct netlink_range_validation *range;
	const struct nla_policy *nested_policy;
	const char *reject_message;
};
#define NLA_POLICY_MIN(t, v) { .type = t, .vt = V_MIN, .min = v }
#define NLA_POLICY_MAX(t, v) { .type = t, .vt = V_MAX, .max = v }
#define NLA_POLICY_RANGE(t, a, b) { .type = t, .vt = V_RANGE, .min = a, .max = b }
#define NLA_POLICY_FULL_RANGE(t, r) { .type = t, .vt = V_RANGE_PTR, .range = r }
#define NLA_POLICY_MASK(t, m) { .type = t, .vt = V_MASK, .mask = m }
#define NLA_POLICY_EXACT_LEN(l) NLA_POLICY_RANGE(NLA_BINARY, l, l)
#define NLA_POLICY_MAX_LEN(l) NLA_POLICY_MAX(NLA_BINARY, l)
#define NLA_POLICY_NESTED(p) { .type = NLA_NESTED, .nested_policy = p, \
			       .len = ARRAY_SIZE(p) - 1 }
"""

TYPES = ["unspec", "u8", "u16", "u32", "u64", "string", "flag", "msecs",
         "nest", "nest-array", "nul-string", "binary", "s8", "s16", "s32",
         "s64", "bitfield32", "reject", "be16", "be32"]
UMAX = {"u8": 0xff, "u16": 0xffff, "u32": 0xffffffff,
        "u64": 0xffffffffffffffff}


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def cut(text):
    """The #defines, range structs and policy arrays of a C file."""
    text = strip_comments(text)
    parts, decls = [], []
    for m in re.finditer(r"^#define[ \t]+\w+(?:[^\n]*\\\n)*[^\n]*",
                         text, re.M):
        if re.match(r"#define\s+pr_fmt", m.group(0)):
            continue
        parts.append(m.group(0))
    # Range structs written with compat.h's HV_NL_RANGE(name, min, max).
    for m in re.finditer(r"^HV_NL_RANGE\((\w+),\s*([^,]+),\s*([^)]+)\);",
                         text, re.M):
        parts.append("static const struct netlink_range_validation %s = "
                     "{ .min = %s, .max = %s };" % m.groups())
    names = []
    for m in re.finditer(r"^(?:static\s+)?(?:const\s+)?struct\s+"
                         r"(netlink_range_validation|nla_policy)\s+(\w+)"
                         r"(\[[^\]]*\])?\s*=\s*\{.*?\n\};", text, re.M | re.S):
        # Policies with external linkage, declared first: generated code
        # nests policies defined further down (its header declares them).
        pfx = "static const " if m.group(1) != "nla_policy" else "const "
        parts.append(re.sub(r"^(?:static\s+)?(?:const\s+)?", pfx,
                            m.group(0)))
        if m.group(1) == "nla_policy":
            names.append(m.group(2))
            decls.append("extern const struct nla_policy %s%s;"
                         % (m.group(2), m.group(3)))
    return decls + parts, names


def kernel_defines(headers):
    """Object-like numeric #defines of kmod's headers (HV_IO_CHUNK ...)."""
    out = []
    for h in headers:
        with open(h) as f:
            for line in strip_comments(f.read()).splitlines():
                m = re.match(r"#define\s+(HV_\w+)\s+([0-9][0-9a-fA-FxXuUlL]*)\s*$",
                             line)
                if m:
                    out.append("#define %s %s" % m.groups())
    return out


def read(c_files, uapi_dir, headers=()):
    """{policy name: {"max": maxattr, "attrs": {attr: entry}}} of the files.

    An entry: {"type", "vt", "len", "min", "max", "mask", "nested"} with
    the nested policy by name.
    """
    parts, names = [], []
    for path in c_files:
        with open(path) as f:
            p, n = cut(f.read())
        parts += p
        names += n
    src = [HARNESS, '#include "hv.h"'] + kernel_defines(headers) + parts
    src.append("static const struct { const char *name; "
               "const struct nla_policy *p; int n; } all[] = {")
    src += ['\t{ "%s", %s, ARRAY_SIZE(%s) },' % (n, n, n) for n in names]
    src.append("};")
    src.append(r"""
static const char *pname(const struct nla_policy *p)
{
	for (unsigned i = 0; i < ARRAY_SIZE(all); i++)
		if (all[i].p == p)
			return all[i].name;
	return "?";
}

int main(void)
{
	printf("{");
	for (unsigned i = 0; i < ARRAY_SIZE(all); i++) {
		printf("%s\"%s\": {\"max\": %d, \"attrs\": {", i ? ", " : "",
		       all[i].name, all[i].n - 1);
		int first = 1;
		for (int a = 1; a < all[i].n; a++) {
			const struct nla_policy *e = &all[i].p[a];
			unsigned long long lo = e->min, hi = e->max;

			if (e->type == NLA_UNSPEC && e->vt == V_NONE)
				continue;
			if (e->vt == V_RANGE_PTR) {
				lo = e->range->min;
				hi = e->range->max;
			}
			printf("%s\"%d\": {\"type\": %d, \"vt\": %d, \"len\": %lld, "
			       "\"min\": %llu, \"max\": %llu, \"mask\": %llu, "
			       "\"nested\": \"%s\"}", first ? "" : ", ", a,
			       e->type, e->vt, e->len, lo, hi, e->mask,
			       e->nested_policy ? pname(e->nested_policy) : "");
			first = 0;
		}
		printf("}}");
	}
	printf("}\n");
	return 0;
}
""")
    with tempfile.TemporaryDirectory() as tmp:
        c = os.path.join(tmp, "policies.c")
        exe = os.path.join(tmp, "policies")
        with open(c, "w") as f:
            f.write("\n".join(src))
        cc = subprocess.run(["cc", "-std=gnu11", "-w", "-I", uapi_dir,
                             "-o", exe, c], capture_output=True, text=True)
        if cc.returncode:
            raise SystemExit("policies.py: cannot compile the policies of "
                             "%s:\n%s" % (" ".join(c_files), cc.stderr))
        out = subprocess.run([exe], check=True, capture_output=True,
                             text=True).stdout
    pols = json.loads(out)
    for p in pols.values():
        p["attrs"] = {int(k): v for k, v in p["attrs"].items()}
    return pols


def normalize(pols, name, seen=()):
    """What policy NAME accepts: {attr: description}, nested expanded."""
    out = {}
    for attr, e in pols[name]["attrs"].items():
        t = TYPES[e["type"]]
        if t == "reject":
            continue        # refused, as an attribute without an entry is
        d = {"type": t}
        vt = e["vt"]
        if t in UMAX:
            lo, hi, mask = 0, UMAX[t], None
            if vt in (1, 3, 4):
                lo = e["min"]
            if vt in (2, 3, 4):
                hi = e["max"]
            if vt == 5:
                mask = e["mask"]
                if mask & (mask + 1) == 0:      # low bits only: a maximum
                    hi, mask = min(hi, mask), None
            d.update(min=lo, max=hi)
            if mask is not None:
                d["mask"] = hex(mask)
        elif t in ("binary", "nul-string", "string"):
            if vt == 3 and e["min"] == e["max"]:
                d["exact-len"] = e["min"]
            elif vt == 2:
                d["max-len"] = e["max"]
            elif e["len"]:
                d["max-len"] = e["len"]
        elif t == "nest":
            n = e["nested"]
            d["nested"] = ("<loop %s>" % n if n in seen else
                           normalize(pols, n, seen + (n,)))
        out[attr] = d
    return out


def ops(text):
    """{(cmd, "do" or "dump"): {"policy", "maxattr", "admin"}} of the
    genl_ops or genl_split_ops table of a C file."""
    text = strip_comments(text)
    m = re.search(r"genl_(?:split_)?ops\s+\w+\[\]\s*=\s*\{(.*?)\n\};", text,
                  re.S)
    if not m:
        raise SystemExit("policies.py: no ops table")
    res = {}
    for block in re.findall(r"\{(.*?)\}", m.group(1), re.S):
        fields = dict(re.findall(r"\.(\w+)\s*=\s*([^,]+?)\s*,", block + ","))
        if "cmd" not in fields:
            continue
        for mode, key in (("do", "doit"), ("dump", "dumpit")):
            if key in fields:
                res[(fields["cmd"], mode)] = {
                    "policy": fields.get("policy"),
                    "maxattr": fields.get("maxattr"),
                    "admin": "GENL_ADMIN_PERM" in fields.get("flags", ""),
                }
    return res


# What the spec cannot say and the kernel's policy does, exactly: the
# spec's description of the attribute -> the kernel's. checks has no
# mask with a hole (flags-mask is one of the low bits only).
STRICTER = {
    ("segment", "ar"): ({"type": "u32", "min": 0, "max": 0x1ffff},
                        {"type": "u32", "min": 0, "max": 0xffffffff,
                         "mask": "0x1f0ff"}),
}


def attr_values(aset):
    vals, nxt = {}, 1
    for a in aset["attributes"]:
        vals[a["name"]] = a.get("value", nxt)
        nxt = vals[a["name"]] + 1
    return vals


def _enum(spec, name):
    for d in spec.get("definitions", []):
        if d["name"] == name:
            start = d.get("value-start", 0)
            vals = []
            for i, e in enumerate(d["entries"]):
                e = e if isinstance(e, dict) else {"name": e}
                vals.append(e.get("value", start + i))
            return d["type"], vals
    raise SystemExit("policies.py: no definition %s" % name)


def spec_attr(spec, set_name, attr, seen=()):
    """What the spec says an attribute accepts, as normalize() writes it,
    by the rules of ynl-gen-c.py (an enum implies its range, flags their
    mask)."""
    t = attr["type"]
    checks = attr.get("checks", {})
    if t in UMAX:
        d = {"type": t}
        lo, hi, mask = 0, UMAX[t], None
        if "enum" in attr:
            kind, vals = _enum(spec, attr["enum"])
            if kind == "flags" or attr.get("enum-as-flags"):
                mask = 0
                for v in vals:
                    mask |= 1 << v
            else:
                lo, hi = min(vals), max(vals)
        lo = checks.get("min", lo)
        hi = checks.get("max", hi)
        if mask is not None and mask & (mask + 1) == 0:
            hi, mask = min(UMAX[t], mask), None
        d.update(min=lo, max=hi)
        if mask is not None:
            d["mask"] = hex(mask)
        known = STRICTER.get((set_name, attr["name"]))
        if known and d == known[0]:
            return dict(known[1])
        return d
    if t == "string":
        d = {"type": "string" if checks.get("unterminated-ok")
             else "nul-string"}
        if "max-len" in checks:
            d["max-len"] = checks["max-len"]
        return d
    if t == "binary":
        d = {"type": "binary"}
        for k in ("exact-len", "max-len"):
            if k in checks:
                d[k] = checks[k]
        return d
    if t == "flag":
        return {"type": "flag"}
    if t == "nest":
        n = attr["nested-attributes"]
        if n in seen:
            return {"type": "nest", "nested": "<loop %s>" % n}
        return {"type": "nest", "nested": spec_set(spec, n, None,
                                                   seen + (n,))}
    raise SystemExit("policies.py: %s.%s: type %s" % (set_name,
                                                      attr["name"], t))


def spec_set(spec, set_name, names=None, seen=()):
    """{attr value: description} of the attributes NAMES of a set (all
    but pads if None), as a policy of them would accept."""
    aset = next(s for s in spec["attribute-sets"] if s["name"] == set_name)
    vals = attr_values(aset)
    out = {}
    for a in aset["attributes"]:
        if a["type"] == "pad" or (names is not None and
                                  a["name"] not in names):
            continue
        out[vals[a["name"]]] = spec_attr(spec, set_name, a, seen)
    return out


def compare(what, want, got, subset=False, allowed=()):
    """Disagreements of two {attr: description}, as lines. subset: GOT may
    accept attributes WANT does not list; allowed: (want, got) pairs of
    descriptions that agree (STRICTER's, for the generator's policies)."""
    errs = []
    for a in sorted(set(want) | set(got)):
        if a not in got:
            errs.append("%s: attribute %d: %s is not accepted"
                        % (what, a, want[a]))
        elif a not in want:
            if not subset:
                errs.append("%s: attribute %d: %s is accepted but not "
                            "listed" % (what, a, got[a]))
        elif (want[a]["type"] == got[a]["type"] == "nest" and
              isinstance(want[a]["nested"], dict) and
              isinstance(got[a]["nested"], dict)):
            errs += compare("%s, in attribute %d" % (what, a),
                            want[a]["nested"], got[a]["nested"],
                            allowed=allowed)
        elif want[a] != got[a] and (want[a], got[a]) not in allowed:
            errs.append("%s: attribute %d: wanted %s, got %s"
                        % (what, a, want[a], got[a]))
    return errs
