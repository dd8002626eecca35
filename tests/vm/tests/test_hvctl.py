"""hvctl against the live driver: its JSON matches debugfs; errors are one line."""

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
