"""fail-nth, as the kernel's iommufd_fail_nth selftest does: for every
operation the suite exercises, fail its Nth hypercall (the sim's `fail`
knob, `nth N STATUS`: any call code) for N = 1, 2, ... until the operation
completes without reaching the Nth call, and after each run check that
nothing is left behind: no paging domain in the driver or device domain in
the sim, the sim's pool back where it was, no frame held, the devices in
domain 0 in both views, the isolation audit at 0, no oops.  While the
operation's domain still exists (a hook right after it), the driver's books
must equal the sim's tables.  With the debug kernel's kmemleak, a scan after
each operation finds no leak.

The Nth allocation (fault injection's fail-nth on the client's task) is the
debug kernel's; see test_iommufd.py.

Each operation prints how many fault points it tried (the calls it makes
plus the run that completed) and what it found.
"""

import os
import re
import shlex
import time

import pytest

import hvtest
from hvtest import EDU0, IDENTITY, MiB, Tables, knob_cmd, num, snapshot_cmd

OPERATION_FAILED = 0x71
# Small enough that a 4K-page map or unmap is a few calls (one per
# physically contiguous run); THP maps 4 MiB, two 2 MiB runs.
SIZE = 32 * 1024
THP_SIZE = 4 * MiB
KMEMLEAK = "/sys/kernel/debug/kmemleak"
# Bounds N: an operation making more calls than this is a test bug.
MAX_N = 64
# A refused unmap leaves pages mapped: the iommu core's users cannot take it
# and say so (VFIO type1's vfio_unmap_unpin() WARN_ON(!unmapped)); the driver
# keeps the frames held, which the checks below verify.  Only that warning
# is expected, and only when an unmap call was the one failed.
EXPECTED_WARN = re.compile(r"WARNING: CPU: \d+ PID: \d+ at drivers/vfio/vfio_iommu_type1\.c:\d+ "
                           r"vfio_unmap_unpin")


def then(*cmds):
    return " && ".join(cmds)


def arm(n):
    return knob_cmd("fail", "nth %d 0x%x" % (n, OPERATION_FAILED))


def disarm(d):
    """Hook: keep what is left of the injection in d/fail, clear it, snapshot."""
    fail = os.path.join(hvtest.DBG_SIM, "fail")
    return then("mkdir -p %s" % shlex.quote(str(d)),
                "cat %s > %s" % (fail, shlex.quote(str(d / "pending"))),
                knob_cmd("fail", "clear"), snapshot_cmd(d))


# operation: (client arguments given the arm and disarm commands)
OPS = {
    "attach": lambda a, d: ["--before-set-iommu", a, "--after-set-iommu", d,
                            "--expect-set-iommu-fail", "--may-fail"],
    "map-4k": lambda a, d: ["--no-hugepages", "--before-map", a, "--while-mapped", d,
                            "--expect-map-fail", "--may-fail", "--after-map-fail", d],
    "map-thp": lambda a, d: ["--size", THP_SIZE, "--hugepages", "--before-map", a, "--while-mapped", d,
                             "--expect-map-fail", "--may-fail", "--after-map-fail", d],
    "partial-unmap": lambda a, d: ["--chunks", "4", "--partial-unmap", "%d:%d" % (SIZE // 4, SIZE // 4),
                                   "--while-mapped", a, "--after-partial", d],
    # The teardown: detach (paging -> null, a hop), the domain's free
    # (unmap everything, delete the device domain), the group's release.
    "detach-free": lambda a, d: ["--after-unmap", a],
}


def paging_domains(t):
    return [d for d in t.domains() if d["type"] == "paging"]


def sim_device_domains(t):
    return [d for d in t.sim_domains() if num(d["id"]) not in (IDENTITY, hvtest.BLOCKED)]


def books_equal_tables(snap, what):
    """Every paging domain of the driver in device-domain mode: its tree
    equals the sim's mappings, page by page."""
    for d in paging_domains(snap):
        dom = num(d["id"])
        if d["mode"] != "domain" or snap.sim_domain(dom) is None:
            continue
        drv = {i: pfn for i, (pfn, _) in snap.driver_pages(dom).items()}
        hvtest.assert_maps_exactly(snap.sim_pages(dom), drv, "%s: sim vs driver, domain %d" % (what, dom))


def settle(bdf):
    """A device the hypervisor refused to let go (a failed detach) is
    stranded until its next VFIO user: one clean run gets it out."""
    t = hvtest.LIVE
    if t.device_domain(bdf) != IDENTITY or paging_domains(t):
        with hvtest.VfioBound(bdf):
            hvtest.client(bdf, "--size", SIZE)


def check_clean(what, base, mark):
    """Nothing left behind; returns the expected warnings seen."""
    t = hvtest.LIVE
    assert paging_domains(t) == [], "%s: driver keeps %s" % (what, paging_domains(t))
    assert sim_device_domains(t) == [], "%s: sim keeps %s" % (what, sim_device_domains(t))
    assert hvtest.domains_in_use() == 0, what
    for bdf in (hvtest.EDU0, hvtest.EDU1):
        assert t.device_domain(bdf) == IDENTITY and t.device(bdf)["state"] == "attached", \
            "%s: %s" % (what, t.device(bdf))
        sd = t.sim_device(bdf)      # listed once a call named it
        assert sd is None or num(sd["domain"]) == IDENTITY, "%s: %s" % (what, sd)
    pool = t.sim_pool()
    assert pool["consumed_pages"] == base["consumed_pages"] and pool["leaked_pages"] == 0, \
        "%s: sim pool %s, was %s" % (what, pool, base)
    held = hvtest.stat_record(t.stats(), "pinned_leaked")
    assert held.get("pages", 0) == 0, "%s: frames still held: %s" % (what, held)
    assert all(n == 0 for n in t.sim_audit().values()), "%s: %s" % (what, hvtest.knob("audit"))
    log = hvtest.dmesg_since(mark)
    warns = re.findall(r"^.*(?:WARNING:|BUG:|Oops|KASAN|UBSAN|circular locking|"
                       r"sleeping function called).*$", log, re.M)
    unexpected = [w for w in warns if not EXPECTED_WARN.search(w)]
    assert not unexpected, "%s:\n%s" % (what, log)
    return len(warns)


def kmemleak_scan():
    """Leaks kmemleak reports now (None without kmemleak)."""
    if not os.path.exists(KMEMLEAK):
        return None
    time.sleep(6)           # kmemleak ignores objects younger than 5 s
    hvtest.write_file(KMEMLEAK, "scan")
    report = hvtest.read_text(KMEMLEAK)
    return report.count("unreferenced object")


@pytest.mark.parametrize("op", list(OPS))
def test_fail_nth_hypercall(op, tmp_path, attach_mode, summary):
    hvtest.root_only()
    attach_mode("domain")
    base = hvtest.LIVE.sim_pool()
    if os.path.exists(KMEMLEAK):
        hvtest.write_file(KMEMLEAK, "clear")
    failed_ops = fired = expected_warns = 0
    unheld0 = hvtest.stat_record(hvtest.LIVE.stats(), "unheld_frames").get("count", 0)
    stdout = ""
    for n in range(1, MAX_N + 1):
        d = tmp_path / ("n%d" % n)
        mark = hvtest.kmsg_mark()
        with hvtest.VfioBound(EDU0):
            p = hvtest.client(EDU0, "--size", SIZE, *OPS[op](arm(n), disarm(d)), check=False)
        stdout += p.stdout
        pending = (d / "pending").read_text() if (d / "pending").exists() \
            else hvtest.read_text(os.path.join(hvtest.DBG_SIM, "fail"))
        hvtest.set_knob("fail", "clear")
        hit = "nth=" not in pending
        if (d / "iommu").exists():
            books_equal_tables(Tables.snapshot(d), "%s N=%d" % (op, n))
        if p.returncode or "failed:" in p.stdout:
            failed_ops += 1
            assert hit, "%s N=%d failed with no fault injected: %s" % (op, n, p.stderr)
        settle(EDU0)
        expected_warns += check_clean("%s N=%d" % (op, n), base, mark)
        if not hit:
            break
        fired += 1
    else:
        pytest.fail("%s still reaches call %d" % (op, MAX_N))
    leaks = kmemleak_scan()
    unheld = hvtest.stat_record(hvtest.LIVE.stats(), "unheld_frames").get("count", 0) - unheld0
    summary("fail-nth (hypercalls, status 0x%x)" % OPERATION_FAILED,
            "%-14s fault points %2d (calls failed %d, operation failed %d), core warnings "
            "on refused unmaps %d, unholdable frames %d, kmemleak %s" % (
                op, n, fired, failed_ops, expected_warns, unheld,
                "n/a" if leaks is None else "%d leaks" % leaks))
    assert not leaks, "kmemleak after %s:\n%s" % (op, hvtest.read_text(KMEMLEAK))


def test_fail_nth_knob():
    """`nth N STATUS` is listed while pending and gone once it fired; bad
    forms are refused and change nothing."""
    fail = os.path.join(hvtest.DBG_SIM, "fail")
    try:
        hvtest.set_knob("fail", "nth 3 0x71")
        assert hvtest.read_text(fail).strip() == "nth=3 status=0x71"
        for bad in ("nth 0 0x71", "nth 2", "nth x 0x71", "nth 2 0", "nth 2 0x71 0x9999"):
            assert hvtest.write_file(fail, bad) == 22, bad
            assert hvtest.read_text(fail).strip() == "nth=3 status=0x71", bad
        hvtest.set_knob("fail", "nth 2 0x71 0xb3")
        assert hvtest.read_text(fail).strip() == "nth=2 status=0x71 code=0xb3"
    finally:
        hvtest.set_knob("fail", "clear")
    assert hvtest.read_text(fail).strip() == ""
