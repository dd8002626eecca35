// SPDX-License-Identifier: GPL-2.0
/*
 * Domains: identity (the hypervisor's default stage-2 domain 0), blocked
 * (the null domain 0xFFFFFFFF) and paging domains (a hypervisor device
 * domain, or direct attach to a guest partition), and moving devices
 * between them.
 *
 * The books (which device is in which domain) change only when the
 * hypervisor confirmed: a refused detach leaves the device where it was,
 * marked detach-failed with the status, and the attach that needed it fails.
 */
#include "hv_iommu.h"

#include <linux/dma-mapping.h>
#include <linux/idr.h>
#include <linux/slab.h>
#include <linux/string.h>

static void hv_iommu_static_domain_free(struct iommu_domain *domain)
{
	/* identity and blocked are static; nothing to free. */
}

static int hv_iommu_attach_dev(HV_COMPAT_ATTACH_DEV_PARAMS(domain, dev));
static void hv_iommu_detach_dev(struct iommu_domain *domain,
				struct device *dev);

static const struct iommu_domain_ops hv_iommu_static_ops = {
	.attach_dev = hv_iommu_attach_dev,
	HV_COMPAT_DOMAIN_OPS_DETACH(hv_iommu_detach_dev)
	.free = hv_iommu_static_domain_free,
};

#define HV_IOMMU_STATIC_DOMAIN(name, t, k, i) {				\
	.domain = { .type = (t), .ops = &hv_iommu_static_ops },		\
	.kind = (k),							\
	.id = (i),							\
	.devices = LIST_HEAD_INIT(name.devices),			\
	.mode = HV_IOMMU_MODE_DOMAIN,					\
	.partition_id = HV_PARTITION_ID_SELF,				\
	.lock = __SPIN_LOCK_UNLOCKED(name.lock),			\
	.store = XARRAY_INIT(name.store, 0),				\
}

/* The hypervisor's default domain: every device starts in it. */
struct hv_iommu_domain hv_iommu_identity =
	HV_IOMMU_STATIC_DOMAIN(hv_iommu_identity, IOMMU_DOMAIN_IDENTITY,
			       HV_IOMMU_KIND_IDENTITY,
			       HV_DEVICE_DOMAIN_ID_S2_DEFAULT);

/* The null domain: blocks all DMA. */
struct hv_iommu_domain hv_iommu_blocked =
	HV_IOMMU_STATIC_DOMAIN(hv_iommu_blocked, IOMMU_DOMAIN_BLOCKED,
			       HV_IOMMU_KIND_BLOCKED,
			       HV_DEVICE_DOMAIN_ID_S2_NULL);

/* Paging domains (live and stranded), sorted by id; under hv_iommu_lock. */
LIST_HEAD(hv_iommu_paging_domains);
atomic_t hv_iommu_domains_in_use = ATOMIC_INIT(0);
static DEFINE_IDA(hv_iommu_domain_ida);

/**
 * hv_iommu_mode_name() - name of a paging domain mode, as in debugfs
 * @mode: the mode.
 *
 * Return: "none", "domain" or "direct".
 */
const char *hv_iommu_mode_name(enum hv_iommu_mode mode)
{
	switch (mode) {
	case HV_IOMMU_MODE_DOMAIN:
		return "domain";
	case HV_IOMMU_MODE_DIRECT:
		return "direct";
	default:
		return "none";
	}
}

static void hv_iommu_domain_destroy(struct hv_iommu_domain *hvdom);

/*
 * Stranded domains no device is in any more are kept only because the
 * hypervisor refused to delete them: ask again, so that one refusal does
 * not keep the record and the hypervisor's domain for good.  Caller holds
 * hv_iommu_lock.
 */
static void hv_iommu_domains_retry_stranded(void)
{
	struct hv_iommu_domain *pos, *tmp;

	list_for_each_entry_safe(pos, tmp, &hv_iommu_paging_domains, list)
		if (pos->stranded && list_empty(&pos->devices))
			hv_iommu_domain_destroy(pos);
}

/**
 * hv_iommu_domain_alloc_paging() - allocate a paging domain
 * @dev: the device it is for (unused; may be NULL).
 *
 * The domain starts in mode none; its mode and, in device-domain mode, the
 * hypervisor device domain are settled at its first attach.  Its mappings
 * file appears in debugfs once it is initialised.  Stranded domains left
 * without a device are deleted again first.
 *
 * Context: process context.
 * Return: the iommu_domain, or ERR_PTR(-ENOMEM/-ENOSPC).
 */
struct iommu_domain *hv_iommu_domain_alloc_paging(struct device *dev)
{
	struct hv_iommu_domain *hvdom, *pos;
	int id;

	hvdom = kzalloc(sizeof(*hvdom), GFP_KERNEL);
	if (!hvdom)
		return ERR_PTR(-ENOMEM);
	id = ida_alloc_range(&hv_iommu_domain_ida, 1, INT_MAX, GFP_KERNEL);
	if (id < 0) {
		kfree(hvdom);
		return ERR_PTR(id == -ENOMEM ? -ENOMEM : -ENOSPC);
	}
	hvdom->kind = HV_IOMMU_KIND_PAGING;
	hvdom->id = id;
	hvdom->mode = HV_IOMMU_MODE_NONE;
	INIT_LIST_HEAD(&hvdom->devices);
	spin_lock_init(&hvdom->lock);
	xa_init(&hvdom->store);
	hvdom->domain.ops = &hv_iommu_paging_ops;
	hvdom->domain.pgsize_bitmap = SZ_4K;
	hvdom->domain.geometry.aperture_start = 0;
	hvdom->domain.geometry.aperture_end = DMA_BIT_MASK(HV_IOMMU_IOVA_BITS);
	hvdom->domain.geometry.force_aperture = true;

	mutex_lock(&hv_iommu_lock);
	hv_iommu_domains_retry_stranded();
	list_for_each_entry(pos, &hv_iommu_paging_domains, list)
		if (pos->id > hvdom->id)
			break;
	list_add_tail(&hvdom->list, &pos->list);
	atomic_inc(&hv_iommu_domains_in_use);
	hv_iommu_debugfs_add_domain(hvdom);
	hv_iommu_nl_domain_event(HV_IOMMU_EVENT_DOMAIN_CREATED, hvdom);
	mutex_unlock(&hv_iommu_lock);
	return &hvdom->domain;
}

/**
 * hv_iommu_domain_alloc() - allocate a domain by type (6.1's domain_alloc)
 * @type: IOMMU_DOMAIN_IDENTITY, _BLOCKED or _UNMANAGED.
 *
 * Identity and blocked are the static domains; the core's writes of type,
 * ops and pgsize_bitmap into them store what is already there.
 *
 * Context: process context.
 * Return: the domain, or NULL for other types or on allocation failure.
 */
struct iommu_domain *hv_iommu_domain_alloc(unsigned int type)
{
	struct iommu_domain *domain;

	switch (type) {
	case IOMMU_DOMAIN_IDENTITY:
		return &hv_iommu_identity.domain;
	case IOMMU_DOMAIN_BLOCKED:
		return &hv_iommu_blocked.domain;
	case IOMMU_DOMAIN_UNMANAGED:
		domain = hv_iommu_domain_alloc_paging(NULL);
		return IS_ERR(domain) ? NULL : domain;
	default:
		return NULL;
	}
}

/* Record a domain's first device for its log lines (hv_iommu_domain.bdf). */
static void hv_iommu_domain_note_device(struct hv_iommu_domain *hvdom)
{
	struct hv_iommu_dev *first;
	unsigned long flags;

	first = list_first_entry_or_null(&hvdom->devices, struct hv_iommu_dev,
					 domain_node);
	spin_lock_irqsave(&hvdom->lock, flags);
	strscpy(hvdom->bdf, first ? first->bdf : "", sizeof(hvdom->bdf));
	spin_unlock_irqrestore(&hvdom->lock, flags);
}

/*
 * Leave the device's current domain for the default one.  A stranded
 * domain whose last device leaves is destroyed.
 */
static int hv_iommu_dev_leave(struct hv_iommu_dev *hd)
{
	struct hv_iommu_domain *from = hd->domain;
	u16 status = HV_STATUS_SUCCESS;
	int ret;

	if (from->kind == HV_IOMMU_KIND_IDENTITY)
		return 0;
	if (from->mode == HV_IOMMU_MODE_DIRECT)
		ret = hv_iommu_direct_detach(hd, &status);
	else
		ret = hv_hcall_detach_device_domain(hd->device_id, &status);
	if (ret) {
		hd->state = HV_IOMMU_DEV_DETACH_FAILED;
		hd->status = status;
		hv_iommu_nl_device_event(HV_IOMMU_EVENT_DEVICE_DETACH_FAILED,
					 hd, from);
		if (hd->dev)
			dev_err(hd->dev, "hypervisor refused to detach from domain %u: %s\n",
				from->id, hv_status_name(status));
		else
			pr_err("%s: hypervisor refused to detach from domain %u: %s\n",
			       hd->bdf, from->id, hv_status_name(status));
		return ret;
	}
	hd->state = HV_IOMMU_DEV_ATTACHED;
	hd->status = HV_STATUS_SUCCESS;
	list_move_tail(&hd->domain_node, &hv_iommu_identity.devices);
	hd->domain = &hv_iommu_identity;
	hv_iommu_domain_note_device(from);
	hv_iommu_nl_device_event(HV_IOMMU_EVENT_DEVICE_DETACHED, hd, from);
	return 0;
}

/**
 * hv_iommu_dev_follow() - make a record's books those of a sibling
 * @hd: a function's record.
 * @lead: another function's record with the same device id.
 *
 * The hypervisor knows both functions by one id, so it has them in one
 * place: @hd gets @lead's domain, state, status and logical id.
 *
 * Context: caller holds hv_iommu_lock.
 */
void hv_iommu_dev_follow(struct hv_iommu_dev *hd, struct hv_iommu_dev *lead)
{
	lockdep_assert_held(&hv_iommu_lock);
	if (hd->domain != lead->domain) {
		list_move_tail(&hd->domain_node, &lead->domain->devices);
		hd->domain = lead->domain;
	}
	hd->state = lead->state;
	hd->status = lead->status;
	hd->logical_id = lead->logical_id;
}

/* Every other record with @hd's device id follows @hd. */
static void hv_iommu_dev_siblings_follow(struct hv_iommu_dev *hd)
{
	struct hv_iommu_dev *s;

	list_for_each_entry(s, &hv_iommu_devices, list)
		if (s != hd && s->device_id == hd->device_id)
			hv_iommu_dev_follow(s, hd);
}

/**
 * hv_iommu_dev_has_live_sibling() - does another present function share
 *	@hd's device id
 * @hd: a function's record.
 *
 * Context: caller holds hv_iommu_lock.
 * Return: true if so (the hypervisor state is theirs too).
 */
bool hv_iommu_dev_has_live_sibling(struct hv_iommu_dev *hd)
{
	struct hv_iommu_dev *s;

	lockdep_assert_held(&hv_iommu_lock);
	list_for_each_entry(s, &hv_iommu_devices, list)
		if (s != hd && s->dev && s->device_id == hd->device_id)
			return true;
	return false;
}

/* Settle a paging domain's mode at its first attach; check later ones. */
static int hv_iommu_domain_prepare(struct hv_iommu_dev *hd,
				   struct hv_iommu_domain *hvdom)
{
	enum hv_iommu_mode want = HV_IOMMU_MODE_DOMAIN;
	u64 partition_id = HV_PARTITION_ID_SELF;
	unsigned long flags;
	int ret;

	if (hv_iommu_direct_wanted(hd, &partition_id))
		want = HV_IOMMU_MODE_DIRECT;

	/*
	 * The mode was decided at the first attach and is never re-derived.
	 * A device that does not fit is incompatible with the domain: the
	 * core wants -EINVAL without a dev_err() (iommu.h 6.12, attach_dev).
	 */
	if (hvdom->mode != HV_IOMMU_MODE_NONE) {
		if (hvdom->mode != want || hvdom->partition_id != partition_id) {
			dev_dbg(hd->dev, "domain %u is %s (partition %lld), this device wants %s (partition %lld)\n",
				hvdom->id, hv_iommu_mode_name(hvdom->mode),
				(s64)hvdom->partition_id,
				hv_iommu_mode_name(want), (s64)partition_id);
			return -EINVAL;
		}
		return 0;
	}

	if (want == HV_IOMMU_MODE_DOMAIN && !hv_iommu_policy->device_domains) {
		dev_err(hd->dev, "domain %u: the %s role offers no device domains; only direct attach, which a VMM asks for on its guest partition\n",
			hvdom->id, hv_iommu_policy->name);
		return -EPERM;
	}

	if (want == HV_IOMMU_MODE_DIRECT) {
		spin_lock_irqsave(&hvdom->lock, flags);
		hvdom->partition_id = partition_id;
		hvdom->mode = HV_IOMMU_MODE_DIRECT;
		spin_unlock_irqrestore(&hvdom->lock, flags);
		return 0;
	}

	if (!hvdom->hv_created) {
		ret = hv_hcall_create_device_domain(hvdom->id);
		if (ret)
			return ret;
		spin_lock_irqsave(&hvdom->lock, flags);
		hvdom->hv_created = true;
		hvdom->partition_id = HV_PARTITION_ID_SELF;
		spin_unlock_irqrestore(&hvdom->lock, flags);
	}
	/* Map what was mapped before the attach; sets the mode. */
	ret = hv_iommu_replay(hvdom);
	/*
	 * The hypervisor drops the domain's mappings only once it deleted the
	 * domain; until then the nodes it maps stay marked in_hv (a later
	 * unmap or replay deals with them).
	 */
	if (ret && !hv_hcall_delete_device_domain(hvdom->id)) {
		hv_iommu_mappings_forget_hv(hvdom);
		spin_lock_irqsave(&hvdom->lock, flags);
		hvdom->hv_created = false;
		spin_unlock_irqrestore(&hvdom->lock, flags);
	}
	return ret;
}

/* Enter @to from the default domain; *@status: the refusal's status. */
static int hv_iommu_dev_enter(struct hv_iommu_dev *hd,
			      struct hv_iommu_domain *to, u16 *status)
{
	int ret;

	*status = HV_STATUS_SUCCESS;
	switch (to->kind) {
	case HV_IOMMU_KIND_IDENTITY:
		return 0;
	case HV_IOMMU_KIND_BLOCKED:
		ret = hv_hcall_attach_device_domain(to->id, hd->device_id,
						    status);
		break;
	default:
		if (to->mode == HV_IOMMU_MODE_DIRECT)
			ret = hv_iommu_direct_attach(hd, to);
		else
			ret = hv_hcall_attach_device_domain(to->id,
							    hd->device_id,
							    status);
		break;
	}
	if (ret)
		return ret;
	list_move_tail(&hd->domain_node, &to->devices);
	hd->domain = to;
	hv_iommu_domain_note_device(to);
	hv_iommu_nl_device_event(HV_IOMMU_EVENT_DEVICE_ATTACHED, hd, to);
	return 0;
}

/**
 * hv_iommu_dev_move() - put a device in a domain, in the hypervisor and books
 * @hd: the device record.
 * @to: the domain it should be in.
 *
 * Leaving the current domain (detach to the default domain) comes first;
 * if the hypervisor refuses, the device stays where it was, marked
 * detach-failed.  Between two domains other than the default one this is a
 * hop through domain 0, made with bus mastering off (hop.c); if the
 * hypervisor then refuses the enter, the device goes back where it was (the
 * null domain instead of a stranded domain, which the core no longer
 * knows), so that a failed attach leaves it as the core believes it is;
 * kept out of the blocked domain that way, it is marked detach-failed.  A
 * paging domain's first attach settles its mode (direct when
 * attach_mode=auto and the VMM asked for the device with
 * hv_iommu_direct_request(), else a device domain, created here and filled
 * with the mappings made before).  Moving to the domain the device is
 * already in succeeds at once.  Functions sharing the device id (behind one
 * PCIe-to-PCI bridge) move with it: the hypervisor has one id, in one place,
 * and the core gives their group one domain anyway.  A stranded domain whose
 * last device left is destroyed.
 *
 * Context: process context; caller holds hv_iommu_lock.
 * Return: 0, -EINVAL if @to's mode or partition does not fit this attach,
 * -EPERM if it would need a device domain and the role offers none (L1VH,
 * logged), or -errno from the hypercall that failed.
 */
int hv_iommu_dev_move(struct hv_iommu_dev *hd, struct hv_iommu_domain *to)
{
	struct hv_iommu_domain *from = hd->domain, *back;
	u16 status, ignored;
	bool hopping;
	int ret;

	lockdep_assert_held(&hv_iommu_lock);
	if (from == to)
		return 0;
	if (to->kind == HV_IOMMU_KIND_PAGING) {
		ret = hv_iommu_domain_prepare(hd, to);
		if (ret)
			return ret;
	}
	hopping = from->kind != HV_IOMMU_KIND_IDENTITY &&
		  to->kind != HV_IOMMU_KIND_IDENTITY;
	/* A stranded domain is destroyed below once its last device left. */
	back = from->stranded ? &hv_iommu_blocked : from;
	if (hopping)
		hv_iommu_hop_begin(hd);
	ret = hv_iommu_dev_leave(hd);
	if (!ret) {
		ret = hv_iommu_dev_enter(hd, to, &status);
		if (ret && hopping && hv_iommu_dev_enter(hd, back, &ignored))
			pr_err("%s: could not go back to domain %u after a refused attach to domain %u\n",
			       hd->bdf, back->id, to->id);
		/*
		 * Out of the blocked (or identity) domain the core asked for,
		 * on a path where it cannot fail (hv_iommu_attach_dev()): the
		 * books say so, as for a refused detach.
		 */
		if (ret && to->kind != HV_IOMMU_KIND_PAGING && hd->domain != to) {
			hd->state = HV_IOMMU_DEV_DETACH_FAILED;
			hd->status = status;
			pr_err("%s: hypervisor refused to move it from domain %u to domain %u: %s; it stays in domain %u\n",
			       hd->bdf, hd->domain->id, to->id,
			       hv_status_name(status), hd->domain->id);
		}
	}
	if (hopping)
		hv_iommu_hop_end(hd);
	hv_iommu_dev_siblings_follow(hd);
	if (from->stranded && list_empty(&from->devices))
		hv_iommu_domain_destroy(from);
	return ret;
}

static int hv_iommu_attach_dev(HV_COMPAT_ATTACH_DEV_PARAMS(domain, dev))
{
	struct hv_iommu_domain *to;
	struct hv_iommu_dev *hd;
	int ret;

	/*
	 * Under hv_iommu_lock: 6.1 calls release_device, which frees the
	 * record, without the group mutex that attach runs under.
	 */
	mutex_lock(&hv_iommu_lock);
	hd = dev_iommu_priv_get(dev);
	if (!hd) {
		mutex_unlock(&hv_iommu_lock);
		return -ENODEV;
	}
	to = to_hv_domain(domain);
	ret = hv_iommu_dev_move(hd, to);
	/*
	 * The core attaches its own domains (identity, blocked) on paths that
	 * must not fail (releasing a group, unwinding an error, VFIO's
	 * detach: iommu_detach_group() WARNs, iommu.c 6.12) and can do
	 * nothing but WARN when they do.  If the hypervisor refused to let
	 * the device leave its domain, or to enter the blocked one (it went
	 * back where it was), the books say where it is, detach-failed, and
	 * the domain is kept, stranded, when the core frees it while the
	 * device is still in it; tell the core it is done.
	 */
	if (ret && to->kind != HV_IOMMU_KIND_PAGING && hd->domain != to &&
	    hd->state == HV_IOMMU_DEV_DETACH_FAILED)
		ret = 0;
	if (!ret)
		hd->target = to;
	mutex_unlock(&hv_iommu_lock);
	return ret;
}

/* 6.1 only: the core detaches without attaching another domain. */
static void __maybe_unused hv_iommu_detach_dev(struct iommu_domain *domain,
					       struct device *dev)
{
	struct hv_iommu_dev *hd;

	mutex_lock(&hv_iommu_lock);
	hd = dev_iommu_priv_get(dev);	/* see hv_iommu_attach_dev() */
	if (hd) {
		hd->target = &hv_iommu_identity;
		if (hd->domain == to_hv_domain(domain))
			hv_iommu_dev_move(hd, &hv_iommu_identity);
	}
	mutex_unlock(&hv_iommu_lock);
}

/*
 * Forget a paging domain for good: hypervisor device domain, debugfs file,
 * list, tree, id.  If the hypervisor refuses to delete the device domain the
 * record stays, stranded, with its tree: the hypervisor still has a domain
 * by that id (creating another one with it would fail) and may still map
 * those pages, and the books say so.  Caller holds hv_iommu_lock; no device
 * is in it.
 */
static void hv_iommu_domain_destroy(struct hv_iommu_domain *hvdom)
{
	lockdep_assert_held(&hv_iommu_lock);
	if (hvdom->hv_created && hv_hcall_delete_device_domain(hvdom->id)) {
		hvdom->stranded = true;
		pr_err("domain %u: the hypervisor kept its device domain; kept as stranded, id not reused\n",
		       hvdom->id);
		hv_iommu_nl_domain_event(HV_IOMMU_EVENT_DOMAIN_STRANDED, hvdom);
		return;
	}
	hv_iommu_nl_domain_event(HV_IOMMU_EVENT_DOMAIN_FREED, hvdom);
	hv_iommu_debugfs_remove_domain(hvdom);
	list_del(&hvdom->list);
	ida_free(&hv_iommu_domain_ida, hvdom->id);
	hv_iommu_mappings_free(hvdom);
	atomic_dec(&hv_iommu_domains_in_use);
	kfree(hvdom);
}

static void hv_iommu_domain_free(struct iommu_domain *domain)
{
	struct hv_iommu_domain *hvdom = to_hv_domain(domain);
	struct hv_iommu_dev *hd, *tmp;
	struct hv_iommu_domain *to;
	bool stuck = false;

	mutex_lock(&hv_iommu_lock);
	/* Whatever the hypervisor maps in it goes now, stranded or not. */
	hv_iommu_mappings_unmap_all(hvdom);
	/*
	 * The core moved every device away before freeing; a device still
	 * here is one whose detach the hypervisor refused.  Try once more to
	 * put it where the core believes it is (the blocked domain, say: not
	 * identity while a VFIO user still owns the group); if it is refused
	 * again the record stays, stranded, and is freed when the device
	 * finally leaves (hv_iommu_dev_move()).  A device released meanwhile
	 * has no record left once it is out.
	 */
	while (!stuck && !list_empty(&hvdom->devices)) {
		/* A move takes the device's siblings along: no cursor. */
		hd = list_first_entry(&hvdom->devices, struct hv_iommu_dev,
				      domain_node);
		to = hd->target != hvdom ? hd->target : &hv_iommu_identity;
		stuck = hv_iommu_dev_move(hd, to) && hd->domain == hvdom;
	}
	list_for_each_entry_safe(hd, tmp, &hv_iommu_identity.devices,
				 domain_node) {
		if (!hd->dev) {
			list_del(&hd->domain_node);
			list_del(&hd->list);
			kfree(hd);
		}
	}
	if (list_empty(&hvdom->devices)) {
		hv_iommu_domain_destroy(hvdom);
	} else {
		hvdom->stranded = true;
		pr_err("domain %u freed while the hypervisor still holds a device in it; kept as stranded\n",
		       hvdom->id);
		hv_iommu_nl_domain_event(HV_IOMMU_EVENT_DOMAIN_STRANDED, hvdom);
	}
	mutex_unlock(&hv_iommu_lock);
}

/* The core's map and unmap, counted for netlink events (netlink.c). */
static int hv_iommu_paging_map_pages(struct iommu_domain *domain,
				     unsigned long iova, phys_addr_t paddr,
				     size_t pgsize, size_t pgcount, int prot,
				     gfp_t gfp, size_t *mapped)
{
	int ret = hv_iommu_map_pages(domain, iova, paddr, pgsize, pgcount,
				     prot, gfp, mapped);

	hv_iommu_nl_note_map(to_hv_domain(domain), true, *mapped);
	return ret;
}

static size_t hv_iommu_paging_unmap_pages(struct iommu_domain *domain,
					  unsigned long iova, size_t pgsize,
					  size_t pgcount,
					  struct iommu_iotlb_gather *gather)
{
	size_t done = hv_iommu_unmap_pages(domain, iova, pgsize, pgcount,
					   gather);

	hv_iommu_nl_note_map(to_hv_domain(domain), false, done);
	return done;
}

/* Paging domains. */
const struct iommu_domain_ops hv_iommu_paging_ops = {
	.attach_dev = hv_iommu_attach_dev,
	HV_COMPAT_DOMAIN_OPS_DETACH(hv_iommu_detach_dev)
	.map_pages = hv_iommu_paging_map_pages,
	.unmap_pages = hv_iommu_paging_unmap_pages,
	.iotlb_sync = hv_iommu_iotlb_sync,
	.iova_to_phys = hv_iommu_iova_to_phys,
	.free = hv_iommu_domain_free,
};
