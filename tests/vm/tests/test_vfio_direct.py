"""Direct attach, asked for by the VMM on its partition (attach_mode=auto).

The client acts as a VMM: it creates a partition through /dev/hv_vmm, asks
for direct attach of its VFIO group on the partition fd before
VFIO_SET_IOMMU and gives its buffer to the guest as RAM at GPA = IOVA.  The
driver attaches 0000:00:03.0 to that partition by its logical id: the sim
holds no device-domain mappings for it and map/unmap only maintain the
driver's tree.  Nothing is guessed from the calling process: a VFIO user
that did not ask gets a device domain, and attach_mode=domain wins.
"""

import hvtest
from hvtest import (BLOCKED, EDU0, EDU1, IDENTITY, MiB, PAGE, Tables, num, assert_maps_exactly,
                    check_back_in_identity)

SIZE = 64 * MiB
MAP_DEVICE_GPA_PAGES = 0xb3


def logical_id(bdf):
    """The contract's logical id: segment << 16 | bus << 8 | devfn."""
    seg, bus, devfn = bdf.split(":")
    dev, fn = devfn.split(".")
    return int(seg, 16) << 16 | int(bus, 16) << 8 | int(dev, 16) << 3 | int(fn, 16)


def test_vfio_map_direct_attach(tmp_path, attach_mode, tables):
    attach_mode("auto")
    expect_file, mapped, unmapped = tmp_path / "expect", tmp_path / "mapped", tmp_path / "unmapped"
    sim_maps_before = tables.sim_mappings()
    sim_b3_before = hvtest.stat_call(tables.sim_stats(), MAP_DEVICE_GPA_PAGES)
    with hvtest.VfioBound(EDU0):
        p = hvtest.client(EDU0, "--partition", "--size", SIZE, "--expect", expect_file,
                          "--while-mapped", hvtest.snapshot_cmd(mapped),
                          "--after-unmap", hvtest.snapshot_cmd(unmapped))
        snap = Tables.snapshot(mapped)
        pid = int(snap.env("HV_PARTITION_ID"))
        assert "partition: %d" % pid in p.stdout
        expect = hvtest.read_expect(expect_file)
        assert len(expect) == SIZE // PAGE

        # The hypervisor: the partition holds the device and the buffer as RAM.
        part = snap.sim_partition(pid)
        assert part is not None, "sim partitions: %r" % snap.sim_partitions()
        assert part["state"] == "initialized"
        assert hvtest.split_list(part["devices"]) == [EDU0]
        gpa = snap.sim_gpa_pages(pid)
        assert {g: pfn for g, (pfn, _f) in gpa.items()} == expect, \
            "the partition's GPA map is not the buffer's pages"
        sdev = snap.sim_device(EDU0)
        assert num(sdev.get("partition", "-1")) == pid, sdev
        assert num(sdev["logical_id"]) == logical_id(EDU0), sdev
        assert "domain" not in sdev or num(sdev["domain"]) != IDENTITY, sdev
        for sd in snap.sim_domains():
            assert EDU0 not in hvtest.split_list(sd["devices"]), \
                "direct-attached %s also sits in sim device domain %s" % (EDU0, sd["id"])
        # ... and got no device-domain mappings or map hypercalls for it.
        assert snap.sim_mappings() == sim_maps_before
        assert hvtest.stat_call(snap.sim_stats(), MAP_DEVICE_GPA_PAGES) == sim_b3_before

        # The driver: a direct domain for the partition, its tree = the buffer.
        dev = snap.device(EDU0)
        assert dev["state"] == "attached" and num(dev["logical_id"]) == logical_id(EDU0), dev
        assert num(dev["direct_partition"]) == pid, dev
        dom = num(dev["domain"])
        d = snap.domain(dom)
        assert d is not None, "hv_iommu domains has no id=%d" % dom
        assert (d["type"], d["mode"], d["partition"]) == ("paging", "direct", str(pid)), d
        assert hvtest.split_list(d["devices"]) == [EDU0], d
        assert num(d["mapped_bytes"]) == SIZE, d
        drv = snap.driver_mappings(dom)
        assert num(d["mappings"]) == len(drv)
        assert_maps_exactly(hvtest.expand_driver(drv), expect, "driver mappings/%d" % dom)

        h = snap.hvctl_json("list-domains")
        assert h["rc"] == 0 and h["json"] is not None, h["stderr"]
        rec = hvtest.hvctl_domain(h["json"], dom)
        assert rec is not None and EDU0 in hvtest.json_list(rec.get("devices")), rec
        assert num(rec["mapped_bytes"]) == SIZE, rec

        # After unmap: the driver's tree is empty, the sim saw nothing.
        un = Tables.snapshot(unmapped)
        assert un.driver_mappings(dom) == []
        assert num(un.domain(dom)["mapped_bytes"]) == 0
        assert un.sim_mappings() == sim_maps_before

        # After exit: the partition is gone, the device back in identity.
        assert tables.sim_partition(pid) is None
        assert tables.sim_gpa(pid) == [] and tables.sim_vps(pid) == []
        assert tables.sim_pool()["leaked_pages"] == 0
        check_back_in_identity(tables, EDU0, dom)
        assert "logical_id" not in tables.device(EDU0)
        assert "direct_partition" not in tables.device(EDU0)
        assert "partition" not in tables.sim_device(EDU0)


def test_vfio_no_request_gets_device_domain(tmp_path, attach_mode, tables):
    """A VFIO user that did not ask on a partition: a device domain."""
    attach_mode("auto")
    mapped = tmp_path / "mapped"
    with hvtest.VfioBound(EDU0):
        hvtest.client(EDU0, "--size", 4 * MiB,
                      "--while-mapped", hvtest.snapshot_cmd(mapped))
    snap = Tables.snapshot(mapped)
    d = snap.domain(snap.device_domain(EDU0))
    assert (d["mode"], d["partition"]) == ("domain", "self"), d
    assert num(snap.sim_device(EDU0)["domain"]) == num(d["id"])


def test_vfio_direct_attach_mode_domain_wins(tmp_path, attach_mode, tables):
    """attach_mode=domain: the VMM's request stands, the device gets a device domain."""
    attach_mode("domain")
    mapped = tmp_path / "mapped"
    with hvtest.VfioBound(EDU0):
        hvtest.client(EDU0, "--partition", "--size", 4 * MiB,
                      "--while-mapped", hvtest.snapshot_cmd(mapped))
    snap = Tables.snapshot(mapped)
    d = snap.domain(snap.device_domain(EDU0))
    assert (d["mode"], d["partition"]) == ("domain", "self"), d
    part = snap.sim_partition(int(snap.env("HV_PARTITION_ID")))
    assert part is not None and part["devices"] == "-", part
    assert tables.sim_partitions() == []


def test_vfio_direct_partition_closed_first(tmp_path, attach_mode, tables):
    """The partition goes while the device is attached: blocked, then nothing left."""
    attach_mode("auto")
    closed = tmp_path / "closed"
    with hvtest.VfioBound(EDU0):
        p = hvtest.client(EDU0, "--partition", "--size", 4 * MiB,
                          "--close-partition-first",
                          "--after-partition-close", hvtest.snapshot_cmd(closed))
        pid = int(p.stdout.split("partition: ")[1].split()[0])
        snap = Tables.snapshot(closed)
        # The device left the partition for the null domain, in both books.
        assert num(snap.sim_device(EDU0)["domain"]) == BLOCKED, snap.sim_device(EDU0)
        assert snap.device_domain(EDU0) == BLOCKED
        assert snap.sim_partition(pid) is None
        assert snap.sim_gpa(pid) == [] and snap.sim_vps(pid) == []
    assert num(tables.sim_device(EDU0)["domain"]) == IDENTITY
    assert tables.sim_partitions() == []
    assert tables.sim_pool()["leaked_pages"] == 0


def test_vfio_direct_domain_mode_is_kept(tmp_path, attach_mode, tables):
    """A device not asked for cannot join a direct domain: -EINVAL, no dev_err.

    VFIO tries to share the container's domain with the second group; the
    domain's mode (direct, decided at its first attach) is not re-derived, so
    the attach is incompatible and VFIO keeps the group in a domain of its own.
    """
    attach_mode("auto")
    mapped = tmp_path / "mapped"
    with hvtest.VfioBound(EDU0), hvtest.VfioBound(EDU1):
        mark = hvtest.kmsg_mark()
        p = hvtest.client(EDU0, "--partition", "--size", 4 * MiB, "--also", EDU1,
                          "--while-mapped", hvtest.snapshot_cmd(mapped))
        pid = int(p.stdout.split("partition: ")[1].split()[0])
        # The incompatible attach logged nothing (iommu.h: no dev_err for it).
        log = [l for l in hvtest.dmesg_since(mark).splitlines() if EDU1 in l]
        assert log == [], log
    snap = Tables.snapshot(mapped)
    d0 = snap.domain(snap.device_domain(EDU0))
    d1 = snap.domain(snap.device_domain(EDU1))
    assert (d0["mode"], d0["partition"]) == ("direct", str(pid)), d0
    assert hvtest.split_list(d0["devices"]) == [EDU0], d0
    assert (d1["mode"], d1["partition"]) == ("domain", "self"), d1
    assert num(snap.sim_device(EDU1)["domain"]) == num(d1["id"])
    assert hvtest.split_list(snap.sim_partition(pid)["devices"]) == [EDU0]
    assert tables.sim_partition(pid) is None
    check_back_in_identity(tables, EDU1, num(d1["id"]))
