/* SPDX-License-Identifier: GPL-2.0-or-later */
/* parse.h - pure parsers and formatters for hv_iommu's text interfaces.
 *
 * No I/O here: every function works on strings handed to it, so the unit
 * tests can drive them directly.  Formats are those of doc/interfaces.md:
 *  - debugfs records: fields separated by spaces, each "key=value"; readers
 *    ignore unknown keys; numbers decimal or 0x-hex; lists comma-separated,
 *    "-" for empty;
 *  - debugfs mappings/<id>: "0xFIRST-0xLAST 0xPHYS PERM";
 *  - BDF "SSSS:BB:DD.F" (lower-case hex when written);
 *  - pci_devs_to_skip: "(SSSS:BB:DD.F)(SSSS:BB:DD.F)...", optional white
 *    space between groups, "" for none.
 *
 * Errors: functions return 0 on success and -1 on failure, filling a
 * struct perr with a message (no "hvctl:" prefix, no file name: the caller
 * adds where the text came from).  -1 with errno ENOMEM is allocation failure.
 */
#ifndef HVCTL_PARSE_H
#define HVCTL_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* A parse error message. */
struct perr {
	char msg[192];
};

/* Sets ERR's message (printf-style); returns -1. */
int perr_set(struct perr *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- arrays ----------------------------------------------------------- */

/* Grows *V (an array of *N elements of SIZE bytes) by one zeroed element
 * and returns it (*N incremented); NULL on ENOMEM (nothing changed). */
void *array_grow(void **v, size_t *n, size_t size);

/* The element of BASE[0..N) (SIZE bytes each) for which CMP(KEY, elem)
 * is 0, or NULL (lfind(3)). */
void *array_find(const void *key, const void *base, size_t n, size_t size,
		 int (*cmp)(const void *key, const void *elem));

/* CMP functions for array_find: KEY a struct bdf (or a uint64_t) compared
 * with an element whose first member is a struct bdf (or a uint64_t id). */
int bdf_key_cmp(const void *key, const void *elem);
int u64_key_cmp(const void *key, const void *elem);

/* ---- numbers ---------------------------------------------------------- */

/* Parses a whole string as an unsigned 64-bit number: decimal digits, or
 * "0x"/"0X" followed by hex digits.  No sign, no spaces, no trailing text,
 * no overflow.  Returns 0 or -1 (ERR may be NULL). */
int parse_u64(const char *s, uint64_t *out, struct perr *err);

/* Formats BYTES as lsblk does with one-letter suffixes (B, K, M, G, T, P, E;
 * powers of 1024), one decimal when not whole: 0 -> "0B", 4096 -> "4K",
 * 1572864 -> "1.5M".  BUF should hold at least 16 bytes. */
void format_size(uint64_t bytes, char *buf, size_t len);

/* ---- PCI addresses ---------------------------------------------------- */

#define BDF_STRLEN 13	/* "ssss:bb:dd.f" + NUL */

/* A PCI function: segment (domain), bus, device (<= 0x1f), function (<= 7). */
struct bdf {
	uint16_t seg;
	uint8_t bus;
	uint8_t dev;
	uint8_t fn;
};

/* Parses "SSSS:BB:DD.F" (exactly 4, 2, 2 and 1 hex digits, either case) or,
 * when ALLOW_SHORT, also "BB:DD.F" meaning segment 0000.  LEN is the number
 * of bytes of S to parse (all of them must be used).  Device must be <= 0x1f
 * and function <= 7.  Returns 0 or -1. */
int bdf_parse_n(const char *s, size_t len, int allow_short, struct bdf *out);

/* bdf_parse_n on a NUL-terminated string, short form allowed: what the
 * command line accepts. */
int bdf_parse(const char *s, struct bdf *out);

/* Writes the canonical lower-case "ssss:bb:dd.f" into BUF[BDF_STRLEN]. */
void bdf_format(const struct bdf *b, char buf[BDF_STRLEN]);

/* Orders BDFs by segment, bus, device, function (memcmp-like result). */
int bdf_cmp(const struct bdf *a, const struct bdf *b);

/* A growable array of BDFs (order kept). */
struct bdf_list {
	struct bdf *v;
	size_t n;
	size_t cap;
};

/* Appends B; returns 0 or -1 (ENOMEM). */
int bdf_list_add(struct bdf_list *l, const struct bdf *b);
/* Index of B in L, or -1 when absent. */
long bdf_list_find(const struct bdf_list *l, const struct bdf *b);
/* Removes the element at IDX (< l->n), keeping the order of the rest. */
void bdf_list_remove(struct bdf_list *l, size_t idx);
/* Frees the array; L becomes empty. */
void bdf_list_free(struct bdf_list *l);

/* Parses a debugfs BDF list: comma-separated full BDFs, or "-" for none.
 * Appends to OUT.  Returns 0 or -1 with ERR. */
int bdf_csv_parse(const char *s, struct bdf_list *out, struct perr *err);

/* Parses the pci_devs_to_skip string (sysfs, see header).  Leading/trailing
 * and between-group white space is accepted, the BDF inside the parentheses
 * must be the full SSSS:BB:DD.F form.  Appends to OUT.  On a malformed
 * string returns -1 with ERR saying what and at which 0-based byte offset
 * (the kernel's own convention). */
int skiplist_parse(const char *s, struct bdf_list *out, struct perr *err);

/* Formats L in canonical form "(ssss:bb:dd.f)(...)", "" for an empty list.
 * Returns a malloc'd string, or NULL (ENOMEM). */
char *skiplist_format(const struct bdf_list *l);
/* Every BDF of L as OPEN bdf CLOSE with SEP between them: a malloc'd string
 * ("" for an empty list), or NULL on ENOMEM. */
char *bdf_list_join(const struct bdf_list *l, const char *open, const char *close,
		    const char *sep);

/* ---- key=value records (debugfs) -------------------------------------- */

#define RECORD_MAX_FIELDS 64

/* One debugfs line split into fields.  TAG is a leading word without '='
 * (the kind of line in `stats`: "call", "status", ...), NULL if the first
 * field is key=value.  Keys and values point into the parsed line. */
struct record {
	const char *tag;
	size_t n;
	struct {
		const char *key;
		const char *val;
	} f[RECORD_MAX_FIELDS];
};

/* Splits LINE in place (a trailing newline is dropped; runs of spaces or tabs
 * separate fields).  Every field after the optional tag must be key=value
 * with a non-empty key.  A blank line gives n == 0 and tag NULL.
 * Returns 0 or -1 with ERR. */
int record_parse(char *line, struct record *rec, struct perr *err);

/* Value of KEY in REC (first occurrence), or NULL. */
const char *record_get(const struct record *rec, const char *key);

/* Value of required KEY; NULL with ERR "missing key 'KEY'" when absent. */
const char *record_need(const struct record *rec, const char *key, struct perr *err);

/* Required numeric KEY into *OUT; -1 with ERR when absent or not a number. */
int record_need_u64(const struct record *rec, const char *key, uint64_t *out, struct perr *err);

/* ---- debugfs record types --------------------------------------------- */

/* A line of debugfs `domains`.  Strings are malloc'd (domain_free). */
struct domain {
	uint64_t id;		/* hypervisor id for identity (0)/blocked (0xFFFFFFFF), driver id for paging */
	char *type;		/* identity | blocked | paging */
	char *mode;		/* domain | direct | none */
	char *partition;	/* "self", a guest partition id, or "-" */
	struct bdf_list devices;/* devices attached in the driver's books, BDF order */
	uint64_t mapped_bytes;	/* bytes (total of the interval tree) */
	uint64_t mappings;	/* number of mappings (interval tree nodes) */
	char *state;		/* "live" when the key is absent, else e.g. "stranded" */
};

/* Fills D from a parsed `domains` record; required keys: id type mode
 * partition devices mapped_bytes mappings (state optional, default "live").
 * Returns 0 or -1 with ERR (ENOMEM: errno). */
int domain_from_record(const struct record *rec, struct domain *d, struct perr *err);
void domain_free(struct domain *d);

/* A line of debugfs `devices`. */
struct hv_device {
	struct bdf bdf;
	uint64_t device_id;	/* PCI-form union hv_device_id (0 if absent) */
	uint64_t domain;	/* domain the hypervisor has the device in */
	char *state;		/* attached | detach-failed */
	uint64_t status;	/* HV_STATUS of the last detach (0 = success) */
	int has_logical_id;
	uint64_t logical_id;	/* direct attach only: segment << 16 | requester id */
};

/* Required keys: bdf domain state status.  Returns 0 or -1 with ERR. */
int device_from_record(const struct record *rec, struct hv_device *d, struct perr *err);
void device_free(struct hv_device *d);

/* A line of debugfs `skipped`. */
struct hv_skipped {
	struct bdf bdf;
	char *reason;		/* e.g. "pci_devs_to_skip"; "-" when absent */
};

/* Required key: bdf (reason optional).  Returns 0 or -1 with ERR. */
int skipped_from_record(const struct record *rec, struct hv_skipped *s, struct perr *err);
void skipped_free(struct hv_skipped *s);

/* A line of hv_vmm's debugfs `synic`: one CPU's SynIC resource.  Fields the
 * driver writes as "-" (not applicable or unreadable) are NULL. */
struct hv_synic {
	uint64_t cpu;
	char *resource;		/* SCONTROL SIMP SIEFP SIRBP SINT0 SINT2 SINT5 */
	char *owner;		/* vmm | vmbus | none */
	char *online;		/* 0 | 1 */
	char *enabled;		/* 0 | 1 | NULL */
	char *masked;		/* 0 | 1 | NULL (SINTs only) */
	char *vector;		/* 0x.. | NULL (SINTs only) */
	char *page;		/* GPA 0x.. | NULL (SIMP SIEFP SIRBP only) */
	char *delivered;	/* decimal | NULL (SINT0 SINT5 only) */
};

/* Required keys: cpu resource owner online enabled masked vector page
 * delivered.  Returns 0 or -1 with ERR. */
int synic_from_record(const struct record *rec, struct hv_synic *s, struct perr *err);
void synic_free(struct hv_synic *s);

/* debugfs `stats`: counters since load. */
struct hv_stat_call {
	char *name;		/* hypercall name, e.g. map_device_gpa_pages */
	uint64_t code;		/* TLFS call code */
	uint64_t calls;		/* hypercalls issued (each re-issue counts) */
	uint64_t reps;		/* reps completed */
	uint64_t failures;	/* calls with a status other than success */
};

struct hv_stat_status {
	char *name;		/* e.g. HV_STATUS_INSUFFICIENT_MEMORY ("-" if absent) */
	uint64_t code;		/* HV_STATUS code */
	uint64_t count;
};

struct hv_stats {
	struct hv_stat_call *calls;
	size_t ncalls;
	struct hv_stat_status *statuses;
	size_t nstatuses;
	uint64_t deposit_calls;	/* HVCALL_DEPOSIT_MEMORY calls */
	uint64_t deposit_pages;	/* pages (4 KiB) deposited */
	uint64_t resumes;	/* time-slice returns re-issued */
	uint64_t pinned_leaked_pages;	/* frames held: the hypervisor refused their unmap */
};

/* Adds one parsed `stats` record to ST according to its tag (call, status,
 * deposits, resumes, pinned_leaked; other tags and untagged lines are ignored).
 * Returns 0 or -1 with ERR. */
int stats_add_record(const struct record *rec, struct hv_stats *st, struct perr *err);
void stats_free(struct hv_stats *st);

/* ---- debugfs mappings/<id> -------------------------------------------- */

#define MAP_PERM_R 1u
#define MAP_PERM_W 2u

/* One mapping: IOVA FIRST..LAST inclusive (bytes), physical address of the
 * first byte, permissions. */
struct mapping {
	uint64_t first;
	uint64_t last;
	uint64_t phys;
	unsigned perm;		/* MAP_PERM_R, optionally | MAP_PERM_W */
};

/* Called once per mapping, in IOVA order; a non-zero return stops the walk
 * (debugfs_foreach_mapping, nl_foreach_mapping: -1). */
typedef int (*mapping_fn)(const struct mapping *m, void *arg);

/* Parses "0xFIRST-0xLAST 0xPHYS PERM" (PERM "r" or "rw"; fields separated
 * by spaces; further fields are ignored, for growth).  FIRST <= LAST.
 * Returns 0 or -1 with ERR. */
int mapping_parse(const char *line, struct mapping *m, struct perr *err);

/* What mapping_parse checks of a mapping from any source (the file or the
 * netlink family): FIRST <= LAST, and not the whole 64-bit space (so that
 * mapping_size does not overflow).  Returns 0 or -1 with ERR. */
int mapping_check(const struct mapping *m, struct perr *err);

/* Size in bytes of M (LAST - FIRST + 1; a mapping of the whole 64-bit space
 * is rejected by mapping_parse, so this does not overflow). */
uint64_t mapping_size(const struct mapping *m);

/* "r" or "rw" for PERM. */
const char *mapping_perm_str(unsigned perm);

/* ---- sysfs modalias ---------------------------------------------------- */

/* Extracts vendor and device ids from a PCI modalias
 * ("pci:v00008086d000010D3sv...", /sys/bus/pci/devices/BDF/modalias).
 * Returns 0 or -1. */
int modalias_pci_ids(const char *modalias, unsigned *vendor, unsigned *device);

#endif
