#!/bin/bash
# dracut module (hv-iommu-dkms): load the IOMMU driver before udev binds
# drivers to PCI devices (hook pre-udev); see hv-iommu-load.sh.

check() {
	return 0
}

depends() {
	return 0
}

installkernel() {
	# Absent for a kernel DKMS could not build them for: nothing to add then.
	hostonly='' instmods hv_iommu hv_sim
}

install() {
	inst_hook pre-udev 10 "$moddir/hv-iommu-load.sh"
}
