// SPDX-License-Identifier: GPL-2.0
/*
 * The risk report as one self-contained HTML file: inline CSS, inline
 * SVG (the heat map, a bar chart per entry), no script, nothing loaded
 * from anywhere (its Content-Security-Policy forbids it as well).  Every
 * text from the policy or the log goes through cyl_strbuf_html().
 */
#include <inttypes.h>

#include "risk/report_model.h"

/* The heat map's cell colours; nothing else in the page uses them. */
static const char *const fill[] = {
	[CYL_RISK_ACCEPTABLE]	= "#81c784",
	[CYL_RISK_ALARP]	= "#ffd54f",
	[CYL_RISK_UNACCEPTABLE]	= "#e57373",
};

/* Heat map geometry, pixels. */
#define HM_LEFT		130	/* severity names */
#define HM_TOP		28
#define HM_CW		172	/* a cell */
#define HM_CH		100
#define HM_LINE		14	/* an id's line */
#define HM_LINES	5	/* id lines a cell shows */
#define HM_W		(HM_LEFT + CYL_RISK_LEVELS * HM_CW + 10)
#define HM_H		(HM_TOP + CYL_RISK_LEVELS * HM_CH + 80)

/* A trend chart. */
#define TR_W		480
#define TR_H		40
#define TR_BASE		36

static const char css[] =
	"body{font-family:sans-serif;color:#212121;margin:20px;max-width:1400px}"
	"h1{font-size:22px;margin:0 0 8px}h2{font-size:18px;margin:22px 0 6px}"
	"h3{font-size:15px;margin:14px 0 4px}"
	"table{border-collapse:collapse;margin:6px 0 12px}"
	"th,td{border:1px solid #bdbdbd;padding:3px 7px;text-align:left;"
	"vertical-align:top;font-size:13px}"
	"th{background:#eeeeee}td.n{text-align:right}"
	"table.src td,table.src th{border:none;padding:1px 8px 1px 0}"
	"table.src th{background:none;white-space:nowrap}"
	".mono{font-family:monospace}"
	".lv-A{background:#e8f5e9}.lv-R{background:#fff8e1}.lv-U{background:#ffebee}"
	".review{color:#b71c1c;font-weight:bold}.note{color:#616161;font-size:13px}"
	"p.br{max-width:900px;font-size:14px}";

static void h(struct cyl_strbuf *b, const char *s)
{
	cyl_strbuf_html(b, s);
}

static void head(const struct cyl_report *r, struct cyl_strbuf *b)
{
	cyl_strbuf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
			"<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" "
			"content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
			"<title>Risk report: ");
	h(b, r->src.policy);
	cyl_strbuf_printf(b, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>Risk report</h1>\n",
			  css);
}

static void row(struct cyl_strbuf *b, const char *name)
{
	cyl_strbuf_printf(b, "<tr><th>%s</th><td>", name);
}

static void source(const struct cyl_report *r, struct cyl_strbuf *b)
{
	const struct cyl_report_source *s = &r->src;
	uint64_t unsigned_n = s->log_entries - s->head.size;
	char t1[32], t2[32];
	size_t i;

	cyl_strbuf_puts(b, "<table class=\"src\">\n");
	row(b, "Policy");
	h(b, s->policy);
	if (s->policy_sha256)
		cyl_strbuf_printf(b, " <span class=\"mono\">sha256 %s</span>", s->policy_sha256);
	cyl_strbuf_puts(b, "</td></tr>\n");
	row(b, "Log");
	h(b, s->log);
	cyl_strbuf_printf(b, ", %" PRIu64 " entr%s</td></tr>\n", s->log_entries,
			  s->log_entries == 1 ? "y" : "ies");
	row(b, "Signed head");
	cyl_strbuf_printf(b, "head %" PRIu64 ": tree size %" PRIu64 ", signed %s</td></tr>\n",
			  s->head.index, s->head.size, cyl_report_time(r->head_s, t1));
	row(b, "Root");
	cyl_strbuf_puts(b, "<span class=\"mono\">");
	for (i = 0; i < sizeof(s->head.root); i++)
		cyl_strbuf_printf(b, "%02x", s->head.root[i]);
	cyl_strbuf_puts(b, "</span></td></tr>\n");
	if (s->key_sha256) {
		row(b, "Public key");
		cyl_strbuf_printf(b, "<span class=\"mono\">sha256 %s</span> (of its DER)"
				  "</td></tr>\n", s->key_sha256);
	}
	row(b, "Unsigned");
	if (unsigned_n)
		cyl_strbuf_printf(b, "<b>%" PRIu64 " entr%s after this head %s not signed yet "
				  "and not in this report</b></td></tr>\n", unsigned_n,
				  unsigned_n == 1 ? "y" : "ies", unsigned_n == 1 ? "is" : "are");
	else
		cyl_strbuf_puts(b, "none: the head covers every entry</td></tr>\n");
	row(b, "Window");
	cyl_strbuf_printf(b, "%s to %s (%.1f days, ", cyl_report_time(r->start, t1),
			  cyl_report_time(r->end, t2), (double)r->elapsed / 86400);
	if (s->has_since) {
		cyl_strbuf_puts(b, "since ");
		h(b, s->since_text ? s->since_text : t1);
	} else {
		cyl_strbuf_puts(b, "from the first event");
	}
	cyl_strbuf_printf(b, "); %zu event%s evidence register entries</td></tr>\n", r->n_ev,
			  r->n_ev == 1 ? "" : "s");
	row(b, "To check");
	cyl_strbuf_printf(b, "<span class=\"mono\">cylctl log verify</span> with the public "
			  "key lists a good head of size %" PRIu64 " with this root; "
			  "<span class=\"mono\">cylctl log consistency --from %" PRIu64
			  " --to N</span> proves a later head extends it</td></tr>\n</table>\n",
			  s->head.size, s->head.size);
}

/* An entry's id in a cell, its title as the tooltip. */
static void cell_id(struct cyl_strbuf *b, const struct cyl_risk_entry *e, unsigned int line,
		    bool residual, bool both)
{
	cyl_strbuf_printf(b, "<text x=\"8\" y=\"%u\" class=\"%s\" font-size=\"12\"%s>%s%s"
			  "<title>", 36 + line * HM_LINE, residual ? "res" : "ini",
			  residual ? " font-weight=\"bold\" fill=\"#000000\"" : " fill=\"#4a4a4a\"",
			  e->id, both ? " =" : "");
	h(b, e->title);
	cyl_strbuf_puts(b, "</title></text>");
}

struct placed {
	const struct cyl_risk_entry *e;
	bool residual, both;
};

/*
 * The entries placed in a cell, residual first, then initial: an entry
 * whose residual risk is its initial one is placed once, "both".
 */
static size_t placed(const struct cyl_report *r, unsigned int sev, unsigned int p,
		     struct placed *out)
{
	const struct cyl_risk_entry *e;
	unsigned int pass;
	bool res, ini;
	size_t i, n = 0;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < r->reg->n_entries; i++) {
			e = r->ent[r->order[i]].e;
			res = e->residual.severity == sev && e->residual.probability == p;
			ini = e->initial.severity == sev && e->initial.probability == p;
			if (pass == 0 && res)
				out[n++] = (struct placed){ e, true, ini };
			else if (pass == 1 && ini && !res)
				out[n++] = (struct placed){ e, false, false };
		}
	}
	return n;
}

/* Their ids, as many lines as fit; the last says how many did not. */
static void cell_ids(const struct cyl_report *r, struct cyl_strbuf *b, unsigned int sev,
		     unsigned int p)
{
	struct placed list[2 * CYL_RISK_MAX_ENTRIES];	/* 8 KiB */
	size_t n = placed(r, sev, p, list), shown, i;

	shown = n > HM_LINES ? HM_LINES - 1 : n;
	for (i = 0; i < shown; i++)
		cell_id(b, list[i].e, (unsigned int)i, list[i].residual, list[i].both);
	if (shown < n)
		cyl_strbuf_printf(b, "<text x=\"8\" y=\"%u\" font-size=\"12\" "
				  "fill=\"#000000\">+%zu more</text>",
				  36 + (unsigned int)shown * HM_LINE, n - shown);
}

static void cell(const struct cyl_report *r, struct cyl_strbuf *b, unsigned int sev,
		 unsigned int p)
{
	enum cyl_risk_acceptability a = r->reg->matrix[sev][p];
	const struct cyl_risk_scales *sc = &r->reg->scales;

	/* A nested svg clips what does not fit. */
	cyl_strbuf_printf(b, "<svg x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\">"
			  "<rect class=\"cell\" data-severity=\"%u\" data-probability=\"%u\" "
			  "x=\"0\" y=\"0\" width=\"%u\" height=\"%u\" fill=\"%s\" "
			  "stroke=\"#ffffff\" stroke-width=\"2\"><title>%s x %s: %s</title></rect>"
			  "<text x=\"8\" y=\"18\" font-size=\"13\" font-weight=\"bold\" "
			  "fill=\"#333333\">%c</text>",
			  HM_LEFT + p * HM_CW, HM_TOP + (CYL_RISK_LEVELS - 1 - sev) * HM_CH,
			  HM_CW, HM_CH, sev, p, HM_CW, HM_CH, fill[a], sc->severity[sev],
			  sc->probability[p], cyl_risk_acceptability_name(a),
			  cyl_report_letter(a));
	cell_ids(r, b, sev, p);
	cyl_strbuf_puts(b, "</svg>\n");
}

static void legend(struct cyl_strbuf *b)
{
	static const char *const names[] = { "acceptable", "ALARP", "unacceptable" };
	unsigned int y = HM_TOP + CYL_RISK_LEVELS * HM_CH + 60, i;

	for (i = 0; i < 3; i++)
		cyl_strbuf_printf(b, "<rect x=\"%u\" y=\"%u\" width=\"14\" height=\"14\" "
				  "fill=\"%s\"/><text x=\"%u\" y=\"%u\" font-size=\"13\">%s"
				  "</text>\n",
				  HM_LEFT + i * 130, y - 12, fill[i], HM_LEFT + i * 130 + 20, y,
				  names[i]);
	cyl_strbuf_printf(b, "<text x=\"%u\" y=\"%u\" font-size=\"13\"><tspan font-weight=\"bold\">"
			  "ID</tspan> residual risk, <tspan fill=\"#4a4a4a\">ID</tspan> initial, "
			  "ID =: both, unchanged</text>\n", HM_LEFT + 3 * 130 + 10, y);
}

static void heat_map(const struct cyl_report *r, struct cyl_strbuf *b)
{
	const struct cyl_risk_scales *sc = &r->reg->scales;
	unsigned int s, p, bottom = HM_TOP + CYL_RISK_LEVELS * HM_CH;

	cyl_strbuf_printf(b, "<h2>Risk matrix</h2>\n<svg class=\"heatmap\" width=\"%u\" "
			  "height=\"%u\" viewBox=\"0 0 %u %u\" role=\"img\" "
			  "font-family=\"sans-serif\">\n<title>Severity x probability: where "
			  "each entry's initial and residual risk lies</title>\n"
			  "<text x=\"%u\" y=\"%u\" font-size=\"13\" font-weight=\"bold\" "
			  "text-anchor=\"end\">severity</text>\n",
			  HM_W, HM_H, HM_W, HM_H, HM_LEFT - 10, HM_TOP - 10);
	for (s = CYL_RISK_LEVELS; s-- > 0;) {
		cyl_strbuf_printf(b, "<text x=\"%u\" y=\"%u\" font-size=\"13\" "
				  "text-anchor=\"end\">%s</text>\n", HM_LEFT - 10,
				  HM_TOP + (CYL_RISK_LEVELS - 1 - s) * HM_CH + HM_CH / 2 + 4,
				  sc->severity[s]);
		for (p = 0; p < CYL_RISK_LEVELS; p++)
			cell(r, b, s, p);
	}
	for (p = 0; p < CYL_RISK_LEVELS; p++)
		cyl_strbuf_printf(b, "<text x=\"%u\" y=\"%u\" font-size=\"13\" "
				  "text-anchor=\"middle\">%s</text>\n",
				  HM_LEFT + p * HM_CW + HM_CW / 2, bottom + 18, sc->probability[p]);
	cyl_strbuf_printf(b, "<text x=\"%u\" y=\"%u\" font-size=\"13\" font-weight=\"bold\" "
			  "text-anchor=\"middle\">probability (P = P1 x P2)</text>\n",
			  HM_LEFT + CYL_RISK_LEVELS * HM_CW / 2, bottom + 36);
	legend(b);
	cyl_strbuf_puts(b, "</svg>\n");
}

static void level_td(const struct cyl_report *r, struct cyl_strbuf *b,
		     const struct cyl_risk_estimate *e)
{
	cyl_strbuf_printf(b, "<td class=\"lv-%c\">%s (%s, %s)</td>",
			  cyl_report_letter(e->level), cyl_risk_acceptability_name(e->level),
			  r->reg->scales.severity[e->severity],
			  r->reg->scales.probability[e->probability]);
}

static void entries(const struct cyl_report *r, struct cyl_strbuf *b)
{
	const struct cyl_risk_entry *e;
	size_t i;
	int c;

	cyl_strbuf_puts(b, "<h2>Entries</h2>\n<p class=\"note\">Residual risk unacceptable "
			"first, then ALARP, then acceptable; within each, the most evidence "
			"first.</p>\n<table>\n<tr><th>id</th><th>title</th><th>initial risk</th>"
			"<th>residual risk</th><th>controls</th><th>events</th></tr>\n");
	for (i = 0; i < r->reg->n_entries; i++) {
		e = r->ent[r->order[i]].e;
		cyl_strbuf_printf(b, "<tr><td class=\"mono\">%s</td><td>", e->id);
		h(b, e->title);
		cyl_strbuf_puts(b, "</td>");
		level_td(r, b, &e->initial);
		level_td(r, b, &e->residual);
		cyl_strbuf_puts(b, "<td>");
		for (c = 0; c < CYL_RISK_N_CONTROLS; c++)
			if (e->controls & (1u << c))
				cyl_strbuf_printf(b, "%s ", cyl_risk_control_name(c));
		cyl_strbuf_printf(b, "</td><td class=\"n\">%" PRIu64 "</td></tr>\n",
				  r->ent[r->order[i]].obs.count);
	}
	cyl_strbuf_puts(b, "</table>\n");
}

static void frequencies(const struct cyl_report *r, struct cyl_strbuf *b)
{
	const struct rep_entry *re;
	char t1[32], t2[32], x[32], y[32], lv[64];
	size_t i;

	cyl_strbuf_puts(b, "<h2>Observed and estimated frequencies</h2>\n<p class=\"note\">Per "
			"gateway-year over the window.  Expected: the entry's, else its initial "
			"P1's bound.  Review: more evidence than chance explains (ISO 14971 "
			"clause 10).</p>\n<table>\n<tr><th>id</th><th>events</th>"
			"<th>first seen</th><th>last seen</th><th>observed /year</th>"
			"<th>observed level</th><th>expected /year</th><th>initial P1</th>"
			"<th>review</th></tr>\n");
	for (i = 0; i < r->reg->n_entries; i++) {
		re = &r->ent[r->order[i]];
		cyl_strbuf_printf(b, "<tr><td class=\"mono\">%s</td><td class=\"n\">%" PRIu64
				  "</td><td>%s</td><td>%s</td><td class=\"n\">%s</td><td>%s</td>"
				  "<td class=\"n\">%s</td><td>%s</td><td%s</td></tr>\n",
				  re->e->id, re->obs.count,
				  re->obs.count ? cyl_report_time(re->obs.first_seen, t1) : "-",
				  re->obs.count ? cyl_report_time(re->obs.last_seen, t2) : "-",
				  cyl_report_rate(re->rate.observed_per_year, x),
				  cyl_report_observed_level(r, re, lv),
				  cyl_report_rate(re->rate.expected_per_year, y),
				  r->reg->scales.probability[re->e->initial.p1],
				  re->rate.review ? " class=\"review\">REVIEW" : ">no");
	}
	cyl_strbuf_puts(b, "</table>\n");
}

static void devices(const struct cyl_report *r, struct cyl_strbuf *b)
{
	const struct rep_device *d;
	const struct cyl_risk_entry *w;
	size_t i, e;

	cyl_strbuf_puts(b, "<h2>Devices</h2>\n<p class=\"note\">The entries each device's events "
			"evidence, and the worst residual risk among them.</p>\n");
	if (!r->n_devs) {
		cyl_strbuf_puts(b, "<p>No events in the window.</p>\n");
		return;
	}
	cyl_strbuf_puts(b, "<table>\n<tr><th>device</th><th>events</th><th>worst residual "
			"risk</th><th>entries (events)</th></tr>\n");
	for (i = 0; i < r->n_devs; i++) {
		d = &r->devs[r->dev_order[i]];
		w = &r->reg->entries[d->worst];
		cyl_strbuf_puts(b, "<tr><td class=\"mono\">");
		h(b, d->name);
		cyl_strbuf_printf(b, "</td><td class=\"n\">%" PRIu64 "</td><td class=\"lv-%c\">%s "
				  "(%s)</td><td>", d->events, cyl_report_letter(w->residual.level),
				  cyl_risk_acceptability_name(w->residual.level), w->id);
		for (e = 0; e < r->reg->n_entries; e++)
			if (d->per_entry[r->order[e]])
				cyl_strbuf_printf(b, "%s (%" PRIu64 ") ",
						  r->reg->entries[r->order[e]].id,
						  d->per_entry[r->order[e]]);
		cyl_strbuf_puts(b, "</td></tr>\n");
	}
	cyl_strbuf_puts(b, "</table>\n");
}

/* One entry's events per bucket as bars, scaled to its peak. */
static void chart(const struct cyl_report *r, struct cyl_strbuf *b, const struct rep_entry *re)
{
	double w = (double)TR_W / (double)r->n_buckets;
	unsigned int hgt;
	char day[32];
	size_t k;

	cyl_strbuf_printf(b, "<svg class=\"trend\" width=\"%u\" height=\"%u\" "
			  "viewBox=\"0 0 %u %u\"><line x1=\"0\" y1=\"%u\" x2=\"%u\" "
			  "y2=\"%u\" stroke=\"#9e9e9e\"/>",
			  TR_W, TR_H, TR_W, TR_H, TR_BASE, TR_W, TR_BASE);
	for (k = 0; k < r->n_buckets; k++) {
		if (!re->buckets[k])
			continue;
		hgt = (unsigned int)(((uint64_t)re->buckets[k] * (TR_BASE - 4) + re->peak - 1) /
				     re->peak);
		cyl_strbuf_printf(b, "<rect x=\"%.2f\" y=\"%u\" width=\"%.2f\" height=\"%u\" "
				  "fill=\"#546e7a\"><title>%s: %" PRIu32 "</title></rect>",
				  (double)k * w, TR_BASE - hgt, w > 2 ? w - 1 : w, hgt,
				  cyl_report_day(cyl_report_bucket_day(r, k), day), re->buckets[k]);
	}
	cyl_strbuf_puts(b, "</svg>");
}

static void trends(const struct cyl_report *r, struct cyl_strbuf *b)
{
	const struct rep_entry *re;
	char d1[32], d2[32];
	size_t i;

	cyl_strbuf_printf(b, "<h2>Trends</h2>\n<p class=\"note\">Events per %s (UTC), %s to %s; "
			  "each chart is scaled to its own peak.",
			  r->bucket_days == 1 ? "day" : "period",
			  cyl_report_day(r->first_day, d1),
			  cyl_report_day(cyl_report_bucket_day(r, r->n_buckets) - 1, d2));
	if (r->bucket_days > 1)
		cyl_strbuf_printf(b, "  A period is %u days.", r->bucket_days);
	cyl_strbuf_printf(b, "</p>\n<table>\n<tr><th>id</th><th>events</th><th>peak</th>"
			  "<th>per %s</th></tr>\n", r->bucket_days == 1 ? "day" : "period");
	for (i = 0; i < r->reg->n_entries; i++) {
		re = &r->ent[r->order[i]];
		cyl_strbuf_printf(b, "<tr><td class=\"mono\">%s</td><td class=\"n\">%" PRIu64
				  "</td><td class=\"n\">%" PRIu32 "</td><td>", re->e->id,
				  re->obs.count, re->peak);
		if (re->obs.count)
			chart(r, b, re);
		else
			cyl_strbuf_puts(b, "no events");
		cyl_strbuf_puts(b, "</td></tr>\n");
	}
	cyl_strbuf_puts(b, "</table>\n");
}

static void benefit_risk(const struct cyl_report *r, struct cyl_strbuf *b)
{
	const struct cyl_risk_entry *e;
	size_t i;

	cyl_strbuf_puts(b, "<h2>Benefit-risk statements</h2>\n");
	for (i = 0; i < r->reg->n_entries; i++) {
		e = r->ent[r->order[i]].e;
		if (!e->benefit_risk)
			continue;
		cyl_strbuf_printf(b, "<h3><span class=\"mono\">%s</span>: ", e->id);
		h(b, e->title);
		cyl_strbuf_printf(b, "</h3>\n<p class=\"note\">Residual risk %s (%s, %s)</p>\n"
				  "<p class=\"br\">",
				  cyl_risk_acceptability_name(e->residual.level),
				  r->reg->scales.severity[e->residual.severity],
				  r->reg->scales.probability[e->residual.probability]);
		h(b, e->benefit_risk);
		cyl_strbuf_puts(b, "</p>\n");
	}
}

static void not_counted(const struct cyl_report *r, struct cyl_strbuf *b)
{
	uint64_t listed = 0;
	size_t i;

	cyl_strbuf_puts(b, "<h2>Not counted</h2>\n");
	if (!r->unreadable && !r->unknown_total && !r->unmatched && !r->before) {
		cyl_strbuf_puts(b, "<p>Every signed entry is counted.</p>\n");
		return;
	}
	cyl_strbuf_puts(b, "<ul>\n");
	if (r->unreadable) {
		cyl_strbuf_printf(b, "<li>%" PRIu64 " entr%s not an event (a JSON object with an "
				  "RFC 3339 &quot;time&quot;): entr%s", r->unreadable,
				  r->unreadable == 1 ? "y is" : "ies are",
				  r->unreadable == 1 ? "y" : "ies");
		for (i = 0; i < r->unreadable && i < REP_UNREADABLE_LISTED; i++)
			cyl_strbuf_printf(b, "%s %" PRIu64, i ? "," : "", r->unreadable_idx[i]);
		cyl_strbuf_puts(b, r->unreadable > REP_UNREADABLE_LISTED ? ", ...</li>\n" :
				   "</li>\n");
	}
	if (r->unknown_total) {
		cyl_strbuf_printf(b, "<li>%" PRIu64 " event%s name%s entries the register does "
				  "not have:", r->unknown_total, r->unknown_total == 1 ? "" : "s",
				  r->unknown_total == 1 ? "s" : "");
		for (i = 0; i < r->n_unknown; i++) {
			cyl_strbuf_puts(b, i ? ", " : " ");
			cyl_strbuf_puts(b, "<span class=\"mono\">");
			h(b, r->unknown[i].id);
			cyl_strbuf_printf(b, "</span> (%" PRIu64 ")", r->unknown[i].count);
			listed += r->unknown[i].count;
		}
		cyl_strbuf_puts(b, listed < r->unknown_total ? ", ...</li>\n" : "</li>\n");
	}
	if (r->unmatched)
		cyl_strbuf_printf(b, "<li>%" PRIu64 " event%s without risk_entry match%s no "
				  "entry</li>\n", r->unmatched, r->unmatched == 1 ? "" : "s",
				  r->unmatched == 1 ? "es" : "");
	if (r->before)
		cyl_strbuf_printf(b, "<li>%" PRIu64 " event%s before the window</li>\n", r->before,
				  r->before == 1 ? "" : "s");
	cyl_strbuf_puts(b, "</ul>\n");
}

void cyl_report_html(const struct cyl_report *r, struct cyl_strbuf *b)
{
	head(r, b);
	source(r, b);
	heat_map(r, b);
	entries(r, b);
	frequencies(r, b);
	devices(r, b);
	trends(r, b);
	benefit_risk(r, b);
	not_counted(r, b);
	cyl_strbuf_puts(b, "</body>\n</html>\n");
}
