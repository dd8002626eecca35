"""Isolation across domain changes: no moment where a device owned by VFIO
can reach memory through domain 0 (the identity domain, all host memory).

The ABI attaches a device to a domain only from domain 0, so moving it from
the null (blocked) domain to a VFIO paging domain hops through domain 0.  The
sim's isolation audit (debugfs `audit`) counts every stay in domain 0 with bus
mastering on after leaving another domain; the driver must turn bus mastering
off across the hop and put it back afterwards.  A refused enter must leave
the device where it was, in the hypervisor and in the books.
"""

import re

import hvtest
from hvtest import (BLOCKED, EDU0, EDU1, IDENTITY, MiB, PAGE, Tables, num, knob_cmd, snapshot_cmd,
                    stat_record)

ATTACH_DEVICE_DOMAIN = 0xb2
OPERATION_FAILED = 0x71
AUDIT = "default_domain_bus_master"


def bus_master_on():
    """Bus mastering on while VFIO owns the group (the device in the null
    domain), as a user's config write or a device that keeps it would."""
    return hvtest.bus_master_cmd(EDU0, True)


def test_hop_turns_bus_master_off(tmp_path, attach_mode, tables):
    """Blocked -> paging at VFIO_SET_IOMMU hops through domain 0: the audit
    stays at 0 and bus mastering is back on after the hop (checked before the
    device is opened: vfio-pci clears it at open)."""
    attach_mode("domain")
    attached = tmp_path / "attached"
    before = tables.sim_audit()[AUDIT]
    with hvtest.VfioBound(EDU0):
        hvtest.client(EDU0, "--size", 4 * MiB, "--before-set-iommu", bus_master_on(),
                      "--after-set-iommu", snapshot_cmd(attached))
        a = Tables.snapshot(attached)
        assert a.device_domain(EDU0) not in (IDENTITY, BLOCKED)
        assert a.sim_audit()[AUDIT] == before, \
            "%s hopped through domain 0 with bus mastering on: %s" % (EDU0, hvtest.knob("audit"))
        assert a.bus_master(EDU0), "bus mastering was not restored after the hop"
    hvtest.set_bus_master(EDU0, False)
    assert tables.sim_audit()[AUDIT] == before, hvtest.knob("audit")


def test_refused_enter_rolls_back(tmp_path, attach_mode, tables):
    """fail '0xb2 0x71 0 1' before VFIO_SET_IOMMU: the hypervisor refuses to
    attach the device to the new device domain; SET_IOMMU fails and the device
    is back in the null domain, in the hypervisor and in the driver's books,
    with the audit at 0; the new domain is gone in both views."""
    attach_mode("domain")
    failed = tmp_path / "failed"
    before = tables.sim_audit()[AUDIT]
    attach_before = hvtest.stat_call(tables.sim_stats(), ATTACH_DEVICE_DOMAIN)
    mark = hvtest.kmsg_mark()
    with hvtest.VfioBound(EDU0):
        p = hvtest.client(EDU0, "--size", 4 * MiB,
                          "--before-set-iommu", " && ".join((bus_master_on(), knob_cmd(
                              "fail", "0x%x 0x%x 0 1" % (ATTACH_DEVICE_DOMAIN, OPERATION_FAILED)))),
                          "--expect-set-iommu-fail", "--after-set-iommu-fail", snapshot_cmd(failed))
        assert "set-iommu-failed:" in p.stdout, p.stdout
        f = Tables.snapshot(failed)
        assert hvtest.read_text(f.sim_dir + "/fail").strip() == "", "the injection never fired"
        attach = hvtest.delta(hvtest.stat_call(f.sim_stats(), ATTACH_DEVICE_DOMAIN), attach_before)
        # group open (null), the refused enter, the rollback (null)
        assert attach["failures"] == 1 and attach["calls"] == 3, attach
        dev = f.device(EDU0)
        assert num(dev["domain"]) == BLOCKED and dev["state"] == "attached", \
            "driver books after a refused enter: %r" % dev
        assert num(f.sim_device(EDU0)["domain"]) == BLOCKED, f.sim_device(EDU0)
        assert EDU0 in hvtest.split_list(f.domain(BLOCKED)["devices"])
        for d in f.domains():
            if d["type"] == "paging":
                assert EDU0 not in hvtest.split_list(d["devices"]), d
        assert f.sim_audit()[AUDIT] == before, hvtest.knob("audit")
        assert f.bus_master(EDU0), "bus mastering was not restored after the rollback"
    hvtest.set_bus_master(EDU0, False)
    # The group released: back in identity, no paging domain left behind.
    assert tables.device_domain(EDU0) == IDENTITY
    assert num(tables.sim_device(EDU0)["domain"]) == IDENTITY
    assert not [d for d in tables.domains() if d["type"] == "paging" and d.get("state") != "stranded"]
    assert tables.sim_audit()[AUDIT] == before, hvtest.knob("audit")
    log = hvtest.dmesg_since(mark)
    assert not re.search(r"WARNING:|BUG:|Oops", log), log


DETACH_DEVICE_DOMAIN = 0xc4
OBJECT_IN_USE = 0x19


def test_freed_domain_unmapped_with_device_stranded(tmp_path, attach_mode, tables):
    """VFIO frees a domain that is not its last one without unmapping it
    (vfio_iommu_type1_detach_group()) and unpins the pages later.  Two
    domains in one container: 00:03.0 direct-attached to the client's
    partition (asked for on it), 00:04.0 not asked for, so in a device domain
    of its own.  00:04.0's group leaves with its detach
    refused three times ('0xc4 0x19 0 3': VFIO's detach, the retry in ->free,
    the group's release): the device stays, stranded, and the freed domain is
    still unmapped in the hypervisor."""
    attach_mode("auto")
    mapped, gone = tmp_path / "mapped", tmp_path / "gone"
    size = 4 * MiB
    with hvtest.VfioBound(EDU0), hvtest.VfioBound(EDU1):
        hvtest.client(EDU0, "--partition", "--size", size,
                      "--also", EDU1,
                      "--while-mapped", " && ".join((snapshot_cmd(mapped), knob_cmd(
                          "fail", "0x%x 0x%x 0 3" % (DETACH_DEVICE_DOMAIN, OBJECT_IN_USE)))),
                      "--after-also-gone", snapshot_cmd(gone))
        m, g = Tables.snapshot(mapped), Tables.snapshot(gone)
        d1, d2 = m.device_domain(EDU0), m.device_domain(EDU1)
        assert m.domain(d1)["mode"] == "direct" and m.domain(d2)["mode"] == "domain", \
            (m.domain(d1), m.domain(d2))
        assert len(m.sim_pages(d2)) == size // PAGE
        assert hvtest.read_text(g.sim_dir + "/fail").strip() == "", "the detach injections never fired"
        # 00:04.0 is stranded in the freed domain, as the hypervisor says ...
        dev = g.device(EDU1)
        assert num(dev["domain"]) == d2 and dev["state"] == "detach-failed", dev
        assert g.domain(d2).get("state") == "stranded", g.domain(d2)
        assert num(g.sim_device(EDU1)["domain"]) == d2
        # ... and nothing is mapped in it any more, in either view.
        assert g.sim_pages(d2) == {}, "the hypervisor still maps %d pages of freed domain %d" % (
            len(g.sim_pages(d2)), d2)
        assert g.driver_mappings(d2) == []
        assert stat_record(g.stats(), "pinned_leaked") == stat_record(m.stats(), "pinned_leaked")
    # The next VFIO user of 00:04.0 gets it out; the stranded domain goes.
    attach_mode("domain")
    with hvtest.VfioBound(EDU1):
        hvtest.client(EDU1, "--size", size)
    assert tables.device_domain(EDU1) == IDENTITY
    assert tables.domain(d2) is None and tables.sim_domain(d2) is None
