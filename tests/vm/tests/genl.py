"""A raw generic netlink client for the tests of the hv_iommu family.

It speaks the wire format directly (socket AF_NETLINK, NETLINK_GENERIC) so
that a test can send what no well-behaved client would: missing, mistyped
or oversized attributes.  Enum values are read from the uAPI header
(kernel/uapi/hv_iommu_nl.h), not copied here.

Run as a script (for a test's unprivileged child):
    python3 genl.py CMD [ATTR=TYPE:VALUE ...] [--dump]
prints "errno=N msg=..." or "ok N" (messages received);
    python3 genl.py --save FILE DOMAIN
writes the dumps (domains, devices, skipped, mappings of DOMAIN, stats) as
JSON for a comparison with debugfs.
"""

import json
import os
import re
import socket
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.environ.get("HV_REPO") or os.path.abspath(os.path.join(HERE, "..", "..", ".."))
UAPI = os.path.join(REPO, "kernel", "uapi", "hv_iommu_nl.h")

NETLINK_GENERIC = 16
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 1, 4, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, CTRL_ATTR_MCAST_GROUPS = 1, 2, 7
CTRL_ATTR_MCAST_GRP_NAME, CTRL_ATTR_MCAST_GRP_ID = 1, 2
SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, NETLINK_EXT_ACK = 270, 1, 11
NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS, NLMSGERR_ATTR_MISS_TYPE = 1, 2, 5
NLM_F_ACK_TLVS = 0x200


def uapi_enums():
    """Every NAME = value of the uAPI header's enums (implicit values too)."""
    text = re.sub(r"/\*.*?\*/", "", open(UAPI).read(), flags=re.S)
    vals = {}
    for body in re.findall(r"enum\s+\w+\s*\{(.*?)\}", text, re.S):
        n = -1
        for item in body.split(","):
            item = item.strip()
            if not item:
                continue
            name, _, expr = item.partition("=")
            name, expr = name.strip(), expr.strip()
            n = eval(expr, {}, dict(vals)) if expr else n + 1
            vals[name] = n
    return vals


E = uapi_enums()


def attr(typ, payload):
    ln = 4 + len(payload)
    return struct.pack("=HH", ln, typ) + payload + b"\0" * ((4 - ln % 4) % 4)


def a_u32(typ, v):
    return attr(typ, struct.pack("=I", v))


def a_str(typ, s):
    return attr(typ, s.encode() + b"\0")


def parse_attrs(buf):
    out = []
    while len(buf) >= 4:
        ln, typ = struct.unpack("=HH", buf[:4])
        if ln < 4:
            break
        out.append((typ & 0x3FFF, buf[4:ln]))
        buf = buf[(ln + 3) & ~3:]
    return out


class Error(Exception):
    def __init__(self, errno, msg, offs, miss):
        super().__init__("errno %d: %s" % (errno, msg))
        self.errno, self.msg, self.offs, self.miss = errno, msg, offs, miss


class Genl:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.bind((0, 0))
        self.seq = 1
        self.family, self.groups = self._resolve("hv_iommu")

    def close(self):
        self.sock.close()

    def _send(self, fam, cmd, attrs, flags):
        self.seq += 1
        body = struct.pack("=BBH", cmd, 1, 0) + attrs
        self.sock.send(struct.pack("=IHHII", 16 + len(body), fam, flags, self.seq, 0) + body)

    def _recv_all(self):
        """Messages up to DONE or the ACK/error; raises Error."""
        msgs = []
        while True:
            data = self.sock.recv(1 << 20)
            while data:
                ln, typ, flags, seq, _ = struct.unpack("=IHHII", data[:16])
                body = data[16:ln]
                data = data[(ln + 3) & ~3:]
                if typ == NLMSG_DONE:
                    return msgs
                if typ == NLMSG_ERROR:
                    err = -struct.unpack("=i", body[:4])[0]
                    if err == 0:
                        return msgs
                    msg, offs, miss = "", None, None
                    if flags & NLM_F_ACK_TLVS:
                        # the request's header (and payload unless capped) follows
                        olen = struct.unpack("=I", body[4:8])[0]
                        skip = 4 + (16 if flags & 0x100 else olen)
                        for t, v in parse_attrs(body[skip:]):
                            if t == NLMSGERR_ATTR_MSG:
                                msg = v.rstrip(b"\0").decode()
                            elif t == NLMSGERR_ATTR_OFFS:
                                offs = struct.unpack("=I", v)[0]
                            elif t == NLMSGERR_ATTR_MISS_TYPE:
                                miss = struct.unpack("=I", v)[0]
                    raise Error(err, msg, offs, miss)
                msgs.append((body[0], parse_attrs(body[4:])))

    def _resolve(self, name):
        self._send(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, a_str(CTRL_ATTR_FAMILY_NAME, name),
                   NLM_F_REQUEST | NLM_F_ACK)
        (_, attrs), = self._recv_all()
        fam, groups = None, {}
        for t, v in attrs:
            if t == CTRL_ATTR_FAMILY_ID:
                fam = struct.unpack("=H", v[:2])[0]
            elif t == CTRL_ATTR_MCAST_GROUPS:
                for _, g in parse_attrs(v):
                    d = dict(parse_attrs(g))
                    groups[d[CTRL_ATTR_MCAST_GRP_NAME].rstrip(b"\0").decode()] = \
                        struct.unpack("=I", d[CTRL_ATTR_MCAST_GRP_ID])[0]
        return fam, groups

    def request(self, cmd, attrs=b"", dump=False):
        """Sends CMD (a HV_IOMMU_CMD_ name or number); returns the replies."""
        if isinstance(cmd, str):
            cmd = E["HV_IOMMU_CMD_" + cmd]
        self._send(self.family, cmd, attrs, NLM_F_REQUEST | NLM_F_ACK | (NLM_F_DUMP if dump else 0))
        return self._recv_all()


def u(v):
    return struct.unpack("=Q" if len(v) == 8 else "=I" if len(v) == 4 else "=B", v)[0]


def s(v):
    return v.rstrip(b"\0").decode()


def save(path, domain):
    """Every dump hvctl's tests compare with debugfs, decoded, as JSON."""
    A = {k[len("HV_IOMMU_A_"):]: v for k, v in E.items() if k.startswith("HV_IOMMU_A_")}
    reasons = {v: k[len("HV_IOMMU_SKIP_REASON_"):].lower() for k, v in E.items()
               if k.startswith("HV_IOMMU_SKIP_REASON_")}
    g = Genl()
    doc = {"domains": [], "devices": [], "skipped": [], "mappings": [], "calls": []}
    for _, attrs in g.request("DOMAIN_GET", dump=True):
        d = dict(attrs)
        doc["domains"].append({"id": u(d[A["DOMAIN_ID"]]), "mapped_bytes": u(d[A["MAPPED_BYTES"]]),
                               "mappings": u(d[A["MAPPINGS"]]),
                               "devices": [s(v) for t, v in attrs if t == A["DOMAIN_DEVICE"]]})
    for _, attrs in g.request("DEVICE_GET", dump=True):
        d = dict(attrs)
        doc["devices"].append({"bdf": s(d[A["BDF"]]), "domain": u(d[A["DOMAIN_ID"]])})
    for _, attrs in g.request("SKIPPED_GET", dump=True):
        d = dict(attrs)
        doc["skipped"].append({"bdf": s(d[A["BDF"]]), "reason": reasons[u(d[A["SKIP_REASON"]])]})
    for _, attrs in g.request("MAPPING_GET", a_u32(A["DOMAIN_ID"], domain), dump=True):
        assert u(dict(attrs)[A["DOMAIN_ID"]]) == domain
        for t, v in attrs:
            if t != A["MAPPING"]:
                continue
            d = dict(parse_attrs(v))
            doc["mappings"].append((u(d[A["IOVA"]]), u(d[A["IOVA_LAST"]]), u(d[A["PADDR"]]),
                                    "rw" if u(d[A["MAP_FLAGS"]]) & 1 else "r"))
    (_, attrs), = g.request("STATS_GET", dump=True)
    for t, v in attrs:
        if t == A["STATS_CALL"]:
            c = dict(parse_attrs(v))
            doc["calls"].append({"code": u(c[E["HV_IOMMU_A_CALL_CODE"]]),
                                 "calls": u(c[E["HV_IOMMU_A_CALL_CALLS"]]),
                                 "reps": u(c[E["HV_IOMMU_A_CALL_REPS"]]),
                                 "failures": u(c[E["HV_IOMMU_A_CALL_FAILURES"]])})
    with open(path, "w") as f:
        json.dump(doc, f)


def mmio_regions():
    """The mmio-get dump, one dict per message (absent attributes absent)."""
    A = {k[len("HV_IOMMU_A_"):]: v for k, v in E.items() if k.startswith("HV_IOMMU_A_")}
    names = {A["PARTITION_ID"]: "partition", A["MMIO_GPA"]: "gpa", A["MMIO_SIZE"]: "size",
             A["MMIO_MAPPED_BYTES"]: "mapped_bytes", A["REGION_UADDR"]: "uaddr"}
    g = Genl()
    try:
        out = []
        for _, attrs in g.request("MMIO_GET", dump=True):
            d = dict(attrs)
            r = {n: u(d[a]) for a, n in names.items() if a in d}
            if A["MMIO_MODE"] in d:
                r["mode"] = s(d[A["MMIO_MODE"]])
            r["ram"] = A["REGION_RAM"] in d
            out.append(r)
        return out
    finally:
        g.close()


def main(argv):
    if len(argv) == 4 and argv[1] == "--save":
        save(argv[2], int(argv[3]))
        return 0
    dump = "--dump" in argv
    argv = [a for a in argv[1:] if a != "--dump"]
    blob = b""
    for spec in argv[1:]:
        name, _, tv = spec.partition("=")
        typ, _, val = tv.partition(":")
        a = E["HV_IOMMU_A_" + name]
        blob += a_u32(a, int(val, 0)) if typ == "u32" else a_str(a, val)
    g = Genl()
    try:
        print("ok %d" % len(g.request(argv[0], blob, dump)))
    except Error as e:
        print("errno=%d msg=%s" % (e.errno, e.msg))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
