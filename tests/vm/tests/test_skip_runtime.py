"""The skip list and attach_mode at run time: sysfs writes and hvctl skip."""

import errno
import re

import pytest

import hvtest
from hvtest import NIC

GOOD = "(0000:00:05.0)"
SKIP = "/sys/class/iommu/hv_iommu/skip"


@pytest.fixture
def skip_list():
    """The parameter as found; restored afterwards."""
    old = hvtest.param("pci_devs_to_skip")
    yield old
    hvtest.set_param("pci_devs_to_skip", old or "\n")
    assert hvtest.param("pci_devs_to_skip") == old


# (string, offset where its malformed part starts): the logged position must
# fall inside the malformed part.
MALFORMED = [
    ("0000:00:05.0", 0),                        # no parentheses
    ("(0000:00:05.0", 0),                       # unterminated
    (GOOD + "(zz)", len(GOOD)),                 # not a BDF
    (GOOD + " (0000:00:20.0)", len(GOOD)),      # device > 0x1f
    (GOOD + "(0000:00:05.8)", len(GOOD)),       # function > 7
    ("(00000:00:05.0)", 0),                     # 5-digit segment
    (GOOD + ",(0000:00:04.0)", len(GOOD)),      # separator that is not white space
]


@pytest.mark.parametrize("bad,start", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_skip_list_rejected(skip_list, bad, start):
    mark = hvtest.kmsg_mark()
    err = hvtest.set_param("pci_devs_to_skip", bad)
    assert err == errno.EINVAL, "writing %r: %s, want EINVAL" % (bad, err and errno.errorcode[err])
    assert hvtest.param("pci_devs_to_skip") == skip_list, "a rejected write changed the list"
    log = hvtest.dmesg_since(mark)
    m = re.findall(r"hv_iommu: pci_devs_to_skip: (.+) at position (\d+)", log)
    assert len(m) == 1, "want one log line naming the position, got:\n%s" % log
    pos = int(m[0][1])
    assert start <= pos <= len(bad), "position %d is outside the malformed part %r of %r" % (
        pos, bad[start:], bad)


def test_skip_list_canonical_form(skip_list):
    err = hvtest.set_param("pci_devs_to_skip", " (0000:00:05.0)  (0000:00:0A.1)\n")
    assert err == 0, "a valid list with white space and upper case: %s" % errno.errorcode[err]
    assert hvtest.param("pci_devs_to_skip") == "(0000:00:05.0)(0000:00:0a.1)"
    assert hvtest.set_param("pci_devs_to_skip", "\n") == 0
    assert hvtest.param("pci_devs_to_skip") == ""


def skip_list_bdfs(doc):
    """Every BDF string anywhere in hvctl skip list --json."""
    out = set()

    def walk(o):
        if isinstance(o, dict):
            for v in o.values():
                walk(v)
        elif isinstance(o, list):
            for v in o:
                walk(v)
        elif isinstance(o, str) and re.fullmatch(r"[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]", o):
            out.add(o)
    walk(doc)
    return out


def test_hvctl_skip_add_remove(skip_list):
    """hvctl skip add goes to the driver's live list (skip_add), not to the
    boot list pci_devs_to_skip, which stays as it was."""
    assert "(%s)" % NIC not in skip_list, "%s is already on the skip list" % NIC
    p = hvtest.hvctl("skip", "add", NIC)
    assert p.returncode == 0, p.stderr
    assert "%s runtime" % NIC in hvtest.read_text(SKIP).splitlines()
    assert hvtest.param("pci_devs_to_skip") == skip_list
    assert NIC in skip_list_bdfs(hvtest.hvctl_json("skip", "list"))

    p = hvtest.hvctl("skip", "remove", NIC)
    assert p.returncode == 0, p.stderr
    assert NIC not in hvtest.read_text(SKIP)
    assert NIC not in skip_list_bdfs(hvtest.hvctl_json("skip", "list"))


@pytest.mark.parametrize("word", ["bogus", "Domain", "direct", "auto domain", " "])
def test_attach_mode_bad_write(attach_mode, word):
    old = hvtest.param("attach_mode")
    mark = hvtest.kmsg_mark()
    err = hvtest.set_param("attach_mode", word)
    assert err == errno.EINVAL, "attach_mode=%r: %s" % (word, err and errno.errorcode[err])
    assert hvtest.param("attach_mode") == old
    log = hvtest.dmesg_since(mark)
    assert re.search(r"hv_iommu: .*attach_mode", log), "no log line for attach_mode=%r:\n%s" % (word, log)


def test_attach_mode_good_writes(attach_mode):
    for mode in ("domain", "auto", "domain\n"):
        assert hvtest.set_param("attach_mode", mode) == 0
        assert hvtest.param("attach_mode") == mode.strip()
