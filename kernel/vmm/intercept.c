// SPDX-License-Identifier: GPL-2.0
/*
 * Intercept messages from SINT0 (synic.c's handler) to the VP they name.
 */
#include "vmm.h"

/**
 * hv_vmm_intercept_arrived() - hand an intercept message to its VP
 * @msg: the 256-byte message from the SIMP slot of SINT0; the sender is
 *	the partition id, the payload's first u32 the vp_index.
 *
 * Context: hard irq.  Takes no sleeping lock.
 */
void hv_vmm_intercept_arrived(const struct hv_message *msg)
{
}
