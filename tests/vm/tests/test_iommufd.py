"""VFIO through iommufd (vfio-client --iommufd): /dev/iommu, an IOAS, the
device's VFIO cdev bound to it and attached to the IOAS (an automatic HWPT)
or to an HWPT of its own.  iommufd reaches paths of the driver that VFIO
type1 never does: a paging domain filled before its first attach (the
driver replays those maps into the new device domain), a paging-to-paging
replace while attached (iommu_group_replace_domain(), a hop through domain
0), and their failures.

Debian's kernels have no CONFIG_IOMMUFD: these tests skip there and run on
the debug kernel (tests/vm/run --kernel debug).  They assert on the sim's
tables, the driver's books, the sim's isolation audit and bus mastering.
"""

import os
import re

import pytest

import hvtest
from hvtest import (BLOCKED, EDU0, IDENTITY, MiB, PAGE, Tables, knob_cmd, num,
                    snapshot_cmd, split_list, stat_call)

pytestmark = pytest.mark.skipif(
    not os.path.exists("/dev/iommu"),
    reason="no /dev/iommu: this kernel has no CONFIG_IOMMUFD (Debian's do not; "
           "the debug kernel does: tests/vm/run --kernel debug)")

MAP, UNMAP, ATTACH, DELETE = 0xb3, 0xb4, 0xb2, 0xc5
OPERATION_FAILED = 0x71
EXECUTABLE = 0x4 | 0x8          # HV_MAP_GPA_KERNEL_/USER_EXECUTABLE
AUDIT = "default_domain_bus_master"
SIZE = 16 * MiB


def then(*cmds):
    return " && ".join(cmds)


def client(*args, **kw):
    return hvtest.client(EDU0, "--iommufd", *args, **kw)


def no_splat(mark):
    log = hvtest.dmesg_since(mark)
    assert not re.search(r"WARNING:|BUG:|Oops|KASAN|UBSAN|circular locking|"
                         r"sleeping function called", log), log


def sim_flags_ok(snap, dom):
    """IOMMU_NOEXEC holds for every page: the sim maps none executable."""
    flags = {f for _, f in snap.sim_pages(dom).values()}
    assert flags and not any(f & EXECUTABLE for f in flags), \
        "domain %d mapped with flags %s" % (dom, sorted(hex(f) for f in flags))


UNSAFE_IRQS = "/sys/module/iommufd/parameters/allow_unsafe_interrupts"


@pytest.fixture(scope="module", autouse=True)
def unsafe_interrupts():
    """q35 without interrupt remapping has no isolated MSI: iommufd refuses
    to bind a device then (-EPERM), as type1 does (guest-init loads
    vfio_iommu_type1 with allow_unsafe_interrupts=1); the same for iommufd."""
    old = hvtest.read_text(UNSAFE_IRQS).strip()
    assert hvtest.write_file(UNSAFE_IRQS, "Y") == 0
    yield
    hvtest.write_file(UNSAFE_IRQS, old)


@pytest.fixture
def domain_mode(attach_mode):
    attach_mode("domain")


@pytest.mark.parametrize("how", [[], ["--hwpt"]], ids=["ioas", "hwpt"])
def test_iommufd_maps(tmp_path, domain_mode, tables, how):
    """Attach to the IOAS (an automatic HWPT) or to an HWPT, map 16 MiB in 4
    IOMMU_IOAS_MAP calls: driver's books, sim's tables and hvctl agree page
    by page, nothing executable; after the detach and the HWPT's destruction
    the device is back in domain 0 and the domain gone in both views."""
    expect = tmp_path / "expect"
    mark = hvtest.kmsg_mark()
    with hvtest.VfioBound(EDU0):
        p = client("--size", SIZE, "--chunks", 4, "--expect", expect, *how,
                   "--while-mapped", snapshot_cmd(tmp_path / "mapped"),
                   "--after-unmap", snapshot_cmd(tmp_path / "unmapped"))
        assert "attached: hwpt" in p.stdout, p.stdout
        m, u = Tables.snapshot(tmp_path / "mapped"), Tables.snapshot(tmp_path / "unmapped")
        dom = hvtest.check_domain_mapped(m, EDU0, hvtest.read_expect(expect), SIZE)
        hvtest.check_domain_empty(u, dom)
    hvtest.check_back_in_identity(tables, EDU0, dom)
    assert tables.sim_audit()[AUDIT] == 0
    no_splat(mark)


def test_iommufd_partial_unmap(tmp_path, domain_mode, tables):
    """IOMMU_IOAS_UNMAP of the second of four areas: exactly its pages go,
    in the books and in the hypervisor."""
    with hvtest.VfioBound(EDU0):
        client("--size", SIZE, "--chunks", 4, "--expect", tmp_path / "expect",
               "--partial-unmap", "%d:%d" % (SIZE // 4, SIZE // 4),
               "--after-partial", snapshot_cmd(tmp_path / "partial"))
        s = Tables.snapshot(tmp_path / "partial")
        expect = hvtest.read_expect(tmp_path / "expect")
        gone = range(hvtest.num(s.env("HV_VFIO_IOVA")) + SIZE // 4,
                     hvtest.num(s.env("HV_VFIO_IOVA")) + SIZE // 2, PAGE)
        left = {i: pfn for i, pfn in expect.items() if i not in gone}
        dom = s.device_domain(EDU0)
        hvtest.assert_maps_exactly(s.driver_pages(dom), left, "driver after the partial unmap")
        hvtest.assert_maps_exactly(s.sim_pages(dom), left, "sim after the partial unmap")


def test_iommufd_replays_maps_made_before_attach(tmp_path, domain_mode, tables):
    """Map first, attach after (an HWPT allocated on a filled IOAS): the
    domain's mappings exist before its device domain; the first attach
    creates it and replays every mapping, so that right after the attach the
    hypervisor maps exactly what the books hold."""
    before = stat_call(tables.sim_stats(), MAP)
    with hvtest.VfioBound(EDU0):
        client("--size", SIZE, "--chunks", 4, "--map-before-attach", "--hwpt",
               "--before-set-iommu", snapshot_cmd(tmp_path / "filled"),
               "--after-set-iommu", snapshot_cmd(tmp_path / "attached"),
               "--expect", tmp_path / "expect")
        f, a = Tables.snapshot(tmp_path / "filled"), Tables.snapshot(tmp_path / "attached")
        expect = hvtest.read_expect(tmp_path / "expect")
        filled = [d for d in f.domains() if d["type"] == "paging"]
        assert len(filled) == 1 and filled[0]["mode"] == "none", filled
        dom = num(filled[0]["id"])
        assert num(filled[0]["mapped_bytes"]) == SIZE and f.sim_domain(dom) is None
        assert a.device_domain(EDU0) == dom and a.domain(dom)["mode"] == "domain"
        hvtest.assert_maps_exactly(a.driver_pages(dom), expect, "driver after the attach")
        hvtest.assert_maps_exactly(a.sim_pages(dom), expect, "sim after the replay")
        sim_flags_ok(a, dom)
        replayed = hvtest.delta(stat_call(a.sim_stats(), MAP), before)
        assert replayed["reps"] == SIZE // PAGE, replayed
    hvtest.check_back_in_identity(tables, EDU0, dom)


def test_iommufd_replace_paging_to_paging(tmp_path, domain_mode, tables):
    """A second HWPT attached while the first is (iommu_group_replace_domain):
    the device moves between two device domains through domain 0 with bus
    mastering off (the audit stays 0) and back on afterwards; the new domain
    was replayed in full before the move, the old one keeps its mappings
    until its HWPT is destroyed."""
    with hvtest.VfioBound(EDU0):
        client("--size", SIZE, "--hwpt", "--replace", "--expect", tmp_path / "expect",
               "--while-mapped", then(snapshot_cmd(tmp_path / "before"),
                                      hvtest.bus_master_cmd(EDU0, True)),
               "--after-replace", snapshot_cmd(tmp_path / "after"))
        b, a = Tables.snapshot(tmp_path / "before"), Tables.snapshot(tmp_path / "after")
        expect = hvtest.read_expect(tmp_path / "expect")
        old, new = b.device_domain(EDU0), a.device_domain(EDU0)
        assert old != new and new not in (IDENTITY, BLOCKED), (old, new)
        assert num(a.sim_device(EDU0)["domain"]) == new
        for dom in (old, new):
            hvtest.assert_maps_exactly(a.driver_pages(dom), expect, "driver domain %d" % dom)
            hvtest.assert_maps_exactly(a.sim_pages(dom), expect, "sim domain %d" % dom)
        assert split_list(a.domain(old)["devices"]) == []
        assert a.sim_audit()[AUDIT] == 0, hvtest.knob("audit")
        assert a.bus_master(EDU0), "bus mastering not restored after the replace"
    hvtest.set_bus_master(EDU0, False)
    hvtest.check_back_in_identity(tables, EDU0, new)
    assert tables.domain(old) is None and tables.sim_domain(old) is None


def test_iommufd_refused_replace_rolls_back(tmp_path, domain_mode, tables):
    """The hypervisor refuses the attach to the new domain during a replace
    ('0xb2 0x71 0 1'): the replace fails and the device is back in the old
    domain, in the hypervisor and in the books, still mapped, bus mastering
    back on, the audit at 0."""
    mark = hvtest.kmsg_mark()
    with hvtest.VfioBound(EDU0):
        p = client("--size", SIZE, "--hwpt", "--replace", "--expect-replace-fail",
                   "--expect", tmp_path / "expect",
                   "--while-mapped", then(snapshot_cmd(tmp_path / "before"),
                                          hvtest.bus_master_cmd(EDU0, True),
                                          knob_cmd("fail", "0x%x 0x%x 0 1" % (ATTACH, OPERATION_FAILED))),
                   "--after-replace", snapshot_cmd(tmp_path / "after"))
        assert "replace-failed:" in p.stdout, p.stdout
        b, a = Tables.snapshot(tmp_path / "before"), Tables.snapshot(tmp_path / "after")
        assert hvtest.read_text(a.sim_dir + "/fail").strip() == "", "the injection never fired"
        old = b.device_domain(EDU0)
        dev = a.device(EDU0)
        assert num(dev["domain"]) == old and dev["state"] == "attached", dev
        assert num(a.sim_device(EDU0)["domain"]) == old, a.sim_device(EDU0)
        expect = hvtest.read_expect(tmp_path / "expect")
        hvtest.assert_maps_exactly(a.sim_pages(old), expect, "sim, old domain")
        assert a.sim_audit()[AUDIT] == 0, hvtest.knob("audit")
        assert a.bus_master(EDU0), "bus mastering not restored after the rollback"
    hvtest.set_bus_master(EDU0, False)
    hvtest.check_back_in_identity(tables, EDU0, old)
    no_splat(mark)


@pytest.mark.parametrize("delete_refused", [False, True], ids=["deleted", "delete-refused"])
def test_iommufd_replay_fails_part_way(tmp_path, domain_mode, tables, delete_refused):
    """The replay of maps made before the attach fails at the first mapping
    of the third of four areas (its map call refused): the attach fails,
    the device stays out of the domain.  With the device domain deleted, the
    books forget every hypervisor mapping; with the delete refused too, the
    hypervisor still maps the two areas replayed before, and the books keep
    exactly those as mapped there: tearing the domain down unmaps exactly
    them."""
    size = 256 * 1024           # 4K pages: one map call per mapping
    chunk = size // 4
    iova = 0x100000000
    arm = [knob_cmd("pool_pages", "4096"),     # no deposit-and-retry
           hvtest.arm_map_fail_at_cmd(iova + 2 * chunk, OPERATION_FAILED)]
    if delete_refused:
        arm.append(knob_cmd("fail", "0x%x 0x%x 0 1" % (DELETE, OPERATION_FAILED)))
    unmap_before = stat_call(tables.sim_stats(), UNMAP)
    mark = hvtest.kmsg_mark()
    with hvtest.VfioBound(EDU0):
        p = client("--size", size, "--iova", iova, "--chunks", 4, "--no-hugepages",
                   "--map-before-attach", "--hwpt",
                   "--before-set-iommu", then(*arm), "--expect-set-iommu-fail",
                   "--after-set-iommu-fail", snapshot_cmd(tmp_path / "failed"))
        assert "set-iommu-failed:" in p.stdout, p.stdout
        f = Tables.snapshot(tmp_path / "failed")
        assert hvtest.read_text(f.sim_dir + "/fail").strip() == "", "an injection never fired"
        dom = num([d for d in f.domains() if d["type"] == "paging"][0]["id"])
        sd = f.sim_device(EDU0)
        assert f.device_domain(EDU0) != dom and (sd is None or num(sd["domain"]) != dom)
        assert f.domain(dom)["mode"] == "none" and num(f.domain(dom)["mapped_bytes"]) == size
        if not delete_refused:
            assert f.sim_domain(dom) is None
        else:
            drv = f.driver_pages(dom)
            replayed = {i: pfn for i, (pfn, _) in drv.items() if i < iova + 2 * chunk}
            hvtest.assert_maps_exactly(f.sim_pages(dom), replayed,
                                       "sim after the failed replay (the first two areas)")
    # Torn down: what the books say the hypervisor maps is unmapped, then
    # the device domain is deleted.
    assert tables.sim_domain(dom) is None and tables.domain(dom) is None
    unmapped = hvtest.delta(stat_call(tables.sim_stats(), UNMAP), unmap_before)
    assert unmapped["reps"] == (2 * chunk // PAGE if delete_refused else 0), unmapped
    assert tables.sim_audit()[AUDIT] == 0
    no_splat(mark)


NTH_STAGES = ["map", "hwpt", "attach", "replace", "partial", "unmap", "detach"]


@pytest.mark.skipif(not os.path.exists("/sys/kernel/debug/failslab"),
                    reason="no FAILSLAB (the debug kernel has it)")
@pytest.mark.parametrize("stage", NTH_STAGES)
def test_iommufd_fail_nth_alloc(stage, tmp_path, domain_mode, tables, summary):
    """The Nth allocation of one stage's system calls fails, N = 1, 2, ...
    until the stage completes without reaching it (the client's
    /proc/thread-self/fail-nth, FAILSLAB and FAIL_PAGE_ALLOC): after each
    run no domain is left in either view, the device is back in domain 0,
    the audit is 0, no splat; kmemleak finds nothing at the end."""
    import test_fail_nth as fn
    for knob, val in (("failslab/ignore-gfp-wait", "N"), ("fail_page_alloc/ignore-gfp-wait", "N"),
                      ("failslab/verbose", "0"), ("fail_page_alloc/verbose", "0")):
        hvtest.write_file(os.path.join("/sys/kernel/debug", knob), val)
    base = tables.sim_pool()
    if os.path.exists(fn.KMEMLEAK):
        hvtest.write_file(fn.KMEMLEAK, "clear")
    failed = 0
    for n in range(1, 400):
        mark = hvtest.kmsg_mark()
        with hvtest.VfioBound(EDU0):
            # hwpt: allocated on a filled IOAS (the fill, then the replay).
            p = client("--size", 256 * 1024, "--chunks", 4, "--hwpt", "--replace",
                       "--partial-unmap", "%d:%d" % (64 * 1024, 64 * 1024),
                       *(["--map-before-attach"] if stage == "hwpt" else []),
                       "--fail-nth", "%s:%d" % (stage, n), check=False)
        fired = re.search(r"^fail-nth: \S+ \d+ fired$", p.stdout, re.M)
        if p.returncode:
            failed += 1
        fn.settle(EDU0)
        fn.check_clean("%s N=%d" % (stage, n), base, mark)
        if not fired:
            assert p.returncode == 0, "%s N=%d: %s" % (stage, n, p.stderr)
            break
    else:
        pytest.fail("%s: still reaching allocation %d" % (stage, n))
    leaks = fn.kmemleak_scan()
    summary("fail-nth (allocations, iommufd)", "%-8s fault points %3d (system call failed %d), kmemleak %s" % (
        stage, n, failed, "n/a" if leaks is None else "%d leaks" % leaks))
    assert not leaks, hvtest.read_text(fn.KMEMLEAK)
