"""hv_vmm's MMIO resolver against a real device: an edu's BAR 0 (1 MiB).

The test VMM (tests/vmm/vmm-test mmio*) registers the VFIO mmap of BAR 0 as
an MMIO region and runs guest programs that read the edu's identification
register, use its liveness register and factorial unit.  The checks read
the sim's GPA table (GPA -> the BAR's physical address from sysfs
`resource`, mapped READABLE|WRITABLE|NOT_CACHED), hv_vmm's debugfs per
partition (regions, mmio_pages, counters) and hvctl mmio, at the stages the
VMM snapshots (--snap).
"""

import json
import os
import re
import signal
import subprocess

import hvtest
from hvtest import PAGE, MiB, Tables, num
from test_vmm import GPA, assert_nothing_left, field, vmm

EDU_ID = 0x010000ed
READABLE, WRITABLE, NOT_CACHED = 0x1, 0x2, 0x200000
MMIO_FLAGS = READABLE | WRITABLE | NOT_CACHED
MAP_GPA_PAGES = 0x4b


def bar0(bdf):
    """(physical address, size) of BAR 0 from sysfs `resource`."""
    with open(os.path.join(hvtest.PCI, bdf, "resource")) as f:
        start, end, _flags = (int(x, 16) for x in f.readline().split())
    return start, end - start + 1


def dmesg():
    return subprocess.run(["dmesg"], capture_output=True, text=True).stdout


def mode():
    return hvtest.read_text(hvtest.MMIO_MODE).strip()


class Mode:
    """Context manager: hv_vmm's mmio_mode set, back to full afterwards."""

    def __init__(self, m):
        self.m = m

    def __enter__(self):
        assert hvtest.write_file(hvtest.MMIO_MODE, self.m) == 0
        assert mode() == self.m
        return self

    def __exit__(self, *exc):
        assert hvtest.write_file(hvtest.MMIO_MODE, "full") == 0


# The edu behind the PCI bridge: alone on its bus, so vfio-pci can reset it
# (secondary bus reset); the edus on the root bus have no reset method.
BRIDGED = os.environ.get("HV_BRIDGED_DEV", "0000:01:01.0")


def run_mmio(tmp_path, *args, cmd="mmio", check=True, bdf=hvtest.EDU0):
    """vmm-test mmio on edu `bdf` bound to vfio-pci; returns (process,
    partition id, stage -> Tables, BAR 0 (spa, size))."""
    snap = tmp_path / "snap"
    snap.mkdir()
    with hvtest.VfioBound(bdf):
        spa, size = bar0(bdf)
        p = vmm(cmd, "--device", bdf, "--gpa", hex(GPA),
                "--snap", hvtest.snapshot_cmd(snap), *args, check=check)
    pid = num(field(p.stdout, "partition"))
    stages = {d: Tables.snapshot(str(snap / d)) for d in os.listdir(snap)}
    return p, pid, stages, (spa, size)


def bar_pages(spa, first, count):
    """The sim's expected GPA map: GPA page -> (BAR frame, MMIO flags)."""
    return {GPA + i * PAGE: ((spa >> 12) + i, MMIO_FLAGS)
            for i in range(first, first + count)}


def assert_family_equals_debugfs(snap):
    """The family's mmio-get dump carries every region debugfs lists, of
    every partition, with the mode in force (mmio_mode); hvctl mmio prints
    the same through the family and through debugfs; hvctl top --batch
    shows each MMIO region with its mapped pages."""
    dbg = snap.hvctl_json("mmio-debugfs")
    fam = snap.hvctl_json("mmio")
    assert dbg["rc"] == 0 and fam["rc"] == 0, (dbg["stderr"], fam["stderr"])
    assert fam["json"] == dbg["json"], (fam["json"], dbg["json"])
    in_force = dbg["json"]["mmio"]["mode"]
    want = []
    for pid in snap.vmm_partitions():
        for r in snap.vmm_regions(pid):
            row = {"partition": pid, "gpa": num(r["gpa"]), "size": num(r["size"]),
                   "uaddr": num(r["uaddr"]), "mapped_bytes": num(r["mapped_pages"]) * PAGE,
                   "ram": r["kind"] == "ram"}
            if r["kind"] == "mmio":
                row["mode"] = in_force
            want.append(row)
    assert snap.nl_mmio() == want, (snap.nl_mmio(), want)
    top = snap.top_batch()
    for r in want:
        if r["ram"]:
            continue
        line = r"^%d\s+0x%x\s+\S+\s+%s\s+\S+\s+%d$" % (
            r["partition"], r["gpa"], in_force, r["mapped_bytes"] // PAGE)
        assert re.search(line, top, re.M), "top --batch lacks %r:\n%s" % (line, top)


def assert_mapped(snap, pid, spa, pages):
    """The sim maps exactly `pages` (indexes) of the region to the BAR, and
    hv_vmm's debugfs, its netlink dump, hvctl mmio and hvctl top say the
    same."""
    expect = {}
    for i in pages:
        expect.update(bar_pages(spa, i, 1))
    assert snap.sim_gpa_pages(pid) == expect, snap.sim_gpa(pid)
    assert snap.vmm_mmio_pages(pid) == {g: pfn << 12 for g, (pfn, _f) in expect.items()}
    region = [r for r in snap.vmm_regions(pid) if r["kind"] == "mmio"]
    assert len(region) == 1 and num(region[0]["mapped_pages"]) == len(expect), region
    assert_family_equals_debugfs(snap)


def assert_edu_answered(out):
    assert "id: 0x010000ed" in out and "liveness: ok" in out, out
    assert "factorial: 5! = 120" in out, out


def test_vmm_mmio_full(tmp_path, tables):
    """full: the first intercept maps the whole BAR; the guest reads the real
    edu; a stray access past the region is an exit and maps nothing."""
    assert mode() == "full"
    p, pid, st, (spa, size) = run_mmio(tmp_path, "--pages", 256, "--stray")
    assert size == MiB
    assert_edu_answered(p.stdout)
    assert_mapped(st["mapped"], pid, spa, range(size // PAGE))
    c = st["mapped"].vmm_counters(pid)
    # All 256 pages touched, one intercept.
    assert c["intercepts"] == 1 and c["resolved_full"] == 1, c
    assert c["resolved_page"] == 0 and c["guard_refusals"] == 0, c
    print("full: 256 pages touched, intercepts=%d, fault to resumed VP %.1f us" % (
        c["intercepts"], c["full_ns"] / 1e3))
    # The guard: the stray read came back to the VMM, nothing new mapped.
    assert "exit: vp=0 type=0x80000000 access=0 gpa=%#x" % (GPA + size) in p.stdout
    assert "stray: exit ok" in p.stdout
    assert st["stray"].sim_gpa(pid) == st["mapped"].sim_gpa(pid)
    c = st["stray"].vmm_counters(pid)
    assert c["guard_refusals"] == 1 and c["intercepts"] == 2, c
    # hvctl mmio shows the region and the counters.
    h = st["stray"].hvctl_json("mmio")
    assert h["rc"] == 0, h["stderr"]
    doc = h["json"]
    assert doc["mmio"]["mode"] == "full", doc
    regs = [r for r in doc["regions"] if r["partition"] == pid and r["kind"] == "mmio"]
    assert len(regs) == 1 and regs[0]["gpa"] == hex(GPA) and regs[0]["mapped"] == 256, regs
    cnt = [r for r in doc["counters"] if r["partition"] == pid]
    assert cnt[0]["guard_refusals"] == 1 and cnt[0]["resolved_full"] == 1, cnt
    # HV_VMM_SET_GUEST_MEMORY unmap: the notifier goes, the BAR is unmapped.
    assert st["unmapped"].sim_gpa(pid) == [] and st["unmapped"].vmm_regions(pid) == []
    assert_nothing_left(tables, pid)
    assert pid not in tables.vmm_partitions()


def mmio_events(mon, pid):
    mon.poll()
    return [e for e in mon.seen if e["event"].startswith("mmio-") and e.get("partition") == pid]


def test_vmm_mmio_events(tmp_path, tables):
    """hvctl monitor --json: mmio-mapped at the first access (the bytes the
    sim maps), mmio-guard-refused for the stray access (its GPA), and
    mmio-unmapped when the region is removed; then, on the bridged edu,
    mmio-unmapped for each zap of the BAR mmap (reset, decoding off,
    munmap), each after the mapping it undid.  Partition ids and GPAs are
    the VMM's, sizes the sim's GPA table's."""
    from test_netlink import Monitor, is_, subsequence
    mon = Monitor()
    try:
        a, b = tmp_path / "a", tmp_path / "b"
        a.mkdir()
        b.mkdir()
        p, pid, st, (spa, size) = run_mmio(a, "--pages", 256, "--stray")
        mapped = len(st["mapped"].sim_gpa_pages(pid)) * PAGE
        assert mapped == size, st["mapped"].sim_gpa(pid)
        mon.wait_for(is_("mmio-unmapped", partition=pid))
        ev = mmio_events(mon, pid)
        print("\n".join(json.dumps(e) for e in ev))
        assert [e["event"] for e in ev] == ["mmio-mapped", "mmio-guard-refused",
                                            "mmio-unmapped"], ev
        assert ev[0]["gpa"] == GPA and ev[0]["size"] == mapped, ev
        assert ev[1]["gpa"] == GPA + size and "size" not in ev[1], ev
        assert ev[2]["gpa"] == GPA and ev[2]["size"] == mapped, ev
        assert st["unmapped"].sim_gpa(pid) == []

        p, pid2, st, (spa, size) = run_mmio(b, "--reset", bdf=BRIDGED)
        mon.wait_for(lambda e: e["event"] == "partition-deleted" and e["partition"] == pid2)
        ev = mmio_events(mon, pid2)
        print("\n".join(json.dumps(e) for e in ev))
        want = []
        for _zap in ("reset", "decode-off", "munmap"):
            want += [is_("mmio-mapped", gpa=GPA, size=size), is_("mmio-unmapped", gpa=GPA, size=size)]
        subsequence(ev, want)
        # Every unmapped byte had been mapped; nothing is left mapped in the sim.
        assert sum(e["size"] for e in ev if e["event"] == "mmio-mapped") == \
            sum(e["size"] for e in ev if e["event"] == "mmio-unmapped"), ev
        for stage in ("reset", "decode-off", "munmap"):
            assert st[stage].sim_gpa(pid2) == [], stage
    finally:
        assert mon.stop() == 0, mon.p.stderr.read()
    assert not any("dropped" in e for e in mon.seen), mon.seen
    assert_nothing_left(tables, pid2)


def test_vmm_mmio_page_then_full(tmp_path, tables):
    """page: one intercept and one mapped page per page touched; switching to
    full at run time maps the rest at the next intercept."""
    with Mode("page"):
        p, pid, st, (spa, size) = run_mmio(tmp_path, "--pages", 4,
                                            "--switch", "full")
    assert_edu_answered(p.stdout)
    assert_mapped(st["mapped"], pid, spa, range(4))
    c = st["mapped"].vmm_counters(pid)
    assert c["intercepts"] == 4 and c["resolved_page"] == 4, c
    assert c["resolved_full"] == 0, c
    assert_mapped(st["switched"], pid, spa, range(size // PAGE))
    c = st["switched"].vmm_counters(pid)
    assert c["intercepts"] == 5 and c["resolved_full"] == 1, c
    assert_nothing_left(tables, pid)


def test_vmm_mmio_eager(tmp_path, tables):
    """eager: mapped whole at registration, the guest never intercepts."""
    with Mode("eager"):
        p, pid, st, (spa, size) = run_mmio(tmp_path, "--pages", 256)
    assert_edu_answered(p.stdout)
    assert_mapped(st["mapped"], pid, spa, range(size // PAGE))
    c = st["mapped"].vmm_counters(pid)
    # All 256 pages touched, no intercept.
    assert c["intercepts"] == 0 and c["eager_maps"] == 1, c
    print("eager: 256 pages touched, intercepts=%d" % c["intercepts"])
    assert_nothing_left(tables, pid)


def test_vmm_mmio_notifier(tmp_path, tables):
    """VFIO_DEVICE_RESET and clearing memory decoding zap the BAR mmap: the
    sim shows the region unmapped when the ioctl / config write returns;
    the next access maps again and reads the identification; after munmap
    nothing is mapped and an access is an exit."""
    p, pid, st, (spa, size) = run_mmio(tmp_path, "--reset", bdf=BRIDGED)
    all_pages = range(size // PAGE)
    evidence = []
    for stage in ("mapped", "reset", "remapped", "decode-off", "decode-on", "munmap"):
        s = st[stage]
        evidence.append("%s: sim gpa %s; counters %s" % (
            stage, [(r["gpa"], r["pfn"], r["pages"], r["flags"]) for r in s.sim_gpa(pid)],
            {k: v for k, v in s.vmm_counters(pid).items()
             if k in ("intercepts", "resolved_full", "notifier_unmaps", "notifier_pages",
                      "resolve_errors")}))
    print("\n".join(evidence))
    assert_mapped(st["mapped"], pid, spa, all_pages)
    for stage in ("reset", "decode-off", "munmap"):
        assert_mapped(st[stage], pid, spa, [])
    for stage in ("remapped", "decode-on"):
        assert_mapped(st[stage], pid, spa, all_pages)
    c0, c1 = st["mapped"].vmm_counters(pid), st["reset"].vmm_counters(pid)
    assert c1["notifier_unmaps"] > c0["notifier_unmaps"], (c0, c1)
    assert c1["notifier_pages"] - c0["notifier_pages"] == size // PAGE, (c0, c1)
    assert p.stdout.count("id: 0x010000ed") == 3, p.stdout
    # No frame while decoding is off (vfio-pci refuses the fault), none after
    # munmap: the VMM gets the exit, counted as a resolve error.
    assert "decode-off: exit ok" in p.stdout and "munmap: exit ok" in p.stdout
    c = st["munmap"].vmm_counters(pid)
    assert c["resolve_errors"] >= 1, c
    assert_nothing_left(tables, pid)


def test_vmm_mmio_sigkill(tmp_path, tables):
    """SIGKILL while the BAR is mapped: nothing stays mapped, no partition,
    no region left in hv_vmm."""
    p, pid, st, (spa, size) = run_mmio(tmp_path, "--kill", check=False)
    assert p.returncode == -signal.SIGKILL, (p.returncode, p.stderr)
    assert_mapped(st["mapped"], pid, spa, range(size // PAGE))
    assert_nothing_left(tables, pid)
    assert pid not in tables.vmm_partitions()


def test_vmm_mmio_race(tmp_path, tables):
    """Two VPs read the region while the VMM removes and re-adds it and the
    mode cycles: every read sees the edu, no GPA is mapped twice, no
    warning, and the driver's table matches the sim's at the end."""
    seen = len(dmesg())
    p, pid, st, (spa, size) = run_mmio(tmp_path, "--pages", 30, cmd="mmio-race")
    print("\n".join(l for l in p.stdout.splitlines() if l.startswith(("vp", "cycles"))))
    assert num(field(p.stdout, "cycles")) == 30, p.stdout
    end = st["end"]
    sim = {g: pfn << 12 for g, (pfn, f) in end.sim_gpa_pages(pid).items()}
    assert sim == end.vmm_mmio_pages(pid), "driver and sim disagree"
    assert all(spa <= a < spa + size and a - spa == g - GPA for g, a in sim.items())
    assert all(f == MMIO_FLAGS for _p, f in end.sim_gpa_pages(pid).values())
    assert num(end.sim_partition(pid)["gpa_remaps"]) == 0, end.sim_partition(pid)
    log = dmesg()[seen:]
    assert not re.search(r"WARNING|BUG|lockdep|circular locking", log), log
    assert_nothing_left(tables, pid)


def test_vmm_mmio_bad_input(tmp_path, tables):
    """MMIO regions over RAM, over another region, unaligned, past the BAR,
    executable, from another process; mode strings with junk: each a clear
    error and nothing changed."""
    before, after = tmp_path / "before", tmp_path / "after"
    with hvtest.VfioBound(hvtest.EDU0):
        p = vmm("mmio-bad", "--device", hvtest.EDU0, "--gpa", hex(GPA),
                "--before", hvtest.snapshot_cmd(before),
                "--after", hvtest.snapshot_cmd(after))
    pid = num(field(p.stdout, "partition"))
    names = [l.split()[1] for l in p.stdout.splitlines() if l.startswith("bad: ")]
    assert names == ["mmio-over-ram", "mmio-over-mmio", "mmio-size-unaligned",
                     "mmio-addr-unaligned", "mmio-past-bar", "mmio-executable",
                     "mmio-other-process"], p.stdout
    b, a = Tables.snapshot(str(before)), Tables.snapshot(str(after))
    for name in ("partitions", "gpa", "vps", "pool"):
        assert b.sim(name) == a.sim(name), "sim %s changed by bad input" % name
    assert b.vmm_regions(pid) == a.vmm_regions(pid)
    assert b.vmm_counters(pid) == a.vmm_counters(pid)
    assert_nothing_left(tables, pid)

    for junk in ("full junk", "fullx", "page\n\n", "eager "):
        assert hvtest.write_file(hvtest.MMIO_MODE, junk) == 22, repr(junk)   # EINVAL
        assert mode() == "full"
    log = dmesg()
    assert "mmio_mode: 'fullx' is not full, page or eager" in log
    # hvctl: the same rules as skip: a one-line message and non-zero exit.
    h = hvtest.hvctl("mmio-mode", "fast")
    assert h.returncode == 2 and h.stderr.count("\n") == 1 and "'fast'" in h.stderr, h
    h = hvtest.hvctl("mmio-mode", "page", "full")
    assert h.returncode == 2 and "unexpected argument" in h.stderr, h
    assert mode() == "full"
    h = hvtest.hvctl("mmio-mode", "page")
    assert h.returncode == 0 and mode() == "page", h
    assert hvtest.hvctl("mmio-mode").stdout.strip() == "page"
    h = hvtest.hvctl("mmio-mode", "full")
    assert h.returncode == 0 and mode() == "full", h


def test_vmm_mmio_fault_time(tmp_path, tables):
    """Figures: page mode over all 256 pages of the 1 MiB BAR: one intercept
    per page, and the time from intercept to re-dispatch (hv_vmm's
    counters), under TCG.  (Full and eager: test_vmm_mmio_full, _eager.)"""
    with Mode("page"):
        p, pid, st, (spa, size) = run_mmio(tmp_path, "--pages", MiB // PAGE)
    c = st["mapped"].vmm_counters(pid)
    assert_mapped(st["mapped"], pid, spa, range(size // PAGE))
    assert c["intercepts"] == 256 and c["resolved_page"] == 256, c
    print("page: 256 pages touched, intercepts=%d, fault to resumed VP %.1f us per "
          "page, %.1f us in all" % (c["intercepts"], c["page_ns"] / 256e3, c["page_ns"] / 1e3))
    assert_nothing_left(tables, pid)


# Run by vmm-test run --while: raw MAP_GPA_PAGES on its partition (the only
# live one) through hv_sim/call; statuses and the GPA table to a JSON file.
SIM_STRICT = r'''
import json, struct, sys
sys.path.insert(0, %(here)r)
import hvtest
from hvtest import num
ram, bar, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
pid = num(hvtest.LIVE.sim_partitions()[0]["id"])
gpa0 = hvtest.LIVE.sim("gpa")
def map_(flags, pfn, gfn):
    data = struct.pack("<QQII", pid, gfn, flags, 0) + struct.pack("<Q", pfn)
    return hvtest.sim_call(0x4b, data, 1)[0]
R, W, X, ADJ, NC = 0x1, 0x2, 0x4, 0x8000, 0x200000
res = {
    "ram": map_(R | W | NC, ram, 0x900000),
    "lapic": map_(R | W | NC, 0xfee00, 0x900000),
    "executable": map_(R | X | NC, bar, 0x900000),
    "adjustable": map_(R | ADJ | NC, bar, 0x900000),
    "unchanged": hvtest.LIVE.sim("gpa") == gpa0,
    "bar": map_(R | W | NC, bar, 0x900000),
    "gpa": [r for r in hvtest.LIVE.sim("gpa") if num(r["gpa"]) == 0x900000 << 12],
}
json.dump(res, open(out, "w"))
'''


def test_sim_not_cached_maps_only_bars(tmp_path, tables):
    """The sim refuses a NOT_CACHED (MMIO) GPA map of RAM (Hyper-V's rule),
    of a frame in no PCI BAR, executable or adjustable; a BAR frame maps."""
    import json
    from test_sim_strict import deposited_pfns, ram_pfn_not_deposited
    script, out = tmp_path / "strict.py", tmp_path / "out.json"
    script.write_text(SIM_STRICT % {"here": os.path.dirname(os.path.abspath(__file__))})
    ram = ram_pfn_not_deposited(deposited_pfns())
    bar = bar0(hvtest.EDU1)[0] >> 12
    p = vmm("run", "--size", 2 * MiB, "--gpa", hex(GPA),
            "--while", "python3 %s %d %d %s" % (script, ram, bar, out))
    pid = num(field(p.stdout, "partition"))
    r = json.loads(out.read_text())
    INVALID_PARAMETER, INSUFFICIENT_MEMORY = 0x5, 0xb
    for case in ("ram", "lapic", "executable", "adjustable"):
        assert r[case] == INVALID_PARAMETER, (case, r)
    assert r["unchanged"], r
    assert r["bar"] in (0, INSUFFICIENT_MEMORY), r
    if r["bar"] == 0:
        assert num(r["gpa"][0]["pfn"]) == bar and num(r["gpa"][0]["flags"]) == 0x200003, r
    assert_nothing_left(tables, pid)
