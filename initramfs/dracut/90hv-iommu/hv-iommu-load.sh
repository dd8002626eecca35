#!/bin/sh
# dracut pre-udev hook (hv-iommu-dkms): the iommu core probes each device
# for its IOMMU before a driver binds it, and hv_iommu leaves devices that are
# already bound alone, so load it before udev loads and binds PCI drivers.
# Parameters come from /etc/modprobe.d, which the initramfs carries.
modprobe -q hv_iommu || warn "hv-iommu: hv_iommu did not load (see dmesg); devices bound before it loads are not claimed"
