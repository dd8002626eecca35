"""The skip list at boot: run only in a boot with
hv_iommu.pci_devs_to_skip=(0000:00:05.0) (tests/vm/suite boot-skip)."""

import pytest

import hvtest
from hvtest import EDU0, NIC

pytestmark = pytest.mark.boot_skip


def test_parameter_has_the_device():
    assert "(%s)" % NIC in hvtest.param("pci_devs_to_skip"), \
        "this boot was not started with hv_iommu.pci_devs_to_skip=(%s)" % NIC


def test_skipped_device_has_no_iommu_group(tables):
    assert hvtest.iommu_group(NIC) is None
    assert tables.device(NIC) is None, "hv_iommu probed the skipped device"
    rows = [r for r in tables.skipped() if r["bdf"] == NIC]
    assert len(rows) == 1 and rows[0]["reason"] == "pci_devs_to_skip", tables.skipped()
    # The others are untouched.
    assert hvtest.iommu_group(EDU0) is not None
    assert tables.device_domain(EDU0) == hvtest.IDENTITY


def test_vfio_pci_cannot_take_it():
    orig = hvtest.driver_of(NIC)
    try:
        got = hvtest.bind(NIC, "vfio-pci")
        assert got != "vfio-pci", "vfio-pci took %s, which has no IOMMU group" % NIC
    finally:
        hvtest.unbind_restore(NIC, orig)
    assert hvtest.driver_of(NIC) == orig


def test_hvctl_skip_list_shows_it():
    doc = hvtest.hvctl_json("skip", "list")
    recs = [r for r in hvtest.find_records(doc, "bdf") if r["bdf"] == NIC]
    assert recs, "hvctl skip list --json does not list %s: %r" % (NIC, doc)
    assert len(recs) == 1, recs
    assert recs[0].get("skipped") is True, recs[0]
    assert recs[0].get("reason") == "pci_devs_to_skip", recs[0]
