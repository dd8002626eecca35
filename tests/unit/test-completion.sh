#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test-completion.sh - the bash completion (bash-completion/hvctl) completes
# as bash would: COMP_WORDS/COMP_CWORD set, _hvctl run, COMPREPLY checked.
# Domain ids and PCI addresses come from a small tree read with --sysroot.
set -u
: "${HVCTL:?run via make check}" "${HVCTL_SRCDIR:?run via make check}"
. "$HVCTL_SRCDIR/bash-completion/hvctl"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/proc/self" "$root/sys/module/hv_iommu/parameters" \
	"$root/sys/kernel/debug/hv_iommu" "$root/sys/bus/pci/devices/0000:00:03.0" \
	"$root/sys/bus/pci/devices/0000:00:05.0"
echo "33 22 0:7 / /sys/kernel/debug rw - debugfs debugfs rw" > "$root/proc/self/mountinfo"
echo "(0000:00:05.0)" > "$root/sys/module/hv_iommu/parameters/pci_devs_to_skip"
cat > "$root/sys/kernel/debug/hv_iommu/domains" <<'D'
id=0 type=identity mode=domain partition=self devices=- mapped_bytes=0 mappings=0
id=12 type=paging mode=domain partition=self devices=0000:00:03.0 mapped_bytes=0 mappings=0
D
: > "$root/sys/kernel/debug/hv_iommu/skipped"

fails=0
# complete WANT WORDS...: the last word is the one being completed.
complete_is() {
	local want=$1
	shift
	COMP_WORDS=("$HVCTL" "$@")
	COMP_CWORD=$(($# ))
	COMPREPLY=()
	_hvctl
	local got="${COMPREPLY[*]}"
	if [ "$got" != "$want" ]; then
		echo "FAIL: hvctl $*<TAB>: want '$want', got '$got'"
		fails=$((fails + 1))
	else
		echo "ok: hvctl $*<TAB>: $got"
	fi
}

complete_is "list-domains list-devices" "list-"
complete_is "show-domain show-device skip status synic" "s"
complete_is "--json" "--js"
complete_is "--sort --sysroot" "--s"
complete_is "MAPPED MAPPINGS" list-domains -o "MAP"
complete_is "ID,MAPPED ID,MAPPINGS" list-domains -o "ID,map"
complete_is "+STATE +STATUS" show-domain 1 -o "+STA"
complete_is "DRIVER" list-devices -x "DR"
complete_is "paging" -t "pa"
complete_is "0 12" --sysroot "$root" show-domain ""
complete_is "12" --sysroot "$root" mappings "1"
complete_is "summary" --sysroot "$root" show-domain 12 "su"
complete_is "0000:00:03.0 0000:00:05.0" --sysroot "$root" show-device ""
complete_is "add" skip "a"
complete_is "load" skip "lo"
complete_is "--persistent" skip add "--pe"
complete_is "0000:00:05.0" --sysroot "$root" skip remove ""
complete_is "calls" status "c"
[ "$fails" = 0 ]
