#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The netlink spec (doc/netlink/hv_iommu.yaml) and the uAPI header
(kernel/uapi/hv_iommu_nl.h) name the same constants with the same values.

Names and values are derived from the spec as the kernel's ynl-gen-c does
for genetlink-c (name-prefix + entry, upper case, '-' to '_'; enums from
value-start, attributes and operations from 1 or their explicit value,
flags as bits) and read from the header by compiling it.  Exit 0 or 1 with
one line per difference.
"""

import os
import re
import subprocess
import sys
import tempfile

import yaml

SRC = os.environ.get("HVCTL_SRCDIR") or os.path.join(os.path.dirname(__file__), "..", "..")
SPEC = os.path.join(SRC, "doc", "netlink", "hv_iommu.yaml")
HDR = os.path.join(SRC, "kernel", "uapi", "hv_iommu_nl.h")


def c_name(s):
    return s.upper().replace("-", "_")


def from_spec(spec):
    want = {}
    for d in spec.get("definitions", []):
        prefix = d.get("name-prefix", spec["name"] + "-" + d["name"] + "-")
        if d["type"] == "const":
            want[c_name(prefix if "name-prefix" in d else spec["name"] + "-" + d["name"])] = d["value"]
            continue
        v = d.get("value-start", 0)
        for e in d["entries"]:
            name = e["name"] if isinstance(e, dict) else e
            want[c_name(prefix + name)] = (1 << v) if d["type"] == "flags" else v
            v += 1
    for aset in spec["attribute-sets"]:
        v = 1
        for a in aset["attributes"]:
            v = a.get("value", v)
            want[c_name(aset["name-prefix"] + a["name"])] = v
            v += 1
        want[c_name(aset["name-prefix"] + "max")] = v - 1
    ops = spec["operations"]
    v = 1
    for op in ops["list"]:
        v = op.get("value", v)
        want[c_name(ops["name-prefix"] + op["name"])] = v
        v += 1
    want[c_name(ops["name-prefix"] + "max")] = v - 1
    return want


def from_header(names):
    prog = '#include <stdio.h>\n#include "%s"\nint main(void)\n{\n' % os.path.abspath(HDR)
    for n in names:
        prog += '\tprintf("%s %%lld\\n", (long long)(%s));\n' % (n, n)
    prog += "\treturn 0;\n}\n"
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "p.c"), "w") as f:
            f.write(prog)
        cc = subprocess.run([os.environ.get("CC", "cc"), "-o", os.path.join(d, "p"),
                             os.path.join(d, "p.c")], capture_output=True, text=True)
        if cc.returncode:
            # an undeclared name: say which
            missing = sorted(set(re.findall(r"'(HV_IOMMU_\w+)' undeclared", cc.stderr)))
            return None, missing or [cc.stderr.strip()]
        out = subprocess.run([os.path.join(d, "p")], capture_output=True, text=True, check=True)
    return {k: int(v) for k, v in (l.split() for l in out.stdout.splitlines())}, []


def main():
    with open(SPEC) as f:
        spec = yaml.safe_load(f)
    want = from_spec(spec)
    got, missing = from_header(sorted(want))
    bad = ["%s: in the spec, not in the header" % m for m in missing]
    for k, v in sorted(want.items()):
        if got is not None and got.get(k) != v:
            bad.append("%s: spec %d, header %s" % (k, v, got.get(k)))
    text = open(HDR).read()
    if '"%s"' % spec["name"] not in text:
        bad.append("family name %s not in the header" % spec["name"])
    for g in spec["mcast-groups"]["list"]:
        if '"%s"' % g["name"] not in text:
            bad.append("multicast group %s not in the header" % g["name"])
    for line in bad:
        print("test-nl-spec: " + line)
    print("test-nl-spec: %d constants compared, %d differences" % (len(want), len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
