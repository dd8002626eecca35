"""The driver's live skip list at run time (skip_add, skip_remove, hvctl skip
add/remove/load): re-probe of a probed device, refusal for a device a guest
may use, atomic concurrent changes, bad input, the persistent configuration
under /etc/hv-iommu/skip.d without udev (the udev and hot-plug side is
test_udev_hotplug.py)."""

import concurrent.futures
import errno
import os
import re

import pytest

import hvtest
from hvtest import EDU0, IDENTITY

CLASS = "/sys/class/iommu/hv_iommu"
CONF = "/etc/hv-iommu/skip.d"
# Addresses no device has (bus 0x30-0x4f): list entries only.
ABSENT = ["0000:%02x:00.0" % b for b in range(0x30, 0x50)]


def live():
    """The live list: {entry: origin}."""
    out = {}
    for line in hvtest.read_text(os.path.join(CLASS, "skip")).splitlines():
        entry, origin = line.split()
        assert entry not in out, "%s is on the live list twice" % entry
        out[entry] = origin
    return out


def skipped_reason(tables, bdf):
    rows = [r for r in tables.skipped() if r["bdf"] == bdf]
    return rows[0]["reason"] if rows else None


@pytest.fixture
def clean_list():
    """The live list and the persistent configuration as found; what the test
    added is removed afterwards (re-probing what it named)."""
    before = live()
    conf_before = set(os.listdir(CONF)) if os.path.isdir(CONF) else set()
    yield before
    for name in (set(os.listdir(CONF)) if os.path.isdir(CONF) else set()) - conf_before:
        os.unlink(os.path.join(CONF, name))
    for entry in set(live()) - set(before):
        assert hvtest.write_file(os.path.join(CLASS, "skip_remove"), entry) == 0, entry
    assert live() == before


def test_runtime_add_of_a_probed_unbound_device_takes_its_group(clean_list, tables):
    assert hvtest.driver_of(EDU0) is None and hvtest.iommu_group(EDU0) is not None
    mark = hvtest.kmsg_mark()
    p = hvtest.hvctl("skip", "add", EDU0)
    assert p.returncode == 0, p.stderr
    assert live().get(EDU0) == "runtime"
    assert hvtest.iommu_group(EDU0) is None, "%s kept its IOMMU group" % EDU0
    assert tables.device(EDU0) is None, "hv_iommu still has a record of %s" % EDU0
    assert skipped_reason(tables, EDU0) == "runtime_list", tables.skipped()
    log = hvtest.dmesg_since(mark)
    assert re.search(r"%s: re-probing it: the skip list names it now" % EDU0, log), log
    assert re.search(r"%s: not claimed: on the skip list \(runtime_list\)" % EDU0, log), log
    assert re.search(r"hv_iommu: skip list: added %s \(runtime\)" % EDU0, log), log
    assert hvtest.bind(EDU0, "vfio-pci") != "vfio-pci", "vfio-pci took %s" % EDU0
    hvtest.unbind_restore(EDU0, None)

    # Off the list: re-probed again, back in a group in the identity domain.
    p = hvtest.hvctl("skip", "remove", EDU0)
    assert p.returncode == 0, p.stderr
    assert EDU0 not in live()
    assert hvtest.iommu_group(EDU0) is not None
    assert tables.device_domain(EDU0) == IDENTITY
    assert skipped_reason(tables, EDU0) is None


def test_runtime_add_of_a_vfio_bound_device_is_refused(clean_list, tables):
    with hvtest.VfioBound(EDU0):
        group = hvtest.iommu_group(EDU0)
        mark = hvtest.kmsg_mark()
        p = hvtest.hvctl("skip", "add", EDU0)
        assert p.returncode == 1, (p.returncode, p.stdout, p.stderr)
        assert re.fullmatch(r"hvctl: refused to skip %s: .*nothing changed\n" % EDU0, p.stderr), p.stderr
        # Nothing changed: the list, the binding, the group, the records.
        assert live() == clean_list
        assert hvtest.driver_of(EDU0) == "vfio-pci"
        assert hvtest.iommu_group(EDU0) == group
        assert tables.device(EDU0) is not None and skipped_reason(tables, EDU0) is None
        log = hvtest.dmesg_since(mark)
        assert re.search(r"%s: refusing to skip it: bound to vfio-pci" % EDU0, log), log
        # By vendor/device (every edu): refused as a whole, nothing changed.
        vd = "1234:11e8"
        assert hvtest.write_file(os.path.join(CLASS, "skip_add"), vd) == errno.EBUSY
        assert live() == clean_list
        assert hvtest.iommu_group(hvtest.EDU1) is not None


def test_runtime_add_of_a_device_in_a_domain_is_refused(clean_list, tmp_path, attach_mode):
    """While the VFIO client has EDU0 in a paging domain with memory mapped,
    hvctl skip add is refused and changes nothing."""
    attach_mode("domain")
    out = tmp_path / "add"
    cmd = "hvctl skip add %s > %s 2>&1; echo rc=$? >> %s; cat %s/skip >> %s" % (
        EDU0, out, out, CLASS, out)
    with hvtest.VfioBound(EDU0):
        hvtest.client(EDU0, "--size", str(1 << 20), "--while-mapped", cmd)
    text = out.read_text()
    assert "rc=1" in text and "refused to skip %s" % EDU0 in text, text
    assert "%s runtime" % EDU0 not in text, text
    assert live() == clean_list


def test_concurrent_adds_all_take_effect(clean_list):
    """32 hvctl skip add at once, each its own address: all 32 on the list
    (the driver changes one entry under its lock; no read-modify-write)."""
    bdfs = ABSENT[:32]
    with concurrent.futures.ThreadPoolExecutor(32) as pool:
        res = list(pool.map(lambda b: hvtest.hvctl("skip", "add", b), bdfs))
    assert all(p.returncode == 0 for p in res), [p.stderr for p in res if p.returncode]
    now = live()
    missing = [b for b in bdfs if now.get(b) != "runtime"]
    assert not missing, "lost: %s" % missing
    with concurrent.futures.ThreadPoolExecutor(32) as pool:
        res = list(pool.map(lambda b: hvtest.hvctl("skip", "remove", b), bdfs))
    assert all(p.returncode == 0 for p in res), [p.stderr for p in res if p.returncode]
    assert live() == clean_list


def test_repeated_add_is_idempotent(clean_list):
    b = ABSENT[0]
    for _ in range(3):
        p = hvtest.hvctl("skip", "add", b)
        assert p.returncode == 0, p.stderr
    lines = hvtest.read_text(os.path.join(CLASS, "skip")).splitlines()
    assert lines.count("%s runtime" % b) == 1, lines
    p = hvtest.hvctl("skip", "remove", b)
    assert p.returncode == 0, p.stderr
    p = hvtest.hvctl("skip", "remove", b)
    assert p.returncode == 1 and p.stderr == "hvctl: %s is not on the skip list\n" % b, p.stderr


BAD_CLI = ["0000:00:20.0", "0000:00:03.8", "00000:00:03.0", "xyz", "1234:11e", "1234:11e8:0",
           "0000:00:03.0,0000:00:04.0", ""]


@pytest.mark.parametrize("bad", BAD_CLI)
def test_hvctl_rejects_malformed_entries(clean_list, bad):
    p = hvtest.hvctl("skip", "add", bad)
    assert p.returncode == 2, (bad, p.returncode, p.stderr)
    assert p.stderr.startswith("hvctl: ") and p.stderr.count("\n") == 1, p.stderr
    assert live() == clean_list


# (written to skip_add, offset where the error must be reported)
BAD_SYSFS = [("0000:00:20.0", 8), ("0000:00:03.8", 11), ("0000:00:03.0 bogus", 13),
             ("1234:11e8 rule", 10), ("1234:11e8x", 9), ("0000:00:03.0 runtime x", 21),
             ("zz", 0), ("(0000:00:03.0)", 0)]


@pytest.mark.parametrize("bad,pos", BAD_SYSFS, ids=[b[0] for b in BAD_SYSFS])
def test_skip_add_rejects_malformed_lines(clean_list, bad, pos):
    mark = hvtest.kmsg_mark()
    assert hvtest.write_file(os.path.join(CLASS, "skip_add"), bad) == errno.EINVAL
    assert live() == clean_list
    log = hvtest.dmesg_since(mark)
    m = re.findall(r"hv_iommu: skip_add: '(.*)': (.+) at position (\d+)", log)
    assert len(m) == 1 and int(m[0][2]) == pos, log


BAD_MATCH = ["id_path=x", "=x", "ID_PATH=", "PCI_ID=zz:11e8", "PCI_SLOT_NAME=00:03.0", "NOEQUALS"]


@pytest.mark.parametrize("bad", BAD_MATCH)
def test_hvctl_rejects_malformed_matches(clean_list, bad):
    p = hvtest.hvctl("skip", "add", "--persistent", "--match", bad)
    assert p.returncode == 2, (bad, p.returncode, p.stderr)
    assert p.stderr.startswith("hvctl: skip add --match: "), p.stderr
    assert live() == clean_list
    assert not os.path.isdir(CONF) or not os.listdir(CONF) or \
        all(bad not in hvtest.read_text(os.path.join(CONF, f)) for f in os.listdir(CONF))


def test_persistent_add_and_remove(clean_list, tables):
    p = hvtest.hvctl("skip", "add", "--persistent", EDU0)
    assert p.returncode == 0, p.stderr
    assert hvtest.read_text(os.path.join(CONF, EDU0)) == EDU0 + "\n"
    assert live().get(EDU0) == "persistent"
    assert hvtest.iommu_group(EDU0) is None
    assert skipped_reason(tables, EDU0) == "persistent_rule"
    rows = [r for r in hvtest.find_records(hvtest.hvctl_json("skip", "list", "-O"), "bdf")
            if r["bdf"] == EDU0]
    assert len(rows) == 1 and rows[0]["origin"] == "persistent" and rows[0]["in_force"] is True, rows
    assert rows[0]["source"] == "%s/%s:1" % (CONF, EDU0), rows
    # Again: exit 0, one entry, one file.
    p = hvtest.hvctl("skip", "add", "--persistent", EDU0)
    assert p.returncode == 0, p.stderr
    assert list(live()).count(EDU0) == 1

    p = hvtest.hvctl("skip", "remove", "--persistent", EDU0)
    assert p.returncode == 0, p.stderr
    assert not os.path.exists(os.path.join(CONF, EDU0))
    assert EDU0 not in live()
    assert hvtest.iommu_group(EDU0) is not None
    p = hvtest.hvctl("skip", "remove", "--persistent", EDU0)
    assert p.returncode == 1 and "not in the persistent skip configuration" in p.stderr, p.stderr


def test_persistent_entry_of_a_vfio_bound_device_is_refused(clean_list):
    with hvtest.VfioBound(EDU0):
        p = hvtest.hvctl("skip", "add", "--persistent", EDU0)
        assert p.returncode == 1 and "refused to skip" in p.stderr, p.stderr
        assert not os.path.exists(os.path.join(CONF, EDU0)), "the refused entry was written"
        assert live() == clean_list
        assert hvtest.driver_of(EDU0) == "vfio-pci"


def test_junk_in_a_persistent_file_is_reported_and_the_rest_applied(clean_list):
    os.makedirs(CONF, exist_ok=True)
    path = os.path.join(CONF, "90-mixed")
    good1, good2 = ABSENT[0], ABSENT[1]
    with open(path, "w") as f:
        f.write("# a comment\n%s\nthis is junk\n1234:zzzz\n%s  # trailing comment\nlower=case\n"
                % (good1, good2))
    p = hvtest.hvctl("skip", "load")
    assert p.returncode == 1, (p.returncode, p.stderr)
    for line in (3, 4, 6):
        assert re.search(r"^hvctl: warning: %s:%d: .*; line ignored$" % (re.escape(path), line),
                         p.stderr, re.M), p.stderr
    assert p.stderr.count("\n") == 3, p.stderr
    now = live()
    assert now.get(good1) == "persistent" and now.get(good2) == "persistent", now
    # skip list reads the same files: the same warnings, and the entries.
    p = hvtest.hvctl("skip", "list", "-o", "MATCH,ORIGIN,SOURCE", "--json")
    assert p.returncode == 0, p.stderr
    assert "%s:3:" % path in p.stderr
