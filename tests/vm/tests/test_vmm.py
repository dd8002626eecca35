"""The VMM driver (hv_vmm, /dev/hv_vmm) driven by the test VMM tests/vmm/vmm-test.

The VMM creates a partition, gives it RAM, creates two VPs and runs guest
programs; the checks read the sim's tables (partitions, gpa, vps, pool,
stats) and the VMM's own pagemap.  Teardown by close, exit and SIGKILL
leaves nothing behind in the sim; bad input changes nothing.  The MMIO
resolver's tests are in test_vmm_mmio.py.
"""

import os
import signal
import subprocess

import hvtest
from hvtest import PAGE, MiB, Tables, num

VMM = os.path.join(hvtest.REPO, "tests", "vmm", "vmm-test")
GPA = 0x40000000
READABLE, WRITABLE, ADJUSTABLE, LARGE = 0x1, 0x2, 0x8000, 0x80000000
MAP_GPA_PAGES, UNMAP_GPA_PAGES, WITHDRAW = 0x4b, 0x4c, 0x49
CREATE_PARTITION, DELETE_PARTITION, DISPATCH_VP = 0x40, 0x43, 0xc2


def vmm(*args, check=True, timeout=600):
    p = subprocess.run([VMM] + [str(a) for a in args], capture_output=True,
                       text=True, timeout=timeout)
    if check:
        assert p.returncode == 0, "vmm-test %s failed (rc %d): %s\nstdout:\n%s" % (
            " ".join(map(str, args)), p.returncode, p.stderr.strip(), p.stdout)
    return p


def field(out, key):
    """The value of the first `key: value` line."""
    for line in out.splitlines():
        if line.startswith(key + ": "):
            return line[len(key) + 2:]
    raise AssertionError("no %r line in:\n%s" % (key, out))


def assert_nothing_left(tables, pid):
    assert tables.sim_partition(pid) is None, tables.sim_partitions()
    assert tables.sim_gpa(pid) == [] and tables.sim_vps(pid) == []
    assert tables.sim_pool()["leaked_pages"] == 0


def test_vmm_ram_and_intercepts(tmp_path, tables):
    """Guest writes land in the VMM's pages; unmapped GPAs come back as exits."""
    expect_file, snapdir = tmp_path / "expect", tmp_path / "snap"
    size = 8 * MiB
    short = hvtest.stat_status(tables.sim_stats(), 0xb)
    p = vmm("run", "--size", size, "--gpa", hex(GPA), "--expect", expect_file,
            "--while", hvtest.snapshot_cmd(snapdir))
    pid = num(field(p.stdout, "partition"))
    # vmm-test itself compared the host pages and the values read back.
    assert "vp0: writes 32 reads 32 ok" in p.stdout
    assert "vp1: reads 32 ok" in p.stdout
    hole = GPA + size + 0x1230
    exits = [l for l in p.stdout.splitlines() if l.startswith("exit: ")]
    assert exits == ["exit: vp=1 type=0x80000000 access=1 gpa=%#x" % hole,
                     "exit: vp=1 type=0x80000000 access=0 gpa=%#x" % (hole + 8),
                     "exit: vp=1 type=0x80000021 access=1 gpa=%#x" % (GPA + 3 * (size // 32 & ~7) + 24 + 1)], exits

    snap = Tables.snapshot(snapdir)
    part = snap.sim_partition(pid)
    assert part is not None and part["state"] == "initialized", part
    assert num(part["vps"]) == 2 and num(part["gpa_pages"]) == size // PAGE, part
    # The hypervisor maps every GPA to the frame the VMM's pagemap names.
    expect = hvtest.read_expect(expect_file)
    gpa = snap.sim_gpa_pages(pid)
    assert {g: pfn for g, (pfn, _f) in gpa.items()} == expect
    assert all(f & (READABLE | WRITABLE | ADJUSTABLE) == READABLE | WRITABLE | ADJUSTABLE
               for _pfn, f in gpa.values())
    vps = {num(r["vp"]): r for r in snap.sim_vps(pid)}
    assert sorted(vps) == [0, 1]
    assert num(vps[0]["intercepts"]) == 1 and num(vps[1]["intercepts"]) == 4, vps
    assert num(vps[0]["mapped"]) == 3 and num(vps[1]["mapped"]) == 3, vps
    # The partition started with no pages: the driver deposited on demand.
    assert num(part["pages"]) > 0
    assert hvtest.stat_status(snap.sim_stats(), 0xb) > short

    assert_nothing_left(tables, pid)


def test_vmm_large_pages(tmp_path, tables):
    """2 MiB folios at 2 MiB GPAs are mapped as large pages."""
    if open("/sys/kernel/mm/transparent_hugepage/enabled").read().find("[never]") >= 0:
        import pytest
        pytest.skip("THP is disabled")
    snapdir, expect_file = tmp_path / "snap", tmp_path / "expect"
    size = 8 * MiB
    before = hvtest.stat_call(tables.sim_stats(), MAP_GPA_PAGES)
    p = vmm("run", "--hugepages", "--size", size, "--gpa", hex(GPA),
            "--expect", expect_file, "--while", hvtest.snapshot_cmd(snapdir))
    pid = num(field(p.stdout, "partition"))
    snap = Tables.snapshot(snapdir)
    expect = hvtest.read_expect(expect_file)
    gpa = snap.sim_gpa_pages(pid)
    assert {g: pfn for g, (pfn, _f) in gpa.items()} == expect
    large = {g for g, (_pfn, f) in gpa.items() if f & LARGE}
    # Every 2 MiB-aligned, 2 MiB-contiguous stretch must be large; others not.
    for base in range(GPA, GPA + size, 2 * MiB):
        pfn0 = expect[base]
        contiguous = pfn0 % 512 == 0 and all(expect[base + i * PAGE] == pfn0 + i
                                             for i in range(512))
        block = {base + i * PAGE for i in range(512)}
        if contiguous:
            assert block <= large, "2 MiB at %#x mapped small" % base
        else:
            assert not (block & large), "2 MiB at %#x mapped large" % base
    assert large, "no 2 MiB page came from THP"
    # One map call per run: far fewer calls than 4 KiB pages.
    calls = hvtest.stat_call(snap.sim_stats(), MAP_GPA_PAGES)
    assert calls["calls"] - before["calls"] < size // PAGE // 509 + 2, calls
    assert_nothing_left(tables, pid)


def test_vmm_teardown_on_sigkill(tmp_path, tables):
    """SIGKILL with RAM and VPs: the sim keeps nothing, deposits come back."""
    snapdir = tmp_path / "snap"
    withdraw = hvtest.stat_call(tables.sim_stats(), WITHDRAW)
    p = vmm("kill", "--size", 4 * MiB, "--gpa", hex(GPA),
            "--while", hvtest.snapshot_cmd(snapdir), check=False)
    assert p.returncode == -signal.SIGKILL, (p.returncode, p.stderr)
    pid = num(field(p.stdout, "partition"))
    snap = Tables.snapshot(snapdir)
    part = snap.sim_partition(pid)
    assert num(part["vps"]) == 2 and num(part["gpa_pages"]) == 4 * MiB // PAGE, part
    assert num(part["pages"]) > 0, part
    assert_nothing_left(tables, pid)
    after = hvtest.stat_call(tables.sim_stats(), WITHDRAW)
    assert after["reps"] - withdraw["reps"] == num(part["pages"])


def test_vmm_bad_input(tmp_path, tables):
    """Every bad input: its errno, and the sim's tables unchanged."""
    before, after = tmp_path / "before", tmp_path / "after"
    p = vmm("bad", "--before", hvtest.snapshot_cmd(before),
            "--after", hvtest.snapshot_cmd(after))
    names = [l.split()[1] for l in p.stdout.splitlines() if l.startswith("bad: ")]
    assert len(names) >= 25 and "other-process-run" in names, p.stdout
    b, a = Tables.snapshot(before), Tables.snapshot(after)
    for name in ("partitions", "gpa", "vps", "pool", "domains", "devices"):
        assert b.sim(name) == a.sim(name), "sim %s changed by bad input" % name
    # No hypercall was even tried for them, except none.
    stats = {k: (num(r["calls"])) for r in b.sim_stats() if r["_type"] == "call"
             for k in [num(r["code"])]}
    stats_after = {k: (num(r["calls"])) for r in a.sim_stats() if r["_type"] == "call"
                   for k in [num(r["code"])]}
    assert stats == stats_after, "bad input reached the hypervisor"
    assert tables.sim_partitions() == []


def test_vmm_dispatch_rate(tables):
    """Figures: VP dispatches and intercepts per second under TCG."""
    p = vmm("bench", "--seconds", 2)
    d = float(field(p.stdout, "dispatches_per_s"))
    i = float(field(p.stdout, "intercepts_per_s"))
    print("dispatches_per_s=%.0f intercepts_per_s=%.0f" % (d, i))
    assert d > 100 and i > 100, p.stdout
    assert tables.sim_partitions() == []


