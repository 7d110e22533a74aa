// SPDX-License-Identifier: GPL-2.0
/*
 * The risk report as JSON: the same content as the other formats, for
 * programs.  Documentation/risk.md lists the keys.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "risk/report_model.h"

/* Building fails as a whole: any missing value marks it. */
struct jb {
	bool bad;
};

static json_t *set(struct jb *j, json_t *o, const char *key, json_t *v)
{
	if (v && !o)
		json_decref(v);
	if (!o || !v || json_object_set_new(o, key, v)) {	/* which takes v */
		j->bad = true;
		return NULL;
	}
	return v;
}

static json_t *push(struct jb *j, json_t *a, json_t *v)
{
	if (v && !a)
		json_decref(v);
	if (!a || !v || json_array_append_new(a, v)) {
		j->bad = true;
		return NULL;
	}
	return v;
}

/*
 * A string; one that is not UTF-8 (a path as given) with its bytes
 * above 0x7f as '?', since JSON text is Unicode.
 */
static json_t *str(const char *s)
{
	json_t *v;
	char *c;
	size_t i;

	if (!s)
		return json_null();
	if ((v = json_string(s)))
		return v;
	c = strdup(s);
	if (!c)
		return NULL;
	for (i = 0; c[i]; i++)
		if ((unsigned char)c[i] >= 0x80)
			c[i] = '?';
	v = json_string(c);
	free(c);
	return v;
}

static json_t *time_or_null(int64_t t, bool set_)
{
	char buf[32];

	return set_ ? json_string(cyl_report_time(t, buf)) : json_null();
}

static json_t *source(struct jb *j, const struct cyl_report *r, json_t *top)
{
	const struct cyl_report_source *s = &r->src;
	json_t *o, *head;
	char root[65];
	size_t i;

	o = set(j, top, "policy", json_object());
	set(j, o, "file", str(s->policy));
	set(j, o, "sha256", str(s->policy_sha256));
	o = set(j, top, "log", json_object());
	set(j, o, "dir", str(s->log));
	set(j, o, "entries", json_integer((json_int_t)s->log_entries));
	set(j, o, "unsigned", json_integer((json_int_t)(s->log_entries - s->head.size)));
	set(j, o, "key_sha256", str(s->key_sha256));
	head = set(j, o, "head", json_object());
	set(j, head, "index", json_integer((json_int_t)s->head.index));
	set(j, head, "size", json_integer((json_int_t)s->head.size));
	for (i = 0; i < sizeof(s->head.root); i++)
		snprintf(root + 2 * i, 3, "%02x", s->head.root[i]);
	set(j, head, "root", json_string(root));
	set(j, head, "timestamp", time_or_null(r->head_s, true));
	set(j, head, "timestamp_ns", json_integer((json_int_t)s->head.ts_ns));
	return o;
}

static void window(struct jb *j, const struct cyl_report *r, json_t *top)
{
	json_t *o = set(j, top, "window", json_object());
	char buf[32];

	set(j, o, "since", r->src.has_since ? str(r->src.since_text ? r->src.since_text :
						 cyl_report_time(r->src.since, buf)) : json_null());
	set(j, o, "start", time_or_null(r->start, true));
	set(j, o, "end", time_or_null(r->end, true));
	set(j, o, "seconds", json_integer((json_int_t)r->elapsed));
	set(j, o, "bucket_days", json_integer(r->bucket_days));
	set(j, o, "events", json_integer((json_int_t)r->n_ev));
}

static void scales(struct jb *j, const struct cyl_report *r, json_t *top)
{
	const struct cyl_risk_scales *sc = &r->reg->scales;
	json_t *o = set(j, top, "scales", json_object()), *a, *l, *row;
	unsigned int i, p;
	char letter[2] = "";

	a = set(j, o, "severity", json_array());
	for (i = 0; i < CYL_RISK_LEVELS; i++)
		push(j, a, json_string(sc->severity[i]));
	a = set(j, o, "probability", json_array());
	for (i = 0; i < CYL_RISK_LEVELS; i++) {
		l = push(j, a, json_object());
		set(j, l, "name", json_string(sc->probability[i]));
		set(j, l, "max_per_year", json_real(sc->max_per_year[i]));
	}
	a = set(j, top, "matrix", json_array());
	for (i = CYL_RISK_LEVELS; i-- > 0;) {
		row = push(j, a, json_array());
		for (p = 0; p < CYL_RISK_LEVELS; p++) {
			letter[0] = cyl_report_letter(r->reg->matrix[i][p]);
			push(j, row, json_string(letter));
		}
	}
}

static json_t *estimate(struct jb *j, const struct cyl_report *r,
			const struct cyl_risk_estimate *e)
{
	const struct cyl_risk_scales *sc = &r->reg->scales;
	json_t *o = json_object();

	set(j, o, "severity", json_string(sc->severity[e->severity]));
	set(j, o, "p1", json_string(sc->probability[e->p1]));
	set(j, o, "p2", json_string(sc->probability[e->p2]));
	set(j, o, "probability", json_string(sc->probability[e->probability]));
	set(j, o, "acceptability", json_string(cyl_risk_acceptability_name(e->level)));
	return o;
}

static void entry_evidence(struct jb *j, const struct cyl_report *r, size_t ri, json_t *o)
{
	const struct rep_entry *re = &r->ent[ri];
	json_t *a, *x;
	char lv[64], day[32];
	size_t i;

	set(j, o, "count", json_integer((json_int_t)re->obs.count));
	set(j, o, "first_seen", time_or_null(re->obs.first_seen, re->obs.count));
	set(j, o, "last_seen", time_or_null(re->obs.last_seen, re->obs.count));
	set(j, o, "observed_per_year", json_real(re->rate.observed_per_year));
	set(j, o, "observed_level", re->obs.count ?
	    json_string(cyl_report_level_name(r, re->rate.observed_level, lv)) : json_null());
	set(j, o, "expected_per_year", json_real(re->rate.expected_per_year));
	set(j, o, "review", json_boolean(re->rate.review));
	a = set(j, o, "devices", json_array());
	for (i = 0; i < r->n_devs; i++) {
		const struct rep_device *d = &r->devs[r->dev_order[i]];

		if (!d->per_entry[ri])
			continue;
		x = push(j, a, json_object());
		set(j, x, "device", str(d->name));
		set(j, x, "count", json_integer((json_int_t)d->per_entry[ri]));
	}
	a = set(j, o, "trend", json_array());
	for (i = 0; i < r->n_buckets; i++) {
		if (!re->buckets[i])
			continue;
		x = push(j, a, json_object());
		set(j, x, "day", json_string(cyl_report_day(cyl_report_bucket_day(r, i), day)));
		set(j, x, "count", json_integer(re->buckets[i]));
	}
}

static void entries(struct jb *j, const struct cyl_report *r, json_t *top)
{
	json_t *a = set(j, top, "entries", json_array()), *o, *c;
	const struct cyl_risk_entry *e;
	size_t i;
	int k;

	for (i = 0; i < r->reg->n_entries; i++) {
		e = r->ent[r->order[i]].e;
		o = push(j, a, json_object());
		set(j, o, "id", json_string(e->id));
		set(j, o, "title", str(e->title));
		set(j, o, "initial", estimate(j, r, &e->initial));
		set(j, o, "residual", estimate(j, r, &e->residual));
		c = set(j, o, "controls", json_array());
		for (k = 0; k < CYL_RISK_N_CONTROLS; k++)
			if (e->controls & (1u << k))
				push(j, c, json_string(cyl_risk_control_name(k)));
		set(j, o, "benefit_risk", str(e->benefit_risk));
		set(j, o, "initial_p1", json_string(r->reg->scales.probability[e->initial.p1]));
		entry_evidence(j, r, r->order[i], o);
	}
}

static void devices(struct jb *j, const struct cyl_report *r, json_t *top)
{
	json_t *a = set(j, top, "devices", json_array()), *o, *l, *x;
	const struct rep_device *d;
	const struct cyl_risk_entry *w;
	size_t i, e;

	for (i = 0; i < r->n_devs; i++) {
		d = &r->devs[r->dev_order[i]];
		w = &r->reg->entries[d->worst];
		o = push(j, a, json_object());
		set(j, o, "device", str(d->name));
		set(j, o, "events", json_integer((json_int_t)d->events));
		set(j, o, "worst_residual",
		    json_string(cyl_risk_acceptability_name(w->residual.level)));
		set(j, o, "worst_entry", json_string(w->id));
		l = set(j, o, "entries", json_array());
		for (e = 0; e < r->reg->n_entries; e++) {
			if (!d->per_entry[r->order[e]])
				continue;
			x = push(j, l, json_object());
			set(j, x, "id", json_string(r->reg->entries[r->order[e]].id));
			set(j, x, "count", json_integer((json_int_t)d->per_entry[r->order[e]]));
		}
	}
}

static void not_counted(struct jb *j, const struct cyl_report *r, json_t *top)
{
	json_t *o = set(j, top, "not_counted", json_object()), *a, *x;
	size_t i;

	set(j, o, "unreadable", json_integer((json_int_t)r->unreadable));
	a = set(j, o, "unreadable_entries", json_array());
	for (i = 0; i < r->unreadable && i < REP_UNREADABLE_LISTED; i++)
		push(j, a, json_integer((json_int_t)r->unreadable_idx[i]));
	set(j, o, "unknown", json_integer((json_int_t)r->unknown_total));
	a = set(j, o, "unknown_ids", json_array());
	for (i = 0; i < r->n_unknown; i++) {
		x = push(j, a, json_object());
		set(j, x, "id", str(r->unknown[i].id));
		set(j, x, "count", json_integer((json_int_t)r->unknown[i].count));
	}
	set(j, o, "unmatched", json_integer((json_int_t)r->unmatched));
	set(j, o, "before_window", json_integer((json_int_t)r->before));
}

int cyl_report_json(const struct cyl_report *r, struct cyl_strbuf *b)
{
	json_t *top = json_object();
	struct jb j = { .bad = !top };
	char *text;

	set(&j, top, "format_version", json_integer(CYL_REPORT_JSON_VERSION));
	source(&j, r, top);
	window(&j, r, top);
	scales(&j, r, top);
	entries(&j, r, top);
	devices(&j, r, top);
	not_counted(&j, r, top);
	text = j.bad ? NULL : json_dumps(top, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
	json_decref(top);
	if (!text)
		return -ENOMEM;
	cyl_strbuf_puts(b, text);
	cyl_strbuf_puts(b, "\n");
	free(text);
	return 0;
}
