#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Fail unless every non-static function in the given .c files, and every
inline function in the given headers, has a kernel-doc comment right
before it whose first line names it ("/**\\n * name() - ...").

kernel-doc itself only checks the comments that exist; this checks that
they exist. Usage: kdoc_coverage.py FILE...
"""
import re
import sys

DEF = re.compile(r"^(?!static\b)(?:[\w\*]+[ \t\*]+)+\**(\w+)\(", re.M)
INLINE = re.compile(r"^static inline\b[^;{]*?\b(\w+)\(", re.M)


def main():
    missing = []
    for path in sys.argv[1:]:
        with open(path) as f:
            text = f.read()
        pattern = INLINE if path.endswith(".h") else DEF
        for m in pattern.finditer(text):
            name = m.group(1)
            # A definition: the parameter list is followed by a body.
            rest = text[m.end():]
            close = rest.find(")")
            after = rest[close + 1:close + 40].lstrip() if close >= 0 else ""
            if not after.startswith("{") and not rest[close + 1:].lstrip(
                    ).startswith("__"):
                continue
            before = text[:m.start()].rstrip()
            start = before.rfind("/**")
            ok = (before.endswith("*/") and start >= 0 and
                  re.match(r"/\*\*\s*\n\s*\*\s*%s\(\)" % re.escape(name),
                           before[start:]) is not None)
            if not ok:
                line = text.count("\n", 0, m.start()) + 1
                missing.append("%s:%d: %s() has no kernel-doc comment"
                               % (path, line, name))
    for m in missing:
        print(m)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
