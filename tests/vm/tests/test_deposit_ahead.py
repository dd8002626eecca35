"""Deposits ahead of need: the driver keeps the hypervisor's pool above a
watermark (hv_hcall_deposit_need(), topped up from process context), so a
map never stalls on an HV_STATUS_INSUFFICIENT_MEMORY round trip for the
leaf tables of the 2 MiB blocks it makes new to the hypervisor."""

import hvtest
from hvtest import EDU0

MiB = 1 << 20
MAP = 0xb3
INSUFFICIENT_MEMORY = 0xb


def test_a_1g_map_takes_no_insufficient_memory_round_trip(tmp_path, attach_mode, tables):
    """1 GiB of 4 KiB pages in a device domain: 512 blocks new to the sim,
    each a leaf page from the pool the driver deposited.  Without deposits
    ahead the pool runs dry once per 256 pages deposited (two round trips
    per GiB, each a failed map call re-issued); with them, none.  The books
    still equal the sim's tables, and the deposits made ahead are counted."""
    attach_mode("domain")
    size = 1024 * MiB
    before, mapped = tmp_path / "before", tmp_path / "mapped"
    with hvtest.VfioBound(EDU0):
        hvtest.client(EDU0, "--size", size, "--no-hugepages", "--expect", tmp_path / "expect",
                      "--before-map", hvtest.snapshot_cmd(before),
                      "--while-mapped", hvtest.snapshot_cmd(mapped), timeout=1800)
        b, m = hvtest.Tables.snapshot(before), hvtest.Tables.snapshot(mapped)
        hvtest.check_domain_mapped(m, EDU0, hvtest.read_expect(tmp_path / "expect"), size)
    nomem = (hvtest.stat_status(m.stats(), INSUFFICIENT_MEMORY)
             - hvtest.stat_status(b.stats(), INSUFFICIENT_MEMORY))
    deposits = hvtest.delta(hvtest.stat_record(m.stats(), "deposits"),
                            hvtest.stat_record(b.stats(), "deposits"))
    sim_map = hvtest.delta(hvtest.stat_call(m.sim_stats(), MAP), hvtest.stat_call(b.sim_stats(), MAP))
    assert nomem == 0, "a 1 GiB map took %d INSUFFICIENT_MEMORY round trips (%r)" % (nomem, deposits)
    assert sim_map["failures"] == 0, sim_map
    assert deposits.get("ahead", 0) > 0, "no deposit was made ahead of need: %r" % deposits
    assert deposits.get("deferred", 0) == 0, deposits
