/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hv_iommu: private declarations shared by the driver's files.
 *
 * Locking, outermost first:
 *  - hv_iommu_lock (mutex): the device records, the paging domain list, every
 *    domain's device list and mode, and every attach/detach hypercall.
 *  - hv_iommu_domain.lock (spinlock, irqsave): one domain's table of
 *    mappings and its counters; the hot path (map_pages, unmap_pages,
 *    iotlb_sync, iova_to_phys) takes only this one.  No hypercall is issued
 *    and nothing sleeps while it is held.  The table's xarray lock nests
 *    inside it (store.c).
 */
#ifndef HV_IOMMU_PRIV_H
#define HV_IOMMU_PRIV_H

#ifndef pr_fmt
#define pr_fmt(fmt) "hv_iommu: " fmt
#endif

#include <linux/atomic.h>
#include <linux/device.h>
#include <linux/interval_tree.h>
#include <linux/iommu.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/xarray.h>

#include "hv_abi.h"
#include "hv_backend.h"
#include "hv_compat.h"
#include "hv_direct.h"
#include "hv_hcall.h"
#include "hv_iommu_nl.h"
#include "skip_parse.h"

struct pci_dev;
struct seq_file;

#define HV_IOMMU_NAME		"hv_iommu"

/* IOVA space a paging domain offers: 48 bits, like common hardware IOMMUs. */
#define HV_IOMMU_IOVA_BITS	48

/* Pages deposited per HV_STATUS_INSUFFICIENT_MEMORY, and how often in a row. */
#define HV_IOMMU_DEPOSIT_PAGES	256
#define HV_IOMMU_DEPOSIT_TRIES	8
/* Deposits ahead of need: topped up to HIGH pages when below LOW. */
#define HV_IOMMU_DEPOSIT_LOW	64
#define HV_IOMMU_DEPOSIT_HIGH	512

enum hv_iommu_kind {
	HV_IOMMU_KIND_IDENTITY,
	HV_IOMMU_KIND_BLOCKED,
	HV_IOMMU_KIND_PAGING,
};

enum hv_iommu_mode {
	HV_IOMMU_MODE_NONE,	/* paging domain not yet attached */
	HV_IOMMU_MODE_DOMAIN,	/* hypervisor device domain */
	HV_IOMMU_MODE_DIRECT,	/* direct attach to a guest partition */
};

enum hv_iommu_attach_mode {
	HV_IOMMU_ATTACH_AUTO,
	HV_IOMMU_ATTACH_DOMAIN,
};

/**
 * struct hv_iommu_domain - the driver's record of one domain
 * @domain: the iommu_domain the core sees.  For identity and blocked it is
 *	the static domain itself; for paging domains the core's handle, which
 *	the core stops using once it has called ->free (a stranded record keeps
 *	the memory, the core never touches it again).
 * @kind: identity, blocked or paging.
 * @id: hypervisor id (0, 0xFFFFFFFF) for identity and blocked; the driver's
 *	id for paging domains, which is the device domain id in domain mode.
 * @list: entry in hv_iommu_paging_domains (sorted by @id).
 * @devices: hv_iommu_dev records the hypervisor has in this domain.
 * @mode: none, domain or direct; changes once, under hv_iommu_lock and @lock.
 * @partition_id: the guest partition in direct mode.
 * @hv_created: the hypervisor device domain @id exists.
 * @stranded: freed by the core while the hypervisor still holds a device in
 *	it or refused to delete its device domain.
 * @debugfs: the mappings/<id> file, or NULL.
 * @lock: protects @store and the counters below, and is held when @mode
 *	changes.
 * @store: the table of IOVA pages (store.c): 2 MiB block -> leaf of 512
 *	hv_pte, or a value entry for a block one run covers whole.
 * @mapped_bytes: bytes mapped as the core sees it (pages in the books, not
 *	unmapped by the core).
 * @nr_mappings: number of mappings (HV_PTE_START pages among those).
 * @nr_pending: pages among those the hypervisor does not map yet
 *	(@hv_created but not replayed, or a map hypercall in flight).
 * @nr_blocks: 2 MiB IOVA blocks with an entry (leaf or whole).
 * @spare: a spare leaf for expanding a whole block (a partial unmap), filled
 *	outside @lock so that an unmap never comes back short for want of
 *	memory in the common case.
 * @bdf: the first device in the domain, for log lines ("" if none).
 * @ev_calls: map (0) and unmap (1) calls not yet reported in a netlink
 *	event (netlink.c coalesces them).
 * @ev_bytes: the bytes those calls mapped or unmapped.
 */
struct hv_iommu_domain {
	struct iommu_domain domain;
	enum hv_iommu_kind kind;
	u32 id;
	struct list_head list;
	struct list_head devices;
	enum hv_iommu_mode mode;
	u64 partition_id;
	bool hv_created;
	bool stranded;
	struct dentry *debugfs;

	spinlock_t lock;	/* guards store and the counters below */
	struct xarray store;
	u64 mapped_bytes;
	u64 nr_mappings;
	u64 nr_pending;
	u64 nr_blocks;
	u64 *spare;
	char bdf[16];
	atomic64_t ev_calls[2];
	atomic64_t ev_bytes[2];
};

/**
 * struct hv_iommu_mapping - a copy of one mapping: a physically contiguous
 *	run of IOVA (hv_iommu_mapping_from())
 * @it: IOVA interval, first and last byte (inclusive); only start and last
 *	are set.
 * @paddr: physical address of the first byte.
 * @id: its first IOVA page number (unique among the domain's mappings at
 *	the time of the copy).
 * @flags: HV_MAP_GPA_* flags.
 * @in_hv: the hypervisor device domain maps these pages.
 * @held: the core unmapped these pages (or freed the domain) but the
 *	hypervisor refused to unmap them: the driver holds a reference on each
 *	RAM frame (hv_iommu_pinned_leaked_pages counts them).
 */
struct hv_iommu_mapping {
	struct interval_tree_node it;
	phys_addr_t paddr;
	u64 id;
	u32 flags;
	bool in_hv;
	bool held;
};

/*
 * One IOVA page in the books (store.c): the frame number above bit 12, and
 * these bits.
 */
#define HV_PTE_PRESENT		BIT_ULL(0)	/* in the books */
#define HV_PTE_START		BIT_ULL(1)	/* first page of a mapping */
#define HV_PTE_IN_HV		BIT_ULL(2)	/* the hypervisor maps it */
#define HV_PTE_HELD		BIT_ULL(3)	/* unmap refused, frame referenced */
#define HV_PTE_UNMAPPING	BIT_ULL(4)	/* unmapped by the core, hypercall
						 * waits for iotlb_sync */
#define HV_PTE_BUSY		BIT_ULL(5)	/* map hypercall in flight */
#define HV_PTE_WRITABLE		BIT_ULL(6)	/* HV_MAP_GPA_WRITABLE */
#define HV_PTE_NOT_CACHED	BIT_ULL(7)	/* HV_MAP_GPA_NOT_CACHED */
#define HV_PTE_PFN_SHIFT	12
#define HV_PTE_PFN(pte)		((pte) >> HV_PTE_PFN_SHIFT)

/* 2 MiB IOVA blocks of 512 pages: one leaf each. */
#define HV_STORE_BLOCK_SHIFT	9
#define HV_STORE_BLOCK_PAGES	(1U << HV_STORE_BLOCK_SHIFT)

/* A walk's cached block lookup; zero-initialise, reuse under one lock hold. */
struct hv_store_cur {
	unsigned long block;
	void *entry;
	bool valid;
};

/* Why probe declined a device (debugfs "skipped", reason=). */
enum hv_iommu_skip_reason {
	HV_IOMMU_SKIP_NONE,
	HV_IOMMU_SKIP_LISTED,		/* on pci_devs_to_skip (the boot list) */
	HV_IOMMU_SKIP_RUNTIME,		/* added at run time (skip_add) */
	HV_IOMMU_SKIP_PERSISTENT,	/* a persistent entry under /etc */
	HV_IOMMU_SKIP_RULE,		/* a udev rule's match (skip_add "rule") */
	HV_IOMMU_SKIP_GROUP,		/* shares its group with a listed one */
	HV_IOMMU_SKIP_SEGMENT,		/* segment does not fit 16 bits */
	HV_IOMMU_SKIP_ID_COLLISION,	/* its device id is another's */
	HV_IOMMU_SKIP_NOMEM,
	HV_IOMMU_SKIP_BOUND,		/* a driver had it before hv_iommu loaded */
};

enum hv_iommu_dev_state {
	HV_IOMMU_DEV_ATTACHED,
	HV_IOMMU_DEV_DETACH_FAILED,
};

/**
 * struct hv_iommu_dev - the driver's record of one probed PCI device
 * @list: entry in hv_iommu_devices.
 * @domain_node: entry in @domain->devices.
 * @dev: the device, or NULL once released (the record outlives the device
 *	only while the hypervisor refuses to let it go).
 * @domain: the domain the hypervisor has the device in.
 * @target: the domain the iommu core last attached the device to (identity
 *	after probe, a 6.1 detach or release).  It differs from @domain only
 *	while the hypervisor refuses to let the device leave @domain; when
 *	the core frees @domain, the device is moved to @target.
 * @device_id: PCI-form union hv_device_id: the requester id its DMA carries
 *	at the root complex (a bridge's alias for a function behind a
 *	PCIe-to-PCI bridge), see hv_iommu_pci_device_id().  Functions that
 *	share it share the hypervisor's state: their records always agree on
 *	@domain, @state, @status and @logical_id (hv_iommu_dev_follow()).
 * @aliased: @device_id is a bridge's alias, not the function's own id.
 * @logical_id: logical device id used for direct attach.
 * @direct_partition: the guest partition a VMM asked direct attach for
 *	(hv_iommu_direct_request()), 0 if none.
 * @state: attached, or detach-failed (the last detach was refused).
 * @status: HV_STATUS of the last refused detach, 0 otherwise.
 * @hop_command: its PCI command register before a hop through domain 0
 *	(hop.c), while one is under way.
 * @hop_blocked: user-space config access is blocked by the hop (to unblock).
 * @bdf: SSSS:BB:DD.F.
 */
struct hv_iommu_dev {
	struct list_head list;
	struct list_head domain_node;
	struct device *dev;
	struct hv_iommu_domain *domain;
	struct hv_iommu_domain *target;
	u64 device_id;
	bool aliased;
	u64 logical_id;
	u64 direct_partition;
	enum hv_iommu_dev_state state;
	u16 status;
	u16 hop_command;
	bool hop_blocked;
	char bdf[16];
};

static inline struct hv_iommu_domain *to_hv_domain(struct iommu_domain *d)
{
	return container_of(d, struct hv_iommu_domain, domain);
}

/* main.c */
extern struct mutex hv_iommu_lock;
extern struct list_head hv_iommu_devices;
extern struct iommu_device hv_iommu_device;

/* probe_fault.c: test-only probe faults (debugfs "probe_fault") */
void hv_iommu_probe_fault(const char *name, int *segment);
bool hv_iommu_probe_fault_collide(const char *bdf);
extern const struct file_operations hv_iommu_probe_fault_fops;

/* params.c */
extern enum hv_iommu_attach_mode hv_iommu_attach_mode;
const char *hv_iommu_backend_param(void);
struct pci_dev;
bool hv_iommu_acs_isolated(struct pci_dev *pdev);
bool hv_iommu_slot_shared(struct pci_dev *pdev);

/**
 * struct hv_skipped - a device probe declined (debugfs "skipped")
 * @list: entry in skip.c's list, under its lock.
 * @bdf: SSSS:BB:DD.F.
 * @reason: why.
 */
struct hv_skipped {
	struct list_head list;
	char bdf[16];
	enum hv_iommu_skip_reason reason;
};

/* skip.c */
enum hv_iommu_skip_reason hv_iommu_skip_check(struct pci_dev *pdev,
					      u16 segment, u64 device_id);
const char *hv_iommu_skip_reason_name(enum hv_iommu_skip_reason reason);
int hv_iommu_skip_change(const struct hv_skip_match *m,
			 enum hv_skip_origin origin, bool add);
ssize_t hv_iommu_skip_list_show(char *buf);
int hv_iommu_skip_init(void);
void hv_iommu_skip_cleanup(void);
struct hv_skipped *hv_iommu_skipped_find(const char *bdf);
void hv_iommu_skipped_record(const char *bdf, enum hv_iommu_skip_reason reason);
void hv_iommu_skipped_show(struct seq_file *m);
int hv_iommu_skip_list_set(const char *val);
int hv_iommu_skip_list_get(char *buf, size_t len);
bool hv_iommu_skipped_get(unsigned long index, char *bdf, size_t len,
			  enum hv_iommu_skip_reason *reason);

/**
 * struct hv_iommu_policy - what this kernel's role lets the driver do
 * @name: "root" or "l1vh" (sysfs role, hvctl status).
 * @device_domains: paging domains may be hypervisor device domains (host
 *	devices get paging domains); false: only direct attach.
 */
struct hv_iommu_policy {
	const char *name;
	bool device_domains;
};

/* backend.c */
extern const struct hv_backend *hv_iommu_backend;
extern const struct hv_iommu_policy *hv_iommu_policy;
int hv_iommu_backend_select(const char *want);
void hv_iommu_backend_release(void);

/* hcall.c */
int hv_hcall_create_device_domain(u32 id);
int hv_hcall_delete_device_domain(u32 id);
int hv_hcall_attach_device_domain(u32 id, u64 device_id, u16 *status);
int hv_hcall_detach_device_domain(u64 device_id, u16 *status);
int hv_hcall_map_device_gpa_pages(u32 id, u64 iova, u64 pfn, u64 npages,
				  u32 flags, gfp_t gfp, u64 *done, u16 *status);
int hv_hcall_unmap_device_gpa_pages(u32 id, u64 iova, u64 npages, gfp_t gfp,
				    u64 *done, u16 *status);
int hv_hcall_attach_device(u64 partition_id, u64 device_id, u64 logical_id,
			   u16 *status);
int hv_hcall_detach_device(u64 partition_id, u64 logical_id, u16 *status);

/**
 * struct hv_hcall_snapshot - the hypercall counters at one moment
 * @call: per call code: name, TLFS code, calls, reps, failures.
 * @ncalls: entries of @call used.
 * @status: per non-success HV_STATUS seen: the code and how often.
 * @nstatus: entries of @status used.
 * @deposit_calls: HvCallDepositMemory calls.
 * @deposit_pages: 4 KiB pages deposited.
 * @deposit_deferred: deposits left to the workqueue (atomic callers).
 * @deposit_ahead: deposits made ahead of need (the watermark's top-ups).
 * @deposit_credit: pages the driver estimates the hypervisor has left.
 * @store_leaves: leaf tables (one page each) of every domain's books.
 * @resumes: time-slice returns re-issued.
 * @pinned_leaked: RAM frames held because the hypervisor refused an unmap.
 * @unheld_frames: frames still mapped after a refused unmap that could not
 *	be held (no page reference to take).
 */
struct hv_hcall_snapshot {
	struct {
		const char *name;
		u16 code;
		s64 calls, reps, failures;
	} call[32];
	unsigned int ncalls;
	struct {
		u16 status;
		s64 count;
	} status[32];
	unsigned int nstatus;
	s64 deposit_calls, deposit_pages, deposit_deferred, resumes;
	s64 deposit_ahead, deposit_credit, store_leaves;
	s64 pinned_leaked;
	s64 unheld_frames;
};
void hv_hcall_stats_snapshot(struct hv_hcall_snapshot *snap);
void hv_hcall_stats_show(struct seq_file *m);
void hv_hcall_deposit_need(long pages, gfp_t gfp);

/* domain.c */
extern struct hv_iommu_domain hv_iommu_identity;
extern struct hv_iommu_domain hv_iommu_blocked;
extern struct list_head hv_iommu_paging_domains;
extern atomic_t hv_iommu_domains_in_use;
extern const struct iommu_domain_ops hv_iommu_paging_ops;
struct iommu_domain *hv_iommu_domain_alloc(unsigned int type);
struct iommu_domain *hv_iommu_domain_alloc_paging(struct device *dev);
int hv_iommu_dev_move(struct hv_iommu_dev *hd, struct hv_iommu_domain *to);
void hv_iommu_dev_follow(struct hv_iommu_dev *hd, struct hv_iommu_dev *lead);
bool hv_iommu_dev_has_live_sibling(struct hv_iommu_dev *hd);
const char *hv_iommu_mode_name(enum hv_iommu_mode mode);

/* hop.c */
void hv_iommu_hop_begin(struct hv_iommu_dev *hd);
void hv_iommu_hop_end(struct hv_iommu_dev *hd);

/* direct.c */
bool hv_iommu_direct_wanted(struct hv_iommu_dev *hd, u64 *partition_id);
int hv_iommu_direct_attach(struct hv_iommu_dev *hd,
			   struct hv_iommu_domain *hvdom);
int hv_iommu_direct_detach(struct hv_iommu_dev *hd, u16 *status);

/* store.c */
u64 hv_store_get(struct hv_iommu_domain *hvdom, unsigned long ipfn,
		 struct hv_store_cur *c);
u64 hv_store_whole(struct hv_iommu_domain *hvdom, unsigned long ipfn,
		   struct hv_store_cur *c);
bool hv_store_block_empty(struct hv_iommu_domain *hvdom, unsigned long ipfn,
			  struct hv_store_cur *c);
int hv_store_set(struct hv_iommu_domain *hvdom, unsigned long ipfn, u64 pte,
		 struct hv_store_cur *c);
int hv_store_set_whole(struct hv_iommu_domain *hvdom, unsigned long ipfn,
		       u64 v, struct hv_store_cur *c);
bool hv_store_next(struct hv_iommu_domain *hvdom, unsigned long *ipfn,
		   unsigned long last, struct hv_store_cur *c);
void hv_store_trim(struct hv_iommu_domain *hvdom, unsigned long first,
		   unsigned long last);
bool hv_store_spare_fill(struct hv_iommu_domain *hvdom, gfp_t gfp);
long hv_store_leaves(void);
void hv_store_destroy(struct hv_iommu_domain *hvdom);

/* held.c */
extern atomic64_t hv_iommu_pinned_leaked_pages;
extern atomic64_t hv_iommu_unheld_frames;
void hv_iommu_frames_hold(phys_addr_t pa, u64 npages);
void hv_iommu_frames_release(phys_addr_t pa, u64 npages);

/* mapping.c */
int hv_iommu_map_pages(struct iommu_domain *domain, unsigned long iova,
		       phys_addr_t paddr, size_t pgsize, size_t pgcount,
		       int prot, gfp_t gfp, size_t *mapped);
size_t hv_iommu_unmap_pages(struct iommu_domain *domain, unsigned long iova,
			    size_t pgsize, size_t pgcount,
			    struct iommu_iotlb_gather *gather);
void hv_iommu_iotlb_sync(struct iommu_domain *domain,
			 struct iommu_iotlb_gather *gather);
phys_addr_t hv_iommu_iova_to_phys(struct iommu_domain *domain,
				  dma_addr_t iova);
int hv_iommu_replay(struct hv_iommu_domain *hvdom);
void hv_iommu_mappings_forget_hv(struct hv_iommu_domain *hvdom);
void hv_iommu_mappings_unmap_all(struct hv_iommu_domain *hvdom);
void hv_iommu_mappings_free(struct hv_iommu_domain *hvdom);
bool hv_iommu_mapping_from(struct hv_iommu_domain *hvdom, unsigned long from,
			   struct hv_iommu_mapping *copy);
void hv_iommu_mappings_totals(struct hv_iommu_domain *hvdom, u64 *bytes,
			      u64 *count);

/* debugfs.c */
void hv_iommu_debugfs_init(void);
void hv_iommu_debugfs_cleanup(void);
void hv_iommu_debugfs_add_domain(struct hv_iommu_domain *hvdom);
void hv_iommu_debugfs_remove_domain(struct hv_iommu_domain *hvdom);

/* netlink.c: the "hv_iommu" generic netlink family (hv_nl.h for hv_vmm) */
int hv_iommu_nl_init(void);
void hv_iommu_nl_cleanup(void);
void hv_iommu_nl_domain_event(int type, struct hv_iommu_domain *hvdom);
void hv_iommu_nl_device_event(int type, struct hv_iommu_dev *hd,
			      struct hv_iommu_domain *hvdom);
void hv_iommu_nl_note_map(struct hv_iommu_domain *hvdom, bool map, u64 bytes);
void hv_iommu_nl_skip_changed(const char *entry, const char *origin, bool added);
void hv_iommu_nl_device_skipped(const char *bdf,
				enum hv_iommu_skip_reason reason);

/* resv.c */
void hv_iommu_get_resv_regions(struct device *dev, struct list_head *head);

/* sysfs.c */
extern const struct attribute_group *hv_iommu_sysfs_groups[];

#endif /* HV_IOMMU_PRIV_H */
