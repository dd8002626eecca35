"""Direct attach (attach_mode=auto, the VFIO user owns a guest partition).

The client creates a partition through /dev/hv_sim before VFIO_SET_IOMMU, so
the driver attaches 0000:00:03.0 to that partition by its logical id: the sim
holds no device-domain mappings for it and map/unmap only maintain the
driver's tree.
"""

import hvtest
from hvtest import (EDU0, IDENTITY, MiB, PAGE, Tables, num, assert_maps_exactly,
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

        # The hypervisor: the partition, owned by the client, holds the device.
        parts = [r for r in snap.sim_partitions() if num(r["id"]) == pid]
        assert len(parts) == 1, "sim partitions: %r" % snap.sim_partitions()
        assert parts[0]["state"] == "active"
        assert num(parts[0]["owner_pid"]) == int(snap.env("HV_VFIO_PID"))
        assert hvtest.split_list(parts[0]["devices"]) == [EDU0]
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
        assert [r for r in tables.sim_partitions() if num(r["id"]) == pid] == []
        check_back_in_identity(tables, EDU0, dom)
        assert "logical_id" not in tables.device(EDU0)
        assert "partition" not in tables.sim_device(EDU0)
