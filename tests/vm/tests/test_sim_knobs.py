"""The simulator's debugfs knobs: a malformed write returns EINVAL, logs a
line naming the knob, and changes nothing; good writes read back."""

import errno
import os

import pytest

import hvtest


def write_knob(name, value):
    return hvtest.write_file(os.path.join(hvtest.DBG_SIM, name), value)


@pytest.mark.parametrize("name, bad", [
    ("rep_slice", "seven"),
    ("rep_slice", "-1"),
    ("rep_slice", ""),
    ("pool_pages", "lots"),
    ("pool_pages", "12abc"),
    ("fail", "0xb3"),                 # no status
    ("fail", "0xb3 0x71 100 1 9"),    # too many fields
    ("fail", "0xb3 0x0"),             # status 0 is a time slice, not a fault
    ("fail", "bogus 0x71"),
    ("reset_stats", "2"),
])
def test_malformed_knob_write_changes_nothing(name, bad):
    before = {k: hvtest.knob(k) for k in ("rep_slice", "pool_pages", "fail")}
    mark = hvtest.kmsg_mark()
    assert write_knob(name, bad) == errno.EINVAL, "%s <- %r was accepted" % (name, bad)
    log = hvtest.dmesg_since(mark)
    assert "hv_sim" in log and name in log, \
        "no log line naming %s after writing %r: %r" % (name, bad, log)
    assert {k: hvtest.knob(k) for k in before} == before


def test_good_knob_writes_read_back():
    hvtest.set_knob("rep_slice", "7")
    assert hvtest.knob("rep_slice") == "7"
    hvtest.set_knob("fail", "0xb3 0x71 100 2")
    pending = hvtest.knob("fail")
    assert "code=0xb3" in pending and "status=0x71" in pending \
        and "after_reps=100" in pending and "count=2" in pending, pending
    hvtest.set_knob("fail", "clear")
    assert hvtest.knob("fail") == ""
