"""Loading hv_iommu: with no usable backend it fails and says why, bad
load-time parameters are refused whole, and only then does a good load work.
Run only in a boot without the modules loaded (tests/vm/suite no-backend)."""

import os
import subprocess

import pytest

import hvtest

pytestmark = pytest.mark.no_backend

KO = os.path.join(os.environ.get("HV_REPO", "/"), "kernel", "build",
                  os.uname().release)


def insmod(mod, *params):
    """insmod kernel/build/<release>/MOD.ko PARAMS; (exit status, new log lines)."""
    mark = hvtest.kmsg_mark()
    r = subprocess.run(["insmod", os.path.join(KO, mod + ".ko"), *params],
                       capture_output=True, text=True)
    return r.returncode, hvtest.dmesg_since(mark).splitlines()


def loaded(mod):
    return os.path.isdir("/sys/module/" + mod)


def hvctl_fails_not_loaded():
    r = subprocess.run(["hvctl", "list-domains"], capture_output=True, text=True)
    assert r.returncode == 1 and r.stdout == "", r
    assert r.stderr == "hvctl: hv_iommu is not loaded\n", r.stderr


def test_without_hv_sim_load_fails_and_says_why():
    assert not loaded("hv_sim") and not loaded("hv_iommu"), \
        "this boot must start without the modules (tests/vm/run --no-modules)"
    rc, log = insmod("hv_iommu")
    assert rc != 0 and not loaded("hv_iommu")
    assert any("no hypervisor backend:" in l and "hv_sim is not loaded" in l
               for l in log), log
    hvctl_fails_not_loaded()


def test_backend_hyperv_off_hyperv_fails_and_says_why():
    rc, _ = insmod("hv_sim")
    assert rc == 0 and loaded("hv_sim")
    rc, log = insmod("hv_iommu", "backend=hyperv")
    assert rc != 0 and not loaded("hv_iommu")
    assert any("no hypervisor backend:" in l for l in log), log


@pytest.mark.parametrize("param, what", [
    ("backend=xen", "backend"),
    ("attach_mode=sometimes", "attach_mode"),
    ("pci_devs_to_skip=(0000:00:zz.0)", "pci_devs_to_skip"),
    ("pci_devs_to_skip=(0000:00:05.0", "pci_devs_to_skip"),
])
def test_bad_load_parameter_is_refused(param, what):
    rc, log = insmod("hv_iommu", param)
    assert rc != 0 and not loaded("hv_iommu")
    assert any(what in l for l in log), log


def test_good_load_after_refusals():
    rc, log = insmod("hv_iommu", "pci_devs_to_skip=(0000:00:04.0)")
    assert rc == 0 and loaded("hv_iommu"), log
    t = hvtest.LIVE
    assert t.device_domain(hvtest.EDU0) == hvtest.IDENTITY
    # (devices bound before the load are skipped too: test_probe_bound.py)
    assert [r["bdf"] for r in t.skipped() if r["reason"] == "pci_devs_to_skip"] == [hvtest.EDU1]
    with open("/sys/class/iommu/hv_iommu/backend") as f:
        assert f.read().strip() == "sim"
