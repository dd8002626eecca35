"""Faults injected through the sim's knobs (rep_slice, pool_pages, fail).

Each test maps with the VFIO client in device-domain mode, sets the knob from
the client's --before-map (or --after-unmap) hook so that it hits exactly the
hypercalls under test, and checks that the driver's books, the sim's tables
and the expect file agree afterwards.
"""

import json
import os
import re

import hvtest
from hvtest import (EDU0, EDU1, IDENTITY, MiB, PAGE, Tables, num, assert_maps_exactly,
                    check_back_in_identity, check_domain_mapped, stat_call, stat_record,
                    stat_status, knob_cmd, snapshot_cmd)

SIZE = 16 * MiB
PAGES = SIZE // PAGE
MAP = 0xb3
UNMAP = 0xb4
DEPOSIT = 0x48
INSUFFICIENT_MEMORY = 0xb
OPERATION_FAILED = 0x71
OBJECT_IN_USE = 0x19
INVALID_HYPERCALL_INPUT = 0x3
DETACH_DEVICE_DOMAIN = 0xc4
ATTACH_DEVICE_DOMAIN = 0xb2
DELETE_DEVICE_DOMAIN = 0xc5
MAX_REPS_PER_MAP_CALL = 507     # page numbers that fit one input page


def then(*cmds):
    return " && ".join(cmds)


def test_rep_slice_resumes(tmp_path, attach_mode, tables):
    """rep_slice=7: every map call stops after 7 reps; the driver resumes."""
    attach_mode("domain")
    slice_ = 7
    before, mapped = tmp_path / "before", tmp_path / "mapped"
    with hvtest.VfioBound(EDU0):
        hvtest.client(EDU0, "--size", SIZE, "--expect", tmp_path / "expect",
                      "--before-map", then(snapshot_cmd(before), knob_cmd("rep_slice", str(slice_))),
                      "--while-mapped", snapshot_cmd(mapped))
        b, m = Tables.snapshot(before), Tables.snapshot(mapped)
        assert hvtest.read_text(os.path.join(m.sim_dir, "rep_slice")).strip() == str(slice_)
        expect = hvtest.read_expect(tmp_path / "expect")
        dom = check_domain_mapped(m, EDU0, expect, SIZE)

        resumes = stat_record(m.stats(), "resumes")["count"] - stat_record(b.stats(), "resumes")["count"]
        assert resumes > 0, "driver stats: no resumes with rep_slice=%d" % slice_
        sim = hvtest.delta(stat_call(m.sim_stats(), MAP), stat_call(b.sim_stats(), MAP))
        drv = hvtest.delta(stat_call(m.stats(), MAP), stat_call(b.stats(), MAP))
        assert sim["calls"] > PAGES / MAX_REPS_PER_MAP_CALL, sim
        assert sim["reps"] == PAGES, "sim completed %d map reps for %d pages" % (sim["reps"], PAGES)
        assert sim["calls"] * slice_ >= sim["reps"], "a call completed more than %d reps" % slice_
        assert sim["failures"] == 0
        assert drv == sim, "driver counts %r, sim counts %r map calls" % (drv, sim)
        check_back_in_identity(tables, EDU0, dom)


def test_insufficient_memory_deposits(tmp_path, attach_mode, tables):
    """pool_pages=0 before the map: the driver deposits and the map succeeds."""
    attach_mode("domain")
    before, mapped = tmp_path / "before", tmp_path / "mapped"
    with hvtest.VfioBound(EDU0):
        hvtest.client(EDU0, "--size", SIZE, "--expect", tmp_path / "expect",
                      "--before-map", then(knob_cmd("pool_pages", "0"), snapshot_cmd(before)),
                      "--while-mapped", snapshot_cmd(mapped))
        b, m = Tables.snapshot(before), Tables.snapshot(mapped)
        assert b.sim_pool()["free_pages"] == 0
        expect = hvtest.read_expect(tmp_path / "expect")
        dom = check_domain_mapped(m, EDU0, expect, SIZE)

        dep = hvtest.delta(stat_record(m.stats(), "deposits"), stat_record(b.stats(), "deposits"))
        assert dep["calls"] > 0 and dep["pages"] > 0, "driver deposits: %r" % dep
        assert stat_status(m.stats(), INSUFFICIENT_MEMORY) > stat_status(b.stats(), INSUFFICIENT_MEMORY)
        pool_b, pool_m = b.sim_pool(), m.sim_pool()
        assert pool_m["deposited_pages"] - pool_b["deposited_pages"] == dep["pages"], (pool_b, pool_m, dep)
        assert pool_m["consumed_pages"] > pool_b["consumed_pages"]
        assert stat_status(m.sim_stats(), INSUFFICIENT_MEMORY) > stat_status(b.sim_stats(), INSUFFICIENT_MEMORY)
        # Every page was mapped exactly once: reps completed (failed calls
        # included, as the TLFS counts them) add up to the page count.
        sim = hvtest.delta(stat_call(m.sim_stats(), MAP), stat_call(b.sim_stats(), MAP))
        drv = hvtest.delta(stat_call(m.stats(), MAP), stat_call(b.stats(), MAP))
        assert sim["reps"] == PAGES, "sim completed %d map reps for %d pages" % (sim["reps"], PAGES)
        assert drv == sim, "driver counts %r, sim counts %r map calls" % (drv, sim)
        sim_dep = hvtest.delta(stat_call(m.sim_stats(), DEPOSIT), stat_call(b.sim_stats(), DEPOSIT))
        assert sim_dep["calls"] == dep["calls"] and sim_dep["reps"] == dep["pages"], (sim_dep, dep)
        check_back_in_identity(tables, EDU0, dom)


def test_map_fails_part_way_rolls_back(tmp_path, attach_mode, tables):
    """fail '0xb3 0x71 100 1': MAP_DMA fails; exactly nothing stays mapped."""
    attach_mode("domain")
    before, failed, mapped = tmp_path / "before", tmp_path / "failed", tmp_path / "mapped"
    with hvtest.VfioBound(EDU0):
        p = hvtest.client(EDU0, "--size", SIZE, "--expect", tmp_path / "expect",
                          "--before-map", then(snapshot_cmd(before),
                                               knob_cmd("fail", "0x%x 0x%x 100 1" % (MAP, OPERATION_FAILED))),
                          "--expect-map-fail", "--after-map-fail", snapshot_cmd(failed),
                          "--retry-map", "--while-mapped", snapshot_cmd(mapped))
        assert "map-failed:" in p.stdout
        b, f, m = Tables.snapshot(before), Tables.snapshot(failed), Tables.snapshot(mapped)
        dom = f.device_domain(EDU0)
        assert dom != IDENTITY

        # The injection fired once, after 100 reps of a map call ...
        assert hvtest.read_text(os.path.join(f.sim_dir, "fail")).strip() == ""
        sim = hvtest.delta(stat_call(f.sim_stats(), MAP), stat_call(b.sim_stats(), MAP))
        drv = hvtest.delta(stat_call(f.stats(), MAP), stat_call(b.stats(), MAP))
        assert sim["failures"] == 1 and drv["failures"] == 1, (sim, drv)
        assert stat_status(f.sim_stats(), OPERATION_FAILED) == stat_status(b.sim_stats(), OPERATION_FAILED) + 1
        assert stat_status(f.stats(), OPERATION_FAILED) == stat_status(b.stats(), OPERATION_FAILED) + 1
        # ... and the rollback is exact: nothing mapped in either view,
        # the hypervisor's page-table pages released again.
        assert f.sim_pages(dom) == {}, "sim keeps %d pages after the failed map" % len(f.sim_pages(dom))
        assert num(f.sim_domain(dom)["pages"]) == 0
        assert f.driver_mappings(dom) == []
        d = f.domain(dom)
        assert num(d["mapped_bytes"]) == 0 and num(d["mappings"]) == 0, d
        assert f.sim_pool()["consumed_pages"] == b.sim_pool()["consumed_pages"]

        # A later map into the same domain works.
        assert m.device_domain(EDU0) == dom
        check_domain_mapped(m, EDU0, hvtest.read_expect(tmp_path / "expect"), SIZE)
        check_back_in_identity(tables, EDU0, dom)


def test_map_fails_and_undo_refused_keeps_books(tmp_path, attach_mode, tables):
    """fail '0xb3 0x71 100 1' and '0xb4 0x71 0 1': MAP_DMA fails part-way and
    the hypervisor refuses to unmap what was mapped; the pages it still maps
    stay in the driver's books, exactly those."""
    attach_mode("domain")
    failed = tmp_path / "failed"
    mark = hvtest.kmsg_mark()
    with hvtest.VfioBound(EDU0):
        p = hvtest.client(EDU0, "--size", SIZE,
                          "--before-map", then(knob_cmd("fail", "0x%x 0x%x 100 1" % (MAP, OPERATION_FAILED)),
                                               knob_cmd("fail", "0x%x 0x%x 0 1" % (UNMAP, OPERATION_FAILED))),
                          "--expect-map-fail", "--after-map-fail", snapshot_cmd(failed))
        assert "map-failed:" in p.stdout
        f = Tables.snapshot(failed)
        assert hvtest.read_text(os.path.join(f.sim_dir, "fail")).strip() == "", \
            "injections left: %s" % hvtest.read_text(os.path.join(f.sim_dir, "fail"))
        dom = f.device_domain(EDU0)
        assert dom != IDENTITY
        sim_pages = f.sim_pages(dom)
        assert sim_pages, "the refused undo left nothing mapped in the sim"
        assert_maps_exactly(f.driver_pages(dom), {i: pfn for i, (pfn, _) in sim_pages.items()},
                            "driver mappings/%d against the sim's" % dom)
        d = f.domain(dom)
        assert num(d["mapped_bytes"]) == len(sim_pages) * PAGE, d
        check_back_in_identity(tables, EDU0, dom)
    log = hvtest.dmesg_since(mark)
    assert not re.search(r"WARNING:|BUG:|Oops", log), log


def check_books_agree(live, bdf):
    """The driver's books say what the hypervisor says about the device."""
    dev, sdev = live.device(bdf), live.sim_device(bdf)
    dom = num(dev["domain"])
    assert num(sdev.get("domain", "-1")) == dom, "driver: %r, sim: %r" % (dev, sdev)
    if dom == IDENTITY:
        assert dev["state"] == "attached", dev
    else:
        assert dev["state"] == "detach-failed", dev
        assert num(dev["status"]) == OBJECT_IN_USE, dev
        d = live.domain(dom)
        assert d is not None, "hv_iommu dropped domain %d that the hypervisor still uses" % dom
        assert bdf in hvtest.split_list(d["devices"]), d
        assert d.get("state", "live") in ("live", "stranded"), d
        assert bdf in hvtest.split_list(live.sim_domain(dom)["devices"])
    for d in live.domains():
        listed = bdf in hvtest.split_list(d["devices"])
        assert listed == (num(d["id"]) == dom), "%s listed in %r" % (bdf, d)
    return dom


def test_refused_detach_once(tmp_path, attach_mode, tables):
    """fail '0xc4 0x19 0 1' before the VFIO user goes: one detach is refused;
    whatever the iommu core does next, the books agree with the hypervisor."""
    attach_mode("domain")
    bdf = EDU1
    before, mapped = tmp_path / "before", tmp_path / "mapped"
    mark = hvtest.kmsg_mark()
    with hvtest.VfioBound(bdf):
        hvtest.client(bdf, "--size", 4 * MiB, "--while-mapped", snapshot_cmd(mapped),
                      "--after-unmap", then(snapshot_cmd(before), knob_cmd(
                          "fail", "0x%x 0x%x 0 1" % (DETACH_DEVICE_DOMAIN, OBJECT_IN_USE))))
        b = Tables.snapshot(before)
        assert Tables.snapshot(mapped).device_domain(bdf) != IDENTITY
        assert hvtest.knob("fail") == "", "the detach injection never fired"
        # Exactly one OBJECT_IN_USE, in both books.
        assert stat_status(tables.sim_stats(), OBJECT_IN_USE) == stat_status(b.sim_stats(), OBJECT_IN_USE) + 1
        assert stat_status(tables.stats(), OBJECT_IN_USE) == stat_status(b.stats(), OBJECT_IN_USE) + 1
        check_books_agree(tables, bdf)
        # The refused detach was the core moving the device to the blocked
        # domain while VFIO still owned the group; once the hypervisor let
        # the device go (when the domain was freed), it went there, to the
        # null domain, before the group was handed back to identity: one
        # attach, as in a teardown without the refusal.
        attach = hvtest.delta(stat_call(tables.sim_stats(), ATTACH_DEVICE_DOMAIN),
                              stat_call(b.sim_stats(), ATTACH_DEVICE_DOMAIN))
        assert attach == {"calls": 1, "reps": 0, "failures": 0}, \
            "attach_device_domain calls after the refusal: %r" % attach
        log = hvtest.dmesg_since(mark)
        assert not re.search(r"WARNING:|BUG:|Oops", log), log


def test_refused_detach_stays_visible(tmp_path, attach_mode, tables):
    """Every detach refused (OBJECT_IN_USE) as the VFIO user goes: the device
    stays in its domain, attached in the hypervisor and in the driver's books,
    state=detach-failed status=0x19."""
    attach_mode("domain")
    bdf = EDU1
    mapped = tmp_path / "mapped"
    mark = hvtest.kmsg_mark()
    injections = 1000
    with hvtest.VfioBound(bdf):
        hvtest.client(bdf, "--size", 4 * MiB, "--while-mapped", snapshot_cmd(mapped),
                      "--after-unmap", knob_cmd("fail", "0x%x 0x%x 0 %d" % (
                          DETACH_DEVICE_DOMAIN, OBJECT_IN_USE, injections)))
        dom = Tables.snapshot(mapped).device_domain(bdf)
        assert dom != IDENTITY
        pending = hvtest.parse_table(hvtest.knob("fail"))
        assert len(pending) == 1 and num(pending[0]["count"]) < injections, \
            "the detach injection never fired: %r" % pending
        assert check_books_agree(tables, bdf) == dom, "the device left domain %d" % dom
        assert bdf not in hvtest.split_list(tables.domain(IDENTITY)["devices"])
        log = hvtest.dmesg_since(mark)
        assert not re.search(r"WARNING:|BUG:|Oops", log), log


def test_refused_detach_recovers(tmp_path, attach_mode, tables):
    """After a refused detach, the next VFIO user of the device works and
    leaves it in the identity domain, the stranded domain gone in both views."""
    attach_mode("domain")
    bdf = EDU1
    dev = tables.device(bdf)
    stuck = num(dev["domain"]) if dev["state"] == "detach-failed" else None
    mapped = tmp_path / "mapped"
    with hvtest.VfioBound(bdf):
        hvtest.client(bdf, "--size", 4 * MiB, "--expect", tmp_path / "expect",
                      "--while-mapped", snapshot_cmd(mapped))
        dom = check_domain_mapped(Tables.snapshot(mapped), bdf,
                                  hvtest.read_expect(tmp_path / "expect"), 4 * MiB)
        check_back_in_identity(tables, bdf, dom)
        if stuck is not None:
            assert tables.domain(stuck) is None, tables.domain(stuck)
            assert tables.sim_domain(stuck) is None, tables.sim_domain(stuck)


def test_refused_delete_keeps_the_id(tmp_path, attach_mode, tables):
    """fail '0xc5 0x71 0 1' as the VFIO user goes: the hypervisor keeps the
    (empty) device domain, so the driver keeps it visibly, stranded, and never
    hands its id out again; the next VFIO user of the device gets a new device
    domain and maps, and its allocation deletes the stranded one again."""
    attach_mode("domain")
    bdf = EDU0
    mapped, mapped2 = tmp_path / "mapped", tmp_path / "mapped2"
    mark = hvtest.kmsg_mark()
    with hvtest.VfioBound(bdf):
        hvtest.client(bdf, "--size", 4 * MiB, "--while-mapped", snapshot_cmd(mapped),
                      "--after-unmap", knob_cmd("fail", "0x%x 0x%x 0 1" % (
                          DELETE_DEVICE_DOMAIN, OPERATION_FAILED)))
        dom = Tables.snapshot(mapped).device_domain(bdf)
        assert dom != IDENTITY
        assert hvtest.knob("fail") == "", "the delete injection never fired"
        sd = tables.sim_domain(dom)
        assert sd is not None and hvtest.split_list(sd["devices"]) == [], \
            "the sim should keep device domain %d, empty: %r" % (dom, sd)
        assert tables.device_domain(bdf) == IDENTITY
        d = tables.domain(dom)
        assert d is not None and d.get("state") == "stranded", \
            "a device domain the hypervisor kept must stay in the books: %r" % d
        assert hvtest.split_list(d["devices"]) == [] and int(d["mapped_bytes"]) == 0, d
        assert tables.has_mappings_file(dom)

        hvtest.client(bdf, "--size", 4 * MiB, "--expect", tmp_path / "expect",
                      "--while-mapped", snapshot_cmd(mapped2))
        dom2 = check_domain_mapped(Tables.snapshot(mapped2), bdf,
                                   hvtest.read_expect(tmp_path / "expect"), 4 * MiB)
        assert dom2 != dom, "domain id %d reused while the hypervisor keeps it" % dom
        check_back_in_identity(tables, bdf, dom2)
        # The next domain's allocation asked again: one refusal strands it
        # only until then (fail-nth detach-free found it kept for good).
        assert tables.domain(dom) is None and tables.sim_domain(dom) is None, \
            "stranded empty domain %d never deleted again: %r" % (dom, tables.domain(dom))
        log = hvtest.dmesg_since(mark)
        assert not re.search(r"WARNING:|BUG:|Oops", log), log


def leaked(rows):
    return stat_record(rows, "pinned_leaked").get("pages")


def test_refused_unmap_holds_frames(tmp_path, attach_mode, tables):
    """fail '0xb3 0x71 100 1' and '0xb4 0x71 0 1': MAP_DMA fails after 100
    pages (fewer if the first physically contiguous run is shorter);
    map_pages reports exactly those as mapped, the core's unroll
    unmaps them and the hypervisor refuses: the pages it still maps stay in
    the books, each frame referenced by the driver (stats pinned_leaked, hvctl
    status) so that VFIO's unpin cannot free it; freeing the domain unmaps
    them and drops the references.  Both failures are logged with the domain,
    device, IOVA range and first frame."""
    attach_mode("domain")
    before, failed = tmp_path / "before", tmp_path / "failed"
    status_json = tmp_path / "status.json"
    mark = hvtest.kmsg_mark()
    with hvtest.VfioBound(EDU0):
        p = hvtest.client(EDU0, "--size", SIZE,
                          "--before-map", then(snapshot_cmd(before),
                                               knob_cmd("fail", "0x%x 0x%x 100 1" % (MAP, OPERATION_FAILED)),
                                               knob_cmd("fail", "0x%x 0x%x 0 1" % (UNMAP, OPERATION_FAILED))),
                          "--expect-map-fail", "--after-map-fail",
                          then(snapshot_cmd(failed), "hvctl status --json > %s" % status_json))
        assert "map-failed:" in p.stdout
        b, f = Tables.snapshot(before), Tables.snapshot(failed)
        dom = f.device_domain(EDU0)
        sim_pages = f.sim_pages(dom)
        assert 1 <= len(sim_pages) <= 100, "the sim maps %d pages after the failed map" % len(sim_pages)
        assert_maps_exactly(f.driver_pages(dom), {i: pfn for i, (pfn, _) in sim_pages.items()},
                            "driver mappings/%d against the sim's" % dom)
        held = leaked(f.stats())
        assert held is not None, "driver stats have no pinned_leaked record"
        assert held - (leaked(b.stats()) or 0) == len(sim_pages), (held, len(sim_pages))
        with open(status_json) as fh:
            st = hvtest.find_records(json.load(fh), "pinned_leaked_pages")
            assert [r["pinned_leaked_pages"] for r in st] == [held], "hvctl status: %r" % st
    # The domain is gone: unmapped in the hypervisor, references dropped.
    assert tables.sim_domain(dom) is None
    assert leaked(tables.stats()) == (leaked(b.stats()) or 0), tables.stats()
    log = hvtest.dmesg_since(mark)
    first = min(sim_pages)
    for what, done in (("map", len(sim_pages)), ("unmap", 0)):
        line = (r"domain %d \(%s\): %s of IOVA 0x%x-0x[0-9a-f]+ \(first frame 0x%x\) "
                r"stopped after %d of \d+ pages: HV_STATUS_OPERATION_FAILED" % (
                    dom, re.escape(EDU0), what, first, sim_pages[first][0], done))
        assert re.search(line, log), "no log line /%s/ in:\n%s" % (line, log)
    assert not re.search(r"WARNING:|BUG:|Oops", log), log


def test_refused_unmap_at_sync_holds_frames(tmp_path, attach_mode, tables):
    """fail '0xb4 0x71 100 1' on fragmented memory: the unmap hypercall of
    the first iotlb sync (512 one-page runs gathered) stops after 100 pages.
    unmap_pages already told VFIO the pages were unmapped and VFIO unpins
    them after the sync: the pages the hypervisor still maps stay in the
    books as one mapping per run, each frame referenced by the driver
    (pinned_leaked), the rest of the unmap goes on; freeing the domain
    unmaps them and drops the references."""
    attach_mode("domain")
    before, after = tmp_path / "before", tmp_path / "after"
    expect_file = tmp_path / "expect"
    mark = hvtest.kmsg_mark()
    with hvtest.VfioBound(EDU0):
        hvtest.client(EDU0, "--size", SIZE, "--fragment", "--expect", expect_file,
                      "--while-mapped", then(snapshot_cmd(before),
                                             knob_cmd("fail", "0x%x 0x%x 100 1" % (UNMAP, OPERATION_FAILED))),
                      "--after-unmap", snapshot_cmd(after))
        expect = hvtest.read_expect(expect_file)
        b, a = Tables.snapshot(before), Tables.snapshot(after)
        dom = a.device_domain(EDU0)
        sim_pages = a.sim_pages(dom)
        first = min(expect)
        gathered = sum(hvtest.runs(expect)[:hvtest.TYPE1_SYNC_RUNS])
        kept = sorted(expect)[100:gathered]
        assert sorted(sim_pages) == kept, "the sim maps %d pages after the unmap" % len(sim_pages)
        assert_maps_exactly(a.driver_pages(dom), {i: expect[i] for i in kept},
                            "driver mappings/%d against the sim's" % dom)
        assert num(a.domain(dom)["mapped_bytes"]) == len(kept) * PAGE
        assert num(a.domain(dom)["mappings"]) == len(a.driver_mappings(dom))
        assert leaked(a.stats()) - (leaked(b.stats()) or 0) == len(kept)
        unmaps = hvtest.delta(stat_call(a.stats(), UNMAP), stat_call(b.stats(), UNMAP))
        assert unmaps["reps"] == PAGES - len(kept) and unmaps["failures"] == 1, unmaps
    assert tables.sim_domain(dom) is None
    assert leaked(tables.stats()) == (leaked(b.stats()) or 0), tables.stats()
    log = hvtest.dmesg_since(mark)
    line = (r"domain %d \(%s\): unmap of IOVA 0x%x-0x[0-9a-f]+ \(first frame 0x%x\) "
            r"stopped after 100 of %d pages: HV_STATUS_OPERATION_FAILED" % (
                dom, re.escape(EDU0), first, expect[first], gathered))
    assert re.search(line, log), "no log line /%s/ in:\n%s" % (line, log)
    assert not re.search(r"WARNING:|BUG:|Oops", log), log
