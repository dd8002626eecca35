// SPDX-License-Identifier: GPL-2.0
/*
 * hv_iommu hypercall layer.  Every hypercall the driver makes is built and
 * issued here, through hv_iommu_backend, in the TLFS ABI (include/hv_abi.h):
 *
 *  - the input page is filled and the call issued with interrupts disabled;
 *  - a rep hypercall carries at most one input page of page numbers
 *    (HV_MAP_DEVICE_GPA_PAGES_MAX for map, HV_DEPOSIT_MEMORY_MAX for deposit)
 *    and never a rep count over HV_HC_REP_MAX; longer requests are chunked;
 *  - a time-slice return (SUCCESS with reps completed < rep count) is
 *    re-issued from the first uncompleted rep (rep start index = reps
 *    completed, which the hypervisor counts from the start of the list);
 *  - HV_STATUS_INSUFFICIENT_MEMORY: interrupts are enabled again, pages are
 *    deposited to this partition with HVCALL_DEPOSIT_MEMORY and the call is
 *    retried from the first uncompleted rep, at most HV_IOMMU_DEPOSIT_TRIES
 *    times in a row.  Not when every rep completed (nothing is left to
 *    retry: the call did its work), and not from a caller that cannot sleep
 *    (GFP_ATOMIC): that call fails with -ENOMEM and a work item deposits
 *    from process context, so that the next one finds the memory;
 *  - deposits ahead of need: the driver keeps an estimate of the pages the
 *    hypervisor has left for it (what it deposited, less one page per 2 MiB
 *    IOVA block its device domains newly map: the leaf table a stage-2
 *    table needs, given back when the block is empty again; zero after an
 *    INSUFFICIENT_MEMORY) and, below HV_IOMMU_DEPOSIT_LOW, a work item tops
 *    it up to HV_IOMMU_DEPOSIT_HIGH from process context.  Maps, atomic ones
 *    included, so rarely meet INSUFFICIENT_MEMORY round trips;
 *  - HV_STATUS values map to errno in one table and every failure is logged
 *    by one helper, with the status name.
 */
#include "hv_iommu.h"

#include <linux/gfp.h>
#include <linux/irqflags.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>

struct hv_status_info {
	u16 status;
	const char *name;
	int err;
};

#define HV_STATUS_ENTRY(s, e) { HV_STATUS_##s, "HV_STATUS_" #s, e }

/* The one HV_STATUS -> errno table. */
static const struct hv_status_info hv_status_table[] = {
	HV_STATUS_ENTRY(SUCCESS, 0),
	HV_STATUS_ENTRY(INVALID_HYPERCALL_CODE, -EOPNOTSUPP),
	HV_STATUS_ENTRY(INVALID_HYPERCALL_INPUT, -EINVAL),
	HV_STATUS_ENTRY(INVALID_ALIGNMENT, -EINVAL),
	HV_STATUS_ENTRY(INVALID_PARAMETER, -EINVAL),
	HV_STATUS_ENTRY(ACCESS_DENIED, -EACCES),
	HV_STATUS_ENTRY(INVALID_PARTITION_STATE, -EBADFD),
	HV_STATUS_ENTRY(OPERATION_DENIED, -EPERM),
	HV_STATUS_ENTRY(INSUFFICIENT_MEMORY, -ENOMEM),
	HV_STATUS_ENTRY(INVALID_PARTITION_ID, -EINVAL),
	HV_STATUS_ENTRY(INVALID_VP_INDEX, -EINVAL),
	HV_STATUS_ENTRY(NOT_FOUND, -ENOENT),
	HV_STATUS_ENTRY(OBJECT_IN_USE, -EBUSY),
	HV_STATUS_ENTRY(NO_RESOURCES, -ENOSPC),
	HV_STATUS_ENTRY(OPERATION_FAILED, -EIO),
};

static const struct hv_status_info *hv_status_info(u16 status)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hv_status_table); i++)
		if (hv_status_table[i].status == status)
			return &hv_status_table[i];
	return NULL;
}

/**
 * hv_status_name() - name of a hypercall status
 * @status: HV_STATUS_* value.
 *
 * Return: "HV_STATUS_..." for known codes, "HV_STATUS_UNKNOWN" otherwise.
 */
const char *hv_status_name(u16 status)
{
	const struct hv_status_info *si = hv_status_info(status);

	return si ? si->name : "HV_STATUS_UNKNOWN";
}

static int hv_status_to_errno(u16 status)
{
	const struct hv_status_info *si = hv_status_info(status);

	return si ? si->err : -EIO;
}

/* Statistics, per call code the driver uses and per status seen. */
struct hv_call_stats {
	u16 code;
	const char *name;
	atomic64_t calls;
	atomic64_t reps;
	atomic64_t failures;
};

#define HV_CALL_ENTRY(c, n) { .code = HVCALL_##c, .name = n }

static struct hv_call_stats hv_call_stats[] = {
	HV_CALL_ENTRY(CREATE_PARTITION, "create_partition"),
	HV_CALL_ENTRY(INITIALIZE_PARTITION, "initialize_partition"),
	HV_CALL_ENTRY(FINALIZE_PARTITION, "finalize_partition"),
	HV_CALL_ENTRY(DELETE_PARTITION, "delete_partition"),
	HV_CALL_ENTRY(DEPOSIT_MEMORY, "deposit_memory"),
	HV_CALL_ENTRY(WITHDRAW_MEMORY, "withdraw_memory"),
	HV_CALL_ENTRY(MAP_GPA_PAGES, "map_gpa_pages"),
	HV_CALL_ENTRY(UNMAP_GPA_PAGES, "unmap_gpa_pages"),
	HV_CALL_ENTRY(CREATE_VP, "create_vp"),
	HV_CALL_ENTRY(DELETE_VP, "delete_vp"),
	HV_CALL_ENTRY(DISPATCH_VP, "dispatch_vp"),
	HV_CALL_ENTRY(MAP_VP_STATE_PAGE, "map_vp_state_page"),
	HV_CALL_ENTRY(UNMAP_VP_STATE_PAGE, "unmap_vp_state_page"),
	HV_CALL_ENTRY(ATTACH_DEVICE, "attach_device"),
	HV_CALL_ENTRY(DETACH_DEVICE, "detach_device"),
	HV_CALL_ENTRY(CREATE_DEVICE_DOMAIN, "create_device_domain"),
	HV_CALL_ENTRY(ATTACH_DEVICE_DOMAIN, "attach_device_domain"),
	HV_CALL_ENTRY(MAP_DEVICE_GPA_PAGES, "map_device_gpa_pages"),
	HV_CALL_ENTRY(UNMAP_DEVICE_GPA_PAGES, "unmap_device_gpa_pages"),
	HV_CALL_ENTRY(DETACH_DEVICE_DOMAIN, "detach_device_domain"),
	HV_CALL_ENTRY(DELETE_DEVICE_DOMAIN, "delete_device_domain"),
};

/* Non-success statuses seen; HV status codes are 16 bits, all fit. */
#define HV_STATUS_SLOTS		32
static struct {
	u16 status;
	atomic64_t count;
} hv_status_seen[HV_STATUS_SLOTS];
static DEFINE_SPINLOCK(hv_status_seen_lock);

static atomic64_t hv_deposit_calls;
static atomic64_t hv_deposit_pages;
static atomic64_t hv_deposit_deferred;
static atomic64_t hv_resumes;
static atomic64_t hv_deposit_ahead;
/* Pages the hypervisor is believed to have left for this partition. */
static atomic_long_t hv_deposit_credit = ATOMIC_LONG_INIT(0);

static struct hv_call_stats *hv_call_stats_get(u16 code)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hv_call_stats); i++)
		if (hv_call_stats[i].code == code)
			return &hv_call_stats[i];
	return NULL;
}

static void hv_status_count(u16 status)
{
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&hv_status_seen_lock, flags);
	for (i = 0; i < HV_STATUS_SLOTS; i++) {
		if (!hv_status_seen[i].status)
			hv_status_seen[i].status = status;
		if (hv_status_seen[i].status == status) {
			atomic64_inc(&hv_status_seen[i].count);
			break;
		}
	}
	spin_unlock_irqrestore(&hv_status_seen_lock, flags);
}

static void hv_call_count(u16 code, u16 status, u32 reps)
{
	struct hv_call_stats *cs = hv_call_stats_get(code);

	if (cs) {
		atomic64_inc(&cs->calls);
		atomic64_add(reps, &cs->reps);
		if (status != HV_STATUS_SUCCESS)
			atomic64_inc(&cs->failures);
	}
	if (status != HV_STATUS_SUCCESS)
		hv_status_count(status);
}

/**
 * hv_hcall_stats_snapshot() - copy the hypercall counters
 * @snap: filled with every call code's counters, the statuses seen, the
 *	deposit, resume and pinned-leaked totals (pages).
 *
 * Read by debugfs "stats" and the netlink stats-get dump, so that both say
 * the same.  Counters are read one by one, not as one atomic picture.
 *
 * Context: any; takes hv_status_seen_lock briefly.
 */
void hv_hcall_stats_snapshot(struct hv_hcall_snapshot *snap)
{
	unsigned long flags;
	unsigned int i;

	BUILD_BUG_ON(ARRAY_SIZE(hv_call_stats) > ARRAY_SIZE(snap->call));
	BUILD_BUG_ON(ARRAY_SIZE(snap->status) < HV_STATUS_SLOTS);
	for (i = 0; i < ARRAY_SIZE(hv_call_stats); i++) {
		struct hv_call_stats *cs = &hv_call_stats[i];

		snap->call[i].name = cs->name;
		snap->call[i].code = cs->code;
		snap->call[i].calls = atomic64_read(&cs->calls);
		snap->call[i].reps = atomic64_read(&cs->reps);
		snap->call[i].failures = atomic64_read(&cs->failures);
	}
	snap->ncalls = i;
	snap->nstatus = 0;
	spin_lock_irqsave(&hv_status_seen_lock, flags);
	for (i = 0; i < HV_STATUS_SLOTS && hv_status_seen[i].status; i++) {
		snap->status[i].status = hv_status_seen[i].status;
		snap->status[i].count = atomic64_read(&hv_status_seen[i].count);
		snap->nstatus++;
	}
	spin_unlock_irqrestore(&hv_status_seen_lock, flags);
	snap->deposit_calls = atomic64_read(&hv_deposit_calls);
	snap->deposit_pages = atomic64_read(&hv_deposit_pages);
	snap->deposit_deferred = atomic64_read(&hv_deposit_deferred);
	snap->deposit_ahead = atomic64_read(&hv_deposit_ahead);
	snap->deposit_credit = atomic_long_read(&hv_deposit_credit);
	snap->store_leaves = hv_store_leaves();
	snap->resumes = atomic64_read(&hv_resumes);
	snap->pinned_leaked = atomic64_read(&hv_iommu_pinned_leaked_pages);
	snap->unheld_frames = atomic64_read(&hv_iommu_unheld_frames);
}

/**
 * hv_hcall_stats_show() - print the debugfs "stats" table
 * @m: seq_file to print to.
 *
 * Context: process context (allocates).
 */
void hv_hcall_stats_show(struct seq_file *m)
{
	struct hv_hcall_snapshot *snap = kmalloc(sizeof(*snap), GFP_KERNEL);
	unsigned int i;

	if (!snap) {
		seq_puts(m, "error: out of memory\n");
		return;
	}
	hv_hcall_stats_snapshot(snap);
	for (i = 0; i < snap->ncalls; i++)
		seq_printf(m, "call name=%s code=0x%x calls=%lld reps=%lld failures=%lld\n",
			   snap->call[i].name, snap->call[i].code,
			   snap->call[i].calls, snap->call[i].reps,
			   snap->call[i].failures);
	for (i = 0; i < snap->nstatus; i++)
		seq_printf(m, "status name=%s code=0x%x count=%lld\n",
			   hv_status_name(snap->status[i].status),
			   snap->status[i].status, snap->status[i].count);
	seq_printf(m, "deposits calls=%lld pages=%lld deferred=%lld ahead=%lld credit=%lld\n",
		   snap->deposit_calls, snap->deposit_pages,
		   snap->deposit_deferred, snap->deposit_ahead,
		   snap->deposit_credit);
	seq_printf(m, "store leaves=%lld leaf_bytes=%lld\n", snap->store_leaves,
		   snap->store_leaves * (s64)PAGE_SIZE);
	seq_printf(m, "resumes count=%lld\n", snap->resumes);
	seq_printf(m, "pinned_leaked pages=%lld\n", snap->pinned_leaked);
	seq_printf(m, "unheld_frames count=%lld\n", snap->unheld_frames);
	kfree(snap);
}

/*
 * One hypercall as the layer issues it: a fixed header, then (for rep calls
 * with a list) one u64 page number per rep, either from @list or the run
 * @pfn, @pfn + 1, ...
 */
struct hv_hcall {
	u16 code;
	const void *hdr;
	size_t hdr_size;
	u32 reps;		/* rep count; 0 for a simple hypercall */
	bool has_list;
	const u64 *list;	/* per-rep page numbers, or NULL: a run */
	u64 pfn;		/* first page number of the run */
	gfp_t gfp;		/* for deposits on INSUFFICIENT_MEMORY */
	u64 deposit_id;		/* partition deposits go to; 0: self */
	void *out;		/* copy of the output page, or NULL */
	size_t out_size;	/* bytes of it to copy */
	/* results */
	u32 done;		/* reps completed */
	u16 status;
};

static void hv_hcall_fill(const struct hv_hcall *hc, void *page)
{
	u64 *list = page + hc->hdr_size;
	u32 i;

	memcpy(page, hc->hdr, hc->hdr_size);
	if (!hc->has_list)
		return;
	for (i = 0; i < hc->reps; i++)
		list[i] = hc->list ? hc->list[i] : hc->pfn + i;
}

/*
 * Issue @hc once from rep @hc->done on, with interrupts disabled around
 * filling the input page and the call; time-slice returns are resumed in
 * place.  Leaves the final status in @hc->status and the reps completed in
 * @hc->done.
 */
static void hv_hcall_issue(struct hv_hcall *hc)
{
	const struct hv_backend *be = hv_iommu_backend;
	unsigned long flags;
	u64 control, result;
	void *page, *out;
	u32 reps;

	local_irq_save(flags);
	page = be->input_page();
	out = hc->out ? be->output_page() : NULL;
	hv_hcall_fill(hc, page);
	for (;;) {
		control = hv_control_make(hc->code, hc->reps, hc->done);
		result = be->hypercall(control, page, out);
		hc->status = hv_result_status(result);
		reps = hc->reps ? hv_result_reps(result) : 0;
		/* A hypervisor never reports fewer reps than we started at. */
		if (reps < hc->done || reps > hc->reps)
			reps = hc->done;
		hv_call_count(hc->code, hc->status, reps - hc->done);
		if (hc->status != HV_STATUS_SUCCESS || reps == hc->reps) {
			hc->done = reps;
			break;
		}
		if (reps == hc->done) {
			/* SUCCESS without progress: do not spin for ever. */
			hc->status = HV_STATUS_OPERATION_FAILED;
			break;
		}
		hc->done = reps;
		atomic64_inc(&hv_resumes);
	}
	if (out)
		memcpy(hc->out, out, hc->out_size);
	local_irq_restore(flags);
}

static void hv_hcall_log(u16 code, u16 status, const char *what)
{
	struct hv_call_stats *cs = hv_call_stats_get(code);

	pr_err("%s (%s): %s (0x%x)\n", cs ? cs->name : "hypercall", what,
	       hv_status_name(status), status);
}

static int hv_hcall_deposit(u64 partition_id, u32 npages, gfp_t gfp);

/* Deposits asked for by callers that cannot sleep, made from a worker. */
static void hv_hcall_deposit_work_fn(struct work_struct *work)
{
	long credit;

	while ((credit = atomic_long_read(&hv_deposit_credit)) <
	       HV_IOMMU_DEPOSIT_HIGH) {
		if (hv_hcall_deposit(HV_PARTITION_ID_SELF,
				     clamp_t(long, HV_IOMMU_DEPOSIT_HIGH - credit,
					     1, HV_IOMMU_DEPOSIT_PAGES),
				     GFP_KERNEL))
			break;
		atomic64_inc(&hv_deposit_ahead);
	}
}
static DECLARE_WORK(hv_hcall_deposit_work, hv_hcall_deposit_work_fn);

/**
 * hv_hcall_deposit_need() - account hypervisor pages used or given back
 * @pages: pages this partition's device domains newly need (2 MiB blocks
 *	newly mapped), negative for blocks given back.
 * @gfp: the caller's allocation flags.
 *
 * Tops the deposits up when the estimate of what the hypervisor has left
 * falls below HV_IOMMU_DEPOSIT_LOW (see the file comment): right here when
 * @gfp may sleep, else from a work item.
 *
 * Context: any allowed by @gfp.
 */
void hv_hcall_deposit_need(long pages, gfp_t gfp)
{
	if (atomic_long_sub_return(pages, &hv_deposit_credit) >=
	    HV_IOMMU_DEPOSIT_LOW)
		return;
	if (gfpflags_allow_blocking(gfp))
		hv_hcall_deposit_work_fn(NULL);
	else
		schedule_work(&hv_hcall_deposit_work);
}

/*
 * Issue @hc to completion: resumes, deposits on INSUFFICIENT_MEMORY.
 * Returns 0 or -errno; @hc->status and @hc->done tell the details.
 */
static int hv_hcall_run(struct hv_hcall *hc)
{
	unsigned int tries = 0;

	hc->done = 0;
	for (;;) {
		hv_hcall_issue(hc);
		if (hc->status != HV_STATUS_INSUFFICIENT_MEMORY ||
		    hc->code == HVCALL_DEPOSIT_MEMORY)
			break;
		/* Every rep took effect: done, and a re-issue would be invalid. */
		if (hc->reps && hc->done == hc->reps) {
			hc->status = HV_STATUS_SUCCESS;
			break;
		}
		atomic_long_set(&hv_deposit_credit, 0);
		if (tries++ == HV_IOMMU_DEPOSIT_TRIES)
			break;
		/* Not from the atomic reserves: deposit ahead, fail this one. */
		if (!gfpflags_allow_blocking(hc->gfp)) {
			atomic64_inc(&hv_deposit_deferred);
			if (!hc->deposit_id)
				schedule_work(&hv_hcall_deposit_work);
			break;
		}
		if (hv_hcall_deposit(hc->deposit_id ?: HV_PARTITION_ID_SELF,
				     HV_IOMMU_DEPOSIT_PAGES, hc->gfp))
			break;
	}
	return hv_status_to_errno(hc->status);
}

/*
 * Give @npages pages to the hypervisor for @partition_id.  Pages the
 * hypervisor accepted are its own from then on; the rest are freed.
 */
static int hv_hcall_deposit(u64 partition_id, u32 npages, gfp_t gfp)
{
	struct hv_input_deposit_memory hdr = { .partition_id = partition_id };
	struct hv_hcall hc = {
		.code = HVCALL_DEPOSIT_MEMORY,
		.hdr = &hdr,
		.hdr_size = sizeof(hdr),
		.has_list = true,
		.gfp = gfp,
	};
	u64 *pfns;
	u32 i, n;
	int ret;

	npages = min_t(u32, npages, HV_DEPOSIT_MEMORY_MAX);
	pfns = kmalloc_array(npages, sizeof(*pfns), gfp);
	if (!pfns)
		return -ENOMEM;
	for (n = 0; n < npages; n++) {
		struct page *pg = alloc_page(gfp | __GFP_NOWARN);

		if (!pg)
			break;
		pfns[n] = page_to_pfn(pg);
	}
	ret = -ENOMEM;
	if (n) {
		hc.reps = n;
		hc.list = pfns;
		atomic64_inc(&hv_deposit_calls);
		ret = hv_hcall_run(&hc);
		atomic64_add(hc.done, &hv_deposit_pages);
		if (partition_id == HV_PARTITION_ID_SELF)
			atomic_long_add(hc.done, &hv_deposit_credit);
		if (ret)
			hv_hcall_log(hc.code, hc.status, "deposit");
	}
	for (i = hc.done; i < n; i++)
		__free_page(pfn_to_page(pfns[i]));
	kfree(pfns);
	return ret;
}

static void hv_device_domain_input(struct hv_input_device_domain *dd, u32 id)
{
	dd->partition_id = HV_PARTITION_ID_SELF;
	dd->domain_id = hv_device_domain_id_make(HV_DEVICE_DOMAIN_TYPE_S2, id);
}

/* Run a simple (no rep) hypercall with header @hdr; log a failure. */
static int hv_hcall_simple(u16 code, const void *hdr, size_t size,
			   u16 *status, const char *what)
{
	struct hv_hcall hc = {
		.code = code,
		.hdr = hdr,
		.hdr_size = size,
		.gfp = GFP_KERNEL,
	};
	int ret = hv_hcall_run(&hc);

	if (ret)
		hv_hcall_log(code, hc.status, what);
	if (status)
		*status = hc.status;
	return ret;
}

/**
 * hv_hcall_create_device_domain() - HVCALL_CREATE_DEVICE_DOMAIN
 * @id: stage-2 device domain id to create, owned by this partition.
 *
 * Context: process context, may sleep (deposits allocate with GFP_KERNEL).
 * Return: 0, or -errno mapped from the HV_STATUS (logged).
 */
int hv_hcall_create_device_domain(u32 id)
{
	struct hv_input_create_device_domain in = {};

	hv_device_domain_input(&in.device_domain, id);
	return hv_hcall_simple(HVCALL_CREATE_DEVICE_DOMAIN, &in, sizeof(in),
			       NULL, "create");
}

/**
 * hv_hcall_delete_device_domain() - HVCALL_DELETE_DEVICE_DOMAIN
 * @id: stage-2 device domain id to delete; it must have no device left.
 *
 * Context: process context, may sleep.
 * Return: 0, or -errno mapped from the HV_STATUS (logged).
 */
int hv_hcall_delete_device_domain(u32 id)
{
	struct hv_input_delete_device_domain in = {};

	hv_device_domain_input(&in.device_domain, id);
	return hv_hcall_simple(HVCALL_DELETE_DEVICE_DOMAIN, &in, sizeof(in),
			       NULL, "delete");
}

/**
 * hv_hcall_attach_device_domain() - HVCALL_ATTACH_DEVICE_DOMAIN
 * @id: stage-2 device domain id (HV_DEVICE_DOMAIN_ID_S2_NULL to block).
 * @device_id: PCI-form union hv_device_id.
 * @status: if not NULL, set to the final HV_STATUS.
 *
 * The device must be in the default domain (see
 * hv_hcall_detach_device_domain()).
 *
 * Context: process context, may sleep.
 * Return: 0, or -errno mapped from the HV_STATUS (logged).
 */
int hv_hcall_attach_device_domain(u32 id, u64 device_id, u16 *status)
{
	struct hv_input_attach_device_domain in = { .device_id = device_id };

	hv_device_domain_input(&in.device_domain, id);
	return hv_hcall_simple(HVCALL_ATTACH_DEVICE_DOMAIN, &in, sizeof(in),
			       status, "attach");
}

/**
 * hv_hcall_detach_device_domain() - HVCALL_DETACH_DEVICE_DOMAIN
 * @device_id: PCI-form union hv_device_id.
 * @status: if not NULL, set to the final HV_STATUS.
 *
 * Moves the device from its device domain (or the null domain) back to the
 * hypervisor's default domain 0.
 *
 * Context: process context, may sleep.
 * Return: 0, or -errno mapped from the HV_STATUS (logged).
 */
int hv_hcall_detach_device_domain(u64 device_id, u16 *status)
{
	struct hv_input_detach_device_domain in = {
		.partition_id = HV_PARTITION_ID_SELF,
		.device_id = device_id,
	};

	return hv_hcall_simple(HVCALL_DETACH_DEVICE_DOMAIN, &in, sizeof(in),
			       status, "detach");
}

/**
 * hv_hcall_attach_device() - HVCALL_ATTACH_DEVICE (direct attach)
 * @partition_id: the guest partition.
 * @device_id: PCI-form union hv_device_id.
 * @logical_id: the logical device id the device is known by from now on.
 * @status: if not NULL, set to the final HV_STATUS.
 *
 * Context: process context, may sleep.
 * Return: 0, or -errno mapped from the HV_STATUS (logged).
 */
int hv_hcall_attach_device(u64 partition_id, u64 device_id, u64 logical_id,
			   u16 *status)
{
	struct hv_input_attach_device in = {
		.partition_id = partition_id,
		.device_id = device_id,
		.flags = HV_ATTACH_DEVICE_FLAG_LOGICAL_ID,
		.logical_devid = logical_id,
	};

	return hv_hcall_simple(HVCALL_ATTACH_DEVICE, &in, sizeof(in), status,
			       "attach");
}

/**
 * hv_hcall_detach_device() - HVCALL_DETACH_DEVICE (direct attach)
 * @partition_id: the guest partition the device is attached to.
 * @logical_id: the logical device id given at attach.
 * @status: if not NULL, set to the final HV_STATUS.
 *
 * Context: process context, may sleep.
 * Return: 0, or -errno mapped from the HV_STATUS (logged).
 */
int hv_hcall_detach_device(u64 partition_id, u64 logical_id, u16 *status)
{
	struct hv_input_detach_device in = {
		.partition_id = partition_id,
		.logical_devid = logical_id,
	};

	return hv_hcall_simple(HVCALL_DETACH_DEVICE, &in, sizeof(in), status,
			       "detach");
}

/*
 * Run a map or unmap over @npages pages in chunks of at most @max reps:
 * the IOVA in the header (*@va) and the frame run advance with each chunk.
 */
static int hv_hcall_run_pages(struct hv_hcall *hc, u64 *va, u64 iova,
			      u64 pfn, u64 npages, u32 max, u64 *done,
			      u16 *status)
{
	int ret = 0;

	*done = 0;
	hc->status = HV_STATUS_SUCCESS;
	while (*done < npages) {
		hc->reps = min_t(u64, npages - *done, max);
		hc->pfn = pfn + *done;
		*va = iova + (*done << HV_HYP_PAGE_SHIFT);
		ret = hv_hcall_run(hc);
		*done += hc->done;
		if (ret)
			break;
	}
	*status = hc->status;
	return ret;
}

/**
 * hv_hcall_map_device_gpa_pages() - HVCALL_MAP_DEVICE_GPA_PAGES
 * @id: stage-2 device domain id.
 * @iova: first IOVA (bytes, 4 KiB aligned).
 * @pfn: first page frame number; page i of the run maps @pfn + i.
 * @npages: number of 4 KiB pages.
 * @flags: HV_MAP_GPA_* flags (READABLE is required).
 * @gfp: allocation flags for deposits on HV_STATUS_INSUFFICIENT_MEMORY
 *	(none from atomic context, see hv_hcall_run()).
 * @done: set to the number of pages mapped, on success and on failure.
 * @status: set to the final HV_STATUS.
 *
 * Issued in chunks of at most HV_MAP_DEVICE_GPA_PAGES_MAX reps.  On failure
 * the first *@done pages stay mapped.
 *
 * Context: any when @gfp allows; interrupts are disabled per chunk.
 * Return: 0, or -errno mapped from the HV_STATUS (not logged here: the
 * caller names the domain, device and IOVA).
 */
int hv_hcall_map_device_gpa_pages(u32 id, u64 iova, u64 pfn, u64 npages,
				  u32 flags, gfp_t gfp, u64 *done, u16 *status)
{
	struct hv_input_map_device_gpa_pages in = {
		.map_flags = flags,
	};
	struct hv_hcall hc = {
		.code = HVCALL_MAP_DEVICE_GPA_PAGES,
		.hdr = &in,
		.hdr_size = sizeof(in),
		.has_list = true,
		.gfp = gfp,
	};

	hv_device_domain_input(&in.device_domain, id);
	return hv_hcall_run_pages(&hc, &in.target_device_va_base, iova, pfn,
				  npages, HV_MAP_DEVICE_GPA_PAGES_MAX, done,
				  status);
}

/**
 * hv_hcall_unmap_device_gpa_pages() - HVCALL_UNMAP_DEVICE_GPA_PAGES
 * @id: stage-2 device domain id.
 * @iova: first IOVA (bytes, 4 KiB aligned).
 * @npages: number of 4 KiB pages.
 * @gfp: allocation flags for deposits, as for the map.
 * @done: set to the number of pages unmapped, on success and on failure.
 * @status: set to the final HV_STATUS.
 *
 * Issued in chunks of at most HV_HC_REP_MAX reps (the call has no list, the
 * rep count field is 12 bits).
 *
 * Context: any when @gfp allows; interrupts are disabled per chunk.
 * Return: 0, or -errno mapped from the HV_STATUS (not logged here).
 */
int hv_hcall_unmap_device_gpa_pages(u32 id, u64 iova, u64 npages, gfp_t gfp,
				    u64 *done, u16 *status)
{
	struct hv_input_unmap_device_gpa_pages in = {};
	struct hv_hcall hc = {
		.code = HVCALL_UNMAP_DEVICE_GPA_PAGES,
		.hdr = &in,
		.hdr_size = sizeof(in),
		.gfp = gfp,
	};

	hv_device_domain_input(&in.device_domain, id);
	return hv_hcall_run_pages(&hc, &in.target_device_va_base, iova, 0,
				  npages, HV_HC_REP_MAX, done, status);
}

/**
 * hv_hcall() - issue one hypercall for another module (hv_vmm)
 * @args: the call: code, fixed input, optional per-rep list, output buffer,
 *	the partition that gets deposits; @args->done and @args->status are
 *	set on return.
 *
 * The same path as the driver's own calls: the input page is filled with
 * interrupts disabled, time-slice returns are resumed, and
 * HV_STATUS_INSUFFICIENT_MEMORY deposits pages (HVCALL_DEPOSIT_MEMORY to
 * @args->deposit_id) and retries.  @args->hdr_size plus 8 bytes per rep of
 * @args->list must fit one input page, @args->out_size the output page;
 * callers chunk longer requests.  Failures are not logged here: the caller
 * knows what the call was for (hv_status_name() names the status).
 *
 * Context: process context if @args->gfp may sleep; interrupts are
 * disabled while the call is issued.
 * Return: 0, or -errno mapped from the final HV_STATUS.
 */
int hv_hcall(struct hv_hcall_args *args)
{
	struct hv_hcall hc = {
		.code = args->code,
		.hdr = args->hdr,
		.hdr_size = args->hdr_size,
		.reps = args->reps,
		.has_list = !!args->list,
		.list = args->list,
		.gfp = args->gfp,
		.deposit_id = args->deposit_id,
		.out = args->out,
		.out_size = args->out_size,
	};
	int ret;

	if (WARN_ON_ONCE(args->hdr_size + (args->list ? args->reps * sizeof(u64) : 0) >
			 HV_HYP_PAGE_SIZE || args->out_size > HV_HYP_PAGE_SIZE ||
			 args->reps > HV_HC_REP_MAX))
		return -EINVAL;
	if (args->out && !hv_iommu_backend->output_page)
		return -EOPNOTSUPP;
	ret = hv_hcall_run(&hc);
	args->done = hc.done;
	args->status = hc.status;
	return ret;
}
EXPORT_SYMBOL_NS_GPL(hv_hcall, HV_IOMMU_NS);
EXPORT_SYMBOL_NS_GPL(hv_status_name, HV_IOMMU_NS);
