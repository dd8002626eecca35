"""Reserved regions: the x86 MSI window 0xfee00000-0xfeefffff is reported to
the IOMMU core (get_resv_regions), shown in the group's reserved_regions, and
VFIO refuses to map anything over it; nothing reaches the hypervisor."""

import pytest

import hvtest
from hvtest import EDU0, MiB, Tables, num, snapshot_cmd

MSI_FIRST, MSI_LAST = 0xfee00000, 0xfeefffff


def reserved_regions(bdf):
    """[(first, last, type)] of /sys/kernel/iommu_groups/N/reserved_regions."""
    path = "/sys/kernel/iommu_groups/%d/reserved_regions" % hvtest.iommu_group(bdf)
    out = []
    for line in hvtest.read_text(path).splitlines():
        first, last, typ = line.split()
        out.append((int(first, 16), int(last, 16), typ))
    return out


def test_group_lists_the_msi_window():
    for bdf in hvtest.PASSTHROUGH:
        if hvtest.iommu_group(bdf) is None:
            continue        # a skipped device has no group
        regions = reserved_regions(bdf)
        assert (MSI_FIRST, MSI_LAST, "msi") in regions, "%s: %r" % (bdf, regions)


@pytest.mark.parametrize("iova,size", [(MSI_FIRST, MiB), (MSI_FIRST - MiB, 2 * MiB),
                                       (MSI_LAST + 1 - 4096, 8192)],
                         ids=["window", "overlaps-start", "straddles-end"])
def test_vfio_refuses_a_map_over_the_msi_window(tmp_path, attach_mode, iova, size):
    attach_mode("domain")
    failed = tmp_path / "failed"
    with hvtest.VfioBound(EDU0):
        p = hvtest.client(EDU0, "--size", size, "--iova", iova, "--no-hugepages",
                          "--expect-map-fail", "--after-map-fail", snapshot_cmd(failed))
        assert "map-failed:" in p.stdout and "Invalid argument" in p.stdout, p.stdout
        snap = Tables.snapshot(failed)
        dom = snap.device_domain(EDU0)
        d = snap.domain(dom)
        assert d is not None and d["type"] == "paging", d
        assert num(d["mapped_bytes"]) == 0 and snap.driver_mappings(dom) == [], d
        sd = snap.sim_domain(dom)
        assert sd is not None and num(sd["pages"]) == 0, sd
        assert snap.sim_pages(dom) == {}


def test_vfio_maps_next_to_the_window(tmp_path, attach_mode):
    """The window is all that is refused: the MiB below it maps."""
    attach_mode("domain")
    mapped = tmp_path / "mapped"
    with hvtest.VfioBound(EDU0):
        hvtest.client(EDU0, "--size", MiB, "--iova", MSI_FIRST - MiB, "--no-hugepages",
                      "--expect", tmp_path / "expect", "--while-mapped", snapshot_cmd(mapped))
        expect = hvtest.read_expect(tmp_path / "expect")
        hvtest.check_domain_mapped(Tables.snapshot(mapped), EDU0, expect, MiB)
