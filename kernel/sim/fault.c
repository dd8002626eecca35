// SPDX-License-Identifier: GPL-2.0
/*
 * hv_sim fault injection (debugfs "fail"): make the next calls with a given
 * call code fail with a chosen status, after a chosen number of reps that
 * really take effect.  Tests use it to check that the driver's books stay
 * true when the hypervisor refuses something part-way.
 *
 * "nth N STATUS [CODE]" fails the Nth call from now whatever its code (or
 * the Nth with call code CODE), with no effect (no rep done), the way fault injection's fail-nth fails the Nth
 * allocation of a task: a test runs one operation with N = 1, 2, ... until
 * the operation makes fewer than N calls (the injection is still pending
 * afterwards), and so fails each of its calls in turn.
 */

#define pr_fmt(fmt) "hv_sim: " fmt

#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/printk.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "sim.h"

/**
 * hv_sim_fault_take() - consume the oldest injection that applies to a call
 * @code: call code of the call being made.
 * @reps_left: reps this call still has to do (rep count - rep start), or
 *	U32_MAX for a simple call.
 * @fault: set to the injection (with its count before this call).
 *
 * An "nth" injection counts this call and fails it if it is the Nth (after
 * 0 reps: a rep call always has one left).  Otherwise, an injection fails a
 * call after AFTER_REPS reps; a rep call with no more
 * than AFTER_REPS reps left would have completed every one of them before
 * failing, which no hypervisor does (a failure status means a rep did not
 * take effect), so such an injection does not apply to it and stays
 * pending.  Lock held.
 *
 * Return: true if an injection applies to this call.
 */
bool hv_sim_fault_take(u16 code, u32 reps_left, struct hv_sim_fault *fault)
{
	unsigned int i;

	lockdep_assert_held(&hv_sim.lock);
	if (hv_sim.fail_nth &&
	    (hv_sim.fail_nth_code < 0 || hv_sim.fail_nth_code == code) &&
	    !--hv_sim.fail_nth) {
		*fault = (struct hv_sim_fault){ .code = code,
			.status = hv_sim.fail_nth_status, .count = 1 };
		return true;
	}
	for (i = 0; i < hv_sim.nr_faults; i++) {
		struct hv_sim_fault *f = &hv_sim.faults[i];

		if (f->code != code || f->after_reps >= reps_left)
			continue;
		*fault = *f;
		if (!--f->count) {
			hv_sim.nr_faults--;
			memmove(f, f + 1, (hv_sim.nr_faults - i) * sizeof(*f));
		}
		return true;
	}
	return false;
}

/*
 * "N STATUS [CODE]": fail the Nth call from now (N >= 1), of any code or of
 * call code CODE, replacing any such injection.
 */
static int hv_sim_fault_parse_nth(char *s)
{
	char *n = strsep(&s, " \t"), *st = strsep(&s, " \t");
	char *cd = s ? strim(s) : NULL;
	u16 status, code = 0;
	u32 nth;

	if (kstrtou32(n, 0, &nth) || !nth || !st ||
	    kstrtou16(st, 0, &status) || !status ||
	    (cd && *cd && (kstrtou16(cd, 0, &code) ||
			   hv_sim_call_index(code) < 0))) {
		pr_warn("fail: expected nth N STATUS [CODE] with N >= 1, a non-zero 16-bit STATUS and a call code hv_sim implements\n");
		return -EINVAL;
	}
	spin_lock_irq(&hv_sim.lock);
	hv_sim.fail_nth = nth;
	hv_sim.fail_nth_status = status;
	hv_sim.fail_nth_code = cd && *cd ? code : -1;
	spin_unlock_irq(&hv_sim.lock);
	return 0;
}

/**
 * hv_sim_fault_parse() - apply a write to debugfs "fail"
 * @buf: NUL-terminated text, modified: "CODE STATUS [AFTER_REPS [COUNT]]",
 *	"nth N STATUS [CODE]" (numbers decimal or 0x-prefixed hex) or "clear".
 *
 * CODE must be a call code the simulator implements, STATUS a non-zero
 * 16-bit status (time slices are rep_slice's job), AFTER_REPS at most 4095
 * (default 0), COUNT at least 1 (default 1).  Takes hv_sim.lock; process
 * context.
 *
 * Return: 0; -EINVAL for malformed text, -ENOSPC when HV_SIM_NR_FAULTS
 * injections are pending.  On error a warning says why and nothing changes.
 */
int hv_sim_fault_parse(char *buf)
{
	struct hv_sim_fault fault = { .count = 1 };
	char *s = strim(buf), *field[4], *tok;
	unsigned int n = 0;

	if (!strcmp(s, "clear")) {
		spin_lock_irq(&hv_sim.lock);
		hv_sim.nr_faults = 0;
		hv_sim.fail_nth = 0;
		spin_unlock_irq(&hv_sim.lock);
		return 0;
	}
	if (!strncmp(s, "nth ", 4))
		return hv_sim_fault_parse_nth(s + 4);
	while ((tok = strsep(&s, " \t\n"))) {
		if (!*tok)
			continue;
		if (n == ARRAY_SIZE(field)) {
			pr_warn("fail: more than 4 fields (CODE STATUS [AFTER_REPS [COUNT]])\n");
			return -EINVAL;
		}
		field[n++] = tok;
	}
	if (n < 2) {
		pr_warn("fail: expected CODE STATUS [AFTER_REPS [COUNT]] or clear\n");
		return -EINVAL;
	}
	if (kstrtou16(field[0], 0, &fault.code)) {
		pr_warn("fail: call code '%s' is not a 16-bit number\n", field[0]);
		return -EINVAL;
	}
	if (hv_sim_call_index(fault.code) < 0) {
		pr_warn("fail: call code 0x%x is not one hv_sim implements\n",
			fault.code);
		return -EINVAL;
	}
	if (kstrtou16(field[1], 0, &fault.status) || !fault.status) {
		pr_warn("fail: status '%s' is not a non-zero 16-bit number\n",
			field[1]);
		return -EINVAL;
	}
	if (n > 2 && (kstrtou32(field[2], 0, &fault.after_reps) ||
		      fault.after_reps > HV_HC_REP_MAX)) {
		pr_warn("fail: after_reps '%s' is not a number from 0 to %u\n",
			field[2], HV_HC_REP_MAX);
		return -EINVAL;
	}
	if (n > 3 && (kstrtou32(field[3], 0, &fault.count) || !fault.count)) {
		pr_warn("fail: count '%s' is not a positive number\n", field[3]);
		return -EINVAL;
	}

	spin_lock_irq(&hv_sim.lock);
	if (hv_sim.nr_faults == HV_SIM_NR_FAULTS) {
		spin_unlock_irq(&hv_sim.lock);
		pr_warn("fail: %u injections already pending\n", HV_SIM_NR_FAULTS);
		return -ENOSPC;
	}
	hv_sim.faults[hv_sim.nr_faults++] = fault;
	spin_unlock_irq(&hv_sim.lock);
	return 0;
}

/**
 * hv_sim_fault_show() - list pending injections, one per line
 * @m: the seq_file of debugfs "fail".
 *
 * Takes hv_sim.lock; process context.
 */
void hv_sim_fault_show(struct seq_file *m)
{
	unsigned int i;

	spin_lock_irq(&hv_sim.lock);
	if (hv_sim.fail_nth && hv_sim.fail_nth_code < 0)
		seq_printf(m, "nth=%u status=0x%x\n", hv_sim.fail_nth,
			   hv_sim.fail_nth_status);
	else if (hv_sim.fail_nth)
		seq_printf(m, "nth=%u status=0x%x code=0x%x\n", hv_sim.fail_nth,
			   hv_sim.fail_nth_status, hv_sim.fail_nth_code);
	for (i = 0; i < hv_sim.nr_faults; i++) {
		const struct hv_sim_fault *f = &hv_sim.faults[i];

		seq_printf(m, "code=0x%x status=0x%x after_reps=%u count=%u\n",
			   f->code, f->status, f->after_reps, f->count);
	}
	spin_unlock_irq(&hv_sim.lock);
}
