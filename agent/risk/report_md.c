// SPDX-License-Identifier: GPL-2.0
/*
 * The risk report as Markdown, readable as it is in a terminal.  Text
 * from the policy or the log goes through cyl_strbuf_md(); ids, level
 * and control names, which the register parser holds to [A-Za-z0-9_-],
 * go in as they are.
 */
#include <inttypes.h>

#include "risk/report_model.h"

static void md(struct cyl_strbuf *b, const char *s)
{
	cyl_strbuf_md(b, s);
}

static void hex(struct cyl_strbuf *b, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		cyl_strbuf_printf(b, "%02x", p[i]);
}

static void source(const struct cyl_report *r, struct cyl_strbuf *b)
{
	const struct cyl_report_source *s = &r->src;
	uint64_t unsigned_n = s->log_entries - s->head.size;
	char t1[32], t2[32];

	cyl_strbuf_puts(b, "# Risk report\n\n- Policy: ");
	md(b, s->policy);
	if (s->policy_sha256)
		cyl_strbuf_printf(b, " (sha256 %s)", s->policy_sha256);
	cyl_strbuf_puts(b, "\n- Log: ");
	md(b, s->log);
	cyl_strbuf_printf(b, ", %" PRIu64 " entr%s\n", s->log_entries,
			  s->log_entries == 1 ? "y" : "ies");
	cyl_strbuf_printf(b, "- Computed from signed head %" PRIu64 ": tree size %" PRIu64
			  ", signed %s\n- Root: ", s->head.index, s->head.size,
			  cyl_report_time(r->head_s, t1));
	hex(b, s->head.root, sizeof(s->head.root));
	if (s->key_sha256)
		cyl_strbuf_printf(b, "\n- Public key: sha256 %s (of its DER)", s->key_sha256);
	if (unsigned_n)
		cyl_strbuf_printf(b, "\n- Unsigned: %" PRIu64 " entr%s after this head %s not "
				  "signed yet and not in this report", unsigned_n,
				  unsigned_n == 1 ? "y" : "ies", unsigned_n == 1 ? "is" : "are");
	else
		cyl_strbuf_puts(b, "\n- Unsigned: none; the head covers every entry");
	cyl_strbuf_printf(b, "\n- Window: %s to %s (%.1f days, ", cyl_report_time(r->start, t1),
			  cyl_report_time(r->end, t2), (double)r->elapsed / 86400);
	if (s->has_since) {
		cyl_strbuf_puts(b, "since ");
		md(b, s->since_text ? s->since_text : t1);
	} else {
		cyl_strbuf_puts(b, "from the first event");
	}
	cyl_strbuf_printf(b, "); %zu event%s evidence register entries\n", r->n_ev,
			  r->n_ev == 1 ? "" : "s");
	cyl_strbuf_printf(b, "- To check: `cylctl log verify` with the public key lists a good "
			  "head of size %" PRIu64 " with this root; `cylctl log consistency "
			  "--from %" PRIu64 " --to N` proves a later head of size N extends it\n\n",
			  s->head.size, s->head.size);
}

/* One cell's ids: residual in bold, initial in parentheses. */
static void cell(const struct cyl_report *r, struct cyl_strbuf *b, unsigned int sev,
		 unsigned int p)
{
	const struct cyl_risk_entry *e;
	size_t i;

	cyl_strbuf_printf(b, " %c", cyl_report_letter(r->reg->matrix[sev][p]));
	for (i = 0; i < r->reg->n_entries; i++) {
		e = r->ent[r->order[i]].e;
		if (e->residual.severity == sev && e->residual.probability == p)
			cyl_strbuf_printf(b, " **%s**", e->id);
		if (e->initial.severity == sev && e->initial.probability == p)
			cyl_strbuf_printf(b, " (%s)", e->id);
	}
	cyl_strbuf_puts(b, " |");
}

static void matrix(const struct cyl_report *r, struct cyl_strbuf *b)
{
	const struct cyl_risk_scales *sc = &r->reg->scales;
	unsigned int s, p;

	cyl_strbuf_puts(b, "## Risk matrix\n\nRows: severity, highest first; columns: "
			"probability P = P1 x P2, lowest first.  A acceptable, R ALARP, "
			"U unacceptable; **ID** an entry's residual risk, (ID) its initial "
			"risk.\n\n| severity / probability |");
	for (p = 0; p < CYL_RISK_LEVELS; p++)
		cyl_strbuf_printf(b, " %s |", sc->probability[p]);
	cyl_strbuf_puts(b, "\n|---|---|---|---|---|---|\n");
	for (s = CYL_RISK_LEVELS; s-- > 0;) {
		cyl_strbuf_printf(b, "| %s |", sc->severity[s]);
		for (p = 0; p < CYL_RISK_LEVELS; p++)
			cell(r, b, s, p);
		cyl_strbuf_puts(b, "\n");
	}
	cyl_strbuf_puts(b, "\n");
}

static void estimate(const struct cyl_report *r, struct cyl_strbuf *b,
		     const struct cyl_risk_estimate *est)
{
	const struct cyl_risk_scales *sc = &r->reg->scales;

	cyl_strbuf_printf(b, " %c (%s, %s) |", cyl_report_letter(est->level),
			  sc->severity[est->severity], sc->probability[est->probability]);
}

static void entries(const struct cyl_report *r, struct cyl_strbuf *b)
{
	const struct cyl_risk_entry *e;
	size_t i;
	int c;

	cyl_strbuf_puts(b, "## Entries\n\nResidual risk unacceptable first, then ALARP, then "
			"acceptable; within each, the most evidence first.  Risk: "
			"acceptability (severity, P).\n\n"
			"| id | title | initial risk | residual risk | controls | events |\n"
			"|---|---|---|---|---|---|\n");
	for (i = 0; i < r->reg->n_entries; i++) {
		e = r->ent[r->order[i]].e;
		cyl_strbuf_printf(b, "| %s | ", e->id);
		md(b, e->title);
		cyl_strbuf_puts(b, " |");
		estimate(r, b, &e->initial);
		estimate(r, b, &e->residual);
		for (c = 0; c < CYL_RISK_N_CONTROLS; c++)
			if (e->controls & (1u << c))
				cyl_strbuf_printf(b, " %s", cyl_risk_control_name(c));
		cyl_strbuf_printf(b, " | %" PRIu64 " |\n", r->ent[r->order[i]].obs.count);
	}
	cyl_strbuf_puts(b, "\n");
}

static void frequencies(const struct cyl_report *r, struct cyl_strbuf *b)
{
	const struct rep_entry *re;
	char t1[32], t2[32], x[32], y[32], lv[64];
	size_t i;

	cyl_strbuf_puts(b, "## Observed and estimated frequencies\n\nPer gateway-year over "
			"the window.  Expected: the entry's, else its initial P1's bound.  "
			"REVIEW: more evidence than chance explains (ISO 14971 clause 10).\n\n"
			"| id | events | first seen | last seen | observed /year | observed level "
			"| expected /year | initial P1 | review |\n"
			"|---|---|---|---|---|---|---|---|---|\n");
	for (i = 0; i < r->reg->n_entries; i++) {
		re = &r->ent[r->order[i]];
		cyl_strbuf_printf(b, "| %s | %" PRIu64 " | %s | %s | %s | %s | %s | %s | %s |\n",
				  re->e->id, re->obs.count,
				  re->obs.count ? cyl_report_time(re->obs.first_seen, t1) : "-",
				  re->obs.count ? cyl_report_time(re->obs.last_seen, t2) : "-",
				  cyl_report_rate(re->rate.observed_per_year, x),
				  cyl_report_observed_level(r, re, lv),
				  cyl_report_rate(re->rate.expected_per_year, y),
				  r->reg->scales.probability[re->e->initial.p1],
				  re->rate.review ? "**REVIEW**" : "no");
	}
	cyl_strbuf_puts(b, "\n");
}

static void devices(const struct cyl_report *r, struct cyl_strbuf *b)
{
	const struct rep_device *d;
	const struct cyl_risk_entry *w;
	size_t i, e;

	cyl_strbuf_puts(b, "## Devices\n\nThe entries each device's events evidence, and the "
			"worst residual risk among them.\n\n");
	if (!r->n_devs) {
		cyl_strbuf_puts(b, "No events in the window.\n\n");
		return;
	}
	cyl_strbuf_puts(b, "| device | events | worst residual risk | entries (events) |\n"
			"|---|---|---|---|\n");
	for (i = 0; i < r->n_devs; i++) {
		d = &r->devs[r->dev_order[i]];
		w = &r->reg->entries[d->worst];
		cyl_strbuf_puts(b, "| ");
		md(b, d->name);
		cyl_strbuf_printf(b, " | %" PRIu64 " | %s (%s) |", d->events,
				  cyl_risk_acceptability_name(w->residual.level), w->id);
		for (e = 0; e < r->reg->n_entries; e++)
			if (d->per_entry[r->order[e]])
				cyl_strbuf_printf(b, " %s (%" PRIu64 ")",
						  r->reg->entries[r->order[e]].id,
						  d->per_entry[r->order[e]]);
		cyl_strbuf_puts(b, " |\n");
	}
	cyl_strbuf_puts(b, "\n");
}

static void trends(const struct cyl_report *r, struct cyl_strbuf *b)
{
	const struct rep_entry *re;
	char day[32];
	uint64_t total;
	size_t i, k;

	cyl_strbuf_printf(b, "## Trends\n\nEvents per %s (UTC) of each entry with evidence; "
			  "%s without events are not listed.\n\n",
			  r->bucket_days == 1 ? "day" : "period",
			  r->bucket_days == 1 ? "days" : "periods");
	if (r->bucket_days > 1)
		cyl_strbuf_printf(b, "A period is %u days from the date shown.\n\n",
				  r->bucket_days);
	if (!r->n_ev) {
		cyl_strbuf_puts(b, "No events in the window.\n\n");
		return;
	}
	cyl_strbuf_puts(b, r->bucket_days == 1 ? "| day |" : "| from |");
	for (i = 0; i < r->reg->n_entries; i++)
		if (r->ent[r->order[i]].obs.count)
			cyl_strbuf_printf(b, " %s |", r->ent[r->order[i]].e->id);
	cyl_strbuf_puts(b, " total |\n|---|");
	for (i = 0; i < r->reg->n_entries; i++)
		if (r->ent[r->order[i]].obs.count)
			cyl_strbuf_puts(b, "---|");
	cyl_strbuf_puts(b, "---|\n");
	for (k = 0; k < r->n_buckets; k++) {
		for (i = 0, total = 0; i < r->reg->n_entries; i++)
			total += r->ent[i].buckets[k];
		if (!total)
			continue;
		cyl_strbuf_printf(b, "| %s |", cyl_report_day(cyl_report_bucket_day(r, k), day));
		for (i = 0; i < r->reg->n_entries; i++) {
			re = &r->ent[r->order[i]];
			if (re->obs.count)
				cyl_strbuf_printf(b, " %" PRIu32 " |", re->buckets[k]);
		}
		cyl_strbuf_printf(b, " %" PRIu64 " |\n", total);
	}
	cyl_strbuf_puts(b, "\n");
}

static void benefit_risk(const struct cyl_report *r, struct cyl_strbuf *b)
{
	const struct cyl_risk_entry *e;
	size_t i;

	cyl_strbuf_puts(b, "## Benefit-risk statements\n\n");
	for (i = 0; i < r->reg->n_entries; i++) {
		e = r->ent[r->order[i]].e;
		if (!e->benefit_risk)
			continue;
		cyl_strbuf_printf(b, "### %s: ", e->id);
		md(b, e->title);
		cyl_strbuf_printf(b, "\n\nResidual risk %s (%s, %s).\n\n",
				  cyl_risk_acceptability_name(e->residual.level),
				  r->reg->scales.severity[e->residual.severity],
				  r->reg->scales.probability[e->residual.probability]);
		md(b, e->benefit_risk);
		cyl_strbuf_puts(b, "\n\n");
	}
}

static void not_counted(const struct cyl_report *r, struct cyl_strbuf *b)
{
	uint64_t listed = 0;
	size_t i;

	cyl_strbuf_puts(b, "## Not counted\n\n");
	if (!r->unreadable && !r->unknown_total && !r->unmatched && !r->before) {
		cyl_strbuf_puts(b, "Every signed entry is counted.\n");
		return;
	}
	if (r->unreadable) {
		cyl_strbuf_printf(b, "- %" PRIu64 " entr%s not an event (a JSON object with an "
				  "RFC 3339 \"time\"): entr%s", r->unreadable,
				  r->unreadable == 1 ? "y is" : "ies are",
				  r->unreadable == 1 ? "y" : "ies");
		for (i = 0; i < r->unreadable && i < REP_UNREADABLE_LISTED; i++)
			cyl_strbuf_printf(b, "%s %" PRIu64, i ? "," : "", r->unreadable_idx[i]);
		cyl_strbuf_puts(b, r->unreadable > REP_UNREADABLE_LISTED ? ", ...\n" : "\n");
	}
	if (r->unknown_total) {
		cyl_strbuf_printf(b, "- %" PRIu64 " event%s name%s entries the register does not "
				  "have:", r->unknown_total, r->unknown_total == 1 ? "" : "s",
				  r->unknown_total == 1 ? "s" : "");
		for (i = 0; i < r->n_unknown; i++) {
			cyl_strbuf_puts(b, i ? ", " : " ");
			md(b, r->unknown[i].id);
			cyl_strbuf_printf(b, " (%" PRIu64 ")", r->unknown[i].count);
			listed += r->unknown[i].count;
		}
		cyl_strbuf_puts(b, listed < r->unknown_total ? ", ...\n" : "\n");
	}
	if (r->unmatched)
		cyl_strbuf_printf(b, "- %" PRIu64 " event%s without risk_entry match%s no entry\n",
				  r->unmatched, r->unmatched == 1 ? "" : "s",
				  r->unmatched == 1 ? "es" : "");
	if (r->before)
		cyl_strbuf_printf(b, "- %" PRIu64 " event%s before the window\n", r->before,
				  r->before == 1 ? "" : "s");
}

void cyl_report_md(const struct cyl_report *r, struct cyl_strbuf *b)
{
	source(r, b);
	matrix(r, b);
	entries(r, b);
	frequencies(r, b);
	devices(r, b);
	trends(r, b);
	benefit_risk(r, b);
	not_counted(r, b);
}
