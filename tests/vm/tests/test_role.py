"""Root vs L1VH: the role is detected at load (the backend's role(); the
sim's role parameter), shown in sysfs and by hvctl status, and decides what
the driver may do.  The l1vh tests run only in a boot with
--param hv_sim.role=l1vh (tests/vm/suite l1vh)."""

import re

import pytest

import hvtest
from hvtest import EDU0, IDENTITY, MiB, Tables, num, snapshot_cmd, split_list

ROLE = "/sys/class/iommu/hv_iommu/role"
SIM_ROLE = "/sys/module/hv_sim/parameters/role"


def status_role():
    doc = hvtest.hvctl_json("status")
    recs = list(hvtest.find_records(doc, "role"))
    assert len(recs) == 1, doc
    return recs[0]["role"]


def test_root_role_is_shown():
    assert hvtest.read_text(SIM_ROLE).strip() == "root"
    assert hvtest.read_text(ROLE).strip() == "root"
    assert status_role() == "root"
    p = hvtest.hvctl("status")
    assert p.returncode == 0 and re.search(r"\brole\b.*\broot\b", p.stdout), p.stdout


@pytest.mark.l1vh
def test_l1vh_role_is_shown():
    assert hvtest.read_text(SIM_ROLE).strip() == "l1vh"
    assert hvtest.read_text(ROLE).strip() == "l1vh"
    assert status_role() == "l1vh"


@pytest.mark.l1vh
def test_l1vh_refuses_a_paging_domain_for_a_host_device(attach_mode, tables):
    """attach_mode=domain (no guest partition): the paging domain would be a
    device domain, which an L1VH does not have: VFIO_SET_IOMMU fails with a
    log line naming the role, and the hypervisor saw no device-domain call."""
    attach_mode("domain")
    sim_domains = tables.sim_domains()
    mark = hvtest.kmsg_mark()
    with hvtest.VfioBound(EDU0):
        p = hvtest.client(EDU0, "--size", MiB, check=False)
        assert p.returncode == 1 and "VFIO_SET_IOMMU" in p.stderr, (p.stdout, p.stderr)
        log = hvtest.dmesg_since(mark)
        assert re.search(r"%s: domain \d+: the l1vh role offers no device domains" % re.escape(EDU0),
                         log), log
        assert tables.sim_domains() == sim_domains, "a device domain appeared in the sim"
    assert tables.device_domain(EDU0) == IDENTITY
    assert [d for d in tables.domains() if d["type"] == "paging"] == []


@pytest.mark.l1vh
def test_l1vh_direct_attach_works(tmp_path, attach_mode, tables):
    attach_mode("auto")
    with hvtest.VfioBound(EDU0):
        hvtest.client(EDU0, "--partition", "--size", 16 * MiB, "--expect", tmp_path / "expect",
                      "--while-mapped", snapshot_cmd(tmp_path / "mapped"))
        snap = Tables.snapshot(tmp_path / "mapped")
        pid = int(snap.env("HV_PARTITION_ID"))
        sdev = snap.sim_device(EDU0)
        assert num(sdev.get("partition", "-1")) == pid, sdev
        dom = snap.device_domain(EDU0)
        d = snap.domain(dom)
        assert (d["mode"], d["partition"]) == ("direct", str(pid)), d
        assert split_list(d["devices"]) == [EDU0]
        # No device domain of the host's exists in the hypervisor.
        assert {num(r["id"]) for r in snap.sim_domains()} <= {IDENTITY, hvtest.BLOCKED}
    assert tables.device_domain(EDU0) == IDENTITY
    assert "partition" not in tables.sim_device(EDU0)


@pytest.mark.l1vh
def test_l1vh_sim_refuses_device_domain_calls():
    """The sim as an L1VH's hypervisor: creating a device domain is ACCESS_DENIED."""
    data = hvtest.sim_device_domain(0x7ffffff2) + bytes(4)
    assert hvtest.sim_call(0xb1, data) == (0x6, 0)
