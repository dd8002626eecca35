"""The simulator as a stricter hypervisor (issue 5 section 3): it refuses a
map of a deposited frame, a call made with interrupts on or with another page
than the CPU's input page, never fails a call after all its reps completed,
resumes correctly with any rep_slice, and reads long runs of mappings a batch
of pages per lock hold.  Raw calls go through the sim's debugfs "call"."""

import os
import struct

import hvtest
from hvtest import EDU0, MiB, PAGE, Tables, num, knob_cmd, snapshot_cmd, stat_call, stat_record

CREATE, DELETE, MAP, UNMAP = 0xb1, 0xc5, 0xb3, 0xb4
SUCCESS, INVALID_HYPERCALL_INPUT, ACCESS_DENIED = 0x0, 0x3, 0x6
INSUFFICIENT_MEMORY, OPERATION_FAILED = 0xb, 0x71
TEST_DOMAIN = 0x7ffffff0        # far above any id hv_iommu allocates
READ_WRITE = 0x3


def device_domain(dom_id):
    return hvtest.sim_device_domain(dom_id)


def sim_call(code, reps, start, mode, data=b""):
    return hvtest.sim_call(code, data, reps, start, mode)


def create(dom_id, mode="own"):
    return sim_call(CREATE, 0, 0, mode, device_domain(dom_id) + struct.pack("<I", 0))


def delete(dom_id):
    return sim_call(DELETE, 0, 0, "own", device_domain(dom_id))


def map_pages(dom_id, iova, pfns):
    data = device_domain(dom_id) + struct.pack("<B3xIQ", 0, READ_WRITE, iova)
    data += b"".join(struct.pack("<Q", p) for p in pfns)
    return sim_call(MAP, len(pfns), 0, "own", data)


def unmap_pages(dom_id, iova, n):
    return sim_call(UNMAP, n, 0, "own", device_domain(dom_id) + struct.pack("<Q", iova))


def misuse():
    return stat_record(hvtest.LIVE.sim_stats(), "misuse")


def ram_pfn_not_deposited(deposited):
    """The first page of a System RAM range above 1 MiB that is not deposited."""
    with open("/proc/iomem") as f:
        for line in f:
            rng, _, name = line.strip().partition(" : ")
            if name == "System RAM":
                first, last = (int(x, 16) for x in rng.split("-"))
                pfn = max(first, MiB) // PAGE
                while pfn * PAGE < last and pfn in deposited:
                    pfn += 1
                if pfn * PAGE < last:
                    return pfn
    raise AssertionError("no System RAM in /proc/iomem")


def deposited_pfns():
    return {num(r["pfn"]) for r in hvtest.LIVE.sim("deposited")}


def test_map_of_a_deposited_frame_is_refused(tmp_path, attach_mode, tables):
    # Make the driver deposit: an empty pool before a VFIO map.
    attach_mode("domain")
    with hvtest.VfioBound(EDU0):
        hvtest.client(EDU0, "--size", MiB, "--before-map", knob_cmd("pool_pages", "0"))
    deposited = deposited_pfns()
    assert deposited, "the driver deposited nothing with an empty pool"
    assert tables.sim_pool()["deposited_pages"] == len(deposited)
    hvtest.set_knob("pool_pages", "64")

    assert create(TEST_DOMAIN) == (SUCCESS, 0)
    try:
        victim = min(deposited)
        assert map_pages(TEST_DOMAIN, 0x10000, [victim]) == (ACCESS_DENIED, 0)
        assert tables.sim_pages(TEST_DOMAIN) == {}
        assert num(tables.sim_domain(TEST_DOMAIN)["pages"]) == 0
        # A frame the hypervisor does not own maps in the same domain.
        ram = ram_pfn_not_deposited(deposited)
        assert map_pages(TEST_DOMAIN, 0x10000, [ram]) == (SUCCESS, 1)
        assert {i: p for i, (p, _) in tables.sim_pages(TEST_DOMAIN).items()} == {0x10000: ram}
        # A list that reaches a deposited frame stops there: reps before it stay.
        assert map_pages(TEST_DOMAIN, 0x11000, [ram + 1, victim]) == (ACCESS_DENIED, 1)
        assert sorted(tables.sim_pages(TEST_DOMAIN)) == [0x10000, 0x11000]
        assert unmap_pages(TEST_DOMAIN, 0x10000, 2) == (SUCCESS, 2)
    finally:
        delete(TEST_DOMAIN)
    assert tables.sim_domain(TEST_DOMAIN) is None


def test_call_with_interrupts_on_is_refused(tables):
    before = misuse()
    assert create(TEST_DOMAIN, "irqs-on") == (INVALID_HYPERCALL_INPUT, 0)
    assert tables.sim_domain(TEST_DOMAIN) is None, "the refused call created the domain"
    after = misuse()
    assert after["irqs_enabled"] == before["irqs_enabled"] + 1, (before, after)
    assert after["foreign_input_page"] == before["foreign_input_page"]


def test_call_with_a_foreign_input_page_is_refused(tables):
    before = misuse()
    assert create(TEST_DOMAIN, "foreign") == (INVALID_HYPERCALL_INPUT, 0)
    assert tables.sim_domain(TEST_DOMAIN) is None, "the refused call created the domain"
    after = misuse()
    assert after["foreign_input_page"] == before["foreign_input_page"] + 1, (before, after)
    assert after["irqs_enabled"] == before["irqs_enabled"]
    # The same call, made properly, works.
    assert create(TEST_DOMAIN, "own") == (SUCCESS, 0)
    assert tables.sim_domain(TEST_DOMAIN) is not None
    assert delete(TEST_DOMAIN) == (SUCCESS, 0)


def test_no_injected_failure_after_the_last_rep(tmp_path, attach_mode, tables):
    """fail '0xb3 0x71 1': a one-page map call would complete its only rep
    before failing, so the injection does not apply and stays pending."""
    attach_mode("domain")
    before, mapped = tmp_path / "before", tmp_path / "mapped"
    with hvtest.VfioBound(EDU0):
        hvtest.client(EDU0, "--size", PAGE, "--no-hugepages", "--expect", tmp_path / "expect",
                      "--before-map", "%s && %s" % (
                          knob_cmd("fail", "0x%x 0x%x 1 1" % (MAP, OPERATION_FAILED)),
                          snapshot_cmd(before)),
                      "--while-mapped", snapshot_cmd(mapped))
        b, m = Tables.snapshot(before), Tables.snapshot(mapped)
        hvtest.check_domain_mapped(m, EDU0, hvtest.read_expect(tmp_path / "expect"), PAGE)
        sim = hvtest.delta(stat_call(m.sim_stats(), MAP), stat_call(b.sim_stats(), MAP))
        assert sim == {"calls": 1, "reps": 1, "failures": 0}, sim
        pending = hvtest.parse_table(hvtest.read_text(os.path.join(m.sim_dir, "fail")))
        assert [(num(p["code"]), num(p["count"])) for p in pending] == [(MAP, 1)], pending


def test_rep_slice_max_resumes_after_a_deposit(tmp_path, attach_mode, tables):
    """rep_slice=4294967295 and INSUFFICIENT_MEMORY after 100 reps: the
    driver deposits and re-issues from rep 100; the slice must not wrap."""
    attach_mode("domain")
    size = 16 * MiB
    before, mapped = tmp_path / "before", tmp_path / "mapped"
    with hvtest.VfioBound(EDU0):
        hvtest.client(EDU0, "--size", size, "--hugepages", "--expect", tmp_path / "expect",
                      "--before-map", "%s && %s && %s" % (
                          knob_cmd("rep_slice", "4294967295"),
                          knob_cmd("fail", "0x%x 0x%x 100 1" % (MAP, INSUFFICIENT_MEMORY)),
                          snapshot_cmd(before)),
                      "--while-mapped", snapshot_cmd(mapped))
        b, m = Tables.snapshot(before), Tables.snapshot(mapped)
        assert hvtest.read_text(os.path.join(m.sim_dir, "fail")).strip() == "", \
            "the injection never fired"
        hvtest.check_domain_mapped(m, EDU0, hvtest.read_expect(tmp_path / "expect"), size)
        sim = hvtest.delta(stat_call(m.sim_stats(), MAP), stat_call(b.sim_stats(), MAP))
        assert sim["reps"] == size // PAGE and sim["failures"] == 1, sim


def test_mappings_reader_walks_a_batch_per_lock(tmp_path, attach_mode, tables):
    """64 MiB of THP: runs of 512 pages and more, read at most 256 pages per
    hold of the sim's lock (interrupts off), yet reported whole."""
    attach_mode("domain")
    size = 64 * MiB
    # The snapshot may copy the sim's stats before its mappings: read the
    # mappings once first, so the figure is this map's whatever ran before.
    read_first = "cat %s/mappings > /dev/null" % hvtest.DBG_SIM
    with hvtest.VfioBound(EDU0):
        hvtest.client(EDU0, "--size", size, "--hugepages", "--expect", tmp_path / "expect",
                      "--while-mapped", "%s && %s" % (read_first, snapshot_cmd(tmp_path / "mapped")))
        snap = Tables.snapshot(tmp_path / "mapped")
        dom = hvtest.check_domain_mapped(snap, EDU0, hvtest.read_expect(tmp_path / "expect"), size)
        runs = [num(r["pages"]) for r in snap.sim_mappings() if num(r["domain"]) == dom]
        assert max(runs) >= 512, "no run as long as a huge page: %r" % runs[:8]
        walked = stat_record(snap.sim_stats(), "reader")["max_pages_per_lock"]
        assert 0 < walked <= 256, "a mappings reader walked %d pages under the lock" % walked
