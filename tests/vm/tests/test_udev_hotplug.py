"""udev-driven skipping with the host's systemd-udevd and real PCIe hot-plug:
run in the boot-skip boot, which tools/test starts with tests/vm/run
--hotplug --udev --etc tests/vm/etc-boot-skip (tests/vm/suite boot-skip).

tests/vm/etc-boot-skip/hv-iommu/skip.d/ holds a persistent entry for EDU1,
written before boot; nothing on the kernel command line or in the module's
parameters names it.  The runner's root port hp0 (00:08.0) has a free slot
where the tests plug an edu through QMP (tests/vm/tests/qmp.py)."""

import os
import subprocess
import time

import pytest

import hvtest
import qmp
from hvtest import EDU1

pytestmark = pytest.mark.boot_skip

CLASS = "/sys/class/iommu/hv_iommu"
CONF = "/etc/hv-iommu/skip.d"
PORT = "0000:00:08.0"
EDU_ID = "1234:11e8"


def settle():
    subprocess.run(["udevadm", "settle", "--timeout=120"], check=True)


def live():
    return dict(l.split() for l in hvtest.read_text(os.path.join(CLASS, "skip")).splitlines())


def skipped_reason(tables, bdf):
    rows = [r for r in tables.skipped() if r["bdf"] == bdf]
    return rows[0]["reason"] if rows else None


@pytest.fixture(scope="module")
def monitor():
    q = qmp.Qmp()
    yield q
    q.close()


@pytest.fixture(scope="module")
def slot():
    """The address a device plugged into hp0 gets: bus = its secondary bus."""
    bus = int(hvtest.read_text(os.path.join(hvtest.PCI, PORT, "secondary_bus_number")))
    return "0000:%02x:00.0" % bus


class Plugged:
    """An edu plugged into hp0 for the block; unplugged (and gone) afterwards."""

    def __init__(self, q, bdf, dev_id="hpedu"):
        self.q, self.bdf, self.id = q, bdf, dev_id

    def __enter__(self):
        self.q.cmd("device_add", driver="edu", id=self.id, bus="hp0")
        deadline = time.monotonic() + 60
        while not os.path.exists(os.path.join(hvtest.PCI, self.bdf)):
            assert time.monotonic() < deadline, "%s did not appear" % self.bdf
            time.sleep(0.1)
        settle()
        return self

    def __exit__(self, *exc):
        self.q.cmd("device_del", id=self.id)
        self.q.wait_event("DEVICE_DELETED", device=self.id)
        deadline = time.monotonic() + 60
        while os.path.exists(os.path.join(hvtest.PCI, self.bdf)):
            assert time.monotonic() < deadline, "%s did not go" % self.bdf
            time.sleep(0.1)
        settle()
        return False


def assert_skipped(tables, bdf, reason):
    assert hvtest.iommu_group(bdf) is None, "%s has IOMMU group %s" % (bdf, hvtest.iommu_group(bdf))
    assert tables.device(bdf) is None, "hv_iommu has a record of %s" % bdf
    assert skipped_reason(tables, bdf) == reason, tables.skipped()
    try:
        assert hvtest.bind(bdf, "vfio-pci") != "vfio-pci", "vfio-pci took %s" % bdf
    finally:
        hvtest.unbind_restore(bdf, None)


def assert_claimed(tables, bdf):
    assert hvtest.iommu_group(bdf) is not None, "%s has no IOMMU group" % bdf
    assert tables.device_domain(bdf) == hvtest.IDENTITY
    assert skipped_reason(tables, bdf) is None, tables.skipped()


@pytest.fixture
def persistent():
    """hvctl skip add --persistent ARGS for the test, removed afterwards."""
    added = []

    def add(*args):
        p = hvtest.hvctl("skip", "add", "--persistent", *args)
        assert p.returncode == 0, p.stderr
        added.append(args)
        settle()

    yield add
    for args in reversed(added):
        p = hvtest.hvctl("skip", "remove", "--persistent", *args)
        assert p.returncode == 0, p.stderr
    settle()


def test_entry_written_before_boot_is_in_force(tables):
    assert os.path.exists(os.path.join(CONF, "boot-edu1")), "this boot has no --etc entry"
    assert EDU1 not in hvtest.param("pci_devs_to_skip")
    assert EDU1 not in hvtest.read_text("/proc/cmdline")
    assert live().get(EDU1) == "persistent", live()
    assert_skipped(tables, EDU1, "persistent_rule")


def test_hotplug_without_a_rule_gets_a_group(monitor, slot, tables):
    for _ in range(2):
        with Plugged(monitor, slot):
            assert_claimed(tables, slot)
        assert tables.device(slot) is None


@pytest.mark.parametrize("how", ["bdf", "vendor_device", "udev_property"])
def test_hotplug_with_a_persistent_rule_has_no_group(monitor, slot, tables, persistent, how):
    """By address: the driver has the entry and declines the device at probe.
    By vendor/device: the same (every edu present is re-probed and skipped
    too).  By a udev property only udev knows (ID_PATH): claimed at probe,
    then the rule's hvctl skip udev-apply re-probes it without a group."""
    if how == "bdf":
        persistent(slot)
        reason = "persistent_rule"
    elif how == "vendor_device":
        persistent("--match", "PCI_ID=" + EDU_ID.upper())
        reason = "persistent_rule"
        assert_skipped(tables, hvtest.EDU0, "persistent_rule")
    else:
        # path_id names a PCI device by its own address (ID_PATH=pci-BDF).
        persistent("--match", "ID_PATH=pci-%s" % slot)
        reason = "udev_rule"
    for _ in range(2):
        with Plugged(monitor, slot):
            assert_skipped(tables, slot, reason)
            if how == "udev_property":
                assert live().get(slot) == "rule", live()
        # A rule entry goes with its device; the others stay.
        assert (slot in live()) == (how == "bdf"), live()
    if how == "vendor_device":
        # The skip list shows the entry with its file, in force.
        doc = hvtest.hvctl_json("skip", "list", "-O")
        rows = [r for r in hvtest.find_records(doc, "match") if r["match"] == EDU_ID]
        assert rows and rows[0]["in_force"] is True and rows[0]["source"].startswith(CONF), rows


def test_removing_the_rule_gives_the_group_back(monitor, slot, tables):
    p = hvtest.hvctl("skip", "add", "--persistent", slot)
    assert p.returncode == 0, p.stderr
    with Plugged(monitor, slot):
        assert_skipped(tables, slot, "persistent_rule")
        p = hvtest.hvctl("skip", "remove", "--persistent", slot)
        assert p.returncode == 0, p.stderr
        settle()
        assert_claimed(tables, slot)


def test_operator_rule_setting_the_property(monitor, slot, tables):
    """A rule of the operator's (ENV{HV_IOMMU_SKIP}="1", numbered below 70)."""
    rule = "/etc/udev/rules.d/60-hvtest-skip.rules"
    os.makedirs(os.path.dirname(rule), exist_ok=True)
    with open(rule, "w") as f:
        f.write('SUBSYSTEM=="pci", KERNEL=="%s", ENV{HV_IOMMU_SKIP}="1"\n' % slot)
    subprocess.run(["udevadm", "control", "--reload"], check=True)
    try:
        with Plugged(monitor, slot):
            assert_skipped(tables, slot, "udev_rule")
    finally:
        os.unlink(rule)
        subprocess.run(["udevadm", "control", "--reload"], check=True)
    with Plugged(monitor, slot):
        assert_claimed(tables, slot)
