"""Helpers for the in-VM tests of hv_iommu and hv_sim.

Everything here reads or drives the interfaces of doc/interfaces.md: the
debugfs tables of hv_iommu and hv_sim, the sysfs parameters, the sim's knobs,
PCI driver binding, hvctl and the VFIO client (tests/vfio/vfio-client).

A `Tables` object reads the debugfs tables either live or from a snapshot
directory written by `python3 hvtest.py snapshot DIR`, which the tests pass
to the VFIO client as its --while-mapped/--after-unmap command, so that state
seen in the middle of the client's life can be checked afterwards.

Run as a script:  python3 hvtest.py snapshot DIR
                  python3 hvtest.py bus-master BDF on|off
                  python3 hvtest.py arm-map-fail-at IOVA STATUS
"""

import json
import os
import re
import shlex
import struct
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.environ.get("HV_REPO") or os.path.abspath(os.path.join(HERE, "..", "..", ".."))
DBG_IOMMU = "/sys/kernel/debug/hv_iommu"
DBG_SIM = "/sys/kernel/debug/hv_sim"
DBG_VMM = "/sys/kernel/debug/hv_vmm"
MMIO_MODE = "/sys/module/hv_vmm/parameters/mmio_mode"
PARAMS = "/sys/module/hv_iommu/parameters"
PCI = "/sys/bus/pci/devices"
CLIENT = os.path.join(REPO, "tests", "vfio", "vfio-client")
PAGE = 4096
MiB = 1 << 20
IDENTITY = 0
BLOCKED = 0xFFFFFFFF

# Devices meant for passthrough (set by the VM runner).
PASSTHROUGH = os.environ.get(
    "HV_PASSTHROUGH_DEVS", "0000:00:03.0 0000:00:04.0 0000:00:05.0").split()
EDU0, EDU1, NIC = (PASSTHROUGH + [None] * 3)[:3]
# The bridge, the edu behind it and the two-function edu (tests/vm/run).
TOPOLOGY = (os.environ.get("HV_BRIDGE", "0000:00:06.0").split()
            + os.environ.get("HV_BRIDGED_DEV", "0000:01:01.0").split()
            + os.environ.get("HV_MULTIFUNCTION_DEVS", "0000:00:07.0 0000:00:07.1").split())


# --- parsing the contract's formats -----------------------------------------

def num(v):
    """A contract number: decimal, or hex when written with 0x."""
    return int(v, 0) if isinstance(v, str) else int(v)


def parse_kv(line):
    """One `key=value key=value` record; a leading bare word is `_type`."""
    rec = {}
    for i, tok in enumerate(line.split()):
        if "=" in tok:
            k, v = tok.split("=", 1)
            rec[k] = v
        elif i == 0:
            rec["_type"] = tok
        else:
            raise ValueError("bad token %r in record %r" % (tok, line))
    return rec


def parse_table(text):
    return [parse_kv(l) for l in text.splitlines() if l.strip()]


def split_list(v):
    """A comma-separated list field; `-` is the empty list."""
    return [] if v in (None, "", "-") else v.split(",")


_MAP_RE = re.compile(r"^0x([0-9a-f]+)-0x([0-9a-f]+) 0x([0-9a-f]+) (r|rw)$")


def parse_driver_mappings(text):
    """hv_iommu mappings/<id>: [(first, last, phys, perm)] in file order."""
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        m = _MAP_RE.match(line.strip())
        if not m:
            raise ValueError("bad mappings line %r" % line)
        out.append((int(m.group(1), 16), int(m.group(2), 16),
                    int(m.group(3), 16), m.group(4)))
    return out


def read_text(path):
    with open(path) as f:
        return f.read()


def read_expect(path):
    """The VFIO client's expect file: {iova: pfn} per 4 KiB page."""
    out = {}
    with open(path) as f:
        for line in f:
            iova, pfn = line.split()
            out[int(iova, 16)] = int(pfn, 16)
    return out


# --- the tables, live or from a snapshot ------------------------------------

class Tables:
    """The debugfs tables of hv_iommu (`iommu`), hv_sim (`sim`) and hv_vmm
    (`vmm`)."""

    def __init__(self, iommu=DBG_IOMMU, sim=DBG_SIM, extra=None, vmm=DBG_VMM):
        self.iommu_dir = iommu
        self.sim_dir = sim
        self.vmm_dir = vmm
        self.extra = extra      # snapshot directory (hvctl output, env)

    @classmethod
    def snapshot(cls, d):
        return cls(os.path.join(d, "iommu"), os.path.join(d, "sim"), d,
                   os.path.join(d, "vmm"))

    # hv_vmm, per partition (hv_vmm/partitions/<id>/)
    def vmm_partitions(self):
        d = os.path.join(self.vmm_dir, "partitions")
        return sorted(int(n) for n in os.listdir(d)) if os.path.isdir(d) else []

    def vmm(self, pid, name):
        return parse_table(read_text(os.path.join(self.vmm_dir, "partitions",
                                                  str(pid), name)))

    def vmm_regions(self, pid):
        return self.vmm(pid, "regions")

    def vmm_mmio_pages(self, pid):
        """{gpa: spa} of every MMIO page hv_vmm has mapped."""
        out = {}
        for r in self.vmm(pid, "mmio_pages"):
            for i in range(num(r["pages"])):
                out[num(r["gpa"]) + i * PAGE] = num(r["spa"]) + i * PAGE
        return out

    def vmm_counters(self, pid):
        rows = self.vmm(pid, "counters")
        assert len(rows) == 1, rows
        return {k: num(v) for k, v in rows[0].items()}

    # raw
    def iommu(self, name):
        return parse_table(read_text(os.path.join(self.iommu_dir, name)))

    def sim(self, name):
        return parse_table(read_text(os.path.join(self.sim_dir, name)))

    # hv_iommu
    def domains(self):
        return self.iommu("domains")

    def domain(self, dom_id):
        rows = [d for d in self.domains() if num(d["id"]) == dom_id]
        assert len(rows) <= 1, "domain %d listed %d times" % (dom_id, len(rows))
        return rows[0] if rows else None

    def devices(self):
        return self.iommu("devices")

    def device(self, bdf):
        rows = [d for d in self.devices() if d["bdf"] == bdf]
        assert len(rows) <= 1, "%s listed %d times in devices" % (bdf, len(rows))
        return rows[0] if rows else None

    def device_domain(self, bdf):
        """The domain id the driver's books have the device in."""
        dev = self.device(bdf)
        assert dev is not None, "hv_iommu devices does not list %s" % bdf
        return num(dev["domain"])

    def mappings_path(self, dom_id):
        return os.path.join(self.iommu_dir, "mappings", str(dom_id))

    def has_mappings_file(self, dom_id):
        return os.path.exists(self.mappings_path(dom_id))

    def driver_mappings(self, dom_id):
        return parse_driver_mappings(read_text(self.mappings_path(dom_id)))

    def driver_pages(self, dom_id):
        """Driver tree of a domain expanded to {iova: (pfn, perm)}."""
        return expand_driver(self.driver_mappings(dom_id))

    def stats(self):
        return self.iommu("stats")

    def skipped(self):
        return self.iommu("skipped")

    # hv_sim
    def sim_domains(self):
        return self.sim("domains")

    def sim_domain(self, dom_id):
        rows = [d for d in self.sim_domains() if num(d["id"]) == dom_id]
        assert len(rows) <= 1, "sim domain %d listed %d times" % (dom_id, len(rows))
        return rows[0] if rows else None

    def sim_mappings(self):
        return self.sim("mappings")

    def sim_pages(self, dom_id):
        """Sim mappings of one domain expanded to {iova: (pfn, flags)}."""
        return expand_sim(self.sim_mappings(), dom_id)

    def sim_devices(self):
        return self.sim("devices")

    def sim_device(self, bdf):
        rows = [d for d in self.sim_devices() if d.get("bdf") == bdf]
        assert len(rows) <= 1, "%s listed %d times in sim devices" % (bdf, len(rows))
        return rows[0] if rows else None

    def sim_partitions(self):
        return self.sim("partitions")

    def sim_partition(self, pid):
        rows = [r for r in self.sim_partitions() if num(r["id"]) == pid]
        assert len(rows) <= 1, "sim partition %d listed %d times" % (pid, len(rows))
        return rows[0] if rows else None

    def sim_vps(self, pid=None):
        return [r for r in self.sim("vps") if pid is None or num(r["partition"]) == pid]

    def sim_gpa(self, pid=None):
        return [r for r in self.sim("gpa") if pid is None or num(r["partition"]) == pid]

    def sim_gpa_pages(self, pid):
        """A partition's GPA map expanded to {gpa: (pfn, flags)}."""
        out = {}
        for r in self.sim_gpa(pid):
            gpa, pfn, flags = num(r["gpa"]), num(r["pfn"]), num(r["flags"])
            for i in range(num(r["pages"])):
                out[gpa + i * PAGE] = (pfn + i if pfn else 0, flags)
        return out

    def sim_pool(self):
        rows = self.sim("pool")
        assert len(rows) == 1, "sim pool: %r" % rows
        return {k: num(v) for k, v in rows[0].items()}

    def sim_stats(self):
        return self.sim("stats")

    def sim_audit(self):
        """The sim's isolation audit: {name: count}."""
        return {r["name"]: num(r["count"]) for r in self.sim("audit")}

    def bus_master(self, bdf):
        """Bus mastering of a passthrough device when the snapshot was taken."""
        with open(os.path.join(self.extra, "pci.json")) as f:
            return json.load(f)[bdf]

    # snapshot extras
    def env(self, name):
        path = os.path.join(self.extra, "env.json")
        with open(path) as f:
            return json.load(f).get(name)

    def nl_mmio(self):
        """The family's mmio-get dump (genl.mmio_regions()) in the snapshot."""
        with open(os.path.join(self.extra, "nl-mmio.json")) as f:
            return json.load(f)

    def top_batch(self):
        with open(os.path.join(self.extra, "top-batch.txt")) as f:
            return f.read()

    def hvctl_json(self, name):
        """(rc, parsed json or None, stderr) of an hvctl call in the snapshot."""
        with open(os.path.join(self.extra, "hvctl-%s.json" % name)) as f:
            return json.load(f)


LIVE = Tables()


def expand_sim(rows, dom_id):
    out = {}
    for r in rows:
        if num(r["domain"]) != dom_id:
            continue
        iova, pfn, n = num(r["iova"]), num(r["pfn"]), num(r["pages"])
        flags = num(r["flags"])
        for i in range(n):
            a = iova + i * PAGE
            assert a not in out, "sim maps iova %#x twice in domain %d" % (a, dom_id)
            out[a] = (pfn + i, flags)
    return out


def expand_driver(maps):
    out = {}
    prev_last = None
    for first, last, phys, perm in maps:
        assert first % PAGE == 0 and (last + 1) % PAGE == 0 and phys % PAGE == 0, \
            "unaligned mapping %#x-%#x %#x" % (first, last, phys)
        assert last >= first
        assert prev_last is None or first > prev_last, \
            "mappings not in IOVA order or overlapping at %#x" % first
        prev_last = last
        for i in range((last + 1 - first) // PAGE):
            out[first + i * PAGE] = ((phys >> 12) + i, perm)
    return out


def stat_call(rows, code):
    """The `call` record of a stats table for a call code (driver or sim)."""
    for r in rows:
        if r.get("_type") == "call" and num(r["code"]) == code:
            return {k: num(v) for k, v in r.items() if k in ("calls", "reps", "failures")}
    return {"calls": 0, "reps": 0, "failures": 0}


def stat_record(rows, typ):
    for r in rows:
        if r.get("_type") == typ:
            return {k: (num(v) if re.match(r"^(0x[0-9a-f]+|\d+)$", v) else v)
                    for k, v in r.items() if k != "_type"}
    return {}


def stat_status(rows, code):
    for r in rows:
        if r.get("_type") == "status" and num(r["code"]) == code:
            return num(r["count"])
    return 0


def delta(after, before):
    return {k: after.get(k, 0) - before.get(k, 0) for k in after}


# --- hypercall floors of a VFIO map and unmap --------------------------------

MAP_REPS_MAX = 507      # page numbers that fit one input page
UNMAP_REPS_MAX = 4095   # the rep count field is 12 bits; no page list
TYPE1_SYNC_RUNS = 512   # vfio_iommu_type1.c VFIO_IOMMU_TLB_SYNC_MAX


def runs(expect):
    """Lengths in pages of the physically contiguous runs of an expect map,
    in IOVA order: what VFIO type1 maps (and unmaps) one iommu call each."""
    out, prev = [], None
    for iova in sorted(expect):
        if prev is not None and iova == prev[0] + PAGE and expect[iova] == prev[1] + 1:
            out[-1] += 1
        else:
            out.append(1)
        prev = (iova, expect[iova])
    return out


def map_floor(expect):
    """Map hypercalls VFIO allows: one run per iommu_map, 507 pages a call."""
    return sum(-(-n // MAP_REPS_MAX) for n in runs(expect))


def unmap_floor(expect):
    """Unmap hypercalls with the iotlb gather: type1 syncs every 512 runs of
    contiguous IOVA, one call per 4095 pages of what a sync gathered."""
    r = runs(expect)
    return sum(-(-sum(r[i:i + TYPE1_SYNC_RUNS]) // UNMAP_REPS_MAX)
               for i in range(0, len(r), TYPE1_SYNC_RUNS))


# --- sysfs parameters and sim knobs -----------------------------------------

def sim_role():
    """The role the sim plays the kernel in: "root" or "l1vh"."""
    return read_text("/sys/module/hv_sim/parameters/role").strip()


def root_only():
    """Skip a test of device domains in an L1VH boot (test_role.py checks
    that the L1VH refuses them)."""
    import pytest
    if sim_role() != "root":
        pytest.skip("device domains are the root's; role is %s" % sim_role())


def param(name):
    return read_text(os.path.join(PARAMS, name)).rstrip("\n")


def write_file(path, value):
    """Write a string in one write(2); returns 0 or the errno."""
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, value.encode())
        return 0
    except OSError as e:
        return e.errno
    finally:
        os.close(fd)


def set_param(name, value):
    return write_file(os.path.join(PARAMS, name), value)


def knob(name):
    return read_text(os.path.join(DBG_SIM, name)).strip()


def set_knob(name, value):
    err = write_file(os.path.join(DBG_SIM, name), value)
    assert err == 0, "writing %r to hv_sim/%s: %s" % (value, name, os.strerror(err))


def knob_cmd(name, value):
    """A shell command that sets a sim knob (for the client's stage hooks)."""
    return "echo %s > %s" % (shlex.quote(value), shlex.quote(os.path.join(DBG_SIM, name)))


# --- raw hypercalls through hv_sim's debugfs "call" --------------------------

PARTITION_SELF = (1 << 64) - 1


def sim_device_domain(dom_id):
    """struct hv_input_device_domain: partition self, VTL 0, stage 2."""
    return struct.pack("<QB7xQ", PARTITION_SELF, 0, dom_id << 32)


# Misused calls the tests made on purpose (sim_call modes), by the sim's
# stats `misuse` field they count in; every suite ends asserting the sim
# counted exactly these (conftest.py).
MISUSE_MODES = {"irqs-on": "irqs_enabled", "foreign": "foreign_input_page"}
DELIBERATE_MISUSE = {v: 0 for v in MISUSE_MODES.values()}


def sim_misuse():
    """The sim's misuse counters: {irqs_enabled: n, foreign_input_page: n}."""
    return {k: v for k, v in stat_record(LIVE.sim_stats(), "misuse").items()}


def sim_call(code, data=b"", reps=0, start=0, mode="own"):
    """One hypercall through hv_sim/call; returns (status, reps completed)."""
    err = write_file(os.path.join(DBG_SIM, "call"),
                     "0x%x %d %d %s %s" % (code, reps, start, mode, data.hex()))
    assert err == 0, "hv_sim/call: %s" % os.strerror(err)
    if mode in MISUSE_MODES:
        DELIBERATE_MISUSE[MISUSE_MODES[mode]] += 1
    r = parse_kv(knob("call"))
    return num(r["status"]), num(r["reps"])


def reset_knobs(pool_pages):
    set_knob("fail", "clear")
    set_knob("rep_slice", "0")
    set_knob("pool_pages", str(pool_pages))


# --- PCI config space -------------------------------------------------------

PCI_COMMAND = 4
PCI_COMMAND_MASTER = 0x4


def pci_command(bdf):
    with open(os.path.join(PCI, bdf, "config"), "rb") as f:
        f.seek(PCI_COMMAND)
        return int.from_bytes(f.read(2), "little")


def set_bus_master(bdf, on):
    """Turn bus mastering on or off through sysfs config (as setpci would)."""
    cmd = pci_command(bdf)
    cmd = cmd | PCI_COMMAND_MASTER if on else cmd & ~PCI_COMMAND_MASTER
    fd = os.open(os.path.join(PCI, bdf, "config"), os.O_WRONLY)
    try:
        os.pwrite(fd, cmd.to_bytes(2, "little"), PCI_COMMAND)
    finally:
        os.close(fd)
    return bool(pci_command(bdf) & PCI_COMMAND_MASTER)


# --- kernel log -------------------------------------------------------------

def kmsg_mark():
    """Write a unique marker into the kernel log; returns it."""
    mark = "hvtest-mark-%d-%d" % (os.getpid(), time.monotonic_ns())
    with open("/dev/kmsg", "w") as f:
        f.write(mark + "\n")
    return mark


def dmesg_since(mark):
    out = subprocess.run(["dmesg"], capture_output=True, text=True, check=True).stdout
    i = out.rfind(mark)
    assert i >= 0, "marker %s not in dmesg" % mark
    return out[i + len(mark):]


# --- PCI binding ------------------------------------------------------------

def driver_of(bdf):
    link = os.path.join(PCI, bdf, "driver")
    return os.path.basename(os.readlink(link)) if os.path.islink(link) else None


def iommu_group(bdf):
    link = os.path.join(PCI, bdf, "iommu_group")
    return int(os.path.basename(os.readlink(link))) if os.path.islink(link) else None


def bind(bdf, driver):
    """driver_override + drivers_probe; returns the driver bound afterwards."""
    cur = driver_of(bdf)
    if cur == driver:
        return cur
    if cur:
        write_file(os.path.join(PCI, bdf, "driver", "unbind"), bdf)
    write_file(os.path.join(PCI, bdf, "driver_override"), driver)
    write_file("/sys/bus/pci/drivers_probe", bdf)
    return driver_of(bdf)


def unbind_restore(bdf, orig_driver):
    """Undo bind(): unbind, clear driver_override, let the original driver probe."""
    if driver_of(bdf):
        write_file(os.path.join(PCI, bdf, "driver", "unbind"), bdf)
    write_file(os.path.join(PCI, bdf, "driver_override"), "\n")
    if orig_driver:
        write_file("/sys/bus/pci/drivers_probe", bdf)


class VfioBound:
    """Context manager: the device bound to vfio-pci, restored afterwards."""

    def __init__(self, bdf):
        self.bdf = bdf
        self.orig = driver_of(bdf)

    def __enter__(self):
        got = bind(self.bdf, "vfio-pci")
        if got != "vfio-pci":
            unbind_restore(self.bdf, self.orig)
            raise AssertionError("%s: binding to vfio-pci failed (driver now %s)"
                                 % (self.bdf, got))
        group = iommu_group(self.bdf)
        deadline = time.monotonic() + 10
        while not os.path.exists("/dev/vfio/%d" % group):
            assert time.monotonic() < deadline, "/dev/vfio/%d never appeared" % group
            time.sleep(0.05)
        return self

    def __exit__(self, *exc):
        unbind_restore(self.bdf, self.orig)
        return False


# --- hvctl and the VFIO client ----------------------------------------------

def hvctl(*args, env=None):
    """Run hvctl (with ENV, default ours); returns CompletedProcess (text)."""
    return subprocess.run(["hvctl"] + [str(a) for a in args],
                          capture_output=True, text=True, timeout=60, env=env)


def hvctl_json(*args):
    p = hvctl(*args, "--json")
    assert p.returncode == 0, "hvctl %s --json: rc %d: %s" % (
        " ".join(map(str, args)), p.returncode, p.stderr.strip())
    return json.loads(p.stdout)


def find_records(obj, key):
    """Every dict in a JSON document that has `key` (hvctl's schema may nest)."""
    if isinstance(obj, dict):
        if key in obj:
            yield obj
        for v in obj.values():
            yield from find_records(v, key)
    elif isinstance(obj, list):
        for v in obj:
            yield from find_records(v, key)


def json_list(v):
    """A list field in hvctl JSON: list of strings or of {bdf: ...}, or a string."""
    if v is None:
        return []
    if isinstance(v, str):
        return split_list(v)
    return [x["bdf"] if isinstance(x, dict) else x for x in v]


def hvctl_domain(doc, dom_id):
    rows = [r for r in find_records(doc, "id") if num(r["id"]) == dom_id]
    assert len(rows) <= 1, "hvctl lists domain %d %d times" % (dom_id, len(rows))
    return rows[0] if rows else None


def client(bdf, *args, check=True, timeout=900):
    """Run the VFIO client; returns CompletedProcess.  check: rc must be 0."""
    cmd = [CLIENT] + [str(a) for a in args] + [bdf]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if check:
        assert p.returncode == 0, "vfio-client failed (rc %d): %s\nstdout:\n%s" % (
            p.returncode, p.stderr.strip(), p.stdout)
    return p


# --- checks shared by the tests ---------------------------------------------

def domains_in_use():
    return int(read_text("/sys/class/iommu/hv_iommu/domains_in_use"))


def assert_maps_exactly(pages, expect, what):
    """pages {iova: (pfn, perm/flags)} must be exactly expect {iova: pfn}."""
    got = {iova: pfn for iova, (pfn, _) in pages.items()}
    missing = sorted(set(expect) - set(got))
    extra = sorted(set(got) - set(expect))
    wrong = sorted(i for i in set(got) & set(expect) if got[i] != expect[i])
    assert not (missing or extra or wrong), (
        "%s: %d pages missing (first %s), %d extra (first %s), %d with the wrong pfn "
        "(first %s)" % (what, len(missing), hex(missing[0]) if missing else "-",
                        len(extra), hex(extra[0]) if extra else "-", len(wrong),
                        "%#x -> %#x, want %#x" % (wrong[0], got[wrong[0]], expect[wrong[0]])
                        if wrong else "-"))


def check_domain_mapped(snap, bdf, expect, size):
    """The state while `expect` is mapped in a device domain; returns its id."""
    dom = snap.device_domain(bdf)
    assert dom not in (IDENTITY, BLOCKED), "%s is in domain %d while mapped" % (bdf, dom)
    dev = snap.device(bdf)
    assert dev["state"] == "attached" and num(dev["status"]) == 0, dev

    # The driver's view.
    d = snap.domain(dom)
    assert d is not None, "hv_iommu domains has no id=%d" % dom
    assert (d["type"], d["mode"], d["partition"]) == ("paging", "domain", "self"), d
    assert split_list(d["devices"]) == [bdf], d
    assert num(d["mapped_bytes"]) == size, d
    drv = snap.driver_mappings(dom)
    assert num(d["mappings"]) == len(drv), "domains says %s mappings, mappings/%d has %d" % (
        d["mappings"], dom, len(drv))
    drv_pages = expand_driver(drv)
    assert_maps_exactly(drv_pages, expect, "driver mappings/%d" % dom)
    assert {perm for _, perm in drv_pages.values()} == {"rw"}

    # The hypervisor's view.
    sd = snap.sim_domain(dom)
    assert sd is not None, "the sim has no device domain %d" % dom
    assert sd["partition"] == "self" and split_list(sd["devices"]) == [bdf], sd
    assert num(sd["pages"]) == len(expect), sd
    sim_pages = snap.sim_pages(dom)
    assert_maps_exactly(sim_pages, expect, "sim mappings of domain %d" % dom)
    flags = {f for _, f in sim_pages.values()}
    assert all(f & 0x3 == 0x3 for f in flags), "sim map flags %s lack READABLE|WRITABLE" % flags
    # IOMMU_NOEXEC always holds: no page is KERNEL_ or USER_EXECUTABLE.
    assert not any(f & 0xc for f in flags), "sim map flags %s: executable" % flags
    assert num(snap.sim_device(bdf)["domain"]) == dom

    # hvctl's view.
    h = snap.hvctl_json("list-domains")
    assert h["rc"] == 0 and h["json"] is not None, "hvctl list-domains --json: %s" % h["stderr"]
    rec = hvctl_domain(h["json"], dom)
    assert rec is not None, "hvctl list-domains --json does not show domain %d" % dom
    assert bdf in json_list(rec.get("devices")), rec
    assert num(rec["mapped_bytes"]) == size, rec
    return dom


def check_domain_empty(snap, dom):
    assert snap.sim_pages(dom) == {}, "sim still maps pages in domain %d" % dom
    assert num(snap.sim_domain(dom)["pages"]) == 0
    assert snap.driver_mappings(dom) == [], "driver mappings/%d not empty" % dom
    d = snap.domain(dom)
    assert num(d["mapped_bytes"]) == 0 and num(d["mappings"]) == 0, d


def check_back_in_identity(live, bdf, dom):
    """After the VFIO user is gone: identity domain in both views, domain freed."""
    assert live.device_domain(bdf) == IDENTITY
    assert live.device(bdf)["state"] == "attached"
    assert bdf in split_list(live.domain(IDENTITY)["devices"])
    assert num(live.sim_device(bdf)["domain"]) == IDENTITY, live.sim_device(bdf)
    assert bdf in split_list(live.sim_domain(IDENTITY)["devices"])
    assert live.domain(dom) is None, "hv_iommu still lists domain %d" % dom
    assert not live.has_mappings_file(dom), "mappings/%d outlived its domain" % dom
    assert live.sim_domain(dom) is None, "the sim still has device domain %d" % dom


def snapshot_cmd(d):
    """Shell command that snapshots all tables into directory d."""
    return "%s %s snapshot %s" % (shlex.quote(sys.executable),
                                  shlex.quote(os.path.join(HERE, "hvtest.py")),
                                  shlex.quote(str(d)))


def snapshot(d):
    """Copy every debugfs table (and hvctl list-domains --json) into d."""
    for src, dst in ((DBG_IOMMU, "iommu"), (DBG_SIM, "sim"), (DBG_VMM, "vmm")):
        for root, _dirs, files in os.walk(src):
            rel = os.path.relpath(root, src)
            out = os.path.normpath(os.path.join(d, dst, rel))
            os.makedirs(out, exist_ok=True)
            for name in files:
                path = os.path.join(root, name)
                if not os.stat(path).st_mode & 0o444:
                    continue
                try:
                    text = read_text(path)
                except OSError:
                    continue            # write-only knobs
                with open(os.path.join(out, name), "w") as f:
                    f.write(text)
    pci = {bdf: bool(pci_command(bdf) & PCI_COMMAND_MASTER)
           for bdf in PASSTHROUGH + TOPOLOGY if os.path.exists(os.path.join(PCI, bdf))}
    with open(os.path.join(d, "pci.json"), "w") as f:
        json.dump(pci, f)
    env = {k: v for k, v in os.environ.items() if k.startswith("HV_")}
    with open(os.path.join(d, "env.json"), "w") as f:
        json.dump(env, f)
    try:
        p = hvctl("list-domains", "--json")
        rc, out, err = p.returncode, p.stdout, p.stderr
    except OSError as e:
        rc, out, err = 127, "", "hvctl: %s" % e
    try:
        doc = json.loads(out) if rc == 0 else None
    except ValueError:
        doc = None
    with open(os.path.join(d, "hvctl-list-domains.json"), "w") as f:
        json.dump({"rc": rc, "json": doc, "stdout": out, "stderr": err}, f)
    if os.path.isdir(os.path.join(DBG_VMM, "partitions")):
        # hvctl mmio through the family (auto) and through debugfs.
        for name, src in (("mmio", "auto"), ("mmio-debugfs", "debugfs")):
            p = hvctl("mmio", "--json", env=dict(os.environ, HVCTL_SOURCE=src))
            try:
                doc = json.loads(p.stdout) if p.returncode == 0 else None
            except ValueError:
                doc = None
            with open(os.path.join(d, "hvctl-%s.json" % name), "w") as f:
                json.dump({"rc": p.returncode, "json": doc, "stdout": p.stdout,
                           "stderr": p.stderr}, f)
        import genl
        with open(os.path.join(d, "nl-mmio.json"), "w") as f:
            json.dump(genl.mmio_regions(), f)
        p = hvctl("top", "--batch", "--delay", "0.1")
        with open(os.path.join(d, "top-batch.txt"), "w") as f:
            f.write(p.stdout + p.stderr)


def arm_map_fail_at_cmd(iova, status):
    """Shell command for arm_map_fail_at() (a client stage hook)."""
    return "%s %s arm-map-fail-at %#x %#x" % (shlex.quote(sys.executable),
                                              shlex.quote(os.path.join(HERE, "hvtest.py")),
                                              iova, status)


def bus_master_cmd(bdf, on):
    """Shell command that turns a device's bus mastering on or off."""
    return "%s %s bus-master %s %s" % (shlex.quote(sys.executable),
                                       shlex.quote(os.path.join(HERE, "hvtest.py")),
                                       shlex.quote(bdf), "on" if on else "off")


def arm_map_fail_at(iova, status):
    """Fail the first map call the driver issues for the mapping at IOVA
    `iova` of the paging domain not yet attached (mode none): the map calls
    before it are one per mapping below it (each of at most 509 pages)."""
    doms = [num(d["id"]) for d in LIVE.domains() if d["type"] == "paging" and d["mode"] == "none"]
    assert len(doms) == 1, "want one paging domain in mode none: %s" % LIVE.domains()
    maps = LIVE.driver_mappings(doms[0])
    assert all((last + 1 - first) // PAGE <= 509 for first, last, _, _ in maps), maps
    calls = sum(1 for first, _, _, _ in maps if first < iova)
    set_knob("fail", "nth %d 0x%x 0xb3" % (calls + 1, status))


def main(argv):
    if len(argv) == 3 and argv[1] == "snapshot":
        snapshot(argv[2])
        return 0
    if len(argv) == 4 and argv[1] == "arm-map-fail-at":
        arm_map_fail_at(int(argv[2], 0), int(argv[3], 0))
        return 0
    if len(argv) == 4 and argv[1] == "bus-master" and argv[3] in ("on", "off"):
        return 0 if set_bus_master(argv[2], argv[3] == "on") == (argv[3] == "on") else 1
    print("usage: hvtest.py snapshot DIR | bus-master BDF on|off | arm-map-fail-at IOVA STATUS",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
