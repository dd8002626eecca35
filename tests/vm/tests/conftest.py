"""Fixtures shared by the in-VM tests (see hvtest.py for the helpers)."""

import os

import pytest

import hvtest


def pytest_sessionstart(session):
    if os.environ.get("HV_SUITE") == "no-backend":
        return  # that suite loads the modules itself
    missing = [p for p in (hvtest.DBG_IOMMU, hvtest.DBG_SIM, hvtest.PARAMS)
               if not os.path.isdir(p)]
    if missing:
        raise pytest.UsageError(
            "not inside the test VM with hv_sim and hv_iommu loaded "
            "(missing %s); run: tests/vm/run -- tests/vm/suite" % ", ".join(missing))
    if not os.access(hvtest.CLIENT, os.X_OK):
        raise pytest.UsageError("%s is not built (make -C tests/vfio)" % hvtest.CLIENT)


@pytest.fixture(scope="session", autouse=True)
def isolation_audit():
    """Every suite (and boot) ends with the sim's isolation audit at 0: no
    device hopped through domain 0 with bus mastering on (doc/interfaces.md,
    hv_sim audit)."""
    yield
    if os.environ.get("HV_SUITE") == "no-backend" or not os.path.isdir(hvtest.DBG_SIM):
        return
    audit = hvtest.LIVE.sim_audit()
    assert audit and all(n == 0 for n in audit.values()), \
        "hv_sim isolation audit: %s" % hvtest.knob("audit")


@pytest.fixture(scope="session", autouse=True)
def misuse_at_end():
    """Every suite ends with the sim's misuse counters (stats `misuse`: calls
    made with interrupts on or with another CPU's input page) at exactly
    what the tests provoked on purpose through hv_sim/call: 0 from the
    driver."""
    yield
    if os.environ.get("HV_SUITE") == "no-backend" or not os.path.isdir(hvtest.DBG_SIM):
        return
    got = hvtest.sim_misuse()
    assert got == hvtest.DELIBERATE_MISUSE, \
        "hv_sim misuse counters %s, the tests provoked %s" % (got, hvtest.DELIBERATE_MISUSE)


@pytest.fixture(scope="session", autouse=True)
def synic_audit_at_end():
    """Every suite ends by asserting the sim's SynIC audit is 0: no SynIC
    MSR accessed while SCONTROL was off, none of VMBus's written by others."""
    yield
    path = os.path.join(hvtest.DBG_SIM, "synic_audit")
    if os.path.exists(path):
        audit = hvtest.read_text(path).strip()
        assert all(kv.endswith("=0") for kv in audit.split()), \
            "SynIC audit at the end of the suite: " + audit


@pytest.fixture(scope="session")
def initial_pool_pages():
    """The sim's free page count at the start, to restore after fault tests
    (None in the no-backend suite, which starts without the sim)."""
    if os.environ.get("HV_SUITE") == "no-backend":
        return None
    return int(hvtest.knob("pool_pages"))


@pytest.fixture(autouse=True)
def sim_knobs_reset(initial_pool_pages):
    """Every test leaves the sim's knobs as it found them, even on failure."""
    yield
    if initial_pool_pages is None:
        return
    hvtest.reset_knobs(max(initial_pool_pages, int(hvtest.knob("pool_pages"))))


@pytest.fixture
def attach_mode():
    """set(mode) for the test; the old attach_mode is restored afterwards."""
    old = hvtest.param("attach_mode")

    def set_mode(mode):
        err = hvtest.set_param("attach_mode", mode)
        assert err == 0, "attach_mode=%s: %s" % (mode, os.strerror(err))
        assert hvtest.param("attach_mode") == mode

    yield set_mode
    hvtest.set_param("attach_mode", old)


@pytest.fixture
def tables():
    return hvtest.LIVE


# Figures the tests report (fail-nth counts, soak rates): title -> lines.
SUMMARY = {}


@pytest.fixture(scope="session")
def summary():
    """add(title, line): a figure for the end of the session's output."""
    def add(title, line):
        SUMMARY.setdefault("%s on %s" % (title, os.uname().release), []).append(line)
    return add


def pytest_terminal_summary(terminalreporter):
    for title, lines in SUMMARY.items():
        terminalreporter.write_sep("-", title)
        for line in lines:
            terminalreporter.write_line("  " + line)
