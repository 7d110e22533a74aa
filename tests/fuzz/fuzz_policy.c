// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the policy parser: any input must give either a
 * policy or an error message, never a crash or a leak.  The walk helpers,
 * the USB rule language and the risk register (with its CVSS parser) are
 * built as translation units of their own (tests/fuzz/fuzz.mk).
 */
#define _GNU_SOURCE	/* util/file.c: renameat2() */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy/policy.c"
#include "util/file.c"
#include "util/quote.c"

/* What the parser promises about the settings it hands the module. */
static bool cfg_ok(const struct cyl_serial_cfg *c)
{
	if (c->framing >= __CYL_FRAMING_MAX ||
	    c->max_len < CYL_FRAME_LEN_MIN || c->max_len > CYL_FRAME_LEN_MAX ||
	    c->on_bad_frame > CYL_BAD_FRAME_DROP || c->read_only > 1 ||
	    c->inspect > 1 || c->write_check > 1 ||
	    c->pad[0] || c->pad[1] || c->pad[2])
		return false;
	/* Framing-specific fields are zero for the other framings. */
	if (c->framing != CYL_FRAMING_LINES && c->delimiter)
		return false;
	if (c->framing == CYL_FRAMING_RAW ?
	    !!c->raw_size == !!c->raw_gap_us || c->raw_size > c->max_len :
	    c->raw_size || c->raw_gap_us)
		return false;
	if (c->read_only && (c->write_check || c->write_rate))
		return false;
	if (c->write_rate > CYL_POLICY_WRITE_RATE_MAX ||
	    !c->write_rate != !c->write_burst)
		return false;
	return true;
}

static bool allow_ok(const struct cyl_serial_cfg *c,
		     const struct cyl_write_allow *a, size_t n)
{
	size_t i, j;

	if (n > CYL_ALLOW_MAX || (n && !c->write_check))
		return false;
	for (i = 0; i < n; i++) {
		if (a[i].kind == CYL_ALLOW_CONTROL ? a[i].len != 1 :
		    a[i].kind != CYL_ALLOW_PREFIX || !a[i].len ||
		    a[i].len > CYL_ALLOW_PREFIX_MAX)
			return false;
		for (j = a[i].len; j < CYL_ALLOW_PREFIX_MAX; j++) {
			if (a[i].bytes[j])
				return false;
		}
		if (a[i].pad[0] || a[i].pad[1])
			return false;
	}
	return true;
}

/* What the register promises: levels on the scales, from the matrix. */
static bool estimate_ok(const struct cyl_risk_register *r,
			const struct cyl_risk_estimate *e)
{
	return e->severity < CYL_RISK_LEVELS && e->p1 < CYL_RISK_LEVELS &&
	       e->p2 < CYL_RISK_LEVELS &&
	       e->probability == cyl_risk_combine(e->p1, e->p2) &&
	       e->probability <= e->p1 && e->probability <= e->p2 &&
	       e->level == r->matrix[e->severity][e->probability];
}

static bool risk_ok(const struct cyl_risk_register *r)
{
	size_t i, j;

	if (!r->set)
		return !r->n_entries && !r->path;
	if (r->path && r->n_entries)
		return false;
	for (i = 0; i < r->n_entries; i++) {
		const struct cyl_risk_entry *e = &r->entries[i];

		if (!e->id[0] || !e->title || !e->harm ||
		    !estimate_ok(r, &e->initial) || !estimate_ok(r, &e->residual))
			return false;
		/* Controls never raise a risk; ALARP or worse needs benefit-risk. */
		if (e->residual.severity > e->initial.severity ||
		    e->residual.p1 > e->initial.p1 || e->residual.p2 > e->initial.p2 ||
		    (e->residual.level != CYL_RISK_ACCEPTABLE && !e->benefit_risk))
			return false;
		if (e->controls >> CYL_RISK_N_CONTROLS ||
		    e->n_evidence > CYL_RISK_MAX_EVIDENCE ||
		    (e->has_cvss && e->cvss.score10 > 100) ||
		    !(e->expected_per_year > 0) || (e->expected_set && !e->n_evidence))
			return false;
		for (j = 0; j < i; j++) {
			if (!strcmp(r->entries[j].id, e->id))
				return false;
		}
	}
	return true;
}

static bool error_ok(const struct cyl_policy_error *err)
{
	return err->text[0] && strnlen(err->text, sizeof(err->text)) < sizeof(err->text);
}

/* The input as a register file, read against fixed scales and matrix. */
static void register_file(const uint8_t *data, size_t size)
{
	static const char scales[] =
		"version: 1\n"
		"risk:\n"
		"  scales:\n"
		"    severity: [negligible, minor, serious, critical, catastrophic]\n"
		"    probability: [{name: improbable, max_per_year: 0.001}, "
		"{name: remote, max_per_year: 0.01}, {name: occasional, max_per_year: 0.1}, "
		"{name: probable, max_per_year: 1}, {name: frequent, max_per_year: 10}]\n"
		"  matrix: [[R, U, U, U, U], [R, R, U, U, U], [A, R, R, U, U], "
		"[A, A, R, R, U], [A, A, A, R, R]]\n"
		"  register: /etc/cylcomed/risk-register.yaml\n";
	/* Parsed once: without path and entries it holds no pointers. */
	static struct cyl_risk_register base;
	struct cyl_policy_error err;
	struct cyl_risk_register r;
	struct cyl_policy policy;

	if (!base.set) {
		if (cyl_policy_parse("scales.yaml", scales, sizeof(scales) - 1,
				     &policy, &err))
			__builtin_trap();
		free(policy.risk.path);
		policy.risk.path = NULL;
		base = policy.risk;
		memset(&policy.risk, 0, sizeof(policy.risk));
		cyl_policy_free(&policy);
	}
	r = base;
	if (cyl_risk_register_load_buf(&r, "fuzz.yaml", (const char *)data, size,
				       &err)) {
		if (!error_ok(&err) || r.n_entries || r.entries)
			__builtin_trap();
	} else if (!risk_ok(&r)) {
		__builtin_trap();
	}
	cyl_risk_register_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cyl_policy_error err;
	struct cyl_policy policy;
	size_t i;

	register_file(data, size);
	if (cyl_policy_parse("fuzz.yaml", (const char *)data, size, &policy,
			     &err)) {
		/* Errors are always a terminated, non-empty message. */
		if (!error_ok(&err))
			__builtin_trap();
		return 0;
	}
	/* Whatever was accepted meets the documented constraints. */
	for (i = 0; i < policy.n_devices; i++) {
		const struct cyl_policy_device *dev = &policy.devices[i];

		if (!valid_name(dev->name, strlen(dev->name)))
			__builtin_trap();
		/* Exactly one of a tty and a USB match. */
		if (dev->usb.set ? dev->tty[0] != '\0' :
		    !valid_tty(dev->tty, strlen(dev->tty)))
			__builtin_trap();
		if (dev->usb.set && (dev->usb.vendor > 0xffff ||
				     dev->usb.product > 0xffff ||
				     dev->usb.interface < -1 ||
				     dev->usb.interface > 255))
			__builtin_trap();
		if (!cfg_ok(&dev->serial) ||
		    !allow_ok(&dev->serial, dev->allow, dev->n_allow))
			__builtin_trap();
	}
	if (!risk_ok(&policy.risk))
		__builtin_trap();
	cyl_policy_free(&policy);
	return 0;
}
