"""PCI topology: DMA aliases (an edu behind a conventional PCI bridge is
attached by the bridge's id), group viability when one function of a
multi-function device without ACS is skipped, and probe refusals that must
decline a device (-ENODEV) rather than fail."""

import os
import re
import struct
import time

import pytest

import hvtest
from hvtest import IDENTITY, MiB, Tables, num, snapshot_cmd, split_list

BRIDGE = os.environ.get("HV_BRIDGE", "0000:00:06.0")
BRIDGED = os.environ.get("HV_BRIDGED_DEV", "0000:01:01.0")
MF0, MF1 = os.environ.get("HV_MULTIFUNCTION_DEVS", "0000:00:07.0 0000:00:07.1").split()
CREATE, DELETE, ATTACH = 0xb1, 0xc5, 0xb2
INVALID_PARAMETER = 0x5
TEST_DOMAIN = 0x7ffffff1


def pci_id(bdf):
    """union hv_device_id (PCI form) of a BDF's own requester id."""
    seg, bus, devfn = bdf.split(":")
    dev, fn = devfn.split(".")
    return 1 << 62 | int(seg, 16) << 16 | int(bus, 16) << 8 | int(dev, 16) << 3 | int(fn, 16)


def sim_call(code, data):
    return hvtest.sim_call(code, data)[0]


def device_domain(dom_id):
    return hvtest.sim_device_domain(dom_id)


def test_topology_is_there():
    parent = os.path.basename(os.path.dirname(os.path.realpath(
        os.path.join(hvtest.PCI, BRIDGED))))
    assert parent == BRIDGE, "%s sits under %s, not the bridge %s" % (BRIDGED, parent, BRIDGE)
    assert hvtest.iommu_group(BRIDGED) == hvtest.iommu_group(BRIDGE)
    assert hvtest.iommu_group(MF0) == hvtest.iommu_group(MF1) is not None


def test_bridged_device_uses_the_bridge_id(tables):
    want = pci_id(BRIDGE)
    for bdf in (BRIDGE, BRIDGED):
        dev = tables.device(bdf)
        assert dev is not None and num(dev["device_id"]) == want, dev
        assert dev["domain"] == str(IDENTITY), dev


def test_sim_refuses_the_own_id_of_a_bridged_device(tables):
    assert sim_call(CREATE, device_domain(TEST_DOMAIN) + struct.pack("<I", 0)) == 0
    try:
        status = sim_call(ATTACH, device_domain(TEST_DOMAIN) + struct.pack("<Q", pci_id(BRIDGED)))
        assert status == INVALID_PARAMETER, "the sim accepted %s's own id: 0x%x" % (BRIDGED, status)
        assert split_list(tables.sim_domain(TEST_DOMAIN)["devices"]) == []
    finally:
        assert sim_call(DELETE, device_domain(TEST_DOMAIN)) == 0


def test_vfio_maps_through_the_aliased_device(tmp_path, attach_mode, tables):
    attach_mode("domain")
    size = 16 * MiB
    with hvtest.VfioBound(BRIDGED):
        hvtest.client(BRIDGED, "--size", size, "--expect", tmp_path / "expect",
                      "--while-mapped", snapshot_cmd(tmp_path / "mapped"))
        snap = Tables.snapshot(tmp_path / "mapped")
        expect = hvtest.read_expect(tmp_path / "expect")
        dom = snap.device_domain(BRIDGED)
        assert dom not in (IDENTITY, hvtest.BLOCKED)
        # The driver: both functions of the group, one id, in the domain.
        assert snap.device_domain(BRIDGE) == dom
        d = snap.domain(dom)
        assert sorted(split_list(d["devices"])) == sorted([BRIDGE, BRIDGED]), d
        assert num(d["mapped_bytes"]) == size
        hvtest.assert_maps_exactly(snap.driver_pages(dom), expect, "driver mappings/%d" % dom)
        # The hypervisor: the attach is under the bridge's id.
        sdev = snap.sim_device(BRIDGE)
        assert sdev is not None and num(sdev["device_id"]) == pci_id(BRIDGE), sdev
        assert num(sdev["domain"]) == dom, sdev
        assert snap.sim_device(BRIDGED) is None, "the sim knows %s by its own id" % BRIDGED
        assert split_list(snap.sim_domain(dom)["devices"]) == [BRIDGE]
        hvtest.assert_maps_exactly(snap.sim_pages(dom), expect, "sim mappings of domain %d" % dom)
    assert tables.device_domain(BRIDGED) == tables.device_domain(BRIDGE) == IDENTITY
    assert num(tables.sim_device(BRIDGE)["domain"]) == IDENTITY
    assert tables.domain(dom) is None and tables.sim_domain(dom) is None


def test_hop_quiesces_every_function_of_the_id(tmp_path, attach_mode, tables):
    """VFIO_SET_IOMMU moves the bridge's group from the null domain to a
    paging domain: a hop through domain 0 under the bridge's id, which the
    bridge and the edu behind it both master with.  With bus mastering on in
    both, the hop must turn it off in both (the core attaches one of them
    first; the other follows in the books), not only in the one attached:
    the sim's audit reads every function of the id and stays at 0, and bus
    mastering is back on in both afterwards."""
    attach_mode("domain")
    attached = tmp_path / "attached"
    audit = "default_domain_bus_master"
    before = tables.sim_audit()[audit]
    on = " && ".join(hvtest.bus_master_cmd(b, True) for b in (BRIDGE, BRIDGED))
    bridge_was = bool(hvtest.pci_command(BRIDGE) & hvtest.PCI_COMMAND_MASTER)
    try:
        with hvtest.VfioBound(BRIDGED):
            hvtest.client(BRIDGED, "--size", 4 * MiB, "--before-set-iommu", on,
                          "--after-set-iommu", snapshot_cmd(attached))
            a = Tables.snapshot(attached)
            assert a.device_domain(BRIDGED) not in (IDENTITY, hvtest.BLOCKED)
            assert a.sim_audit()[audit] == before, \
                "a function of %s's id hopped through domain 0 with bus mastering on: %s" % (
                    BRIDGE, hvtest.knob("audit"))
            assert a.bus_master(BRIDGE) and a.bus_master(BRIDGED), \
                "bus mastering not restored after the hop: %s" % {
                    b: a.bus_master(b) for b in (BRIDGE, BRIDGED)}
    finally:
        hvtest.set_bus_master(BRIDGED, False)
        hvtest.set_bus_master(BRIDGE, bridge_was)
    assert tables.sim_audit()[audit] == before, hvtest.knob("audit")


# --- re-probing devices: remove, rescan ------------------------------------

def remove(bdf):
    assert hvtest.write_file(os.path.join(hvtest.PCI, bdf, "remove"), "1") == 0


def rescan(*bdfs):
    assert hvtest.write_file("/sys/bus/pci/rescan", "1") == 0
    deadline = time.monotonic() + 10
    while not all(os.path.exists(os.path.join(hvtest.PCI, b)) for b in bdfs):
        assert time.monotonic() < deadline, "%s did not come back" % (bdfs,)
        time.sleep(0.05)


def skipped_reason(tables, bdf):
    rows = [r for r in tables.skipped() if r["bdf"] == bdf]
    return rows[0]["reason"] if rows else None


@pytest.fixture
def skip_list():
    old = hvtest.param("pci_devs_to_skip")
    yield
    hvtest.set_param("pci_devs_to_skip", old or "\n")
    for bdf in (MF1, MF0):
        if os.path.exists(os.path.join(hvtest.PCI, bdf)):
            remove(bdf)
    rescan(MF0, MF1)


def test_skipping_one_function_skips_its_group(skip_list, tables):
    """(MF1) on the skip list: its slot sibling MF0, which has no ACS and
    would share its group, is declined too, so VFIO can never call a group
    holding only MF0 viable."""
    assert hvtest.set_param("pci_devs_to_skip", "(%s)" % MF1) == 0
    mark = hvtest.kmsg_mark()
    remove(MF1)
    remove(MF0)
    rescan(MF0, MF1)
    assert hvtest.iommu_group(MF1) is None
    assert hvtest.iommu_group(MF0) is None, \
        "%s is in group %s while its sibling %s is skipped" % (MF0, hvtest.iommu_group(MF0), MF1)
    assert tables.device(MF0) is None and tables.device(MF1) is None
    assert skipped_reason(tables, MF1) == "pci_devs_to_skip"
    assert skipped_reason(tables, MF0) == "group_member_listed"
    log = hvtest.dmesg_since(mark)
    assert re.search(r"%s: not claimed: shares its IOMMU group" % re.escape(MF0), log), log
    orig = hvtest.driver_of(MF0)
    try:
        assert hvtest.bind(MF0, "vfio-pci") != "vfio-pci", "vfio-pci took %s" % MF0
    finally:
        hvtest.unbind_restore(MF0, orig)
    # Off the list again: both are claimed again, in one group, in domain 0.
    assert hvtest.set_param("pci_devs_to_skip", "\n") == 0
    remove(MF1)
    remove(MF0)
    rescan(MF0, MF1)
    assert hvtest.iommu_group(MF0) == hvtest.iommu_group(MF1) is not None
    assert skipped_reason(tables, MF0) is None and skipped_reason(tables, MF1) is None
    assert tables.device_domain(MF0) == tables.device_domain(MF1) == IDENTITY


def test_function_above_0_rescanned_alone_is_declined(skip_list, tables):
    """(MF0) listed, then only MF1 removed and rescanned: MF1 is probed
    before the PCI core marks it multi-function, and must still be seen as
    MF0's slot sibling and declined."""
    assert hvtest.set_param("pci_devs_to_skip", "(%s)" % MF0) == 0
    remove(MF1)
    rescan(MF1)
    assert hvtest.iommu_group(MF1) is None, "%s was claimed next to listed %s" % (MF1, MF0)
    assert skipped_reason(tables, MF1) == "group_member_listed", tables.skipped()


def test_skipping_the_bridge_skips_what_is_behind_it(skip_list, tables):
    assert hvtest.set_param("pci_devs_to_skip", "(%s)" % BRIDGE) == 0
    remove(BRIDGE)      # takes the bridged device with it
    rescan(BRIDGE, BRIDGED)
    try:
        assert hvtest.iommu_group(BRIDGE) is None and hvtest.iommu_group(BRIDGED) is None
        assert skipped_reason(tables, BRIDGE) == "pci_devs_to_skip"
        assert skipped_reason(tables, BRIDGED) == "group_member_listed"
    finally:
        hvtest.set_param("pci_devs_to_skip", "\n")
        remove(BRIDGE)
        rescan(BRIDGE, BRIDGED)
    assert hvtest.iommu_group(BRIDGED) == hvtest.iommu_group(BRIDGE) is not None


@pytest.mark.parametrize("kind,reason,msg", [
    ("segment", "segment", r"PCI segment 0x10000 does not fit"),
    ("collide", "id_collision", r"hypervisor device id 0x[0-9a-f]+ is already"),
])
def test_probe_declines_what_the_hypervisor_cannot_name(tables, kind, reason, msg):
    bdf = hvtest.EDU1
    fault = os.path.join(hvtest.DBG_IOMMU, "probe_fault")
    assert hvtest.write_file(fault, "%s %s" % (kind, bdf)) == 0
    mark = hvtest.kmsg_mark()
    try:
        remove(bdf)
        rescan(bdf)
        assert hvtest.iommu_group(bdf) is None, "%s was claimed" % bdf
        assert tables.device(bdf) is None
        assert skipped_reason(tables, bdf) == reason, tables.skipped()
        log = hvtest.dmesg_since(mark)
        assert re.search(msg, log), log
        # Everything else is untouched.
        assert tables.device_domain(hvtest.EDU0) == IDENTITY
    finally:
        assert hvtest.write_file(fault, "clear") == 0
        remove(bdf)
        rescan(bdf)
    assert hvtest.iommu_group(bdf) is not None and tables.device_domain(bdf) == IDENTITY
    assert skipped_reason(tables, bdf) is None


@pytest.mark.parametrize("order", [(MF1, MF0), (MF0,)], ids=["both", "function-0"])
def test_rescanned_functions_keep_one_group(skip_list, order):
    """Functions of one slot without ACS share a group however they come
    back (the core alone splits them when both are removed and rescanned)."""
    for bdf in order:
        remove(bdf)
    rescan(MF0, MF1)
    assert hvtest.iommu_group(MF0) == hvtest.iommu_group(MF1) is not None, \
        "%s in group %s, %s in group %s" % (MF0, hvtest.iommu_group(MF0),
                                            MF1, hvtest.iommu_group(MF1))


def test_probe_fault_knob_refuses_malformed_writes():
    fault = os.path.join(hvtest.DBG_IOMMU, "probe_fault")
    for bad in ("segment", "bogus 0000:00:04.0", "clear 0000:00:04.0", "collide " + "x" * 20):
        mark = hvtest.kmsg_mark()
        assert hvtest.write_file(fault, bad) == 22, bad
        assert "probe_fault" in hvtest.dmesg_since(mark)
        assert hvtest.read_text(fault) == ""
