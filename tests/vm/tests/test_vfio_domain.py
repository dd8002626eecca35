"""VFIO maps in device-domain mode (attach_mode=domain), and partial unmaps.

The VFIO client maps a buffer for 0000:00:03.0 and snapshots every table while
mapped, after a partial unmap and after the full unmap; the tests compare the
snapshots with the client's expect file (IOVA -> page frame from
/proc/self/pagemap), the sim's tables (the hypervisor's view) and hvctl.
"""

import pytest

import hvtest
from hvtest import (EDU0, MiB, PAGE, Tables, num, assert_maps_exactly,
                    check_back_in_identity, check_domain_empty, check_domain_mapped,
                    domains_in_use)

SIZE = 64 * MiB
IOVA = 0x100000000
MAP, UNMAP = 0xb3, 0xb4


@pytest.mark.parametrize("hugepages", [False, True], ids=["4k", "thp"])
def test_vfio_map_device_domain(tmp_path, attach_mode, tables, hugepages):
    attach_mode("domain")
    expect_file, mapped, unmapped = tmp_path / "expect", tmp_path / "mapped", tmp_path / "unmapped"
    in_use = domains_in_use()
    with hvtest.VfioBound(EDU0):
        hvtest.client(EDU0, "--size", SIZE, "--iova", IOVA, "--expect", expect_file,
                      "--hugepages" if hugepages else "--no-hugepages",
                      "--while-mapped", hvtest.snapshot_cmd(mapped),
                      "--after-unmap", hvtest.snapshot_cmd(unmapped))
        expect = hvtest.read_expect(expect_file)
        assert len(expect) == SIZE // PAGE and min(expect) == IOVA

        dom = check_domain_mapped(Tables.snapshot(mapped), EDU0, expect, SIZE)
        check_domain_empty(Tables.snapshot(unmapped), dom)
        check_back_in_identity(tables, EDU0, dom)
        assert domains_in_use() == in_use


@pytest.mark.parametrize("chunks,cut", [(4, (16 * MiB, 16 * MiB)), (8, (8 * MiB, 24 * MiB))],
                         ids=["middle-quarter", "two-eighths-and-more"])
def test_partial_unmap_splits(tmp_path, attach_mode, tables, chunks, cut):
    """Unmap a middle part (whole MAP_DMA chunks, as type1v2 requires)."""
    attach_mode("domain")
    off, length = cut
    expect_file, mapped, partial = tmp_path / "expect", tmp_path / "mapped", tmp_path / "partial"
    with hvtest.VfioBound(EDU0):
        hvtest.client(EDU0, "--size", SIZE, "--iova", IOVA, "--chunks", chunks,
                      "--expect", expect_file,
                      "--while-mapped", hvtest.snapshot_cmd(mapped),
                      "--partial-unmap", "%d:%d" % (off, length),
                      "--after-partial", hvtest.snapshot_cmd(partial))
        expect = hvtest.read_expect(expect_file)
        dom = check_domain_mapped(Tables.snapshot(mapped), EDU0, expect, SIZE)

        snap = Tables.snapshot(partial)
        remaining = {i: p for i, p in expect.items() if not IOVA + off <= i < IOVA + off + length}
        assert len(remaining) == (SIZE - length) // PAGE
        drv = snap.driver_mappings(dom)
        assert_maps_exactly(hvtest.expand_driver(drv), remaining, "driver mappings/%d" % dom)
        assert_maps_exactly(snap.sim_pages(dom), remaining, "sim mappings of domain %d" % dom)
        d = snap.domain(dom)
        assert num(d["mapped_bytes"]) == SIZE - length and num(d["mappings"]) == len(drv), d
        assert num(snap.sim_domain(dom)["pages"]) == len(remaining)
        # No driver mapping straddles the hole.
        for first, last, _, _ in drv:
            assert last < IOVA + off or first >= IOVA + off + length, \
                "mapping %#x-%#x overlaps the unmapped hole" % (first, last)
        check_back_in_identity(tables, EDU0, dom)


NOT_CACHED = 0x200000
BAR_IOVA = 0x200000000


def bar0(bdf):
    """(start, size) of a device's BAR 0, from sysfs."""
    with open("/sys/bus/pci/devices/%s/resource" % bdf) as f:
        start, end, _flags = (int(x, 16) for x in f.readline().split())
    return start, end - start + 1


def test_map_bar_peer_to_peer(tmp_path, attach_mode, tables):
    """A VMM maps a passed-through device's BAR into the IOMMU, as QEMU does
    for peer-to-peer: the map succeeds, the hypervisor maps the BAR's frames
    uncached (MMIO), the driver's books say the same, and no map failure is
    logged."""
    attach_mode("domain")
    start, size = bar0(EDU0)
    mapped = tmp_path / "mapped"
    mark = hvtest.kmsg_mark()
    with hvtest.VfioBound(EDU0):
        p = hvtest.client(EDU0, "--size", 4 * MiB, "--map-bar", 0, "--bar-iova", BAR_IOVA,
                          "--while-mapped", hvtest.snapshot_cmd(mapped))
        assert "bar-mapped:" in p.stdout, p.stdout
        m = Tables.snapshot(mapped)
        dom = m.device_domain(EDU0)
        sim = {i: v for i, v in m.sim_pages(dom).items() if BAR_IOVA <= i < BAR_IOVA + size}
        expect = {BAR_IOVA + off: (start + off) >> 12 for off in range(0, size, PAGE)}
        assert_maps_exactly(sim, expect, "sim mappings of the BAR in domain %d" % dom)
        assert all(flags & NOT_CACHED for _, flags in sim.values()), \
            "BAR frames mapped cached: %s" % sorted({f for _, f in sim.values()})
        drv = {i: v for i, v in m.driver_pages(dom).items() if BAR_IOVA <= i < BAR_IOVA + size}
        assert_maps_exactly(drv, expect, "driver mappings/%d of the BAR" % dom)
        check_back_in_identity(tables, EDU0, dom)
    log = hvtest.dmesg_since(mark)
    assert "map of IOVA" not in log and "map_device_gpa_pages" not in log, log


@pytest.mark.parametrize("backing", ["fragment", "no-hugepages", "hugepages"],
                         ids=["fragmented", "4k", "thp"])
def test_unmaps_gathered(tmp_path, attach_mode, tables, backing):
    """Maps stay at the run floor (one hypercall per 507 pages of a run);
    unmaps go through the iotlb gather: one hypercall per 4095 pages of what
    type1 gathers between syncs (every 512 runs), not one per run, and the
    books, the sim and the driver's counters agree at every step."""
    attach_mode("domain")
    expect_file, before, mapped, unmapped = (tmp_path / n for n in ("expect", "before", "mapped", "unmapped"))
    with hvtest.VfioBound(EDU0):
        hvtest.client(EDU0, "--size", SIZE, "--iova", IOVA, "--expect", expect_file, "--" + backing,
                      "--before-map", hvtest.snapshot_cmd(before),
                      "--while-mapped", hvtest.snapshot_cmd(mapped),
                      "--after-unmap", hvtest.snapshot_cmd(unmapped))
        expect = hvtest.read_expect(expect_file)
        b, m, u = (Tables.snapshot(d) for d in (before, mapped, unmapped))
        dom = check_domain_mapped(m, EDU0, expect, SIZE)
        check_domain_empty(u, dom)
        maps = hvtest.delta(hvtest.stat_call(m.stats(), MAP), hvtest.stat_call(b.stats(), MAP))
        unmaps = hvtest.delta(hvtest.stat_call(u.stats(), UNMAP), hvtest.stat_call(m.stats(), UNMAP))
        runs = hvtest.runs(expect)
        if backing == "fragment":
            assert len(runs) > SIZE // PAGE // 2, "the buffer is not fragmented: %d runs" % len(runs)
        # A call INSUFFICIENT_MEMORY cut short is re-issued after a deposit.
        assert maps["calls"] - maps["failures"] == hvtest.map_floor(expect), (maps, len(runs))
        floor = hvtest.unmap_floor(expect)
        assert unmaps["failures"] == 0 and unmaps["reps"] == SIZE // PAGE, unmaps
        assert unmaps["calls"] <= floor * 1.05, "%d unmap calls for %d runs, floor %d" % (
            unmaps["calls"], len(runs), floor)
