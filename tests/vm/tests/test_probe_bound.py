"""A device that already has a driver when hv_iommu registers is left alone:
not claimed, listed in debugfs "skipped" with reason=bound_before_load, a log
line naming its driver, and no "late IOMMU probe at driver bind" warning from
the core (6.15+).  Loading from the initramfs, as the runner and the package's
hooks do, leaves only devices of built-in drivers bound that early; removing
and rescanning a device gets it claimed before its driver binds again."""

import os
import subprocess

import pytest

import hvtest

BOUND = "bound_before_load"


def pci_devices():
    return sorted(os.listdir(hvtest.PCI))


def builtin_driver(drv):
    """True if the PCI driver is built into the kernel: its /sys/module entry
    (present for built-in drivers too) has no initstate."""
    return not os.path.exists("/sys/bus/pci/drivers/%s/module/initstate" % drv)


def check_skipped_bound(t, log):
    """Every device skipped as bound: no group, no device record, a log line."""
    rows = [r for r in t.skipped() if r["reason"] == BOUND]
    for r in rows:
        bdf = r["bdf"]
        assert hvtest.iommu_group(bdf) is None, "%s skipped but has a group" % bdf
        assert t.device(bdf) is None, "%s skipped but in hv_iommu devices" % bdf
        drv = hvtest.driver_of(bdf)
        assert ("%s: not claimed: bound to %s before hv_iommu loaded" % (bdf, drv)) in log, \
            "no log line for %s" % bdf
    assert "late IOMMU probe" not in log
    return {r["bdf"] for r in rows}


def test_loaded_from_initramfs_only_builtin_drivers_were_bound():
    """Main boot: the initramfs loaded hv_iommu before any modular driver."""
    t = hvtest.LIVE
    log = subprocess.run(["dmesg"], capture_output=True, text=True, check=True).stdout
    bound = check_skipped_bound(t, log)
    for bdf in pci_devices():
        drv = hvtest.driver_of(bdf)
        if bdf in bound:
            assert builtin_driver(drv), \
                "%s (%s, a module) was bound before hv_iommu loaded" % (bdf, drv)
        elif drv and not builtin_driver(drv) and drv != "pcieport":
            assert t.device(bdf) is not None, \
                "%s (%s) is neither claimed nor skipped" % (bdf, drv)
    for bdf in hvtest.PASSTHROUGH:
        assert bdf not in bound and t.device(bdf) is not None, bdf


@pytest.mark.no_backend
def test_bound_devices_left_alone_then_claimed_after_rescan():
    """No-backend boot: hv_iommu was loaded (test_no_backend) with the
    virtio-9p devices bound; a removed and rescanned device is claimed."""
    t = hvtest.LIVE
    assert os.path.isdir(hvtest.DBG_IOMMU), "test_no_backend must load hv_iommu first"
    log = subprocess.run(["dmesg"], capture_output=True, text=True, check=True).stdout
    bound = check_skipped_bound(t, log)
    virtio = {b for b in pci_devices() if hvtest.driver_of(b) == "virtio-pci"}
    assert virtio and virtio <= bound, (virtio, bound)

    # The remedy the log line names, on the NIC with its own driver bound.
    nic = hvtest.NIC
    subprocess.run(["modprobe", "e1000e"], check=True)
    assert hvtest.driver_of(nic) == "e1000e"
    mark = hvtest.kmsg_mark()
    hvtest.write_file(os.path.join(hvtest.PCI, nic, "remove"), "1")
    assert not os.path.exists(os.path.join(hvtest.PCI, nic))
    hvtest.write_file("/sys/bus/pci/rescan", "1")
    assert hvtest.driver_of(nic) == "e1000e", "e1000e did not bind again"
    assert hvtest.iommu_group(nic) is not None
    assert t.device_domain(nic) == hvtest.IDENTITY
    assert nic not in {r["bdf"] for r in t.skipped()}
    assert "late IOMMU probe" not in hvtest.dmesg_since(mark)
