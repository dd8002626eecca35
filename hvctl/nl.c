// SPDX-License-Identifier: GPL-2.0-or-later
/* nl.c - hv_iommu's generic netlink family through libnl-genl (nl.h). */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "hv_iommu_nl.h"

#include "err.h"
#include "nl.h"
#include "paths.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* The attribute policy hvctl checks replies against (libnl validates
 * types and lengths before a handler looks at them). */
static struct nla_policy attr_policy[HV_IOMMU_A_MAX + 1] = {
	[HV_IOMMU_A_DOMAIN_ID] = { .type = NLA_U32 },
	[HV_IOMMU_A_DOMAIN_TYPE] = { .type = NLA_U32 },
	[HV_IOMMU_A_DOMAIN_MODE] = { .type = NLA_U32 },
	[HV_IOMMU_A_PARTITION_ID] = { .type = NLA_U64 },
	[HV_IOMMU_A_DOMAIN_DEVICE] = { .type = NLA_STRING },
	[HV_IOMMU_A_MAPPED_BYTES] = { .type = NLA_U64 },
	[HV_IOMMU_A_MAPPINGS] = { .type = NLA_U64 },
	[HV_IOMMU_A_STRANDED] = { .type = NLA_FLAG },
	[HV_IOMMU_A_BDF] = { .type = NLA_STRING },
	[HV_IOMMU_A_DEVICE_ID] = { .type = NLA_U64 },
	[HV_IOMMU_A_DEVICE_STATE] = { .type = NLA_U32 },
	[HV_IOMMU_A_HV_STATUS] = { .type = NLA_U32 },
	[HV_IOMMU_A_LOGICAL_ID] = { .type = NLA_U64 },
	[HV_IOMMU_A_DIRECT_PARTITION] = { .type = NLA_U64 },
	[HV_IOMMU_A_IOVA] = { .type = NLA_U64 },
	[HV_IOMMU_A_IOVA_LAST] = { .type = NLA_U64 },
	[HV_IOMMU_A_PADDR] = { .type = NLA_U64 },
	[HV_IOMMU_A_MAP_FLAGS] = { .type = NLA_U32 },
	[HV_IOMMU_A_MAPPING] = { .type = NLA_NESTED },
	[HV_IOMMU_A_SKIP_REASON] = { .type = NLA_U32 },
	[HV_IOMMU_A_SKIP_LIST] = { .type = NLA_STRING },
	[HV_IOMMU_A_SKIP_ENTRY] = { .type = NLA_STRING },
	[HV_IOMMU_A_SKIP_ORIGIN] = { .type = NLA_STRING },
	[HV_IOMMU_A_SKIP_ADDED] = { .type = NLA_U8 },
	[HV_IOMMU_A_STATS_CALL] = { .type = NLA_NESTED },
	[HV_IOMMU_A_STATS_STATUS] = { .type = NLA_NESTED },
	[HV_IOMMU_A_STATS_DEPOSIT_CALLS] = { .type = NLA_U64 },
	[HV_IOMMU_A_STATS_DEPOSIT_PAGES] = { .type = NLA_U64 },
	[HV_IOMMU_A_STATS_DEPOSIT_DEFERRED] = { .type = NLA_U64 },
	[HV_IOMMU_A_STATS_RESUMES] = { .type = NLA_U64 },
	[HV_IOMMU_A_STATS_PINNED_LEAKED] = { .type = NLA_U64 },
	[HV_IOMMU_A_STATS_UNHELD_FRAMES] = { .type = NLA_U64 },
	[HV_IOMMU_A_STATS_DEPOSIT_AHEAD] = { .type = NLA_U64 },
	[HV_IOMMU_A_STATS_DEPOSIT_CREDIT] = { .type = NLA_S64 },
	[HV_IOMMU_A_STATS_STORE_LEAVES] = { .type = NLA_U64 },
	[HV_IOMMU_A_STATS_STORE_LEAF_BYTES] = { .type = NLA_U64 },
	[HV_IOMMU_A_SYNIC_CPU] = { .type = NLA_U32 },
	[HV_IOMMU_A_SYNIC_RESOURCE] = { .type = NLA_STRING },
	[HV_IOMMU_A_SYNIC_OWNER] = { .type = NLA_U32 },
	[HV_IOMMU_A_SYNIC_ONLINE] = { .type = NLA_U8 },
	[HV_IOMMU_A_SYNIC_ENABLED] = { .type = NLA_U8 },
	[HV_IOMMU_A_SYNIC_MASKED] = { .type = NLA_U8 },
	[HV_IOMMU_A_SYNIC_VECTOR] = { .type = NLA_U32 },
	[HV_IOMMU_A_SYNIC_PAGE] = { .type = NLA_U64 },
	[HV_IOMMU_A_SYNIC_DELIVERED] = { .type = NLA_U64 },
	[HV_IOMMU_A_MMIO_GPA] = { .type = NLA_U64 },
	[HV_IOMMU_A_MMIO_SIZE] = { .type = NLA_U64 },
	[HV_IOMMU_A_MMIO_MODE] = { .type = NLA_STRING },
	[HV_IOMMU_A_MMIO_MAPPED_BYTES] = { .type = NLA_U64 },
	[HV_IOMMU_A_REGION_UADDR] = { .type = NLA_U64 },
	[HV_IOMMU_A_REGION_RAM] = { .type = NLA_FLAG },
	[HV_IOMMU_A_PARTITION_FLAGS] = { .type = NLA_U64 },
	[HV_IOMMU_A_PARTITION_INITIALIZED] = { .type = NLA_U8 },
	[HV_IOMMU_A_EVENT_TYPE] = { .type = NLA_U32 },
	[HV_IOMMU_A_EVENT_TIME_NS] = { .type = NLA_U64 },
	[HV_IOMMU_A_EVENT_CALLS] = { .type = NLA_U64 },
	[HV_IOMMU_A_EVENT_BYTES] = { .type = NLA_U64 },
	[HV_IOMMU_A_EVENT_DROPPED] = { .type = NLA_U64 },
};

static struct nla_policy call_policy[HV_IOMMU_A_CALL_MAX + 1] = {
	[HV_IOMMU_A_CALL_NAME] = { .type = NLA_STRING },
	[HV_IOMMU_A_CALL_CODE] = { .type = NLA_U32 },
	[HV_IOMMU_A_CALL_CALLS] = { .type = NLA_U64 },
	[HV_IOMMU_A_CALL_REPS] = { .type = NLA_U64 },
	[HV_IOMMU_A_CALL_FAILURES] = { .type = NLA_U64 },
};

static struct nla_policy status_policy[HV_IOMMU_A_STATUS_MAX + 1] = {
	[HV_IOMMU_A_STATUS_NAME] = { .type = NLA_STRING },
	[HV_IOMMU_A_STATUS_CODE] = { .type = NLA_U32 },
	[HV_IOMMU_A_STATUS_COUNT] = { .type = NLA_U64 },
};

/* Names the kernel's debugfs prints for the uAPI enums. */
static const char *const domain_types[] = { "identity", "blocked", "paging" };
static const char *const domain_modes[] = { "none", "domain", "direct" };
static const char *const device_states[] = { "attached", "detach-failed" };
static const char *const skip_reasons[] = {
	[HV_IOMMU_SKIP_REASON_PCI_DEVS_TO_SKIP] = "pci_devs_to_skip",
	[HV_IOMMU_SKIP_REASON_RUNTIME_LIST] = "runtime_list",
	[HV_IOMMU_SKIP_REASON_PERSISTENT_RULE] = "persistent_rule",
	[HV_IOMMU_SKIP_REASON_UDEV_RULE] = "udev_rule",
	[HV_IOMMU_SKIP_REASON_GROUP_MEMBER_LISTED] = "group_member_listed",
	[HV_IOMMU_SKIP_REASON_SEGMENT] = "segment",
	[HV_IOMMU_SKIP_REASON_ID_COLLISION] = "id_collision",
	[HV_IOMMU_SKIP_REASON_NOMEM] = "nomem",
	[HV_IOMMU_SKIP_REASON_BOUND_BEFORE_LOAD] = "bound_before_load",
};
static const char *const synic_owners[] = { "none", "vmbus", "vmm" };
static const char *const event_names[] = {
	[HV_IOMMU_EVENT_DOMAIN_CREATED] = "domain-created",
	[HV_IOMMU_EVENT_DOMAIN_FREED] = "domain-freed",
	[HV_IOMMU_EVENT_DOMAIN_STRANDED] = "domain-stranded",
	[HV_IOMMU_EVENT_DEVICE_ATTACHED] = "device-attached",
	[HV_IOMMU_EVENT_DEVICE_DETACHED] = "device-detached",
	[HV_IOMMU_EVENT_DEVICE_DETACH_FAILED] = "device-detach-failed",
	[HV_IOMMU_EVENT_SKIP_CHANGED] = "skip-changed",
	[HV_IOMMU_EVENT_DEVICE_SKIPPED] = "device-skipped",
	[HV_IOMMU_EVENT_MAP] = "map",
	[HV_IOMMU_EVENT_UNMAP] = "unmap",
	[HV_IOMMU_EVENT_MMIO_MAPPED] = "mmio-mapped",
	[HV_IOMMU_EVENT_MMIO_UNMAPPED] = "mmio-unmapped",
	[HV_IOMMU_EVENT_MMIO_GUARD_REFUSED] = "mmio-guard-refused",
	[HV_IOMMU_EVENT_PARTITION_CREATED] = "partition-created",
	[HV_IOMMU_EVENT_PARTITION_DELETED] = "partition-deleted",
};

#define NAME_OF(tab, v) \
	((v) < sizeof(tab) / sizeof((tab)[0]) && (tab)[v] ? (tab)[v] : "unknown")

/* nl_source(): contract in nl.h.  Decided once per process. */
int nl_source(void)
{
	static int decided = -2;
	const char *want = getenv("HVCTL_SOURCE");
	struct nl_sock *sk;

	if (decided != -2)
		return decided;
	if (want && *want && strcmp(want, "auto") && strcmp(want, "netlink") &&
	    strcmp(want, "debugfs"))
		return decided = hv_err("HVCTL_SOURCE: '%s' is not auto, netlink or debugfs", want);
	decided = 0;
	if ((want && !strcmp(want, "debugfs")) || paths_root()[0])
		return decided;
	sk = nl_socket_alloc();
	if (sk && !genl_connect(sk) && genl_ctrl_resolve(sk, HV_IOMMU_GENL_NAME) >= 0)
		decided = 1;
	nl_socket_free(sk);
	if (!decided && want && !strcmp(want, "netlink"))
		decided = hv_err("HVCTL_SOURCE=netlink: hv_iommu's netlink family is not registered (module not loaded, or too old)");
	return decided;
}

/* A connected socket with the family resolved and extended acks on. */
static struct nl_sock *family_socket(int *family)
{
	struct nl_sock *sk = nl_socket_alloc();
	int one = 1;

	if (!sk) {
		hv_err_nomem();
		return NULL;
	}
	if (genl_connect(sk) || (*family = genl_ctrl_resolve(sk, HV_IOMMU_GENL_NAME)) < 0) {
		nl_socket_free(sk);
		hv_err("hv_iommu's netlink family is not registered (module not loaded, or too old)");
		return NULL;
	}
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	return sk;
}

/* A dump in progress: the request, what renders its messages, the sink. */
struct dump {
	const char *cmdname;
	int (*render)(struct genlmsghdr *g, struct nlattr **tb, FILE *out);
	nl_line_fn fn;
	mapping_fn mfn;	/* mapping-get: decoded, not rendered */
	void *arg;
	int one_partition;	/* only the messages of PARTITION (mmio-get) */
	uint64_t partition;
	unsigned long n;	/* messages so far */
	int failed;		/* FN or rendering failed (reported) */
	int err;		/* kernel's errno from the error message */
	char ack[256];		/* kernel's extended ack message */
};

/* The u64 attribute A of TB, or 0. */
static uint64_t u64_or0(struct nlattr **tb, int a)
{
	return tb[a] ? nla_get_u64(tb[a]) : 0;
}

static int need(struct nlattr **tb, const int *attrs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!tb[attrs[i]])
			return -1;
	return 0;
}
#define NEED(tb, ...) need(tb, (const int[]){ __VA_ARGS__ }, \
			   sizeof((const int[]){ __VA_ARGS__ }) / sizeof(int))

/* Renderers: one message -> the debugfs line the kernel prints for it
 * (kernel/iommu/debugfs.c, hcall.c, params.c; kernel/vmm/synic.c).  The
 * kernel's %#llx prints 0 as "0x0", glibc's as "0": hence "0x%x". */
static int render_domain(struct genlmsghdr *g, struct nlattr **tb, FILE *out)
{
	uint32_t mode;
	struct nlattr *a;
	int rem, first = 1;

	if (NEED(tb, HV_IOMMU_A_DOMAIN_ID, HV_IOMMU_A_DOMAIN_TYPE, HV_IOMMU_A_DOMAIN_MODE,
		 HV_IOMMU_A_MAPPED_BYTES, HV_IOMMU_A_MAPPINGS))
		return -1;
	mode = nla_get_u32(tb[HV_IOMMU_A_DOMAIN_MODE]);
	fprintf(out, "id=%u type=%s mode=%s partition=", nla_get_u32(tb[HV_IOMMU_A_DOMAIN_ID]),
		NAME_OF(domain_types, nla_get_u32(tb[HV_IOMMU_A_DOMAIN_TYPE])),
		NAME_OF(domain_modes, mode));
	if (mode == HV_IOMMU_DOMAIN_MODE_DIRECT)
		fprintf(out, "%" PRIu64, u64_or0(tb, HV_IOMMU_A_PARTITION_ID));
	else
		fputs(mode == HV_IOMMU_DOMAIN_MODE_DOMAIN ? "self" : "-", out);
	fputs(" devices=", out);
	/* repeated attribute: walk the message, not the parsed table */
	nla_for_each_attr(a, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0), rem) {
		if (nla_type(a) != HV_IOMMU_A_DOMAIN_DEVICE)
			continue;
		fprintf(out, "%s%s", first ? "" : ",", nla_get_string(a));
		first = 0;
	}
	if (first)
		fputc('-', out);
	fprintf(out, " mapped_bytes=%" PRIu64 " mappings=%" PRIu64,
		u64_or0(tb, HV_IOMMU_A_MAPPED_BYTES), u64_or0(tb, HV_IOMMU_A_MAPPINGS));
	if (tb[HV_IOMMU_A_STRANDED])
		fputs(" state=stranded", out);
	return 0;
}

static int render_device(struct genlmsghdr *g, struct nlattr **tb, FILE *out)
{
	(void)g;
	if (NEED(tb, HV_IOMMU_A_BDF, HV_IOMMU_A_DEVICE_ID, HV_IOMMU_A_DOMAIN_ID,
		 HV_IOMMU_A_DEVICE_STATE, HV_IOMMU_A_HV_STATUS))
		return -1;
	fprintf(out, "bdf=%s device_id=0x%" PRIx64 " domain=%u state=%s status=0x%x",
		nla_get_string(tb[HV_IOMMU_A_BDF]), u64_or0(tb, HV_IOMMU_A_DEVICE_ID),
		nla_get_u32(tb[HV_IOMMU_A_DOMAIN_ID]),
		NAME_OF(device_states, nla_get_u32(tb[HV_IOMMU_A_DEVICE_STATE])),
		nla_get_u32(tb[HV_IOMMU_A_HV_STATUS]));
	if (tb[HV_IOMMU_A_LOGICAL_ID])
		fprintf(out, " logical_id=0x%" PRIx64, u64_or0(tb, HV_IOMMU_A_LOGICAL_ID));
	if (tb[HV_IOMMU_A_DIRECT_PARTITION])
		fprintf(out, " direct_partition=%" PRIu64, u64_or0(tb, HV_IOMMU_A_DIRECT_PARTITION));
	return 0;
}

static int render_skipped(struct genlmsghdr *g, struct nlattr **tb, FILE *out)
{
	(void)g;
	if (NEED(tb, HV_IOMMU_A_BDF, HV_IOMMU_A_SKIP_REASON))
		return -1;
	fprintf(out, "bdf=%s reason=%s", nla_get_string(tb[HV_IOMMU_A_BDF]),
		NAME_OF(skip_reasons, nla_get_u32(tb[HV_IOMMU_A_SKIP_REASON])));
	return 0;
}

static int render_stats(struct genlmsghdr *g, struct nlattr **tb, FILE *out)
{
	struct nlattr *a, *c[HV_IOMMU_A_CALL_MAX + 1], *s[HV_IOMMU_A_STATUS_MAX + 1];
	int rem;

	nla_for_each_attr(a, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0), rem) {
		if (nla_type(a) == HV_IOMMU_A_STATS_CALL) {
			if (nla_parse_nested(c, HV_IOMMU_A_CALL_MAX, a, call_policy) ||
			    NEED(c, HV_IOMMU_A_CALL_NAME, HV_IOMMU_A_CALL_CODE, HV_IOMMU_A_CALL_CALLS,
				 HV_IOMMU_A_CALL_REPS, HV_IOMMU_A_CALL_FAILURES))
				return -1;
			fprintf(out, "call name=%s code=0x%x calls=%" PRId64 " reps=%" PRId64
				" failures=%" PRId64 "\n", nla_get_string(c[HV_IOMMU_A_CALL_NAME]),
				nla_get_u32(c[HV_IOMMU_A_CALL_CODE]),
				(int64_t)nla_get_u64(c[HV_IOMMU_A_CALL_CALLS]),
				(int64_t)nla_get_u64(c[HV_IOMMU_A_CALL_REPS]),
				(int64_t)nla_get_u64(c[HV_IOMMU_A_CALL_FAILURES]));
		} else if (nla_type(a) == HV_IOMMU_A_STATS_STATUS) {
			if (nla_parse_nested(s, HV_IOMMU_A_STATUS_MAX, a, status_policy) ||
			    NEED(s, HV_IOMMU_A_STATUS_NAME, HV_IOMMU_A_STATUS_CODE,
				 HV_IOMMU_A_STATUS_COUNT))
				return -1;
			fprintf(out, "status name=%s code=0x%x count=%" PRId64 "\n",
				nla_get_string(s[HV_IOMMU_A_STATUS_NAME]),
				nla_get_u32(s[HV_IOMMU_A_STATUS_CODE]),
				(int64_t)nla_get_u64(s[HV_IOMMU_A_STATUS_COUNT]));
		}
	}
	if (NEED(tb, HV_IOMMU_A_STATS_DEPOSIT_CALLS, HV_IOMMU_A_STATS_DEPOSIT_PAGES,
		 HV_IOMMU_A_STATS_DEPOSIT_DEFERRED, HV_IOMMU_A_STATS_RESUMES,
		 HV_IOMMU_A_STATS_PINNED_LEAKED, HV_IOMMU_A_STATS_UNHELD_FRAMES,
		 HV_IOMMU_A_STATS_DEPOSIT_AHEAD, HV_IOMMU_A_STATS_DEPOSIT_CREDIT,
		 HV_IOMMU_A_STATS_STORE_LEAVES, HV_IOMMU_A_STATS_STORE_LEAF_BYTES))
		return -1;
	fprintf(out, "deposits calls=%" PRId64 " pages=%" PRId64 " deferred=%" PRId64
		" ahead=%" PRId64 " credit=%" PRId64 "\n"
		"store leaves=%" PRId64 " leaf_bytes=%" PRId64 "\n"
		"resumes count=%" PRId64 "\npinned_leaked pages=%" PRId64
		"\nunheld_frames count=%" PRId64,
		(int64_t)u64_or0(tb, HV_IOMMU_A_STATS_DEPOSIT_CALLS),
		(int64_t)u64_or0(tb, HV_IOMMU_A_STATS_DEPOSIT_PAGES),
		(int64_t)u64_or0(tb, HV_IOMMU_A_STATS_DEPOSIT_DEFERRED),
		(int64_t)u64_or0(tb, HV_IOMMU_A_STATS_DEPOSIT_AHEAD),
		(int64_t)u64_or0(tb, HV_IOMMU_A_STATS_DEPOSIT_CREDIT),
		(int64_t)u64_or0(tb, HV_IOMMU_A_STATS_STORE_LEAVES),
		(int64_t)u64_or0(tb, HV_IOMMU_A_STATS_STORE_LEAF_BYTES),
		(int64_t)u64_or0(tb, HV_IOMMU_A_STATS_RESUMES),
		(int64_t)u64_or0(tb, HV_IOMMU_A_STATS_PINNED_LEAKED),
		(int64_t)u64_or0(tb, HV_IOMMU_A_STATS_UNHELD_FRAMES));
	return 0;
}

/* " key=%d" for a u8 attribute, " key=-" when absent. */
static void put_u8_or_dash(FILE *out, const char *key, struct nlattr *a)
{
	if (a)
		fprintf(out, " %s=%d", key, nla_get_u8(a));
	else
		fprintf(out, " %s=-", key);
}

static int render_synic(struct genlmsghdr *g, struct nlattr **tb, FILE *out)
{
	(void)g;
	if (NEED(tb, HV_IOMMU_A_SYNIC_CPU, HV_IOMMU_A_SYNIC_RESOURCE, HV_IOMMU_A_SYNIC_OWNER,
		 HV_IOMMU_A_SYNIC_ONLINE))
		return -1;
	fprintf(out, "cpu=%u resource=%s owner=%s online=%d",
		nla_get_u32(tb[HV_IOMMU_A_SYNIC_CPU]), nla_get_string(tb[HV_IOMMU_A_SYNIC_RESOURCE]),
		NAME_OF(synic_owners, nla_get_u32(tb[HV_IOMMU_A_SYNIC_OWNER])),
		nla_get_u8(tb[HV_IOMMU_A_SYNIC_ONLINE]));
	put_u8_or_dash(out, "enabled", tb[HV_IOMMU_A_SYNIC_ENABLED]);
	put_u8_or_dash(out, "masked", tb[HV_IOMMU_A_SYNIC_MASKED]);
	if (tb[HV_IOMMU_A_SYNIC_VECTOR])
		fprintf(out, " vector=0x%x", nla_get_u32(tb[HV_IOMMU_A_SYNIC_VECTOR]));
	else
		fputs(" vector=-", out);
	if (tb[HV_IOMMU_A_SYNIC_PAGE])
		fprintf(out, " page=0x%" PRIx64, u64_or0(tb, HV_IOMMU_A_SYNIC_PAGE));
	else
		fputs(" page=-", out);
	if (tb[HV_IOMMU_A_SYNIC_DELIVERED])
		fprintf(out, " delivered=%" PRIu64, u64_or0(tb, HV_IOMMU_A_SYNIC_DELIVERED));
	else
		fputs(" delivered=-", out);
	return 0;
}

/* A mapping-get message into M, checked as a line of the file would be.
 * Mappings come by the million: no text in between (nl_foreach_mapping). */
static int decode_mapping(struct nlattr **tb, struct mapping *m, struct perr *err)
{
	if (NEED(tb, HV_IOMMU_A_IOVA, HV_IOMMU_A_IOVA_LAST, HV_IOMMU_A_PADDR,
		 HV_IOMMU_A_MAP_FLAGS))
		return perr_set(err, "attributes missing");
	m->first = nla_get_u64(tb[HV_IOMMU_A_IOVA]);
	m->last = nla_get_u64(tb[HV_IOMMU_A_IOVA_LAST]);
	m->phys = nla_get_u64(tb[HV_IOMMU_A_PADDR]);
	m->perm = MAP_PERM_R;
	if (nla_get_u32(tb[HV_IOMMU_A_MAP_FLAGS]) & HV_IOMMU_MAP_F_WRITE)
		m->perm |= MAP_PERM_W;
	return mapping_check(m, err);
}

/* A mapping-get message: each nested mapping decoded and handed to the
 * sink.  The nests are parsed only up to the attributes a mapping has. */
static int dump_mappings(struct dump *d, struct nlmsghdr *nlh)
{
	struct nlattr *mtb[HV_IOMMU_A_MAP_FLAGS + 1], *a;
	struct perr err;
	struct mapping m;
	int rem;

	nla_for_each_attr(a, genlmsg_attrdata(nlmsg_data(nlh), 0),
			  genlmsg_attrlen(nlmsg_data(nlh), 0), rem) {
		if (nla_type(a) != HV_IOMMU_A_MAPPING)
			continue;
		err.msg[0] = '\0';
		if (nla_parse_nested(mtb, HV_IOMMU_A_MAP_FLAGS, a, attr_policy))
			perr_set(&err, "malformed mapping");
		else if (!decode_mapping(mtb, &m, &err) && d->mfn(&m, d->arg)) {
			d->failed = -1;		/* the sink's stop or error */
			return NL_STOP;
		}
		if (err.msg[0]) {
			d->failed = hv_err("netlink %s: message %lu: %s", d->cmdname, d->n, err.msg);
			return NL_STOP;
		}
	}
	return NL_OK;
}

/* mmio-get as hv_vmm's partitions/<id>/regions (kernel/vmm/mmio_debugfs.c). */
static int render_region(struct genlmsghdr *g, struct nlattr **tb, FILE *out)
{
	(void)g;
	if (NEED(tb, HV_IOMMU_A_MMIO_GPA, HV_IOMMU_A_MMIO_SIZE, HV_IOMMU_A_MMIO_MAPPED_BYTES,
		 HV_IOMMU_A_REGION_UADDR) ||
	    (!tb[HV_IOMMU_A_MMIO_MODE] && !tb[HV_IOMMU_A_REGION_RAM]))
		return -1;
	fprintf(out, "gpa=0x%" PRIx64 " size=0x%" PRIx64 " kind=%s uaddr=0x%" PRIx64
		" mapped_pages=%" PRIu64, u64_or0(tb, HV_IOMMU_A_MMIO_GPA),
		u64_or0(tb, HV_IOMMU_A_MMIO_SIZE), tb[HV_IOMMU_A_REGION_RAM] ? "ram" : "mmio",
		u64_or0(tb, HV_IOMMU_A_REGION_UADDR), u64_or0(tb, HV_IOMMU_A_MMIO_MAPPED_BYTES) / 4096);
	return 0;
}

/* libnl's valid-message callback: parse, render into a memory stream,
 * hand each line to the sink. */
static int dump_valid(struct nl_msg *msg, void *arg)
{
	struct dump *d = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[HV_IOMMU_A_MAX + 1];
	char *buf = NULL, *line, *save;
	struct perr err;
	size_t len = 0;
	FILE *out;
	int r;

	d->n++;
	if (genlmsg_parse(nlh, 0, tb, HV_IOMMU_A_MAX, attr_policy)) {
		d->failed = hv_err("netlink %s: message %lu: malformed attributes", d->cmdname, d->n);
		return NL_STOP;
	}
	if (d->one_partition && (!tb[HV_IOMMU_A_PARTITION_ID] ||
				 nla_get_u64(tb[HV_IOMMU_A_PARTITION_ID]) != d->partition))
		return NL_OK;
	if (d->mfn)
		return dump_mappings(d, nlh);
	out = open_memstream(&buf, &len);
	if (!out) {
		d->failed = hv_err_nomem();
		return NL_STOP;
	}
	r = d->render(nlmsg_data(nlh), tb, out);
	if (fclose(out) || r) {
		free(buf);
		d->failed = hv_err("netlink %s: message %lu: attributes missing", d->cmdname, d->n);
		return NL_STOP;
	}
	for (line = strtok_r(buf, "\n", &save); line && !d->failed; line = strtok_r(NULL, "\n", &save)) {
		err.msg[0] = '\0';
		if (d->fn(line, d->arg, &err))
			d->failed = err.msg[0] ? hv_err("netlink %s: message %lu: %s", d->cmdname,
							d->n, err.msg) : -1;
	}
	free(buf);
	return d->failed ? NL_STOP : NL_OK;
}

/* The kernel's error and its extended ack message (NLMSGERR_ATTR_MSG). */
static int dump_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct dump *d = arg;
	struct nlattr *a;
	size_t skip;
	int rem;

	(void)who;
	d->err = -e->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NL_STOP;
	skip = sizeof(*e) + (nlh->nlmsg_flags & NLM_F_CAPPED ? 0 :
			     e->msg.nlmsg_len - NLMSG_HDRLEN);
	if (skip >= nlh->nlmsg_len - NLMSG_HDRLEN)
		return NL_STOP;
	nla_for_each_attr(a, (struct nlattr *)((char *)e + NLMSG_ALIGN(skip)),
			  (int)(nlh->nlmsg_len - NLMSG_HDRLEN - NLMSG_ALIGN(skip)), rem)
		if (nla_type(a) == NLMSGERR_ATTR_MSG)
			snprintf(d->ack, sizeof(d->ack), "%s", nla_get_string(a));
	return NL_STOP;
}

/* Runs dump CMD (with domain id ID when DOMAIN is set) into D.  Returns 0,
 * -1 (reported), NL_NOENT or NL_UNSERVED (see nl_read_lines). */
static int run_dump(struct dump *d, uint8_t cmd, int domain, uint32_t id)
{
	struct nl_sock *sk;
	struct nl_msg *msg;
	int family, r;

	sk = family_socket(&family);
	if (!sk)
		return -1;
	msg = nlmsg_alloc();
	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, NLM_F_DUMP, cmd,
				 HV_IOMMU_GENL_VERSION) ||
	    (domain && nla_put_u32(msg, HV_IOMMU_A_DOMAIN_ID, id))) {
		nlmsg_free(msg);
		nl_socket_free(sk);
		return hv_err_nomem();
	}
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, dump_valid, d);
	nl_socket_modify_err_cb(sk, NL_CB_CUSTOM, dump_error, d);
	r = nl_send_auto(sk, msg);
	nlmsg_free(msg);
	if (r >= 0)
		r = nl_recvmsgs_default(sk);
	nl_socket_free(sk);
	if (d->failed)
		return -1;
	/* hv_vmm not loaded, or the mappings of a non-administrator: the
	 * file says why (or has what the family does not serve). */
	if (d->err == EOPNOTSUPP || d->err == EPERM)
		return NL_UNSERVED;
	if (d->err == ENOENT)
		return NL_NOENT;
	if (d->err)
		return hv_err("netlink %s: %s%s%s", d->cmdname, strerror(d->err),
			      d->ack[0] ? ": " : "", d->ack);
	if (r < 0)
		return hv_err("netlink %s: %s", d->cmdname, nl_geterror(r));
	return 0;
}

/* nl_read_lines(): contract in nl.h. */
int nl_read_lines(const char *rel, nl_line_fn fn, void *arg)
{
	static const struct {
		const char *path;
		uint8_t cmd;
		const char *name;
		int (*render)(struct genlmsghdr *g, struct nlattr **tb, FILE *out);
	} served[] = {
		{ HV_DEBUGFS_DOMAINS, HV_IOMMU_CMD_DOMAIN_GET, "domain-get", render_domain },
		{ HV_DEBUGFS_DEVICES, HV_IOMMU_CMD_DEVICE_GET, "device-get", render_device },
		{ HV_DEBUGFS_SKIPPED, HV_IOMMU_CMD_SKIPPED_GET, "skipped-get", render_skipped },
		{ HV_DEBUGFS_STATS, HV_IOMMU_CMD_STATS_GET, "stats-get", render_stats },
		{ HV_VMM_DEBUGFS_SYNIC, HV_IOMMU_CMD_SYNIC_GET, "synic-get", render_synic },
	};
	struct dump d = { .fn = fn, .arg = arg };
	unsigned long long id;
	size_t i;
	int pos = 0;

	if (nl_source() != 1)
		return NL_UNSERVED;
	/* A partition's regions: its messages of the mmio-get dump. */
	if (sscanf(rel, HV_VMM_DEBUGFS "/partitions/%llu/regions%n", &id, &pos) == 1 &&
	    !rel[pos]) {
		d.cmdname = "mmio-get";
		d.render = render_region;
		d.one_partition = 1;
		d.partition = id;
		return run_dump(&d, HV_IOMMU_CMD_MMIO_GET, 0, 0);
	}
	for (i = 0; i < sizeof(served) / sizeof(served[0]); i++) {
		if (strcmp(rel, served[i].path))
			continue;
		d.cmdname = served[i].name;
		d.render = served[i].render;
		return run_dump(&d, served[i].cmd, 0, 0);
	}
	return NL_UNSERVED;
}

/* nl_foreach_mapping(): contract in nl.h. */
int nl_foreach_mapping(uint64_t id, mapping_fn fn, void *arg)
{
	struct dump d = { .cmdname = "mapping-get", .mfn = fn, .arg = arg };

	if (id > UINT32_MAX || nl_source() != 1)
		return NL_UNSERVED;
	return run_dump(&d, HV_IOMMU_CMD_MAPPING_GET, 1, (uint32_t)id);
}

/* Events. */
struct nl_monitor {
	struct nl_sock *sk;
	int (*fn)(const struct nl_event *ev, void *arg);
	void *arg;
	int result;
};

/* nl_monitor_open(): contract in nl.h. */
struct nl_monitor *nl_monitor_open(void)
{
	struct nl_monitor *m = calloc(1, sizeof(*m));
	int family, grp;

	if (!m) {
		hv_err_nomem();
		return NULL;
	}
	m->sk = family_socket(&family);
	if (!m->sk) {
		free(m);
		return NULL;
	}
	grp = genl_ctrl_resolve_grp(m->sk, HV_IOMMU_GENL_NAME, HV_IOMMU_MCGRP_EVENTS);
	if (grp < 0 || nl_socket_add_membership(m->sk, grp)) {
		hv_err("netlink: cannot join hv_iommu's \"%s\" group: %s",
		       HV_IOMMU_MCGRP_EVENTS, nl_geterror(grp < 0 ? grp : -NLE_FAILURE));
		nl_monitor_close(m);
		return NULL;
	}
	nl_socket_disable_seq_check(m->sk);
	/* A burst must not overrun the socket: 4 MiB where rmem_max allows. */
	nl_socket_set_buffer_size(m->sk, 4 << 20, 0);
	return m;
}

/* nl_monitor_fd(): contract in nl.h. */
int nl_monitor_fd(const struct nl_monitor *m)
{
	return nl_socket_get_fd(m->sk);
}

static int64_t u64_or_neg(struct nlattr **tb, int a)
{
	return tb[a] ? (int64_t)nla_get_u64(tb[a]) : -1;
}

static int monitor_valid(struct nl_msg *msg, void *arg)
{
	static const char *const reasons_none = NULL;
	struct nl_monitor *m = arg;
	struct nlattr *tb[HV_IOMMU_A_MAX + 1];
	struct nl_event ev;
	uint32_t type;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, HV_IOMMU_A_MAX, attr_policy) ||
	    !tb[HV_IOMMU_A_EVENT_TYPE])
		return NL_SKIP;	/* not an event of this version: skipped */
	type = nla_get_u32(tb[HV_IOMMU_A_EVENT_TYPE]);
	memset(&ev, 0, sizeof(ev));
	ev.type = NAME_OF(event_names, type);
	ev.time_ns = tb[HV_IOMMU_A_EVENT_TIME_NS] ? nla_get_u64(tb[HV_IOMMU_A_EVENT_TIME_NS]) : 0;
	ev.domain = tb[HV_IOMMU_A_DOMAIN_ID] ? (int64_t)nla_get_u32(tb[HV_IOMMU_A_DOMAIN_ID]) : -1;
	ev.bdf = tb[HV_IOMMU_A_BDF] ? nla_get_string(tb[HV_IOMMU_A_BDF]) : NULL;
	ev.hv_status = tb[HV_IOMMU_A_HV_STATUS] ? (int64_t)nla_get_u32(tb[HV_IOMMU_A_HV_STATUS]) : -1;
	ev.partition = u64_or_neg(tb, HV_IOMMU_A_PARTITION_ID);
	ev.calls = u64_or_neg(tb, HV_IOMMU_A_EVENT_CALLS);
	ev.bytes = u64_or_neg(tb, HV_IOMMU_A_EVENT_BYTES);
	ev.reason = tb[HV_IOMMU_A_SKIP_REASON] ?
		NAME_OF(skip_reasons, nla_get_u32(tb[HV_IOMMU_A_SKIP_REASON])) : reasons_none;
	ev.skip_list = tb[HV_IOMMU_A_SKIP_LIST] ? nla_get_string(tb[HV_IOMMU_A_SKIP_LIST]) : NULL;
	ev.skip_entry = tb[HV_IOMMU_A_SKIP_ENTRY] ? nla_get_string(tb[HV_IOMMU_A_SKIP_ENTRY]) : NULL;
	ev.skip_origin = tb[HV_IOMMU_A_SKIP_ORIGIN] ?
		nla_get_string(tb[HV_IOMMU_A_SKIP_ORIGIN]) : NULL;
	ev.skip_change = !tb[HV_IOMMU_A_SKIP_ADDED] ? NULL :
		nla_get_u8(tb[HV_IOMMU_A_SKIP_ADDED]) ? "added" : "removed";
	ev.gpa = u64_or_neg(tb, HV_IOMMU_A_MMIO_GPA);
	ev.size = u64_or_neg(tb, HV_IOMMU_A_MMIO_SIZE);
	ev.dropped = u64_or_neg(tb, HV_IOMMU_A_EVENT_DROPPED);
	m->result = m->fn(&ev, m->arg);
	return m->result ? NL_STOP : NL_OK;
}

/* nl_monitor_read(): contract in nl.h. */
int nl_monitor_read(struct nl_monitor *m, int nonblock,
		    int (*fn)(const struct nl_event *ev, void *arg), void *arg)
{
	int r;

	m->fn = fn;
	m->arg = arg;
	m->result = 0;
	nl_socket_modify_cb(m->sk, NL_CB_VALID, NL_CB_CUSTOM, monitor_valid, m);
	if (nonblock)
		nl_socket_set_nonblocking(m->sk);
	r = nl_recvmsgs_default(m->sk);
	if (m->result)
		return m->result;
	if (r == -NLE_AGAIN)
		return 0;
	if (r == -NLE_NOMEM || r == -NLE_MSG_OVERFLOW) {
		hv_warn("netlink: events were lost (socket buffer overrun)");
		return 0;
	}
	if (r < 0)
		return hv_err("netlink: reading events: %s", nl_geterror(r));
	return 0;
}

/* nl_monitor_close(): contract in nl.h. */
void nl_monitor_close(struct nl_monitor *m)
{
	if (!m)
		return;
	nl_socket_free(m->sk);
	free(m);
}
