// SPDX-License-Identifier: GPL-2.0
/*
 * Risk reports: the evidence of a verified log gathered per register
 * entry and per device, then rendered (report_md.c, report_html.c,
 * report_json.c).  See risk/report.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "risk/report_model.h"

#define DAY_S	86400

/* --- time --- */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's). */
static int64_t days_from_civil(int64_t y, unsigned int m, unsigned int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static unsigned int days_in_month(unsigned int y, unsigned int m)
{
	static const unsigned char mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : mdays[m - 1];
}

/* @n decimal digits at *@s into *@v; advances *@s.  false if not digits. */
static bool digits(const char **s, unsigned int n, unsigned int *v)
{
	unsigned int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if ((*s)[i] < '0' || (*s)[i] > '9')
			return false;
		*v = *v * 10 + (unsigned int)((*s)[i] - '0');
	}
	*s += n;
	return true;
}

static bool expect(const char **s, const char *one_of)
{
	if (!**s || !strchr(one_of, **s))
		return false;
	(*s)++;
	return true;
}

/* "Z", or "+HH:MM" / "-HH:MM", as seconds east of UTC. */
static bool offset(const char *s, int64_t *off)
{
	unsigned int hh, mm;
	int sign;

	if ((s[0] == 'Z' || s[0] == 'z') && !s[1]) {
		*off = 0;
		return true;
	}
	if (*s != '+' && *s != '-')
		return false;
	sign = *s++ == '-' ? -1 : 1;
	if (!digits(&s, 2, &hh) || !expect(&s, ":") || !digits(&s, 2, &mm) ||
	    *s || hh > 23 || mm > 59)
		return false;
	*off = sign * (int64_t)(hh * 3600 + mm * 60);
	return true;
}

int cyl_report_parse_time(const char *s, int64_t *out)
{
	unsigned int y, mo, d, h, mi, sec;
	int64_t off;

	if (!digits(&s, 4, &y) || !expect(&s, "-") || !digits(&s, 2, &mo) ||
	    !expect(&s, "-") || !digits(&s, 2, &d) || !expect(&s, "Tt") ||
	    !digits(&s, 2, &h) || !expect(&s, ":") || !digits(&s, 2, &mi) ||
	    !expect(&s, ":") || !digits(&s, 2, &sec))
		return -EINVAL;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 ||
	    mi > 59 || sec > 60)
		return -EINVAL;
	if (*s == '.') {
		if (*++s < '0' || *s > '9')
			return -EINVAL;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if (!offset(s, &off))
		return -EINVAL;
	*out = days_from_civil(y, mo, d) * DAY_S + h * 3600 + mi * 60 + sec - off;
	return 0;
}

int cyl_report_parse_since(const char *s, int64_t head_s, int64_t *out)
{
	static const struct { char unit; int64_t s; } units[] = {
		{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', DAY_S },
		{ 'w', 7 * DAY_S },
	};
	int64_t n = 0;
	size_t i;

	if (!cyl_report_parse_time(s, out))
		return 0;
	if (*s < '0' || *s > '9')
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++) {
		n = n * 10 + (*s - '0');
		if (n > CYL_REPORT_MAX_SINCE)
			return -EINVAL;
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (s[0] == units[i].unit && !s[1]) {
			if (n * units[i].s > CYL_REPORT_MAX_SINCE)
				return -EINVAL;
			*out = head_s - n * units[i].s;
			return 0;
		}
	}
	return -EINVAL;
}

int cyl_report_format_parse(const char *s, enum cyl_report_format *out)
{
	if (!strcmp(s, "md"))
		*out = CYL_REPORT_MD;
	else if (!strcmp(s, "html"))
		*out = CYL_REPORT_HTML;
	else if (!strcmp(s, "json"))
		*out = CYL_REPORT_JSON;
	else
		return -EINVAL;
	return 0;
}

const char *cyl_report_time(int64_t t, char buf[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || !strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, 32, "?");
	return buf;
}

const char *cyl_report_day(int64_t day, char buf[32])
{
	time_t tt = (time_t)(day * DAY_S);
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || !strftime(buf, 32, "%Y-%m-%d", &tm))
		snprintf(buf, 32, "?");
	return buf;
}

const char *cyl_report_rate(double v, char buf[32])
{
	if (v == 0)
		snprintf(buf, 32, "0");
	else if (v >= 1000)
		snprintf(buf, 32, "%.0f", v);
	else
		snprintf(buf, 32, "%.3g", v);
	return buf;
}

const char *cyl_report_level_name(const struct cyl_report *r, unsigned int level,
				  char buf[64])
{
	const struct cyl_risk_scales *sc = &r->reg->scales;

	if (level < CYL_RISK_LEVELS)
		snprintf(buf, 64, "%s", sc->probability[level]);
	else
		snprintf(buf, 64, "above %s", sc->probability[CYL_RISK_LEVELS - 1]);
	return buf;
}

const char *cyl_report_observed_level(const struct cyl_report *r,
				      const struct rep_entry *re, char buf[64])
{
	if (!re->obs.count)
		return "-";
	return cyl_report_level_name(r, re->rate.observed_level, buf);
}

char cyl_report_letter(enum cyl_risk_acceptability a)
{
	return a == CYL_RISK_UNACCEPTABLE ? 'U' : a == CYL_RISK_ALARP ? 'R' : 'A';
}

int64_t cyl_report_bucket_day(const struct cyl_report *r, size_t i)
{
	return r->first_day + (int64_t)i * r->bucket_days;
}

/* Days since the epoch of @t, rounded down. */
static int64_t day_of(int64_t t)
{
	return t >= 0 ? t / DAY_S : -((-t + DAY_S - 1) / DAY_S);
}

/* --- collecting --- */

int cyl_report_new(const struct cyl_risk_register *reg,
		   const struct cyl_report_source *src, struct cyl_report **out)
{
	struct cyl_report *r;

	*out = NULL;
	if (!reg->set)
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->reg = reg;
	r->src = *src;
	*out = r;
	return 0;
}

static int unknown_id(struct cyl_report *r, const char *id)
{
	size_t i;

	r->unknown_total++;
	for (i = 0; i < r->n_unknown; i++) {
		if (!strcmp(r->unknown[i].id, id)) {
			r->unknown[i].count++;
			return 0;
		}
	}
	if (r->n_unknown == CYL_REPORT_MAX_UNKNOWN)
		return 0;	/* counted in the total only */
	r->unknown[r->n_unknown].id = strdup(id);
	if (!r->unknown[r->n_unknown].id)
		return -ENOMEM;
	r->unknown[r->n_unknown++].count = 1;
	return 0;
}

/*
 * The device an event is about, as the report names it: its "device",
 * "usb:<port>" for a USB device, else the gateway itself.
 */
static const char *device_name(const json_t *ev, char *buf, size_t size)
{
	const char *dev = json_string_value(json_object_get(ev, "device"));
	const char *type = json_string_value(json_object_get(ev, "type"));
	const char *port;

	if (dev && *dev)
		return dev;
	port = json_string_value(json_object_get(json_object_get(ev, "usb"), "port"));
	if (type && !strcmp(type, "usb_device") && port && *port) {
		if ((size_t)snprintf(buf, size, "usb:%s", port) < size)
			return buf;
		return "usb:(port name too long)";
	}
	return "gateway";
}

/* The index of device @name in r->devs, added if new; -ENOMEM. */
static int device_index(struct cyl_report *r, const char *name, uint32_t *out)
{
	struct rep_device *d;
	size_t i;

	for (i = 0; i < r->n_devs; i++) {
		if (!strcmp(r->devs[i].name, name)) {
			*out = (uint32_t)i;
			return 0;
		}
	}
	if (r->n_devs == CYL_REPORT_MAX_DEVICES + 1) {
		*out = CYL_REPORT_MAX_DEVICES;	/* "(other devices)" */
		return 0;
	}
	d = realloc(r->devs, (r->n_devs + 1) * sizeof(*d));
	if (!d)
		return -ENOMEM;
	r->devs = d;
	d = &r->devs[r->n_devs];
	memset(d, 0, sizeof(*d));
	d->name = strdup(r->n_devs == CYL_REPORT_MAX_DEVICES ? "(other devices)" : name);
	if (!d->name)
		return -ENOMEM;
	*out = (uint32_t)r->n_devs++;
	return 0;
}

static int push_event(struct cyl_report *r, int64_t t, size_t entry, uint32_t dev)
{
	struct rep_event *ev;
	size_t cap;

	if (r->n_ev == r->cap_ev) {
		cap = r->cap_ev ? r->cap_ev * 2 : 256;
		ev = realloc(r->ev, cap * sizeof(*ev));
		if (!ev)
			return -ENOMEM;
		r->ev = ev;
		r->cap_ev = cap;
	}
	r->ev[r->n_ev++] = (struct rep_event){
		.t = t, .entry = (uint32_t)entry, .device = dev,
	};
	return 0;
}

static void unreadable(struct cyl_report *r, uint64_t index)
{
	if (r->unreadable < REP_UNREADABLE_LISTED)
		r->unreadable_idx[r->unreadable] = index;
	r->unreadable++;
}

/* The register index of entry @id, or REP_NONE. */
static size_t entry_index(const struct cyl_risk_register *reg, const char *id)
{
	size_t i;

	for (i = 0; i < reg->n_entries; i++)
		if (!strcmp(reg->entries[i].id, id))
			return i;
	return REP_NONE;
}

/* One event, parsed: which entry it evidences, when, for which device. */
static int add_event(struct cyl_report *r, uint64_t index, const json_t *ev)
{
	const json_t *rid = json_object_get(ev, "risk_entry");
	const struct cyl_risk_entry *e;
	char buf[128];
	uint32_t dev;
	size_t ei;
	int64_t t;
	int ret;

	if (!json_is_object(ev) || (rid && !json_is_string(rid)) ||
	    cyl_report_parse_time(json_string_value(json_object_get(ev, "time")) ?: "", &t)) {
		unreadable(r, index);
		return 0;
	}
	if (r->src.has_since && t < r->src.since) {
		r->before++;
		return 0;
	}
	if (rid) {
		ei = entry_index(r->reg, json_string_value(rid));
		if (ei == REP_NONE)
			return unknown_id(r, json_string_value(rid));
	} else {
		e = cyl_risk_match(r->reg, ev);
		if (!e) {
			r->unmatched++;
			return 0;
		}
		ei = (size_t)(e - r->reg->entries);
	}
	if ((ret = device_index(r, device_name(ev, buf, sizeof(buf)), &dev)) != 0)
		return ret;
	return push_event(r, t, ei, dev);
}

int cyl_report_add(struct cyl_report *r, uint64_t index, const void *data,
		   size_t len)
{
	json_t *ev;
	int ret;

	if (r->done)
		return -EINVAL;
	r->added++;
	ev = json_loadb(data, len, JSON_REJECT_DUPLICATES, NULL);
	if (!ev) {
		unreadable(r, index);
		return 0;
	}
	ret = add_event(r, index, ev);
	json_decref(ev);
	return ret;
}

/* --- computing --- */

/*
 * The window: from --since or the first event, to the head.  The trend
 * buckets run from the window's first day to the later of the head's and
 * the last event's.
 */
static void window(struct cyl_report *r)
{
	int64_t first = r->head_s, last = r->head_s, ndays;
	size_t i;

	for (i = 0; i < r->n_ev; i++) {
		if (r->ev[i].t < first)
			first = r->ev[i].t;
		if (r->ev[i].t > last)
			last = r->ev[i].t;
	}
	/* With --since, every event is at or after it. */
	r->start = r->src.has_since ? r->src.since : first;
	r->end = r->head_s;
	r->elapsed = r->end > r->start ? (uint64_t)(r->end - r->start) : 1;
	r->first_day = day_of(r->start);
	ndays = day_of(last) - r->first_day + 1;
	if (ndays < 1)
		ndays = 1;
	r->bucket_days = (unsigned int)((ndays + CYL_REPORT_MAX_BUCKETS - 1) /
					CYL_REPORT_MAX_BUCKETS);
	r->n_buckets = (size_t)((ndays + r->bucket_days - 1) / r->bucket_days);
}

static int per_entry(struct cyl_report *r)
{
	const struct rep_event *ev;
	struct rep_entry *re;
	size_t i, b;

	r->ent = calloc(r->reg->n_entries ?: 1, sizeof(*r->ent));
	if (!r->ent)
		return -ENOMEM;
	for (i = 0; i < r->reg->n_entries; i++) {
		r->ent[i].e = &r->reg->entries[i];
		r->ent[i].buckets = calloc(r->n_buckets, sizeof(uint32_t));
		if (!r->ent[i].buckets)
			return -ENOMEM;
	}
	for (i = 0; i < r->n_ev; i++) {
		ev = &r->ev[i];
		re = &r->ent[ev->entry];
		cyl_risk_observe(&re->obs, ev->t);
		b = (size_t)((day_of(ev->t) - r->first_day) / r->bucket_days);
		if (re->buckets[b] < UINT32_MAX)
			re->buckets[b]++;
		if (re->buckets[b] > re->peak)
			re->peak = re->buckets[b];
	}
	for (i = 0; i < r->reg->n_entries; i++)
		cyl_risk_observed_rate(r->reg, r->ent[i].e, &r->ent[i].obs,
				       r->elapsed, &r->ent[i].rate);
	return 0;
}

/* Report order: residual unacceptable, ALARP, acceptable; then most seen. */
static int entry_cmp(const struct cyl_report *r, size_t a, size_t b)
{
	const struct rep_entry *x = &r->ent[a], *y = &r->ent[b];

	if (x->e->residual.level != y->e->residual.level)
		return x->e->residual.level > y->e->residual.level ? -1 : 1;
	if (x->obs.count != y->obs.count)
		return x->obs.count > y->obs.count ? -1 : 1;
	return a < b ? -1 : a > b;
}

static void sort_entries(struct cyl_report *r)
{
	size_t i, j, k;

	for (i = 0; i < r->reg->n_entries; i++)
		r->order[i] = i;
	/* Insertion sort: at most 256 entries, and stable. */
	for (i = 1; i < r->reg->n_entries; i++) {
		k = r->order[i];
		for (j = i; j > 0 && entry_cmp(r, r->order[j - 1], k) > 0; j--)
			r->order[j] = r->order[j - 1];
		r->order[j] = k;
	}
}

/* Each device's evidence per entry, and its worst residual risk. */
static int per_device(struct cyl_report *r)
{
	struct rep_device *d;
	size_t i, e;

	for (i = 0; i < r->n_devs; i++) {
		r->devs[i].per_entry = calloc(r->reg->n_entries ?: 1, sizeof(uint64_t));
		if (!r->devs[i].per_entry)
			return -ENOMEM;
		r->devs[i].worst = REP_NONE;
	}
	for (i = 0; i < r->n_ev; i++) {
		d = &r->devs[r->ev[i].device];
		d->per_entry[r->ev[i].entry]++;
		d->events++;
	}
	for (i = 0; i < r->n_devs; i++) {
		d = &r->devs[i];
		/* The first in report order is the worst. */
		for (e = 0; e < r->reg->n_entries && d->worst == REP_NONE; e++)
			if (d->per_entry[r->order[e]])
				d->worst = r->order[e];
	}
	return 0;
}

static int device_cmp(const struct cyl_report *r, size_t a, size_t b)
{
	const struct rep_device *x = &r->devs[a], *y = &r->devs[b];
	int lx = (int)r->reg->entries[x->worst].residual.level;
	int ly = (int)r->reg->entries[y->worst].residual.level;

	if (lx != ly)
		return lx > ly ? -1 : 1;
	if (x->events != y->events)
		return x->events > y->events ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void sort_devices(struct cyl_report *r)
{
	size_t i, j, k;

	for (i = 0; i < r->n_devs; i++)
		r->dev_order[i] = i;
	for (i = 1; i < r->n_devs; i++) {
		k = r->dev_order[i];
		for (j = i; j > 0 && device_cmp(r, r->dev_order[j - 1], k) > 0; j--)
			r->dev_order[j] = r->dev_order[j - 1];
		r->dev_order[j] = k;
	}
}

static int compute(struct cyl_report *r)
{
	int ret;

	if (r->done)
		return 0;
	r->head_s = (int64_t)(r->src.head.ts_ns / 1000000000u);
	window(r);
	if ((ret = per_entry(r)) != 0)
		return ret;
	r->order = calloc(r->reg->n_entries ?: 1, sizeof(*r->order));
	r->dev_order = calloc(r->n_devs ?: 1, sizeof(*r->dev_order));
	if (!r->order || !r->dev_order)
		return -ENOMEM;
	sort_entries(r);
	if ((ret = per_device(r)) != 0)
		return ret;
	sort_devices(r);
	r->done = true;
	return 0;
}

int cyl_report_render(struct cyl_report *r, enum cyl_report_format f,
		      struct cyl_strbuf *out)
{
	int ret;

	if ((ret = compute(r)) != 0)
		return ret;
	switch (f) {
	case CYL_REPORT_MD:
		cyl_report_md(r, out);
		break;
	case CYL_REPORT_HTML:
		cyl_report_html(r, out);
		break;
	case CYL_REPORT_JSON:
		if ((ret = cyl_report_json(r, out)) != 0)
			return ret;
		break;
	default:
		return -EINVAL;
	}
	return out->oom ? -ENOMEM : 0;
}

void cyl_report_free(struct cyl_report *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; r->ent && i < r->reg->n_entries; i++)
		free(r->ent[i].buckets);
	for (i = 0; i < r->n_devs; i++) {
		free(r->devs[i].name);
		free(r->devs[i].per_entry);
	}
	for (i = 0; i < r->n_unknown; i++)
		free(r->unknown[i].id);
	free(r->ent);
	free(r->devs);
	free(r->ev);
	free(r->order);
	free(r->dev_order);
	free(r);
}
