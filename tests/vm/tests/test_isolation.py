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
from hvtest import (BLOCKED, EDU0, IDENTITY, MiB, Tables, num, knob_cmd, snapshot_cmd)

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
