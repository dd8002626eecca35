"""SynIC helpers for the in-VM tests: the ownership policy, the sim's and
hv_vmm's debugfs tables (doc/interfaces.md), the audit, and loading and
unloading hv_vmm while the sim (and its VMBus model) stays."""

import os
import subprocess
import time

import hvtest

DBG_VMM = "/sys/kernel/debug/hv_vmm"
SIM_ROLE = "/sys/module/hv_sim/parameters/role"
RESOURCES = ("SCONTROL", "SIMP", "SIEFP", "SIRBP", "SINT0", "SINT2", "SINT5")
SINTS = ("SINT0", "SINT2", "SINT5")
PAGES = ("SIMP", "SIEFP", "SIRBP")
VECTOR = 0xF3           # HYPERVISOR_CALLBACK_VECTOR, the sim's SINT vector
MSR = {"SCONTROL": 0x40000080, "SIEFP": 0x40000082, "SIMP": 0x40000083,
       "EOM": 0x40000084, "SIRBP": 0x40000085, "SINT0": 0x40000090,
       "SINT2": 0x40000092, "SINT5": 0x40000095}

# Seed 002: VMBus owns SIMP, SIEFP, SCONTROL and SINT2, hv_vmm SINT0, SINT5
# and SIRBP; a root partition runs no VMBus, so hv_vmm takes all but SINT2.
POLICY = {
    "root": {"SCONTROL": "vmm", "SIMP": "vmm", "SIEFP": "vmm", "SIRBP": "vmm",
             "SINT0": "vmm", "SINT2": "none", "SINT5": "vmm"},
    "l1vh": {"SCONTROL": "vmbus", "SIMP": "vmbus", "SIEFP": "vmbus",
             "SIRBP": "vmm", "SINT0": "vmm", "SINT2": "vmbus", "SINT5": "vmm"},
}


def role():
    return hvtest.read_text(SIM_ROLE).strip()


def online_cpus():
    out = []
    for part in hvtest.read_text("/sys/devices/system/cpu/online").strip().split(","):
        a, _, b = part.partition("-")
        out.extend(range(int(a), int(b or a) + 1))
    return out


def audit():
    """hv_sim synic_audit as {name: int}."""
    rows = hvtest.parse_table(hvtest.knob("synic_audit"))
    assert len(rows) == 1, rows
    return {k: int(v) for k, v in rows[0].items()}


def assert_audit_clean(what=""):
    a = audit()
    assert a["violations"] == 0 and a["foreign_writes"] == 0 and a["bad_msr"] == 0, \
        "SynIC audit %s: %r" % (what, a)


def sim_msrs():
    """hv_sim synic: {(cpu, msr name): record with ints}."""
    out = {}
    for r in hvtest.LIVE.sim("synic"):
        out[(int(r["cpu"]), r["msr"])] = {
            k: (v if k in ("msr", "writer") else hvtest.num(v)) for k, v in r.items()}
    return out


def vmm_rows():
    """hv_vmm synic: {(cpu, resource): record} as hvctl synic --json has it:
    "-" as None, the 0/1 fields and delivered as ints."""
    out = {}
    for r in hvtest.parse_table(hvtest.read_text(os.path.join(DBG_VMM, "synic"))):
        rec = {k: (None if v == "-" else v) for k, v in r.items()}
        for k in ("cpu", "online", "enabled", "masked", "delivered"):
            if rec[k] is not None:
                rec[k] = int(rec[k])
        out[(rec["cpu"], rec["resource"])] = rec
    return out


def delivered(cpu, res="SINT0"):
    return vmm_rows()[(cpu, res)]["delivered"]


def vmbus_consumed(cpu):
    """Messages the sim's VMBus model took from SINT2 on CPU."""
    for r in hvtest.parse_table("\n".join(hvtest.knob("vmbus").splitlines()[1:])):
        if int(r["cpu"]) == cpu:
            return int(r["consumed"])
    raise AssertionError("no cpu %d in hv_sim/vmbus" % cpu)


def enabled(rec):
    return bool(rec["value"] & 1)


def masked(rec):
    """SINTs only: the masked bit."""
    return bool(rec["value"] & (1 << 16))


def live(res, rec):
    """The resource is on: a SINT unmasked, anything else enabled."""
    return not masked(rec) if res in SINTS else enabled(rec)


def vmm_loaded():
    return os.path.isdir("/sys/module/hv_vmm")


def vmm_unload():
    subprocess.run(["rmmod", "hv_vmm"], check=True, capture_output=True, text=True)


def vmm_load(check=True):
    ko = os.path.join(hvtest.REPO, "kernel", "build", os.environ["HV_KVER"], "hv_vmm.ko")
    return subprocess.run(["insmod", ko], check=check, capture_output=True, text=True)


def vmbus(cmd):
    return hvtest.write_file(os.path.join(hvtest.DBG_SIM, "vmbus"), cmd)


def vmbus_running():
    return hvtest.knob("vmbus").splitlines()[0] == "running"


def restore():
    """VMBus running again (L1VH) and hv_vmm loaded, as at boot."""
    if role() == "l1vh" and not vmbus_running():
        if vmm_loaded():
            vmm_unload()        # VMBus first, the VMM driver second
        assert vmbus("start") == 0
    if not vmm_loaded():
        vmm_load()


def post(cpu, count=1, **kw):
    """Write synic_post; returns 0 or the errno."""
    args = " ".join(["cpu=%d count=%d" % (cpu, count)] +
                    ["%s=%s" % (k, v) for k, v in kw.items()])
    return hvtest.write_file(os.path.join(hvtest.DBG_SIM, "synic_post"), args)


def wait_for(cond, what, timeout=5.0):
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "timed out waiting for " + what
        time.sleep(0.02)
