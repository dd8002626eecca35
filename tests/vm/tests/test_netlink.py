"""hv_iommu's generic netlink family: dumps equal debugfs, events, policy.

hvctl reads through the family when it is registered and through debugfs
otherwise (HVCTL_SOURCE forces one); both must print the same.  The raw
client genl.py sends what hvctl never would (malformed, unprivileged).
"""

import json
import os
import select
import signal
import subprocess
import sys
import time

import pytest

import genl
import hvtest
from hvtest import EDU0, EDU1, MiB, PAGE, num, knob_cmd

HERE = os.path.dirname(os.path.abspath(__file__))
DETACH_DEVICE_DOMAIN = 0xc4
OBJECT_IN_USE = 0x19
GiB = 1 << 30


def hvctl_src(source, *args):
    env = dict(os.environ, HVCTL_SOURCE=source)
    return subprocess.run(["hvctl"] + [str(a) for a in args], capture_output=True, text=True,
                          timeout=300, env=env)


def both_sources_script(out, bdf):
    """A shell command (for the VFIO client's --while-mapped) that saves every
    read command's output from both sources into OUT/<source>.<name>."""
    cmds = {
        "domains": "hvctl -J list-domains",
        "domains.txt": "hvctl -O list-domains",
        "devices": "hvctl -J list-devices",
        "skip": "hvctl -J skip list",
        "calls": "hvctl -J status calls",
        "status": "hvctl -J status",
        "synic": "hvctl -J synic",
        "mappings": "hvctl -J mappings $id",
        "show": "hvctl -J show-domain $id",
        "metrics": "hvctl metrics",
    }
    lines = ["set -e", "mkdir -p %s" % out,
             "id=$(sed -n 's/^bdf=%s .* domain=\\([0-9]*\\) .*/\\1/p' %s/devices)"
             % (bdf, hvtest.DBG_IOMMU)]
    for src in ("netlink", "debugfs"):
        for name, cmd in cmds.items():
            lines.append("HVCTL_SOURCE=%s %s > %s/%s.%s" % (src, cmd, out, src, name))
    # The raw dumps, for a check that does not go through hvctl.
    lines.append("%s %s/genl.py --save %s/raw $id" % (sys.executable, HERE, out))
    lines.append("cp %s/domains %s/devices %s/stats %s/skipped %s/" % ((hvtest.DBG_IOMMU,) * 4 + (out,)))
    lines.append("cp %s/mappings/$id %s/mappings.dbg" % (hvtest.DBG_IOMMU, out))
    lines.append("echo $id > %s/id" % out)
    return " && ".join(lines)


def test_dumps_equal_debugfs(tmp_path, attach_mode):
    """While a 64 MiB map is live: every hvctl read prints the same through
    the family and through debugfs; the raw dumps carry what debugfs shows."""
    attach_mode("domain")
    out = tmp_path / "src"
    with hvtest.VfioBound(EDU0):
        hvtest.client(EDU0, "--size", 64 * MiB, "--no-hugepages",
                      "--while-mapped", both_sources_script(out, EDU0))
    # Counters move between reads only if something runs meanwhile: nothing does.
    for name in ("domains", "domains.txt", "devices", "skip", "calls", "status", "synic",
                 "mappings", "show", "metrics"):
        nl = (out / ("netlink." + name)).read_text()
        dbg = (out / ("debugfs." + name)).read_text()
        assert nl == dbg, "hvctl %s differs between netlink and debugfs:\n%s\n---\n%s" % (name, nl, dbg)
    raw = json.loads((out / "raw").read_text())
    dom = num((out / "id").read_text().strip())
    # domains: ids, devices, bytes, counts as debugfs has them
    dbg_doms = {num(d["id"]): d for d in hvtest.parse_table((out / "domains").read_text())}
    assert {d["id"] for d in raw["domains"]} == set(dbg_doms)
    for d in raw["domains"]:
        want = dbg_doms[d["id"]]
        assert d["mapped_bytes"] == num(want["mapped_bytes"]) and d["mappings"] == num(want["mappings"])
        assert sorted(d["devices"]) == sorted(hvtest.split_list(want["devices"]))
    assert [d for d in raw["domains"] if d["id"] == dom][0]["mapped_bytes"] == 64 * MiB
    # devices and skipped
    dbg_devs = {d["bdf"]: d for d in hvtest.parse_table((out / "devices").read_text())}
    assert {d["bdf"]: d["domain"] for d in raw["devices"]} == \
        {b: num(d["domain"]) for b, d in dbg_devs.items()}
    assert [(s["bdf"], s["reason"]) for s in raw["skipped"]] == \
        [(s["bdf"], s["reason"]) for s in hvtest.parse_table((out / "skipped").read_text())]
    # mappings of the 64 MiB map: the same runs, in IOVA order
    dbg_maps = hvtest.parse_driver_mappings((out / "mappings.dbg").read_text())
    assert [tuple(m) for m in raw["mappings"]] == dbg_maps
    assert sum(last - first + 1 for first, last, _, _ in dbg_maps) == 64 * MiB
    # stats: every call code's counters
    dbg_calls = {num(r["code"]): r for r in hvtest.parse_table((out / "stats").read_text())
                 if r["_type"] == "call"}
    assert {c["code"]: (c["calls"], c["reps"], c["failures"]) for c in raw["calls"]} == \
        {k: (num(r["calls"]), num(r["reps"]), num(r["failures"])) for k, r in dbg_calls.items()}


def test_debugfs_fallback_without_family_is_said(tmp_path):
    """HVCTL_SOURCE=bogus is an error naming the variable, nothing printed;
    a capture (files only) read with --sysroot goes through debugfs and
    prints what the live system printed."""
    p = hvctl_src("bogus", "list-domains")
    assert p.returncode == 1 and "HVCTL_SOURCE" in p.stderr and p.stdout == ""
    cap = tmp_path / "cap.tar"
    assert hvtest.hvctl("capture", cap).returncode == 0
    root = tmp_path / "root"
    root.mkdir()
    subprocess.run(["tar", "-xf", str(cap), "-C", str(root)], check=True)
    live = hvctl_src("debugfs", "list-domains", "-O").stdout
    from_cap = hvctl_src("auto", "--sysroot", root, "list-domains", "-O")
    assert from_cap.returncode == 0, from_cap.stderr
    assert from_cap.stdout == live


def touch_skip_list():
    """Write pci_devs_to_skip as it is (an empty write would be no write):
    a skip-changed event and nothing else changed."""
    assert hvtest.set_param("pci_devs_to_skip", hvtest.param("pci_devs_to_skip") + "\n") == 0


class Monitor:
    """hvctl monitor --json in the background; events() collects its lines."""

    def __init__(self):
        self.p = subprocess.Popen(["hvctl", "monitor", "--json"], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE)
        self.fd = self.p.stdout.fileno()
        self.buf = ""
        self.seen = []
        # Subscribed once a skip-changed event of ours comes through.
        deadline = time.monotonic() + 30
        while not any(e["event"] == "skip-changed" for e in self.poll()):
            assert time.monotonic() < deadline, "hvctl monitor never showed an event"
            assert self.p.poll() is None, "hvctl monitor exited: %r" % self.p.stderr.read()
            touch_skip_list()
            time.sleep(0.3)
        self.seen = []

    def poll(self):
        while select.select([self.fd], [], [], 0)[0]:
            chunk = os.read(self.fd, 1 << 20)
            if not chunk:
                break
            self.buf += chunk.decode()
        *lines, self.buf = self.buf.split("\n")
        new = [json.loads(l) for l in lines if l.strip()]
        self.seen += new
        return new

    def wait_for(self, pred, timeout=30):
        deadline = time.monotonic() + timeout
        while not any(pred(e) for e in self.seen):
            assert time.monotonic() < deadline, "event never came; seen: %r" % self.seen[-20:]
            self.poll()
            time.sleep(0.1)

    def stop(self):
        self.p.send_signal(signal.SIGINT)
        rc = self.p.wait(timeout=30)
        self.poll()
        return rc


def subsequence(events, want):
    """The index in EVENTS of each WANT predicate, in order, or an assert."""
    i = 0
    for k, pred in enumerate(want):
        while i < len(events) and not pred(events[i]):
            i += 1
        assert i < len(events), "event %d of the expected sequence missing; got:\n%s" % (
            k, "\n".join(json.dumps(e) for e in events))
        i += 1


def is_(event, **fields):
    return lambda e: e["event"] == event and all(e.get(k) == v for k, v in fields.items())


def test_monitor_sequence(tmp_path, attach_mode):
    """attach, map, unmap, a refused detach (sim fault injection), the device
    leaving at last, the domain freed, a skip-list change: in that order,
    each with its time stamp; the maps' bytes add up to what was mapped."""
    attach_mode("domain")
    size = 8 * MiB
    mon = Monitor()
    try:
        with hvtest.VfioBound(EDU1):
            hvtest.client(EDU1, "--size", size, "--after-unmap", knob_cmd(
                "fail", "0x%x 0x%x 0 1" % (DETACH_DEVICE_DOMAIN, OBJECT_IN_USE)))
            assert hvtest.knob("fail") == "", "the detach injection never fired"
        old = hvtest.param("pci_devs_to_skip")
        assert hvtest.set_param("pci_devs_to_skip", "(0000:00:1e.0)\n") == 0
        assert hvtest.set_param("pci_devs_to_skip", old + "\n") == 0
        mon.wait_for(is_("skip-changed", skip_list="(0000:00:1e.0)"))
        # One entry at run time: the event names it, its origin and the change.
        for verb in ("add", "remove"):
            p = hvtest.hvctl("skip", verb, "0000:00:1e.0")
            assert p.returncode == 0, p.stderr
        mon.wait_for(is_("skip-changed", entry="0000:00:1e.0", change="removed"))
        mon.wait_for(lambda e: e["event"] == "domain-freed")
    finally:
        assert mon.stop() == 0, mon.p.stderr.read()
    ev = mon.seen
    for e in ev:
        assert e["time"].endswith("Z") and "T" in e["time"], e
    dom = [e for e in ev if e["event"] == "device-attached" and e["bdf"] == EDU1
           and e["domain"] != hvtest.BLOCKED][0]["domain"]
    subsequence(ev, [
        is_("domain-created", domain=dom),
        is_("device-attached", bdf=EDU1, domain=dom),
        is_("map", domain=dom),
        is_("unmap", domain=dom),
        is_("device-detach-failed", bdf=EDU1, domain=dom, hv_status=OBJECT_IN_USE),
        is_("device-detached", bdf=EDU1, domain=dom),
        is_("domain-freed", domain=dom),
        is_("skip-changed", skip_list="(0000:00:1e.0)"),
        is_("skip-changed", skip_list=old, entry="0000:00:1e.0", origin="runtime",
            change="added"),
        is_("skip-changed", skip_list=old, entry="0000:00:1e.0", origin="runtime",
            change="removed"),
    ])
    assert not [e for e in ev if e["event"] == "skip-changed" and "entry" in e
                and e.get("skip_list") != old], "a single entry's event changed the boot list"
    check_traffic(ev, dom, size)
    assert not any("dropped" in e for e in ev), ev


def check_traffic(events, dom, size):
    """The map events of domain DOM add up to SIZE plus what VFIO maps on
    its own (type1 test-maps two pages on a domain's first attach,
    vfio_test_domain_fgsp()), and everything mapped was unmapped."""
    mapped = sum(e["bytes"] for e in events if e["event"] == "map" and e["domain"] == dom)
    unmapped = sum(e["bytes"] for e in events if e["event"] == "unmap" and e["domain"] == dom)
    assert size <= mapped <= size + 2 * PAGE, (mapped, size)
    assert unmapped == mapped, (unmapped, mapped)


def test_monitor_text_lines():
    """Without --json: one line per event, time stamp first, key=value."""
    p = subprocess.Popen(["hvctl", "monitor"], stdout=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        buf = ""
        while "skip-changed" not in buf:
            assert time.monotonic() < deadline, buf
            touch_skip_list()
            time.sleep(0.3)
            while select.select([p.stdout], [], [], 0)[0]:
                chunk = os.read(p.stdout.fileno(), 65536)
                if not chunk:
                    break
                buf += chunk.decode()
    finally:
        p.send_signal(signal.SIGTERM)
        assert p.wait(timeout=30) == 0
    line = [l for l in buf.splitlines() if " skip-changed" in l][0]
    stamp, event = line.split()[:2]
    assert stamp.endswith("Z") and event == "skip-changed" and "skip_list=" in line, line


def as_nobody(*args):
    return subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                           "--inh-caps=-all", "--bounding-set=-all", sys.executable,
                           os.path.join(HERE, "genl.py")] + list(args),
                          capture_output=True, text=True, timeout=60)


def state():
    """What a refused change must leave as it was."""
    return (hvtest.param("pci_devs_to_skip"), hvtest.read_text(hvtest.DBG_IOMMU + "/skipped"),
            hvtest.read_text(hvtest.DBG_IOMMU + "/domains"))


def test_unprivileged_refused():
    """skip-set, mapping-get and mmio-get need CAP_NET_ADMIN: EPERM for nobody, nothing
    changed; reading domains stays open to all."""
    before = state()
    p = as_nobody("SKIP_SET", "SKIP_LIST=str:(0000:00:1e.0)")
    assert p.stdout.strip() == "errno=1 msg=", (p.stdout, p.stderr)
    p = as_nobody("MAPPING_GET", "DOMAIN_ID=u32:1", "--dump")
    assert p.stdout.strip() == "errno=1 msg=", (p.stdout, p.stderr)
    p = as_nobody("MMIO_GET", "--dump")
    assert p.stdout.strip() == "errno=1 msg=", (p.stdout, p.stderr)
    p = as_nobody("DOMAIN_GET", "--dump")
    assert p.stdout.startswith("ok "), (p.stdout, p.stderr)
    assert state() == before


MALFORMED = [
    # (what, command, attributes, dump, errno, extack text or missing attribute)
    ("missing attribute", "SKIP_SET", b"", False, 22, ("miss", "HV_IOMMU_A_SKIP_LIST")),
    ("string not terminated", "SKIP_SET", genl.attr(genl.E["HV_IOMMU_A_SKIP_LIST"], b"abcd"),
     False, 22, ("msg", "")),
    ("oversized", "SKIP_SET", genl.a_str(genl.E["HV_IOMMU_A_SKIP_LIST"], "(0000:00:1e.0)" * 400),
     False, 34, ("msg", "")),
    ("not a skip list", "SKIP_SET", genl.a_str(genl.E["HV_IOMMU_A_SKIP_LIST"], "(zz:1)"),
     False, 22, ("msg", "not a skip list")),
    ("wrong type (u16 for u32)", "MAPPING_GET",
     genl.attr(genl.E["HV_IOMMU_A_DOMAIN_ID"], b"\x01\x00"), True, 34, ("msg", "")),
    ("unknown attribute", "DOMAIN_GET", genl.a_u32(genl.E["HV_IOMMU_A_DOMAIN_ID"], 1), True, 22,
     ("msg", "Unknown attribute type")),
    ("missing domain id", "MAPPING_GET", b"", True, 22, ("miss", "HV_IOMMU_A_DOMAIN_ID")),
    ("no such domain", "MAPPING_GET", genl.a_u32(genl.E["HV_IOMMU_A_DOMAIN_ID"], 999999), True, 2,
     ("msg", "no paging domain with this id")),
]


@pytest.mark.parametrize("what,cmd,attrs,dump,errno,ack", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_gets_extack(what, cmd, attrs, dump, errno, ack):
    """Each malformed request fails with its errno and an extended ack that
    says what was wrong (a message, or the missing attribute's type); the
    skip list, the skipped table and the domains are unchanged."""
    g = genl.Genl()
    before = state()
    try:
        with pytest.raises(genl.Error) as exc:
            g.request(cmd, attrs, dump=dump)
    finally:
        g.close()
    e = exc.value
    if errno == 34:
        assert e.errno in (22, 34), (what, e.errno, e.msg)   # -ERANGE on newer kernels
    else:
        assert e.errno == errno, (what, e.errno, e.msg)
    kind, text = ack
    if what in ("missing domain id", "no such domain") and os.uname().release.startswith("6.1."):
        # 6.1 reports only the errno of a dump's start() (no extack there).
        assert state() == before
        return
    if kind == "miss":
        assert e.miss == genl.E[text], (what, e.miss, e.msg)
    else:
        assert e.msg and text in e.msg, (what, e.msg)
    assert state() == before


def max_rss_kib(cmd, env):
    """Run CMD (stdout to a pipe we count); its peak RSS (KiB) and line count."""
    code = ("import resource, subprocess, sys; "
            "p = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE); "
            "n = sum(1 for _ in p.stdout); p.wait(); "
            "print(p.returncode, n, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    p = subprocess.run([sys.executable, "-c", code] + cmd, capture_output=True, text=True,
                       timeout=900, env=env)
    rc, lines, rss = p.stdout.split()
    assert rc == "0", p.stderr
    return int(rss), int(lines)


def test_100k_mappings_dump_steady_memory(tmp_path, attach_mode):
    """A domain with 100k mappings (one 4 KiB MAP_DMA each): the family's
    dump streams it whole, in one skb per step; hvctl's peak memory for 100k
    lines is that for 1k lines, give or take 2 MiB."""
    attach_mode("domain")
    n = 100 * 1024
    out = tmp_path / "rss"
    # type1 allows 65535 DMA mappings per container by default.
    limit = "/sys/module/vfio_iommu_type1/parameters/dma_entry_limit"
    old_limit = hvtest.read_text(limit).strip()
    hvtest.write_file(limit, str(2 * n))
    helper = ("%s -c 'import sys; sys.path.insert(0, \"%s\"); import test_netlink as t; "
              "t.measure(\"%s\", \"%s\")'" % (sys.executable, HERE, EDU0, out))
    try:
        with hvtest.VfioBound(EDU0):
            hvtest.client(EDU0, "--size", n * PAGE, "--chunks", n, "--no-hugepages",
                          "--while-mapped", helper, timeout=1800)
    finally:
        hvtest.write_file(limit, old_limit)
    rss_all, lines_all, rss_few, lines_few, dbg_lines = map(int, out.read_text().split())
    assert lines_all == dbg_lines >= n, (lines_all, dbg_lines)
    assert lines_few == 1000
    assert rss_all <= rss_few + 2048, "hvctl peak RSS %d KiB for %d mappings, %d KiB for 1000" % (
        rss_all, lines_all, rss_few)


def measure(bdf, out):
    """(run in --while-mapped) peak RSS of hvctl mappings: all, and head -1000."""
    devs = hvtest.parse_table(hvtest.read_text(hvtest.DBG_IOMMU + "/devices"))
    dom = [num(d["domain"]) for d in devs if d["bdf"] == bdf][0]
    env = dict(os.environ, HVCTL_SOURCE="netlink")
    rss_all, lines_all = max_rss_kib(["hvctl", "-r", "-n", "mappings", str(dom)], env)
    rss_few, lines_few = max_rss_kib(["sh", "-c", "hvctl -r -n mappings %d | head -1000" % dom], env)
    with open("%s/mappings/%d" % (hvtest.DBG_IOMMU, dom)) as f:
        dbg_lines = sum(1 for _ in f)
    with open(out, "w") as f:
        f.write("%d %d %d %d %d\n" % (rss_all, lines_all, rss_few, lines_few, dbg_lines))


def test_monitor_keeps_up_with_1g_map(attach_mode, capsys):
    """Map 1 GiB in 4 KiB pages while hvctl monitor runs: the coalesced map
    events add up to 1 GiB, none were lost; prints the figures."""
    attach_mode("domain")
    size = GiB
    mon = Monitor()
    t0 = time.monotonic()
    try:
        with hvtest.VfioBound(EDU0):
            p = hvtest.client(EDU0, "--size", size, "--no-hugepages", timeout=1800)
        mon.wait_for(lambda e: e["event"] == "domain-freed", timeout=120)
    finally:
        assert mon.stop() == 0
    elapsed = time.monotonic() - t0
    dom = [e for e in mon.seen if e["event"] == "device-attached" and e["bdf"] == EDU0
           and e["domain"] != hvtest.BLOCKED][0]["domain"]
    maps = [e for e in mon.seen if e["event"] == "map" and e["domain"] == dom]
    unmaps = [e for e in mon.seen if e["event"] == "unmap" and e["domain"] == dom]
    calls = sum(e["calls"] for e in maps)
    check_traffic(mon.seen, dom, size)
    assert not any("dropped" in e for e in mon.seen)
    with capsys.disabled():
        print("\nmonitor during a 1 GiB map (4 KiB pages): %d map calls in %d map events, "
              "%d unmap calls in %d unmap events, %d events in all over %.1f s "
              "(%.0f map calls/s coalesced into %.1f events/s)"
              % (calls, len(maps), sum(e["calls"] for e in unmaps), len(unmaps), len(mon.seen),
                 elapsed, calls / elapsed, len(mon.seen) / elapsed))
        print(p.stdout.strip().splitlines()[-1] if p.stdout.strip() else "")
