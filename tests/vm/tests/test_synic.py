"""SynIC ownership shared with VMBus (seed 002) and intercept delivery, in
the role the sim was loaded with (hv_sim.role=root, or l1vh where the sim's
VMBus model owns its part): hvctl synic against the policy table, CPU
offline/online, unload while VMBus stays, the audit, message delivery with
the msg_pending/EOM protocol, and the knobs' bad input."""

import errno
import os

import pytest

import hvtest
import synic


@pytest.fixture(autouse=True)
def synic_restored():
    """Each test starts and ends with VMBus up (L1VH) and hv_vmm loaded."""
    synic.restore()
    yield
    synic.restore()


def check_policy(rows, cpus, role):
    policy = synic.POLICY[role]
    for cpu in cpus:
        for res in synic.RESOURCES:
            r = rows.get((cpu, res))
            assert r is not None, "no row for cpu %d %s in %r" % (cpu, res, rows)
            assert r["owner"] == policy[res], "cpu %d %s: %r" % (cpu, res, r)
            assert r["online"] == 1, r
            want = 0 if policy[res] == "none" else 1
            assert r["enabled"] == want, "cpu %d %s: %r" % (cpu, res, r)
            if res in synic.SINTS:
                assert r["masked"] == 1 - want, r
                if want:
                    assert hvtest.num(r["vector"]) == synic.VECTOR, r
            else:
                assert r["masked"] is None and r["vector"] is None, r
            if res in synic.PAGES:
                assert r["page"] is not None and hvtest.num(r["page"]) != 0, r


def check_writers(msrs, cpus, role):
    """The sim's records: each MSR written only by its owner."""
    policy = synic.POLICY[role]
    for cpu in cpus:
        for res in synic.RESOURCES:
            m = msrs[(cpu, res)]
            if policy[res] == "vmm":
                assert m["writes_vmbus"] == 0 and m["writes_driver"] >= 1, (cpu, m)
                assert m["writer"] == "driver", (cpu, m)
            elif policy[res] == "vmbus":
                assert m["writes_driver"] == 0 and m["writes_vmbus"] >= 1, (cpu, m)
                assert m["writer"] == "vmbus", (cpu, m)
            else:
                assert m["writes_driver"] == 0 and m["writes_vmbus"] == 0, (cpu, m)


def test_synic_matches_policy_after_load():
    role = synic.role()
    cpus = synic.online_cpus()
    doc = hvtest.hvctl_json("synic")
    rows = {(r["cpu"], r["resource"]): r for r in doc["synic"]}
    assert len(doc["synic"]) == len(rows) == len(cpus) * len(synic.RESOURCES), doc
    check_policy(rows, cpus, role)
    msrs = synic.sim_msrs()
    check_writers(msrs, cpus, role)
    # The driver's view is the hypervisor's.
    for (cpu, res), r in rows.items():
        if res in synic.PAGES:
            assert hvtest.num(r["page"]) == msrs[(cpu, res)]["value"] & ~0xFFF, (r, msrs[(cpu, res)])
    synic.assert_audit_clean()


def test_hvctl_synic_table_and_columns():
    p = hvtest.hvctl("synic", "-o", "cpu,resource,owner", "-n", "-r")
    assert p.returncode == 0, p.stderr
    lines = [l.split() for l in p.stdout.splitlines()]
    policy = synic.POLICY[synic.role()]
    assert lines and all(len(l) == 3 and policy[l[1]] == l[2] for l in lines), p.stdout
    for args in (["synic", "extra"], ["synic", "-o", "nosuch"]):
        p = hvtest.hvctl(*args)
        assert p.returncode == 2 and p.stderr.count("\n") == 1 and "hvctl:" in p.stderr, \
            (args, p.returncode, p.stderr)


def test_cpu_offline_online_tears_down_and_restores_driver_resources():
    role = synic.role()
    policy = synic.POLICY[role]
    online = "/sys/devices/system/cpu/cpu1/online"
    before = synic.sim_msrs()
    before_rows = synic.vmm_rows()
    assert hvtest.write_file(online, "0") == 0
    try:
        down = synic.sim_msrs()
        rows = synic.vmm_rows()
        assert all(rows[(1, res)]["online"] == 0 for res in synic.RESOURCES), rows
        for res in synic.RESOURCES:
            b, d = before[(1, res)], down[(1, res)]
            if policy[res] == "vmm":
                assert d["writes_driver"] > b["writes_driver"], (res, b, d)
                assert not synic.live(res, d), (res, d)
            else:
                # Not the driver's: it never touched it (VMBus tears its own down).
                assert d["writes_driver"] == b["writes_driver"], (res, b, d)
        # Other CPUs keep everything.
        for (cpu, res), b in before.items():
            if cpu != 1:
                assert down[(cpu, res)]["value"] == b["value"], (cpu, res)
    finally:
        assert hvtest.write_file(online, "1") == 0
    after = synic.sim_msrs()
    after_rows = synic.vmm_rows()
    for res in synic.RESOURCES:
        b, a = before_rows[(1, res)], after_rows[(1, res)]
        for k in ("owner", "online", "enabled", "masked", "vector"):
            assert a[k] == b[k], (res, k, b, a)
        if policy[res] == "vmm":
            assert after[(1, res)]["writes_driver"] > down[(1, res)]["writes_driver"]
        else:
            assert after[(1, res)]["writes_driver"] == before[(1, res)]["writes_driver"]
    check_policy(after_rows, synic.online_cpus(), role)
    # Intercepts reach the CPU again.
    d0 = after_rows[(1, "SINT0")]["delivered"]
    assert synic.post(1) == 0
    synic.wait_for(lambda: synic.delivered(1) == d0 + 1,
                   "a message on cpu1 after it came back")
    synic.assert_audit_clean()


@pytest.mark.parametrize("count", [1, 5, 17])
def test_messages_delivered_equal_intercepts_raised(count):
    """The sim raises COUNT intercepts at once on each CPU: the first fills
    SINT0's slot, the others wait with msg_pending; the driver takes each,
    writing EOM exactly when one was pending (count - 1 times)."""
    for cpu in synic.online_cpus():
        before = synic.sim_msrs()
        d0 = synic.delivered(cpu)
        assert synic.post(cpu, count, type="0x80000000", vp=1) == 0
        synic.wait_for(lambda: synic.delivered(cpu) == d0 + count,
                       "%d messages on cpu%d" % (count, cpu))
        after = synic.sim_msrs()
        s0b, s0a = before[(cpu, "SINT0")], after[(cpu, "SINT0")]
        assert s0a["delivered"] - s0b["delivered"] == count, (s0b, s0a)
        assert s0a["dropped"] == s0b["dropped"] and s0a["queued"] == 0, s0a
        eom = after[(cpu, "EOM")]["writes_driver"] - before[(cpu, "EOM")]["writes_driver"]
        assert eom == count - 1, "cpu%d: %d EOMs for %d messages" % (cpu, eom, count)
    synic.assert_audit_clean()


def test_vmbus_messages_stay_with_vmbus():
    """A message on SINT2 goes to VMBus (the sim's model), not to hv_vmm."""
    if synic.role() != "l1vh":
        # Root: SINT2 is masked, the hypervisor refuses to deliver.
        before = synic.sim_msrs()[(0, "SINT2")]
        assert synic.post(0, sint=2) == errno.ENXIO
        assert synic.sim_msrs()[(0, "SINT2")]["dropped"] == before["dropped"] + 1
        return
    d0, c0 = synic.delivered(0), synic.vmbus_consumed(0)
    assert synic.post(0, sint=2) == 0
    synic.wait_for(lambda: synic.vmbus_consumed(0) == c0 + 1,
                   "VMBus to take the SINT2 message")
    assert synic.delivered(0) == d0


def test_unload_with_vmbus_up_leaves_vmbus_resources():
    role = synic.role()
    policy = synic.POLICY[role]
    cpus = synic.online_cpus()
    before = synic.sim_msrs()
    synic.vmm_unload()
    after = synic.sim_msrs()
    assert not os.path.exists(synic.DBG_VMM)
    for cpu in cpus:
        for res in synic.RESOURCES:
            b, a = before[(cpu, res)], after[(cpu, res)]
            if policy[res] == "vmm":
                assert not synic.live(res, a), (cpu, res, a)
            elif policy[res] == "vmbus":
                assert a["value"] == b["value"] and synic.live(res, a), (cpu, res, b, a)
                assert a["writes_driver"] == 0, (cpu, res, a)
    synic.assert_audit_clean("after unload")
    if role == "l1vh":
        # VMBus's own teardown, later: no access while SCONTROL is off.
        assert synic.vmbus("stop") == 0
        gone = synic.sim_msrs()
        for cpu in cpus:
            assert not synic.enabled(gone[(cpu, "SCONTROL")])
            assert not synic.enabled(gone[(cpu, "SIMP")])
            assert synic.masked(gone[(cpu, "SINT2")])
        synic.assert_audit_clean("after VMBus's teardown")
    synic.restore()
    check_policy(synic.vmm_rows(), cpus, role)
    synic.assert_audit_clean("after reload")


def test_load_refused_while_vmbus_has_not_enabled_synic():
    if synic.role() != "l1vh":
        pytest.skip("L1VH only: a root partition runs no VMBus")
    synic.vmm_unload()
    assert synic.vmbus("stop") == 0
    before = synic.sim_msrs()
    mark = hvtest.kmsg_mark()
    p = synic.vmm_load(check=False)
    assert p.returncode != 0 and not synic.vmm_loaded()
    log = hvtest.dmesg_since(mark)
    assert "SCONTROL is disabled" in log and "VMBus" in log, log
    assert synic.sim_msrs() == before
    synic.assert_audit_clean()


def test_vmbus_gone_first_leaves_driver_off_the_synic():
    """VMBus tearing down before the VMM driver (the wrong order): the
    driver's unload then touches nothing rather than break the rule."""
    if synic.role() != "l1vh":
        pytest.skip("L1VH only: a root partition runs no VMBus")
    assert synic.vmbus("stop") == 0
    before = synic.sim_msrs()
    mark = hvtest.kmsg_mark()
    synic.vmm_unload()
    assert "VMBus disabled the SynIC before this driver let go" in hvtest.dmesg_since(mark)
    after = synic.sim_msrs()
    assert all(after[k]["writes_driver"] == before[k]["writes_driver"] for k in after)
    synic.assert_audit_clean()


def test_audit_counts_access_while_scontrol_off():
    """The rule the suites assert on: any SynIC MSR but SCONTROL accessed
    while SCONTROL is off counts (here on purpose, as writer "test")."""
    synic.assert_audit_clean("before")
    synic.vmm_unload()
    if synic.role() == "l1vh":
        assert synic.vmbus("stop") == 0
    msr = os.path.join(hvtest.DBG_SIM, "synic_msr")
    try:
        assert hvtest.write_file(msr, "cpu=0 msr=0x40000080") == 0
        assert synic.audit()["violations"] == 0
        mark = hvtest.kmsg_mark()
        assert hvtest.write_file(msr, "cpu=0 msr=0x40000083") == 0
        assert hvtest.write_file(msr, "cpu=0 msr=0x40000090 value=0x10000") == 0
        a = synic.audit()
        assert a["violations"] == 2 and a["violations_test"] == 2, a
        log = hvtest.dmesg_since(mark)
        assert "test read SIMP while SCONTROL is disabled" in log, log
        assert "test wrote SINT0 while SCONTROL is disabled" in log, log
    finally:
        hvtest.set_knob("synic_audit", "0")
    synic.assert_audit_clean("after reset")


@pytest.mark.parametrize("name, bad", [
    ("synic_post", "sint=0"),
    ("synic_post", "cpu=0 sint=16"),
    ("synic_post", "cpu=0 count=0"),
    ("synic_post", "cpu=0 count=18"),
    ("synic_post", "cpu=0 type=0"),
    ("synic_post", "cpu=0 bogus=1"),
    ("synic_post", "cpu=x"),
    ("synic_post", "cpu=4096"),
    ("synic_msr", "cpu=0 msr=0x1"),
    ("synic_msr", "cpu=0"),
    ("synic_msr", "cpu=4096 msr=0x40000080"),
    ("synic_audit", "1"),
    ("vmbus", "restart"),
])
def test_synic_knobs_refuse_malformed_writes(name, bad):
    before = (synic.sim_msrs(), synic.audit(), hvtest.knob("vmbus"))
    mark = hvtest.kmsg_mark()
    err = hvtest.write_file(os.path.join(hvtest.DBG_SIM, name), bad)
    assert err == errno.EINVAL, "%s <- %r: %s" % (name, bad, os.strerror(err) if err else "ok")
    log = hvtest.dmesg_since(mark)
    assert "hv_sim" in log and name in log, (name, bad, log)
    assert (synic.sim_msrs(), synic.audit(), hvtest.knob("vmbus")) == before


def test_vp_intercepts_delivered_through_sint0(tmp_path):
    """Messages delivered = intercepts raised: every intercept a VP's
    dispatch raises reaches hv_vmm through SINT0, none dropped."""
    from test_vmm import GPA, field, vmm

    cpus = synic.online_cpus()
    before = synic.sim_msrs()
    got0 = sum(synic.delivered(c) for c in cpus)
    snapdir = tmp_path / "snap"
    p = vmm("run", "--size", 8 * hvtest.MiB, "--gpa", hex(GPA),
            "--while", hvtest.snapshot_cmd(snapdir))
    pid = hvtest.num(field(p.stdout, "partition"))
    raised = sum(hvtest.num(v["intercepts"])
                 for v in hvtest.Tables.snapshot(snapdir).sim_vps(pid))
    assert raised > 0
    after = synic.sim_msrs()
    sent = sum(after[(c, "SINT0")]["delivered"] - before[(c, "SINT0")]["delivered"]
               for c in cpus)
    dropped = sum(after[(c, "SINT0")]["dropped"] - before[(c, "SINT0")]["dropped"]
                  for c in cpus)
    got = sum(synic.delivered(c) for c in cpus) - got0
    assert (raised, sent, got, dropped) == (raised, raised, raised, 0), \
        "intercepts raised %d, written into SINT0 slots %d, taken by hv_vmm %d, dropped %d" % (
            raised, sent, got, dropped)
    print("intercepts_raised=%d messages_delivered=%d dropped=%d" % (raised, got, dropped))
    synic.assert_audit_clean()
