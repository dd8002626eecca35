"""hvctl against the live driver: its JSON matches debugfs; errors are one line."""

import json
import os
import re
import subprocess
import tarfile

import pytest

import hvtest
from hvtest import num


def one_error_line(p):
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("hvctl:"), "want one error line: %r" % p.stderr
    assert p.stdout == "", "output besides the error: %r" % p.stdout
    return lines[0]


def test_list_domains_json_matches_debugfs(tables):
    doc = hvtest.hvctl_json("list-domains")
    for d in tables.domains():
        rec = hvtest.hvctl_domain(doc, num(d["id"]))
        assert rec is not None, "hvctl list-domains --json lacks domain %s" % d["id"]
        assert sorted(hvtest.json_list(rec.get("devices"))) == sorted(hvtest.split_list(d["devices"])), \
            (rec, d)
    ids = {num(r["id"]) for r in hvtest.find_records(doc, "id")}
    assert ids == {num(d["id"]) for d in tables.domains()}


@pytest.mark.parametrize("cmd", ["show-domain", "mappings"])
def test_unknown_domain_id(tables, cmd):
    unknown = max(num(d["id"]) for d in tables.domains() if num(d["id"]) != hvtest.BLOCKED) + 1000
    p = hvtest.hvctl(cmd, unknown)
    assert p.returncode != 0, "hvctl %s %d succeeded" % (cmd, unknown)
    assert str(unknown) in one_error_line(p)


@pytest.mark.parametrize("cmd", ["show-domain", "mappings"])
@pytest.mark.parametrize("bad", ["abc", "-1", "1x", "99999999999999999999999"])
def test_bad_domain_id(cmd, bad):
    p = hvtest.hvctl(cmd, bad)
    assert p.returncode == 2, "hvctl %s %r: rc %d, want 2 (usage)" % (cmd, bad, p.returncode)
    one_error_line(p)


@pytest.mark.parametrize("verb", ["add", "remove"])
@pytest.mark.parametrize("bad", ["zz", "", "0000:00:05", "0000:00:05.0x", "00000:00:05.0",
                                 "0000:00:20.0", "0000:00:05.8"])
def test_bad_bdf(verb, bad):
    old = hvtest.param("pci_devs_to_skip")
    p = hvtest.hvctl("skip", verb, bad)
    assert p.returncode == 2, "hvctl skip %s %r: rc %d, want 2 (usage)" % (verb, bad, p.returncode)
    one_error_line(p)
    assert hvtest.param("pci_devs_to_skip") == old


# --- issue 10: output that never breaks, a device view, metrics, capture ----

def test_show_domain_0_lists_devices_one_per_line(tables):
    """The summary's device list wraps one BDF per line (it printed \\x0a)."""
    p = hvtest.hvctl("show-domain", 0)
    assert p.returncode == 0, p.stderr
    assert "\\x" not in p.stdout, p.stdout
    summary = p.stdout.split("\n\n")[0].splitlines()
    start = [i for i, l in enumerate(summary) if l.startswith("devices ")][0]
    devs = [summary[start].split()[1]]
    for line in summary[start + 1:]:
        if not line.startswith(" "):
            break
        devs.append(line.strip())
    want = hvtest.split_list(tables.domain(hvtest.IDENTITY)["devices"])
    assert sorted(devs) == sorted(want or ["-"]), (devs, want)


def test_status_skip_list_one_per_line():
    """Two skip adds (addresses with no device): status shows both, one per
    line, no \\x0a; removed again, the list is as it was (runtime entries
    outlive a write of pci_devs_to_skip, which holds the boot list only)."""
    skip = "/sys/class/iommu/hv_iommu/skip"
    before = hvtest.read_text(skip)
    added = []
    try:
        for bdf in ("0000:00:1e.0", "0000:00:1d.0"):
            p = hvtest.hvctl("skip", "add", bdf)
            assert p.returncode == 0, p.stderr
            added.append(bdf)
        p = hvtest.hvctl("status", "summary")
        assert p.returncode == 0, p.stderr
        assert "\\x" not in p.stdout, p.stdout
        assert "0000:00:1e.0\n" in p.stdout and "0000:00:1d.0\n" in p.stdout, p.stdout
    finally:
        for bdf in added:
            p = hvtest.hvctl("skip", "remove", bdf)
            assert p.returncode == 0, p.stderr
    assert hvtest.read_text(skip) == before


@pytest.mark.parametrize("args", [("-Jr", "show-domain", "0"), ("-J", "-r", "list-domains"),
                                  ("--json", "--pairs", "status")])
def test_json_with_raw_or_pairs_is_a_usage_error(args):
    p = hvtest.hvctl(*args)
    assert p.returncode == 2
    assert "mutually exclusive" in one_error_line(p)


def test_show_domain_json_is_objects_and_nulls(tables):
    doc = hvtest.hvctl_json("show-domain", 0)
    assert isinstance(doc["domain"], dict), doc
    assert doc["domain"]["partition"] is None, doc["domain"]
    assert isinstance(doc["domain"]["mapped_bytes"], int)
    want = hvtest.split_list(tables.domain(hvtest.IDENTITY)["devices"])
    assert sorted(doc["domain"]["devices"]) == sorted(want)
    for dev in doc["devices"]:
        assert "-" not in dev.values(), dev


def test_list_devices_matches_sysfs_and_debugfs(tables):
    """list-devices: every PCI device, its driver and group as sysfs says,
    its domain and state as hv_iommu's debugfs says."""
    doc = hvtest.hvctl_json("list-devices", "-O")
    rows = {r["bdf"]: r for r in doc["devices"]}
    assert sorted(rows) == sorted(os.listdir(hvtest.PCI))
    for bdf, r in rows.items():
        path = os.path.join(hvtest.PCI, bdf)
        drv = os.path.join(path, "driver")
        want_drv = os.path.basename(os.readlink(drv)) if os.path.islink(drv) else None
        assert r["driver"] == want_drv, (bdf, r)
        grp = os.path.join(path, "iommu_group")
        if os.path.islink(grp):
            assert r["iommu_group"] == int(os.path.basename(os.readlink(grp))), (bdf, r)
        dev = tables.device(bdf)
        if dev is not None:
            assert r["domain"] == num(dev["domain"]), (bdf, r, dev)
            assert r["state"] == dev["state"], (bdf, r, dev)
        elif any(s["bdf"] == bdf for s in tables.skipped()):
            assert r["state"] == "skipped", (bdf, r)
        else:
            assert r["state"] is None, (bdf, r)
    p = hvtest.hvctl("show-device", sorted(rows)[0])
    assert p.returncode == 0 and p.stdout.startswith("bdf "), p


def test_list_domains_fits_80_columns():
    p = hvtest.hvctl("-w", "80", "list-domains")
    assert p.returncode == 0, p.stderr
    assert max(len(l) for l in p.stdout.splitlines()) <= 80, p.stdout


_SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*",?)*\})? [0-9]+$')


def test_metrics_match_stats(tables):
    """metrics: Prometheus text whose hypercall counters are debugfs stats."""
    p = hvtest.hvctl("metrics")
    assert p.returncode == 0, p.stderr
    typed = set()
    samples = {}
    for line in p.stdout.splitlines():
        if line.startswith("# TYPE "):
            typed.add(line.split()[2])
        elif not line.startswith("# HELP "):
            m = _SAMPLE.match(line)
            assert m, "not a Prometheus sample: %r" % line
            assert m.group(1) in typed, "sample before # TYPE: %r" % line
            samples[line.rsplit(" ", 1)[0]] = int(line.rsplit(" ", 1)[1])
    # counters only grow: what metrics read is at most what debugfs says now
    for c in tables.stats():
        if "name" in c and "calls" in c and "reps" in c:
            key = 'hv_iommu_hypercalls_total{call="%s"}' % c["name"]
            assert key in samples, (key, sorted(samples))
            assert samples[key] <= num(c["calls"]), (key, samples[key], c)
    assert samples["hv_iommu_domains_in_use"] >= 0


def test_capture_reads_back_the_same(tmp_path):
    """capture FILE.tar + --sysroot: the same tables as the live system."""
    tar = tmp_path / "c.tar"
    p = hvtest.hvctl("capture", tar)
    assert p.returncode == 0, p.stderr
    root = tmp_path / "root"
    with tarfile.open(tar) as t:
        t.extractall(root)
    for args in (("list-domains",), ("list-devices", "-O"), ("skip", "list"), ("show-domain", "0")):
        live = hvtest.hvctl(*args)
        back = hvtest.hvctl("--sysroot", root, *args)
        assert live.returncode == 0 and back.returncode == 0, (live.stderr, back.stderr)
        assert back.stdout == live.stdout, (args, live.stdout, back.stdout)


def hvctl_debugfs(*args):
    """hvctl reading debugfs, not the netlink family (which needs no debugfs)."""
    return subprocess.run(["hvctl"] + [str(a) for a in args], capture_output=True, text=True,
                          timeout=60, env=dict(os.environ, HVCTL_SOURCE="debugfs"))


def test_status_without_debugfs_shows_sysfs_facts():
    """debugfs unmounted: status shows backend, attach_mode and the skip
    list from sysfs, warns what is missing, exits 0; JSON has nulls."""
    assert subprocess.run(["umount", "/sys/kernel/debug"]).returncode == 0
    try:
        p = hvctl_debugfs("status")
        assert p.returncode == 0, p.stderr
        assert p.stderr.startswith("hvctl: warning: debugfs is not mounted on /sys/kernel/debug"), p.stderr
        assert "backend" in p.stdout and hvtest.read_text("/sys/class/iommu/hv_iommu/backend").strip() in p.stdout
        doc = json.loads(hvctl_debugfs("status", "--json").stdout)
        assert doc["status"]["attach_mode"] == hvtest.param("attach_mode")
        assert doc["status"]["paging_domains"] is None and doc["calls"] is None, doc
        p = hvctl_debugfs("skip", "list")
        assert p.returncode == 0 and "not shown" in p.stderr, p
        p = hvctl_debugfs("list-domains")
        assert p.returncode == 1
        assert "debugfs is not mounted" in one_error_line(p)
    finally:
        assert subprocess.run(["mount", "-t", "debugfs", "none", "/sys/kernel/debug"]).returncode == 0
    assert os.path.isdir(hvtest.DBG_IOMMU)


@pytest.mark.no_backend
def test_list_devices_without_hv_iommu():
    """In the boot without the modules (this file runs before
    test_no_backend.py loads them): list-devices still lists every PCI
    device with its driver, and says what is not shown."""
    assert not os.path.isdir("/sys/module/hv_iommu"), "hv_iommu is loaded in the no-backend boot"
    p = hvtest.hvctl("list-devices", "-o", "BDF,DRIVER,STATE", "-r", "-n")
    assert p.returncode == 0, p.stderr
    assert p.stderr.startswith("hvctl: warning: hv_iommu is not loaded: "), p.stderr
    rows = [l.split() for l in p.stdout.splitlines()]
    assert sorted(r[0] for r in rows) == sorted(os.listdir(hvtest.PCI))
    assert all(r[2] == "-" for r in rows), rows
