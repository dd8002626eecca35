// SPDX-License-Identifier: GPL-2.0
/*
 * netlink: the "hv_iommu" generic netlink family (spec:
 * doc/netlink/hv_iommu.yaml, enums: uapi/hv_iommu_nl.h).  Dumps of the
 * driver's books for programs, one change (skip-set) and a multicast group
 * of events.  hv_vmm plugs its dumps and events in (hv_nl.h).
 *
 * Validation is the core's: every operation has its own policy (or none:
 * the core's reject-all), the family is strict (resv_start_op 0),
 * and what changes state or shows physical addresses needs CAP_NET_ADMIN
 * (GENL_ADMIN_PERM).
 *
 * Events go out only while someone listens (genl_has_listeners()).  Maps
 * and unmaps, the only ones that come by the million, are not sent one by
 * one: each domain counts calls and bytes per direction, and a delayed work
 * reports them at most once per HV_IOMMU_EVENT_COALESCE_MS (one "map" and
 * one "unmap" event per domain per window, whatever the call rate).  Any
 * other event about a domain reports its counts first, so a listener sees
 * things in the order they happened.  The other events cost hypercalls, a
 * probe, a VP exit or an mm invalidation each, so their rate is bounded by
 * the work behind them; they are sent as they come.  An event that cannot be allocated is counted and the
 * count rides on the next one (HV_IOMMU_A_EVENT_DROPPED).
 */
#include "hv_iommu.h"
#include "hv_iommu_nl.h"
#include "hv_nl.h"

#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>

/* Longest skip list skip-set takes (pci_devs_to_skip's sysfs page). */
#define HV_IOMMU_NL_SKIP_MAX	(PAGE_SIZE - 2)

static struct genl_family hv_iommu_nl_family;
static bool hv_iommu_nl_ready;
static atomic64_t hv_iommu_nl_dropped = ATOMIC64_INIT(0);

/* hv_vmm's dumps, while it is loaded; dumps run under the mutex. */
static DEFINE_MUTEX(hv_iommu_nl_vmm_lock);
static const struct hv_iommu_nl_vmm_ops *hv_iommu_nl_vmm;

enum { HV_IOMMU_NL_GRP_EVENTS };

static const struct genl_multicast_group hv_iommu_nl_mcgrps[] = {
	[HV_IOMMU_NL_GRP_EVENTS] = { .name = HV_IOMMU_MCGRP_EVENTS },
};

static const struct nla_policy hv_iommu_nl_mapping_policy[] = {
	[HV_IOMMU_A_DOMAIN_ID] = { .type = NLA_U32 },
};

static const struct nla_policy hv_iommu_nl_skip_policy[] = {
	[HV_IOMMU_A_SKIP_LIST] = { .type = NLA_NUL_STRING,
				   .len = HV_IOMMU_NL_SKIP_MAX },
};

/**
 * hv_iommu_nl_dump_msg() - start one message of a dump
 * @skb: the dump's buffer.
 * @cb: the dump's callback state.
 * @cmd: HV_IOMMU_CMD_*_GET.
 *
 * Context: a dumpit callback.
 * Return: the genetlink header to fill and genlmsg_end(), or NULL when
 * @skb is full (end this step; the dump goes on in the next).
 */
void *hv_iommu_nl_dump_msg(struct sk_buff *skb, struct netlink_callback *cb,
			   u8 cmd)
{
	return genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			   &hv_iommu_nl_family, NLM_F_MULTI, cmd);
}
EXPORT_SYMBOL_NS_GPL(hv_iommu_nl_dump_msg, HV_IOMMU_NS);

static int hv_iommu_nl_put_u64(struct sk_buff *skb, int attr, u64 v)
{
	return nla_put_u64_64bit(skb, attr, v, HV_IOMMU_A_PAD);
}

/* domain-get */
static int hv_iommu_nl_domain_fill(struct sk_buff *skb,
				   struct hv_iommu_domain *hvdom)
{
	struct hv_iommu_dev *hd;
	u64 bytes, count;

	if (nla_put_u32(skb, HV_IOMMU_A_DOMAIN_ID, hvdom->id) ||
	    nla_put_u32(skb, HV_IOMMU_A_DOMAIN_TYPE, hvdom->kind) ||
	    nla_put_u32(skb, HV_IOMMU_A_DOMAIN_MODE, hvdom->mode))
		return -EMSGSIZE;
	if (hvdom->mode == HV_IOMMU_MODE_DIRECT &&
	    hv_iommu_nl_put_u64(skb, HV_IOMMU_A_PARTITION_ID,
				hvdom->partition_id))
		return -EMSGSIZE;
	list_for_each_entry(hd, &hvdom->devices, domain_node)
		if (nla_put_string(skb, HV_IOMMU_A_DOMAIN_DEVICE, hd->bdf))
			return -EMSGSIZE;
	hv_iommu_mappings_totals(hvdom, &bytes, &count);
	if (hv_iommu_nl_put_u64(skb, HV_IOMMU_A_MAPPED_BYTES, bytes) ||
	    hv_iommu_nl_put_u64(skb, HV_IOMMU_A_MAPPINGS, count))
		return -EMSGSIZE;
	if (hvdom->stranded && nla_put_flag(skb, HV_IOMMU_A_STRANDED))
		return -EMSGSIZE;
	return 0;
}

/* The @i-th domain as debugfs "domains" lists them, or NULL. */
static struct hv_iommu_domain *hv_iommu_nl_domain_nth(unsigned long i)
{
	struct hv_iommu_domain *hvdom;

	if (i == 0)
		return &hv_iommu_identity;
	if (i == 1)
		return &hv_iommu_blocked;
	i -= 2;
	list_for_each_entry(hvdom, &hv_iommu_paging_domains, list)
		if (!i--)
			return hvdom;
	return NULL;
}

static int hv_iommu_nl_domain_dump(struct sk_buff *skb,
				   struct netlink_callback *cb)
{
	struct hv_iommu_domain *hvdom;
	void *hdr;

	mutex_lock(&hv_iommu_lock);
	while ((hvdom = hv_iommu_nl_domain_nth(cb->args[0]))) {
		hdr = hv_iommu_nl_dump_msg(skb, cb, HV_IOMMU_CMD_DOMAIN_GET);
		if (!hdr)
			break;
		if (hv_iommu_nl_domain_fill(skb, hvdom)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0]++;
	}
	mutex_unlock(&hv_iommu_lock);
	return skb->len;
}

/* device-get */
static int hv_iommu_nl_device_fill(struct sk_buff *skb,
				   struct hv_iommu_dev *hd)
{
	if (nla_put_string(skb, HV_IOMMU_A_BDF, hd->bdf) ||
	    hv_iommu_nl_put_u64(skb, HV_IOMMU_A_DEVICE_ID, hd->device_id) ||
	    nla_put_u32(skb, HV_IOMMU_A_DOMAIN_ID, hd->domain->id) ||
	    nla_put_u32(skb, HV_IOMMU_A_DEVICE_STATE, hd->state) ||
	    nla_put_u32(skb, HV_IOMMU_A_HV_STATUS, hd->status))
		return -EMSGSIZE;
	if (hd->domain->mode == HV_IOMMU_MODE_DIRECT &&
	    hv_iommu_nl_put_u64(skb, HV_IOMMU_A_LOGICAL_ID, hd->logical_id))
		return -EMSGSIZE;
	if (hd->direct_partition &&
	    hv_iommu_nl_put_u64(skb, HV_IOMMU_A_DIRECT_PARTITION,
				hd->direct_partition))
		return -EMSGSIZE;
	return 0;
}

static int hv_iommu_nl_device_dump(struct sk_buff *skb,
				   struct netlink_callback *cb)
{
	struct hv_iommu_dev *hd;
	unsigned long i = 0;
	void *hdr;

	mutex_lock(&hv_iommu_lock);
	list_for_each_entry(hd, &hv_iommu_devices, list) {
		if (i++ < cb->args[0])
			continue;
		hdr = hv_iommu_nl_dump_msg(skb, cb, HV_IOMMU_CMD_DEVICE_GET);
		if (!hdr)
			break;
		if (hv_iommu_nl_device_fill(skb, hd)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0]++;
	}
	mutex_unlock(&hv_iommu_lock);
	return skb->len;
}

/*
 * mapping-get: cb->args[0] the domain id, [1] the next IOVA to look up,
 * [2] set once the last mapping went out.  Each dump step sends one
 * message holding as many mappings as the skb takes, each a nested
 * HV_IOMMU_A_MAPPING: a message per mapping would cost a netlink and a
 * generic netlink header, and the reader a message, for each of a
 * million.  Mappings are copied one at a time with
 * hv_iommu_mapping_from() (the domain lock is taken per mapping) under
 * hv_iommu_lock, which keeps the domain from being freed during the step;
 * a domain freed between steps ends the dump.  Memory: one skb per step,
 * whatever the number of mappings.
 */
static struct hv_iommu_domain *hv_iommu_nl_paging_find(u32 id)
{
	struct hv_iommu_domain *hvdom;

	lockdep_assert_held(&hv_iommu_lock);
	list_for_each_entry(hvdom, &hv_iommu_paging_domains, list)
		if (hvdom->id == id)
			return hvdom;
	return NULL;
}

static int hv_iommu_nl_mapping_start(struct netlink_callback *cb)
{
	struct nlattr **attrs = HV_COMPAT_GENL_DUMP_ATTRS(cb);
	struct nlattr *a = attrs[HV_IOMMU_A_DOMAIN_ID];
	bool found;

	if (!a) {
		NL_SET_ERR_ATTR_MISS(cb->extack, NULL, HV_IOMMU_A_DOMAIN_ID);
		NL_SET_ERR_MSG(cb->extack, "mapping-get needs a domain-id");
		return -EINVAL;
	}
	mutex_lock(&hv_iommu_lock);
	found = hv_iommu_nl_paging_find(nla_get_u32(a));
	mutex_unlock(&hv_iommu_lock);
	if (!found) {
		NL_SET_ERR_MSG_ATTR(cb->extack, a, "no paging domain with this id");
		return -ENOENT;
	}
	cb->args[0] = nla_get_u32(a);
	cb->args[1] = 0;
	cb->args[2] = 0;
	return 0;
}

static int hv_iommu_nl_mapping_fill(struct sk_buff *skb,
				    const struct hv_iommu_mapping *m)
{
	u32 flags = m->flags & HV_MAP_GPA_WRITABLE ? HV_IOMMU_MAP_F_WRITE : 0;
	struct nlattr *nest = nla_nest_start(skb, HV_IOMMU_A_MAPPING);

	if (!nest)
		return -EMSGSIZE;
	if (hv_iommu_nl_put_u64(skb, HV_IOMMU_A_IOVA, m->it.start) ||
	    hv_iommu_nl_put_u64(skb, HV_IOMMU_A_IOVA_LAST, m->it.last) ||
	    hv_iommu_nl_put_u64(skb, HV_IOMMU_A_PADDR, m->paddr) ||
	    nla_put_u32(skb, HV_IOMMU_A_MAP_FLAGS, flags)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int hv_iommu_nl_mapping_dump(struct sk_buff *skb,
				    struct netlink_callback *cb)
{
	struct hv_iommu_domain *hvdom;
	struct hv_iommu_mapping copy;
	unsigned int n = 0;
	void *hdr;

	if (cb->args[2])
		return 0;
	mutex_lock(&hv_iommu_lock);
	hvdom = hv_iommu_nl_paging_find(cb->args[0]);
	hdr = hvdom ? hv_iommu_nl_dump_msg(skb, cb, HV_IOMMU_CMD_MAPPING_GET) : NULL;
	if (hdr && nla_put_u32(skb, HV_IOMMU_A_DOMAIN_ID, hvdom->id)) {
		genlmsg_cancel(skb, hdr);
		hdr = NULL;
	}
	cb->args[2] = !hvdom;
	while (hdr && !cb->args[2]) {
		if (!hv_iommu_mapping_from(hvdom, cb->args[1], &copy)) {
			cb->args[2] = 1;
			break;
		}
		if (hv_iommu_nl_mapping_fill(skb, &copy))
			break;		/* the skb is full: the next step goes on */
		n++;
		if (copy.it.last == ULONG_MAX)
			cb->args[2] = 1;
		else
			cb->args[1] = copy.it.last + 1;
	}
	if (hdr && n)
		genlmsg_end(skb, hdr);
	else if (hdr)
		genlmsg_cancel(skb, hdr);	/* no mappings (left) */
	mutex_unlock(&hv_iommu_lock);
	return skb->len;
}

/* skipped-get: reasons are enum hv_iommu_skip_reason, same values. */
static int hv_iommu_nl_skipped_dump(struct sk_buff *skb,
				    struct netlink_callback *cb)
{
	enum hv_iommu_skip_reason reason;
	char bdf[16];
	void *hdr;

	while (hv_iommu_skipped_get(cb->args[0], bdf, sizeof(bdf), &reason)) {
		hdr = hv_iommu_nl_dump_msg(skb, cb, HV_IOMMU_CMD_SKIPPED_GET);
		if (!hdr)
			break;
		if (nla_put_string(skb, HV_IOMMU_A_BDF, bdf) ||
		    nla_put_u32(skb, HV_IOMMU_A_SKIP_REASON, reason)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0]++;
	}
	return skb->len;
}

/* stats-get: one message, as debugfs "stats" (hv_hcall_stats_snapshot()). */
static int hv_iommu_nl_stats_fill(struct sk_buff *skb,
				  const struct hv_hcall_snapshot *s)
{
	struct nlattr *nest;
	unsigned int i;

	for (i = 0; i < s->ncalls; i++) {
		nest = nla_nest_start(skb, HV_IOMMU_A_STATS_CALL);
		if (!nest ||
		    nla_put_string(skb, HV_IOMMU_A_CALL_NAME, s->call[i].name) ||
		    nla_put_u32(skb, HV_IOMMU_A_CALL_CODE, s->call[i].code) ||
		    nla_put_u64_64bit(skb, HV_IOMMU_A_CALL_CALLS,
				      s->call[i].calls, HV_IOMMU_A_CALL_PAD) ||
		    nla_put_u64_64bit(skb, HV_IOMMU_A_CALL_REPS,
				      s->call[i].reps, HV_IOMMU_A_CALL_PAD) ||
		    nla_put_u64_64bit(skb, HV_IOMMU_A_CALL_FAILURES,
				      s->call[i].failures, HV_IOMMU_A_CALL_PAD))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	for (i = 0; i < s->nstatus; i++) {
		nest = nla_nest_start(skb, HV_IOMMU_A_STATS_STATUS);
		if (!nest ||
		    nla_put_string(skb, HV_IOMMU_A_STATUS_NAME,
				   hv_status_name(s->status[i].status)) ||
		    nla_put_u32(skb, HV_IOMMU_A_STATUS_CODE,
				s->status[i].status) ||
		    nla_put_u64_64bit(skb, HV_IOMMU_A_STATUS_COUNT,
				      s->status[i].count, HV_IOMMU_A_STATUS_PAD))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	if (hv_iommu_nl_put_u64(skb, HV_IOMMU_A_STATS_DEPOSIT_CALLS,
				s->deposit_calls) ||
	    hv_iommu_nl_put_u64(skb, HV_IOMMU_A_STATS_DEPOSIT_PAGES,
				s->deposit_pages) ||
	    hv_iommu_nl_put_u64(skb, HV_IOMMU_A_STATS_DEPOSIT_DEFERRED,
				s->deposit_deferred) ||
	    hv_iommu_nl_put_u64(skb, HV_IOMMU_A_STATS_RESUMES, s->resumes) ||
	    hv_iommu_nl_put_u64(skb, HV_IOMMU_A_STATS_PINNED_LEAKED,
				s->pinned_leaked) ||
	    hv_iommu_nl_put_u64(skb, HV_IOMMU_A_STATS_UNHELD_FRAMES,
				s->unheld_frames) ||
	    hv_iommu_nl_put_u64(skb, HV_IOMMU_A_STATS_DEPOSIT_AHEAD,
				s->deposit_ahead) ||
	    nla_put_s64(skb, HV_IOMMU_A_STATS_DEPOSIT_CREDIT,
			s->deposit_credit, HV_IOMMU_A_PAD) ||
	    hv_iommu_nl_put_u64(skb, HV_IOMMU_A_STATS_STORE_LEAVES,
				s->store_leaves) ||
	    hv_iommu_nl_put_u64(skb, HV_IOMMU_A_STATS_STORE_LEAF_BYTES,
				s->store_leaves * PAGE_SIZE))
		return -EMSGSIZE;
	return 0;
}

static int hv_iommu_nl_stats_dump(struct sk_buff *skb,
				  struct netlink_callback *cb)
{
	struct hv_hcall_snapshot *snap;
	void *hdr;
	int ret;

	if (cb->args[0])
		return 0;
	snap = kmalloc(sizeof(*snap), GFP_KERNEL);
	if (!snap)
		return -ENOMEM;
	hv_hcall_stats_snapshot(snap);
	hdr = hv_iommu_nl_dump_msg(skb, cb, HV_IOMMU_CMD_STATS_GET);
	ret = hdr ? hv_iommu_nl_stats_fill(skb, snap) : -EMSGSIZE;
	kfree(snap);
	if (ret) {
		if (hdr)
			genlmsg_cancel(skb, hdr);
		return ret;
	}
	genlmsg_end(skb, hdr);
	cb->args[0] = 1;
	return skb->len;
}

/* synic-get, partition-get, mmio-get: hv_vmm's, if it is loaded. */
static int hv_iommu_nl_vmm_dump(struct sk_buff *skb,
				struct netlink_callback *cb)
{
	u8 cmd = ((struct genlmsghdr *)nlmsg_data(cb->nlh))->cmd;
	int (*dump)(struct sk_buff *skb, struct netlink_callback *cb) = NULL;
	int ret;

	mutex_lock(&hv_iommu_nl_vmm_lock);
	if (hv_iommu_nl_vmm && cmd == HV_IOMMU_CMD_SYNIC_GET)
		dump = hv_iommu_nl_vmm->synic_dump;
	else if (hv_iommu_nl_vmm && cmd == HV_IOMMU_CMD_PARTITION_GET)
		dump = hv_iommu_nl_vmm->partition_dump;
	else if (hv_iommu_nl_vmm && cmd == HV_IOMMU_CMD_MMIO_GET)
		dump = hv_iommu_nl_vmm->mmio_dump;
	if (dump) {
		ret = dump(skb, cb);
	} else {
		NL_SET_ERR_MSG(cb->extack, "hv_vmm is not loaded or does not provide this dump");
		ret = -EOPNOTSUPP;
	}
	mutex_unlock(&hv_iommu_nl_vmm_lock);
	return ret;
}

/**
 * hv_iommu_nl_vmm_register() - plug hv_vmm's dumps into the family
 * @ops: its dump callbacks; must stay valid until
 *	hv_iommu_nl_vmm_unregister().
 *
 * Context: process context (hv_vmm's init).
 */
void hv_iommu_nl_vmm_register(const struct hv_iommu_nl_vmm_ops *ops)
{
	mutex_lock(&hv_iommu_nl_vmm_lock);
	hv_iommu_nl_vmm = ops;
	mutex_unlock(&hv_iommu_nl_vmm_lock);
}
EXPORT_SYMBOL_NS_GPL(hv_iommu_nl_vmm_register, HV_IOMMU_NS);

/**
 * hv_iommu_nl_vmm_unregister() - unplug hv_vmm's dumps
 *
 * Waits for a dump step in progress; later steps end with -EOPNOTSUPP.
 *
 * Context: process context (hv_vmm's exit).
 */
void hv_iommu_nl_vmm_unregister(void)
{
	mutex_lock(&hv_iommu_nl_vmm_lock);
	hv_iommu_nl_vmm = NULL;
	mutex_unlock(&hv_iommu_nl_vmm_lock);
}
EXPORT_SYMBOL_NS_GPL(hv_iommu_nl_vmm_unregister, HV_IOMMU_NS);

/* skip-set: the same as writing pci_devs_to_skip. */
static int hv_iommu_nl_skip_set(struct sk_buff *skb, struct genl_info *info)
{
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, HV_IOMMU_A_SKIP_LIST))
		return -EINVAL;
	ret = hv_iommu_skip_list_set(nla_data(info->attrs[HV_IOMMU_A_SKIP_LIST]));
	if (ret == -EINVAL)
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[HV_IOMMU_A_SKIP_LIST],
				    "not a skip list: (SSSS:BB:DD.F)(SSSS:BB:DD.F)...");
	return ret;
}

static const struct genl_ops hv_iommu_nl_ops[] = {
	{
		.cmd = HV_IOMMU_CMD_DOMAIN_GET,
		.dumpit = hv_iommu_nl_domain_dump,
	},
	{
		.cmd = HV_IOMMU_CMD_DEVICE_GET,
		.dumpit = hv_iommu_nl_device_dump,
	},
	{
		/* Physical addresses: for the administrator only. */
		.cmd = HV_IOMMU_CMD_MAPPING_GET,
		.start = hv_iommu_nl_mapping_start,
		.dumpit = hv_iommu_nl_mapping_dump,
		.policy = hv_iommu_nl_mapping_policy,
		.maxattr = ARRAY_SIZE(hv_iommu_nl_mapping_policy) - 1,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = HV_IOMMU_CMD_SKIPPED_GET,
		.dumpit = hv_iommu_nl_skipped_dump,
	},
	{
		.cmd = HV_IOMMU_CMD_STATS_GET,
		.dumpit = hv_iommu_nl_stats_dump,
	},
	{
		.cmd = HV_IOMMU_CMD_SYNIC_GET,
		.dumpit = hv_iommu_nl_vmm_dump,
	},
	{
		.cmd = HV_IOMMU_CMD_PARTITION_GET,
		.dumpit = hv_iommu_nl_vmm_dump,
	},
	{
		/* The VMM's user addresses: for the administrator only. */
		.cmd = HV_IOMMU_CMD_MMIO_GET,
		.dumpit = hv_iommu_nl_vmm_dump,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = HV_IOMMU_CMD_SKIP_SET,
		.doit = hv_iommu_nl_skip_set,
		.policy = hv_iommu_nl_skip_policy,
		.maxattr = ARRAY_SIZE(hv_iommu_nl_skip_policy) - 1,
		.flags = GENL_ADMIN_PERM,
	},
};

static struct genl_family hv_iommu_nl_family = {
	.name = HV_IOMMU_GENL_NAME,
	.version = HV_IOMMU_GENL_VERSION,
	/*
	 * No family-wide maxattr or policy: an operation without a policy
	 * gets the core's reject-all one (genl_op_fill_in_reject_policy()).
	 * A family maxattr would be paired with that two-entry policy on 7.x
	 * and read past it (a BUG in __nla_validate_parse() from genl_start()).
	 */
	.module = THIS_MODULE,
	.ops = hv_iommu_nl_ops,
	.n_ops = ARRAY_SIZE(hv_iommu_nl_ops),
	.mcgrps = hv_iommu_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(hv_iommu_nl_mcgrps),
};

/* Events. */
static bool hv_iommu_nl_listening(void)
{
	return READ_ONCE(hv_iommu_nl_ready) &&
	       genl_has_listeners(&hv_iommu_nl_family, &init_net,
				  HV_IOMMU_NL_GRP_EVENTS);
}

/*
 * A new event of @type with its time, or NULL (counted as dropped).  @gfp:
 * GFP_KERNEL, or GFP_NOWAIT where reclaim must not recurse (an MMU
 * notifier's invalidation).
 */
static struct sk_buff *hv_iommu_nl_event_new(int type, void **hdr, gfp_t gfp)
{
	struct sk_buff *skb = genlmsg_new(NLMSG_DEFAULT_SIZE, gfp);
	u64 dropped;

	if (!skb)
		goto drop;
	*hdr = genlmsg_put(skb, 0, 0, &hv_iommu_nl_family, 0,
			   HV_IOMMU_CMD_EVENT);
	if (!*hdr ||
	    nla_put_u32(skb, HV_IOMMU_A_EVENT_TYPE, type) ||
	    hv_iommu_nl_put_u64(skb, HV_IOMMU_A_EVENT_TIME_NS,
				ktime_get_real_ns()))
		goto free;
	dropped = atomic64_xchg(&hv_iommu_nl_dropped, 0);
	if (dropped && hv_iommu_nl_put_u64(skb, HV_IOMMU_A_EVENT_DROPPED,
					   dropped)) {
		atomic64_add(dropped, &hv_iommu_nl_dropped);
		goto free;
	}
	return skb;
free:
	nlmsg_free(skb);
drop:
	atomic64_inc(&hv_iommu_nl_dropped);
	return NULL;
}

static void hv_iommu_nl_event_send(struct sk_buff *skb, void *hdr, int err,
				   gfp_t gfp)
{
	if (err) {
		nlmsg_free(skb);
		atomic64_inc(&hv_iommu_nl_dropped);
		return;
	}
	genlmsg_end(skb, hdr);
	/* -ESRCH: the last listener left meanwhile. */
	genlmsg_multicast(&hv_iommu_nl_family, skb, 0, HV_IOMMU_NL_GRP_EVENTS,
			  gfp);
}

/* Report @hvdom's coalesced map and unmap counts, if any. */
static void hv_iommu_nl_flush_domain(struct hv_iommu_domain *hvdom)
{
	static const int types[2] = { HV_IOMMU_EVENT_MAP, HV_IOMMU_EVENT_UNMAP };
	struct sk_buff *skb;
	u64 calls, bytes;
	void *hdr;
	int dir;

	for (dir = 0; dir < 2; dir++) {
		calls = atomic64_xchg(&hvdom->ev_calls[dir], 0);
		if (!calls)
			continue;
		bytes = atomic64_xchg(&hvdom->ev_bytes[dir], 0);
		skb = hv_iommu_nl_event_new(types[dir], &hdr, GFP_KERNEL);
		if (!skb)
			continue;
		hv_iommu_nl_event_send(skb, hdr,
			nla_put_u32(skb, HV_IOMMU_A_DOMAIN_ID, hvdom->id) ||
			hv_iommu_nl_put_u64(skb, HV_IOMMU_A_EVENT_CALLS, calls) ||
			hv_iommu_nl_put_u64(skb, HV_IOMMU_A_EVENT_BYTES, bytes),
			GFP_KERNEL);
	}
}

static void hv_iommu_nl_flush_work(struct work_struct *work)
{
	struct hv_iommu_domain *hvdom;

	mutex_lock(&hv_iommu_lock);
	list_for_each_entry(hvdom, &hv_iommu_paging_domains, list)
		hv_iommu_nl_flush_domain(hvdom);
	mutex_unlock(&hv_iommu_lock);
}

static DECLARE_DELAYED_WORK(hv_iommu_nl_flush, hv_iommu_nl_flush_work);

/**
 * hv_iommu_nl_note_map() - count a map or unmap for the next event
 * @hvdom: the paging domain.
 * @map: true for a map, false for an unmap.
 * @bytes: bytes mapped or unmapped (nothing is counted for 0).
 *
 * Context: any (the iommu core's map and unmap paths); does not sleep.
 */
void hv_iommu_nl_note_map(struct hv_iommu_domain *hvdom, bool map, u64 bytes)
{
	if (!bytes || !hv_iommu_nl_listening())
		return;
	atomic64_inc(&hvdom->ev_calls[!map]);
	atomic64_add(bytes, &hvdom->ev_bytes[!map]);
	if (!delayed_work_pending(&hv_iommu_nl_flush))
		schedule_delayed_work(&hv_iommu_nl_flush,
				      msecs_to_jiffies(HV_IOMMU_EVENT_COALESCE_MS));
}

/**
 * hv_iommu_nl_domain_event() - a domain was created, freed or stranded
 * @type: HV_IOMMU_EVENT_DOMAIN_*.
 * @hvdom: the paging domain (still allocated).
 *
 * Reports the domain's pending map and unmap counts first.
 *
 * Context: process context; caller holds hv_iommu_lock.
 */
void hv_iommu_nl_domain_event(int type, struct hv_iommu_domain *hvdom)
{
	struct sk_buff *skb;
	void *hdr;

	if (!hv_iommu_nl_listening())
		return;
	hv_iommu_nl_flush_domain(hvdom);
	skb = hv_iommu_nl_event_new(type, &hdr, GFP_KERNEL);
	if (skb)
		hv_iommu_nl_event_send(skb, hdr,
			nla_put_u32(skb, HV_IOMMU_A_DOMAIN_ID, hvdom->id),
			GFP_KERNEL);
}

/**
 * hv_iommu_nl_device_event() - a device entered, left or failed to leave
 * @type: HV_IOMMU_EVENT_DEVICE_ATTACHED, _DETACHED or _DETACH_FAILED.
 * @hd: the device record (its status says why a detach failed).
 * @hvdom: the domain entered or (to be) left.
 *
 * Context: process context; caller holds hv_iommu_lock.
 */
void hv_iommu_nl_device_event(int type, struct hv_iommu_dev *hd,
			      struct hv_iommu_domain *hvdom)
{
	struct sk_buff *skb;
	void *hdr;

	if (!hv_iommu_nl_listening())
		return;
	if (hvdom->kind == HV_IOMMU_KIND_PAGING)
		hv_iommu_nl_flush_domain(hvdom);
	skb = hv_iommu_nl_event_new(type, &hdr, GFP_KERNEL);
	if (skb)
		hv_iommu_nl_event_send(skb, hdr,
			nla_put_string(skb, HV_IOMMU_A_BDF, hd->bdf) ||
			nla_put_u32(skb, HV_IOMMU_A_DOMAIN_ID, hvdom->id) ||
			(type == HV_IOMMU_EVENT_DEVICE_DETACH_FAILED &&
			 nla_put_u32(skb, HV_IOMMU_A_HV_STATUS, hd->status)),
			GFP_KERNEL);
}

/**
 * hv_iommu_nl_skip_changed() - the skip list changed
 * @entry: the entry added or removed, as the sysfs "skip" file shows it
 *	("SSSS:BB:DD.F" or "VVVV:DDDD"); NULL when pci_devs_to_skip was
 *	replaced as a whole.
 * @origin: @entry's origin (boot, runtime, persistent, rule); with @entry.
 * @added: @entry was added (else removed).
 *
 * The event carries the boot list as pci_devs_to_skip reads, and the entry
 * that changed if one did.
 *
 * Context: process context, skip list lock not held (the list is read).
 */
void hv_iommu_nl_skip_changed(const char *entry, const char *origin, bool added)
{
	struct sk_buff *skb;
	char *list;
	void *hdr;

	if (!hv_iommu_nl_listening())
		return;
	list = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!list) {
		atomic64_inc(&hv_iommu_nl_dropped);
		return;
	}
	hv_iommu_skip_list_get(list, PAGE_SIZE);
	skb = hv_iommu_nl_event_new(HV_IOMMU_EVENT_SKIP_CHANGED, &hdr, GFP_KERNEL);
	if (skb)
		hv_iommu_nl_event_send(skb, hdr,
			nla_put_string(skb, HV_IOMMU_A_SKIP_LIST, list) ||
			(entry &&
			 (nla_put_string(skb, HV_IOMMU_A_SKIP_ENTRY, entry) ||
			  nla_put_string(skb, HV_IOMMU_A_SKIP_ORIGIN, origin) ||
			  nla_put_u8(skb, HV_IOMMU_A_SKIP_ADDED, added))),
			GFP_KERNEL);
	kfree(list);
}

/**
 * hv_iommu_nl_device_skipped() - probe declined a device
 * @bdf: its SSSS:BB:DD.F.
 * @reason: why (not HV_IOMMU_SKIP_NONE).
 *
 * Context: process context.
 */
void hv_iommu_nl_device_skipped(const char *bdf,
				enum hv_iommu_skip_reason reason)
{
	struct sk_buff *skb;
	void *hdr;

	if (!hv_iommu_nl_listening())
		return;
	skb = hv_iommu_nl_event_new(HV_IOMMU_EVENT_DEVICE_SKIPPED, &hdr, GFP_KERNEL);
	if (skb)
		hv_iommu_nl_event_send(skb, hdr,
			nla_put_string(skb, HV_IOMMU_A_BDF, bdf) ||
			nla_put_u32(skb, HV_IOMMU_A_SKIP_REASON, reason),
			GFP_KERNEL);
}

/**
 * hv_iommu_nl_partition_event() - hv_vmm created or deleted a partition
 * @type: HV_IOMMU_EVENT_PARTITION_CREATED or _DELETED.
 * @partition_id: the hypervisor's partition id.
 *
 * Context: process context.
 */
void hv_iommu_nl_partition_event(int type, u64 partition_id)
{
	struct sk_buff *skb;
	void *hdr;

	if (!hv_iommu_nl_listening())
		return;
	skb = hv_iommu_nl_event_new(type, &hdr, GFP_KERNEL);
	if (skb)
		hv_iommu_nl_event_send(skb, hdr,
			hv_iommu_nl_put_u64(skb, HV_IOMMU_A_PARTITION_ID,
					    partition_id),
			GFP_KERNEL);
}
EXPORT_SYMBOL_NS_GPL(hv_iommu_nl_partition_event, HV_IOMMU_NS);

/**
 * hv_iommu_nl_mmio_event() - hv_vmm mapped, unmapped or refused MMIO
 * @type: HV_IOMMU_EVENT_MMIO_MAPPED, _UNMAPPED or _GUARD_REFUSED.
 * @partition_id: the hypervisor's partition id.
 * @gpa: first byte of what was mapped or unmapped; the refused access.
 * @size: bytes mapped or unmapped (not sent with _GUARD_REFUSED).
 * @gfp: GFP_KERNEL, or GFP_NOWAIT from an MMU notifier's invalidation.
 *
 * Not coalesced: hv_vmm sends one per intercept it resolves or refuses
 * (each a VP exit) and one per invalidation or region removal that
 * unmapped pages (each an mm invalidation or an ioctl), so the work behind
 * them bounds their rate.
 *
 * Context: process context; does not sleep with GFP_NOWAIT.
 */
void hv_iommu_nl_mmio_event(int type, u64 partition_id, u64 gpa, u64 size,
			    gfp_t gfp)
{
	struct sk_buff *skb;
	void *hdr;

	if (!hv_iommu_nl_listening())
		return;
	skb = hv_iommu_nl_event_new(type, &hdr, gfp);
	if (skb)
		hv_iommu_nl_event_send(skb, hdr,
			hv_iommu_nl_put_u64(skb, HV_IOMMU_A_PARTITION_ID,
					    partition_id) ||
			hv_iommu_nl_put_u64(skb, HV_IOMMU_A_MMIO_GPA, gpa) ||
			(type != HV_IOMMU_EVENT_MMIO_GUARD_REFUSED &&
			 hv_iommu_nl_put_u64(skb, HV_IOMMU_A_MMIO_SIZE, size)),
			gfp);
}
EXPORT_SYMBOL_NS_GPL(hv_iommu_nl_mmio_event, HV_IOMMU_NS);

/**
 * hv_iommu_nl_init() - register the "hv_iommu" family
 *
 * Context: module init, once the driver's state is initialised.
 * Return: 0 or the -errno of genl_register_family().
 */
int hv_iommu_nl_init(void)
{
	int ret;

	/* The uAPI enums are the driver's own, value for value. */
	BUILD_BUG_ON((int)HV_IOMMU_DOMAIN_TYPE_PAGING != (int)HV_IOMMU_KIND_PAGING);
	BUILD_BUG_ON((int)HV_IOMMU_DOMAIN_TYPE_BLOCKED != (int)HV_IOMMU_KIND_BLOCKED);
	BUILD_BUG_ON((int)HV_IOMMU_DOMAIN_MODE_DIRECT != (int)HV_IOMMU_MODE_DIRECT);
	BUILD_BUG_ON((int)HV_IOMMU_DOMAIN_MODE_DOMAIN != (int)HV_IOMMU_MODE_DOMAIN);
	BUILD_BUG_ON((int)HV_IOMMU_DEVICE_STATE_DETACH_FAILED != (int)HV_IOMMU_DEV_DETACH_FAILED);
	BUILD_BUG_ON((int)HV_IOMMU_SKIP_REASON_PCI_DEVS_TO_SKIP != (int)HV_IOMMU_SKIP_LISTED);
	BUILD_BUG_ON((int)HV_IOMMU_SKIP_REASON_RUNTIME_LIST != (int)HV_IOMMU_SKIP_RUNTIME);
	BUILD_BUG_ON((int)HV_IOMMU_SKIP_REASON_PERSISTENT_RULE != (int)HV_IOMMU_SKIP_PERSISTENT);
	BUILD_BUG_ON((int)HV_IOMMU_SKIP_REASON_UDEV_RULE != (int)HV_IOMMU_SKIP_RULE);
	BUILD_BUG_ON((int)HV_IOMMU_SKIP_REASON_GROUP_MEMBER_LISTED != (int)HV_IOMMU_SKIP_GROUP);
	BUILD_BUG_ON((int)HV_IOMMU_SKIP_REASON_BOUND_BEFORE_LOAD != (int)HV_IOMMU_SKIP_BOUND);

	ret = genl_register_family(&hv_iommu_nl_family);
	if (ret) {
		pr_err("genl_register_family failed: %d\n", ret);
		return ret;
	}
	WRITE_ONCE(hv_iommu_nl_ready, true);
	return 0;
}

/**
 * hv_iommu_nl_cleanup() - unregister the family (failed module init only)
 *
 * Context: module init.
 */
void hv_iommu_nl_cleanup(void)
{
	WRITE_ONCE(hv_iommu_nl_ready, false);
	cancel_delayed_work_sync(&hv_iommu_nl_flush);
	genl_unregister_family(&hv_iommu_nl_family);
}
