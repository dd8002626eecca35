// SPDX-License-Identifier: GPL-2.0
/*
 * hv_sim page tables (device domain IOVA and partition GPA xarrays of
 * hv_sim_pte_make() entries): finding runs for the debugfs tables.
 */

#include <linux/rcupdate.h>
#include <linux/xarray.h>

#include "sim.h"

/**
 * hv_sim_pte_run() - find the next run of entries in a table
 * @xa: the table, indexed by page number (IOVA or GPA).
 * @index: in: page number to start at; out: the run's first page.
 * @pfn: out: page frame number of the run's first page.
 * @pages: out: length of the run.
 * @flags: out: map flags, equal over the run.
 *
 * A run is the longest stretch of present entries, from the first at or
 * after *@index, whose page frame numbers advance with the index and whose
 * flags stay the same.  Lock held (writers hold it too); the cost is linear
 * in the run.
 *
 * Return: true if a run was found.
 */
bool hv_sim_pte_run(struct xarray *xa, unsigned long *index,
		    unsigned long *pfn, unsigned long *pages, u32 *flags)
{
	XA_STATE(xas, xa, *index);
	bool found;
	void *pte;

	lockdep_assert_held(&hv_sim.lock);
	/* RCU only satisfies xas_*(); hv_sim.lock keeps the table still. */
	rcu_read_lock();
	pte = xas_find(&xas, ULONG_MAX);
	found = pte;
	if (found) {
		*index = xas.xa_index;
		*pfn = hv_sim_pte_pfn(pte);
		*flags = hv_sim_pte_flags(pte);
		*pages = 1;
		while ((pte = xas_next(&xas)) &&
		       hv_sim_pte_pfn(pte) == *pfn + *pages &&
		       hv_sim_pte_flags(pte) == *flags)
			++*pages;
	}
	rcu_read_unlock();
	return found;
}
