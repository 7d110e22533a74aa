// SPDX-License-Identifier: GPL-2.0
/*
 * The risk register (see register.h).  The walk has a fixed depth
 * (risk, entries, entry, evidence, selector, field), so aliases cannot
 * make it recurse; every error names file:line:col and the path.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <yaml.h>

#include "policy/walk.h"
#include "risk/register.h"
#include "util/file.h"
#include "util/quote.h"

static const char *const control_names[CYL_RISK_N_CONTROLS + 1] = {
	[CYL_RISK_CTL_USB_AUTHORIZATION] = "usb_authorization",
	[CYL_RISK_CTL_SERIAL_WRITE_ALLOWLIST] = "serial_write_allowlist",
	[CYL_RISK_CTL_SERIAL_FRAMING] = "serial_framing",
	[CYL_RISK_CTL_RECORD_SEALING] = "record_sealing",
	[CYL_RISK_CTL_LSM_DEVICE_ACCESS] = "lsm_device_access",
	[CYL_RISK_CTL_EXEC_ALLOWLIST] = "exec_allowlist",
	[CYL_RISK_CTL_AGENT_SELF_PROTECTION] = "agent_self_protection",
	[CYL_RISK_CTL_NETWORK_DEFAULT_DENY] = "network_default_deny",
	[CYL_RISK_CTL_WIREGUARD] = "wireguard",
	[CYL_RISK_CTL_SSI_ACCESS] = "ssi_access",
	[CYL_RISK_CTL_ABE_EXPORTS] = "abe_exports",
	[CYL_RISK_CTL_ANOMALY_DETECTION] = "anomaly_detection",
	[CYL_RISK_CTL_MENDER_HOOKS] = "mender_hooks",
	NULL,
};

#define CONTROLS_EXPECTED \
	"a cylcomed control (usb_authorization, serial_write_allowlist, " \
	"serial_framing, record_sealing, lsm_device_access, exec_allowlist, " \
	"agent_self_protection, network_default_deny, wireguard, ssi_access, " \
	"abe_exports, anomaly_detection or mender_hooks)"

static const char *const acceptability_names[] = {
	[CYL_RISK_ACCEPTABLE] = "acceptable",
	[CYL_RISK_ALARP] = "alarp",
	[CYL_RISK_UNACCEPTABLE] = "unacceptable",
};

const char *cyl_risk_acceptability_name(enum cyl_risk_acceptability a)
{
	return acceptability_names[a];
}

const char *cyl_risk_control_name(enum cyl_risk_control ctl)
{
	return control_names[ctl];
}

/* One walk: the file's, against the register's scales and matrix. */
struct rw {
	struct cyl_yw *yw;
	struct cyl_risk_register *r;
};

static int oom(struct rw *w)
{
	return cyl_yw_fail_nopos(w->yw->err, w->yw->name, -ENOMEM, "out of memory");
}

static const char *item_path(char *buf, size_t size, const char *path, size_t i)
{
	if (snprintf(buf, size, "%s[%zu]", path, i) >= (int)size)
		buf[size - 1] = '\0';	/* cannot happen: paths are short */
	return buf;
}

/* The items of sequence @node, or an error naming @path. */
static int get_seq(struct rw *w, yaml_node_t *node, const char *path,
		   size_t *n)
{
	*n = 0;
	if (node->type != YAML_SEQUENCE_NODE)
		return cyl_yw_fail(w->yw, node->start_mark,
				   "%s: expected a sequence, got %s", path,
				   cyl_yw_kind(node));
	*n = node->data.sequence.items.top - node->data.sequence.items.start;
	return 0;
}

static int get_item(struct rw *w, yaml_node_t *seq, size_t i,
		    const char *path, yaml_node_t **out)
{
	*out = cyl_yw_node_at(w->yw, seq->data.sequence.items.start[i]);
	if (!*out)
		return cyl_yw_fail(w->yw, seq->start_mark, "%s: malformed sequence",
				   path);
	return 0;
}

/* 1..@max bytes of [a-z0-9] ([A-Z0-9] if @upper) and of @extra. */
static bool valid_word(const yaml_node_t *v, bool upper, const char *extra,
		       size_t max)
{
	const unsigned char *s = v->data.scalar.value;
	size_t i, len = v->data.scalar.length;

	if (len < 1 || len > max)
		return false;
	for (i = 0; i < len; i++) {
		unsigned char ch = s[i];

		if ((ch >= '0' && ch <= '9') ||
		    (upper ? ch >= 'A' && ch <= 'Z' : ch >= 'a' && ch <= 'z') ||
		    (ch && strchr(extra, ch)))
			continue;
		return false;
	}
	return true;
}

/* A word as valid_word() into @out (@max + 1 bytes); @what for errors. */
static int get_word(struct rw *w, const yaml_node_t *v, const char *path,
		    bool upper, const char *extra, size_t max,
		    const char *what, char *out)
{
	char q[CYL_QUOTE_SIZE];
	int ret;

	if ((ret = cyl_yw_expect_scalar(w->yw, v, path)) != 0)
		return ret;
	if (!valid_word(v, upper, extra, max))
		return cyl_yw_fail(w->yw, v->start_mark, "%s: expected %s, got %s",
				   path, what, CYL_YW_QUOTE(q, v));
	memcpy(out, v->data.scalar.value, v->data.scalar.length);
	out[v->data.scalar.length] = '\0';
	return 0;
}

/* 1..CYL_RISK_TEXT_MAX bytes of text, no NUL, into a new string. */
static int get_text(struct rw *w, const yaml_node_t *v, const char *path,
		    char **out)
{
	char q[CYL_QUOTE_SIZE];
	size_t len;
	int ret;

	if ((ret = cyl_yw_expect_scalar(w->yw, v, path)) != 0)
		return ret;
	len = v->data.scalar.length;
	if (!len || len > CYL_RISK_TEXT_MAX || !cyl_yw_scalar_str(v))
		return cyl_yw_fail(w->yw, v->start_mark,
				   "%s: expected text of 1..%d bytes without NUL, got %s",
				   path, CYL_RISK_TEXT_MAX, CYL_YW_QUOTE(q, v));
	*out = strndup((const char *)v->data.scalar.value, len);
	return *out ? 0 : oom(w);
}

/*
 * Events per gateway-year, written as a decimal ("12", "0.5"): above 0,
 * at most CYL_RISK_RATE_MAX.  At most 15 digits, so the mantissa and the
 * power of ten are exact and the division rounds once.
 */
static int get_rate(struct rw *w, const yaml_node_t *v, const char *path,
		    double *out)
{
	unsigned long long mant = 0;
	double scale = 1, x = 0;
	char q[CYL_QUOTE_SIZE];
	const char *s;
	size_t i, len;
	bool ok, dot = false;
	int ret;

	if ((ret = cyl_yw_expect_scalar(w->yw, v, path)) != 0)
		return ret;
	s = (const char *)v->data.scalar.value;
	len = v->data.scalar.length;
	ok = len >= 1 && len <= 16 && s[0] != '.' && s[len - 1] != '.' &&
	     !(len > 1 && s[0] == '0' && s[1] != '.');
	for (i = 0; ok && i < len; i++) {
		if (s[i] == '.' && !dot) {
			dot = true;
			continue;
		}
		ok = s[i] >= '0' && s[i] <= '9';
		mant = mant * 10 + (unsigned long long)(s[i] - '0');
		if (dot)
			scale *= 10;
	}
	if (ok)
		x = (double)mant / scale;
	if (!ok || x <= 0 || x > CYL_RISK_RATE_MAX)
		return cyl_yw_fail(w->yw, v->start_mark,
				   "%s: expected events per year, a decimal above 0 "
				   "and at most %d such as 0.1 or 12, got %s",
				   path, CYL_RISK_RATE_MAX, CYL_YW_QUOTE(q, v));
	*out = x;
	return 0;
}


/* --- scales and matrix --- */

/* "negligible, minor, serious, critical or catastrophic" */
static const char *levels_expected(char (*names)[CYL_RISK_NAME_MAX + 1],
				   char *buf, size_t size)
{
	snprintf(buf, size, "%s, %s, %s, %s or %s", names[0], names[1],
		 names[2], names[3], names[4]);
	return buf;
}

/* One level name of @names (severity or probability) into @out. */
static int get_level(struct rw *w, const yaml_node_t *v, const char *path,
		     char (*names)[CYL_RISK_NAME_MAX + 1], unsigned int *out)
{
	char expected[CYL_RISK_LEVELS * (CYL_RISK_NAME_MAX + 2) + 8];
	const char *choices[CYL_RISK_LEVELS + 1];
	unsigned int i;

	for (i = 0; i < CYL_RISK_LEVELS; i++)
		choices[i] = names[i];
	choices[CYL_RISK_LEVELS] = NULL;
	return cyl_yw_get_choice(w->yw, v, path, choices,
				 levels_expected(names, expected, sizeof(expected)),
				 out);
}

static int get_level_name(struct rw *w, const yaml_node_t *v, const char *path,
			  char (*names)[CYL_RISK_NAME_MAX + 1], unsigned int i)
{
	char q[CYL_QUOTE_SIZE];
	unsigned int j;
	int ret;

	ret = get_word(w, v, path, false, "_-", CYL_RISK_NAME_MAX,
		       "a level name [a-z0-9_-]{1,32}", names[i]);
	if (ret)
		return ret;
	for (j = 0; j < i; j++) {
		if (!strcmp(names[j], names[i]))
			return cyl_yw_fail(w->yw, v->start_mark,
					   "%s: %s names two levels", path,
					   CYL_YW_QUOTE(q, v));
	}
	return 0;
}

static int get_five(struct rw *w, yaml_node_t *node, const char *path,
		    const char *order)
{
	size_t n;
	int ret;

	if ((ret = get_seq(w, node, path, &n)) != 0)
		return ret;
	if (n != CYL_RISK_LEVELS)
		return cyl_yw_fail(w->yw, node->start_mark,
				   "%s: expected %d levels, %s, got %zu",
				   path, CYL_RISK_LEVELS, order, n);
	return 0;
}

static int parse_severity_scale(struct rw *w, yaml_node_t *node,
				const char *path)
{
	char item[CYL_YW_PATH_SIZE];
	yaml_node_t *v;
	unsigned int i;
	int ret;

	if ((ret = get_five(w, node, path, "lowest first")) != 0)
		return ret;
	for (i = 0; i < CYL_RISK_LEVELS; i++) {
		item_path(item, sizeof(item), path, i);
		if ((ret = get_item(w, node, i, path, &v)) != 0 ||
		    (ret = get_level_name(w, v, item, w->r->scales.severity, i)) != 0)
			return ret;
	}
	return 0;
}

/* Each level's bound ten times the one below: see cyl_risk_combine(). */
static bool one_decade_up(double below, double x)
{
	double d = x - 10 * below;

	return (d < 0 ? -d : d) <= 1e-9 * x;
}

static int parse_probability_level(struct rw *w, yaml_node_t *node,
				   const char *path, unsigned int i)
{
	enum { L_NAME, L_MAX, L_N };
	struct cyl_yw_field f[L_N] = {
		[L_NAME] = { .name = "name" },
		[L_MAX] = { .name = "max_per_year" },
	};
	struct cyl_risk_scales *sc = &w->r->scales;
	char field[CYL_YW_PATH_SIZE];
	int k, ret;

	if ((ret = cyl_yw_get_fields(w->yw, node, path, f, L_N, NULL, NULL)) != 0)
		return ret;
	for (k = 0; k < L_N; k++) {
		if (!f[k].val)
			return cyl_yw_fail(w->yw, node->start_mark,
					   "%s: missing key \"%s\"", path, f[k].name);
	}
	ret = get_level_name(w, f[L_NAME].val,
			     cyl_yw_sub(field, sizeof(field), path, "name"),
			     sc->probability, i);
	if (ret)
		return ret;
	cyl_yw_sub(field, sizeof(field), path, "max_per_year");
	if ((ret = get_rate(w, f[L_MAX].val, field, &sc->max_per_year[i])) != 0)
		return ret;
	if (i && !one_decade_up(sc->max_per_year[i - 1], sc->max_per_year[i]))
		return cyl_yw_fail(w->yw, f[L_MAX].val->start_mark,
				   "%s: %g is not ten times %g, the bound of the "
				   "level below: each level is one decade",
				   field, sc->max_per_year[i], sc->max_per_year[i - 1]);
	return 0;
}

static int parse_probability_scale(struct rw *w, yaml_node_t *node,
				   const char *path)
{
	char item[CYL_YW_PATH_SIZE];
	yaml_node_t *v;
	unsigned int i;
	int ret;

	if ((ret = get_five(w, node, path, "lowest first")) != 0)
		return ret;
	for (i = 0; i < CYL_RISK_LEVELS; i++) {
		item_path(item, sizeof(item), path, i);
		if ((ret = get_item(w, node, i, path, &v)) != 0 ||
		    (ret = parse_probability_level(w, v, item, i)) != 0)
			return ret;
	}
	return 0;
}

static int parse_scales(struct rw *w, yaml_node_t *node, const char *path)
{
	enum { S_SEVERITY, S_PROBABILITY, S_N };
	struct cyl_yw_field f[S_N] = {
		[S_SEVERITY] = { .name = "severity" },
		[S_PROBABILITY] = { .name = "probability" },
	};
	char field[CYL_YW_PATH_SIZE];
	int k, ret;

	if ((ret = cyl_yw_get_fields(w->yw, node, path, f, S_N, NULL, NULL)) != 0)
		return ret;
	for (k = 0; k < S_N; k++) {
		if (!f[k].val)
			return cyl_yw_fail(w->yw, node->start_mark,
					   "%s: missing key \"%s\"", path, f[k].name);
	}
	ret = parse_severity_scale(w, f[S_SEVERITY].val,
				   cyl_yw_sub(field, sizeof(field), path, "severity"));
	if (ret)
		return ret;
	return parse_probability_scale(w, f[S_PROBABILITY].val,
				       cyl_yw_sub(field, sizeof(field), path,
						  "probability"));
}

static const char cell_letters[] = "ARU";	/* by enum cyl_risk_acceptability */

static int not_monotonic(struct rw *w, const char *path, unsigned int row,
			 unsigned int col, const yaml_node_t *cell,
			 enum cyl_risk_acceptability a,
			 enum cyl_risk_acceptability b, const char *where,
			 const char *rises)
{
	return cyl_yw_fail(w->yw, cell->start_mark,
			   "%s[%u][%u]: %c is more acceptable than %c %s: "
			   "acceptability may not improve as %s rises",
			   path, row, col, cell_letters[a], cell_letters[b],
			   where, rises);
}

/*
 * A risk may not become more acceptable as probability (to the right)
 * or severity (up) rises.  @cells are the matrix's nodes as written,
 * highest severity first.
 */
static int check_monotonic(struct rw *w, const char *path,
			   yaml_node_t *cells[CYL_RISK_LEVELS][CYL_RISK_LEVELS])
{
	enum cyl_risk_acceptability (*m)[CYL_RISK_LEVELS] = w->r->matrix;
	unsigned int row, col, sev;

	for (row = 0; row < CYL_RISK_LEVELS; row++) {
		sev = CYL_RISK_LEVELS - 1 - row;
		for (col = 0; col < CYL_RISK_LEVELS; col++) {
			if (col && m[sev][col] < m[sev][col - 1])
				return not_monotonic(w, path, row, col, cells[row][col],
						     m[sev][col], m[sev][col - 1],
						     "to its left", "probability");
			if (sev && m[sev][col] < m[sev - 1][col])
				return not_monotonic(w, path, row, col, cells[row][col],
						     m[sev][col], m[sev - 1][col],
						     "below it", "severity");
		}
	}
	return 0;
}

static int parse_matrix_row(struct rw *w, yaml_node_t *node, const char *path,
			    unsigned int row, yaml_node_t **cells)
{
	static const char *const letters[] = { "A", "R", "U", NULL };
	const struct cyl_risk_scales *sc = &w->r->scales;
	unsigned int sev = CYL_RISK_LEVELS - 1 - row, col, x;
	char item[CYL_YW_PATH_SIZE];
	size_t n;
	int ret;

	if ((ret = get_seq(w, node, path, &n)) != 0)
		return ret;
	if (n != CYL_RISK_LEVELS)
		return cyl_yw_fail(w->yw, node->start_mark,
				   "%s: expected %d cells, one per probability "
				   "from %s to %s, got %zu", path, CYL_RISK_LEVELS,
				   sc->probability[0],
				   sc->probability[CYL_RISK_LEVELS - 1], n);
	for (col = 0; col < CYL_RISK_LEVELS; col++) {
		item_path(item, sizeof(item), path, col);
		if ((ret = get_item(w, node, col, path, &cells[col])) != 0)
			return ret;
		ret = cyl_yw_get_choice(w->yw, cells[col], item, letters,
					"A (acceptable), R (ALARP) or U (unacceptable)",
					&x);
		if (ret)
			return ret;
		w->r->matrix[sev][col] = x;
	}
	return 0;
}

/* Rows from the highest severity down, cells from the lowest probability. */
static int parse_matrix(struct rw *w, yaml_node_t *node, const char *path)
{
	yaml_node_t *cells[CYL_RISK_LEVELS][CYL_RISK_LEVELS];
	const struct cyl_risk_scales *sc = &w->r->scales;
	char item[CYL_YW_PATH_SIZE];
	yaml_node_t *v;
	unsigned int row;
	size_t n;
	int ret;

	if ((ret = get_seq(w, node, path, &n)) != 0)
		return ret;
	if (n != CYL_RISK_LEVELS)
		return cyl_yw_fail(w->yw, node->start_mark,
				   "%s: expected %d rows, one per severity from %s "
				   "down to %s, got %zu", path, CYL_RISK_LEVELS,
				   sc->severity[CYL_RISK_LEVELS - 1],
				   sc->severity[0], n);
	for (row = 0; row < CYL_RISK_LEVELS; row++) {
		item_path(item, sizeof(item), path, row);
		if ((ret = get_item(w, node, row, path, &v)) != 0 ||
		    (ret = parse_matrix_row(w, v, item, row, cells[row])) != 0)
			return ret;
	}
	return check_monotonic(w, path, cells);
}


/* --- entries --- */

/* An entry's keys, in the order of Documentation/risk.md. */
enum {
	E_ID, E_TITLE, E_ASSET, E_THREAT, E_VULNERABILITY, E_HAZARD,
	E_SEQUENCE, E_SITUATION, E_HARM,
	E_SEVERITY, E_P1, E_P2, E_EXPLOITABILITY, E_CONTROLS,
	E_RSEVERITY, E_RP1, E_RP2, E_BENEFIT_RISK, E_EVIDENCE, E_EXPECTED,
	E_N
};

static const char *const entry_keys[E_N] = {
	[E_ID] = "id",
	[E_TITLE] = "title",
	[E_ASSET] = "asset",
	[E_THREAT] = "threat",
	[E_VULNERABILITY] = "vulnerability",
	[E_HAZARD] = "hazard",
	[E_SEQUENCE] = "sequence_of_events",
	[E_SITUATION] = "hazardous_situation",
	[E_HARM] = "harm",
	[E_SEVERITY] = "severity",
	[E_P1] = "p1",
	[E_P2] = "p2",
	[E_EXPLOITABILITY] = "exploitability",
	[E_CONTROLS] = "controls",
	[E_RSEVERITY] = "residual_severity",
	[E_RP1] = "residual_p1",
	[E_RP2] = "residual_p2",
	[E_BENEFIT_RISK] = "benefit_risk",
	[E_EVIDENCE] = "evidence",
	[E_EXPECTED] = "expected",
};

static bool required(int key)
{
	return key <= E_P2 || (key >= E_RSEVERITY && key <= E_RP2);
}

static int parse_id(struct rw *w, size_t idx, const yaml_node_t *v,
		    const char *path, struct cyl_risk_entry *e)
{
	char field[CYL_YW_PATH_SIZE], q[CYL_QUOTE_SIZE];
	size_t i;
	int ret;

	cyl_yw_sub(field, sizeof(field), path, "id");
	ret = get_word(w, v, field, true, "-", CYL_RISK_ID_MAX,
		       "an id [A-Z0-9-]{1,32}", e->id);
	if (ret)
		return ret;
	for (i = 0; i < idx; i++) {
		if (!strcmp(w->r->entries[i].id, e->id))
			return cyl_yw_fail(w->yw, v->start_mark,
					   "%s: duplicate id %s (first on line %u)",
					   field, CYL_YW_QUOTE(q, v),
					   w->r->entries[i].line);
	}
	return 0;
}

static int parse_texts(struct rw *w, const struct cyl_yw_field *f,
		       const char *path, struct cyl_risk_entry *e)
{
	char **texts[E_HARM + 1] = {
		[E_TITLE] = &e->title,
		[E_ASSET] = &e->asset,
		[E_THREAT] = &e->threat,
		[E_VULNERABILITY] = &e->vulnerability,
		[E_HAZARD] = &e->hazard,
		[E_SEQUENCE] = &e->sequence_of_events,
		[E_SITUATION] = &e->hazardous_situation,
		[E_HARM] = &e->harm,
	};
	char field[CYL_YW_PATH_SIZE];
	int i, ret;

	for (i = E_TITLE; i <= E_HARM; i++) {
		cyl_yw_sub(field, sizeof(field), path, entry_keys[i]);
		if ((ret = get_text(w, f[i].val, field, texts[i])) != 0)
			return ret;
	}
	return 0;
}

/* Severity, P1 and P2 from the keys @first.. into @est, with its level. */
static int parse_estimate(struct rw *w, const struct cyl_yw_field *f,
			  int first, const char *path,
			  struct cyl_risk_estimate *est)
{
	struct cyl_risk_scales *sc = &w->r->scales;
	char field[CYL_YW_PATH_SIZE];
	int ret;

	cyl_yw_sub(field, sizeof(field), path, entry_keys[first]);
	if ((ret = get_level(w, f[first].val, field, sc->severity,
			     &est->severity)) != 0)
		return ret;
	cyl_yw_sub(field, sizeof(field), path, entry_keys[first + 1]);
	if ((ret = get_level(w, f[first + 1].val, field, sc->probability,
			     &est->p1)) != 0)
		return ret;
	cyl_yw_sub(field, sizeof(field), path, entry_keys[first + 2]);
	if ((ret = get_level(w, f[first + 2].val, field, sc->probability,
			     &est->p2)) != 0)
		return ret;
	est->probability = cyl_risk_combine(est->p1, est->p2);
	est->level = w->r->matrix[est->severity][est->probability];
	return 0;
}

static int parse_cvss(struct rw *w, const yaml_node_t *v, const char *path,
		      struct cyl_risk_entry *e)
{
	struct cyl_cvss_error cerr;
	const char *s;
	yaml_mark_t m;
	bool exact;
	int ret;

	if ((ret = cyl_yw_expect_scalar(w->yw, v, path)) != 0)
		return ret;
	if (!(s = cyl_yw_scalar_str(v)))
		return cyl_yw_fail(w->yw, v->start_mark,
				   "%s: a vector may not contain a NUL byte", path);
	if (cyl_cvss_parse(s, v->data.scalar.length, &e->cvss, &cerr)) {
		m = cyl_yw_scalar_mark(v, cerr.offset, &exact);
		if (exact)
			return cyl_yw_fail(w->yw, m, "%s: %s", path, cerr.text);
		return cyl_yw_fail(w->yw, m, "%s: at byte %zu of the vector: %s",
				   path, cerr.offset + 1, cerr.text);
	}
	e->has_cvss = true;
	return 0;
}

static int parse_controls(struct rw *w, yaml_node_t *node, const char *path,
			  struct cyl_risk_entry *e)
{
	char item[CYL_YW_PATH_SIZE];
	unsigned int x;
	yaml_node_t *v;
	size_t i, n;
	int ret;

	if ((ret = get_seq(w, node, path, &n)) != 0)
		return ret;
	for (i = 0; i < n; i++) {
		item_path(item, sizeof(item), path, i);
		if ((ret = get_item(w, node, i, path, &v)) != 0 ||
		    (ret = cyl_yw_get_choice(w->yw, v, item, control_names,
					     CONTROLS_EXPECTED, &x)) != 0)
			return ret;
		if (e->controls & (1u << x))
			return cyl_yw_fail(w->yw, v->start_mark,
					   "%s: %s listed twice", item,
					   control_names[x]);
		e->controls |= 1u << x;
	}
	return 0;
}

/*
 * Controls lower a risk: the residual estimate is nowhere above the
 * initial one (a risk a control introduces is an entry of its own, ISO
 * 14971 7.5), and below it only with a control to show for it.
 */
static int check_residual(struct rw *w, const struct cyl_yw_field *f,
			  const char *path, const struct cyl_risk_entry *e)
{
	const struct cyl_risk_scales *sc = &w->r->scales;
	const unsigned int before[] = {
		e->initial.severity, e->initial.p1, e->initial.p2,
	};
	const unsigned int after[] = {
		e->residual.severity, e->residual.p1, e->residual.p2,
	};
	char field[CYL_YW_PATH_SIZE];
	int i;

	for (i = 0; i < 3; i++) {
		const yaml_node_t *v = f[E_RSEVERITY + i].val;
		const char *was = i ? sc->probability[before[i]] :
				      sc->severity[before[i]];
		const char *now = i ? sc->probability[after[i]] :
				      sc->severity[after[i]];

		cyl_yw_sub(field, sizeof(field), path, entry_keys[E_RSEVERITY + i]);
		if (after[i] > before[i])
			return cyl_yw_fail(w->yw, v->start_mark,
					   "%s: %s is above %s %s: controls lower a "
					   "risk; one they bring is an entry of its own",
					   field, now, entry_keys[E_SEVERITY + i], was);
		if (after[i] < before[i] && !e->controls)
			return cyl_yw_fail(w->yw, v->start_mark,
					   "%s: %s is below %s %s with no controls",
					   field, now, entry_keys[E_SEVERITY + i], was);
	}
	return 0;
}

static int parse_selector(struct rw *w, yaml_node_t *node, const char *path,
			  struct cyl_risk_selector *s)
{
	enum { K_TYPE, K_VERDICT, K_TARGET, K_RISK, K_N };
	struct cyl_yw_field f[K_N] = {
		[K_TYPE] = { .name = "type" },
		[K_VERDICT] = { .name = "verdict" },
		[K_TARGET] = { .name = "target" },
		[K_RISK] = { .name = "risk" },
	};
	static const char *const verdicts[] = { "allow", "audit", "deny", NULL };
	static const char *const targets[] = { "allow", "block", "reject", NULL };
	char field[CYL_YW_PATH_SIZE];
	unsigned int x;
	int ret;

	if ((ret = cyl_yw_get_fields(w->yw, node, path, f, K_N, NULL, NULL)) != 0)
		return ret;
	if (!f[K_TYPE].val)
		return cyl_yw_fail(w->yw, node->start_mark,
				   "%s: missing key \"type\"", path);
	cyl_yw_sub(field, sizeof(field), path, "type");
	if ((ret = get_word(w, f[K_TYPE].val, field, false, "_",
			    CYL_RISK_TOKEN_MAX, "an event type [a-z0-9_]{1,32}",
			    s->type)) != 0)
		return ret;
	if (f[K_VERDICT].val) {
		cyl_yw_sub(field, sizeof(field), path, "verdict");
		if ((ret = cyl_yw_get_choice(w->yw, f[K_VERDICT].val, field,
					     verdicts, "allow, audit or deny",
					     &x)) != 0)
			return ret;
		strcpy(s->verdict, verdicts[x]);
	}
	if (f[K_TARGET].val) {
		cyl_yw_sub(field, sizeof(field), path, "target");
		if ((ret = cyl_yw_get_choice(w->yw, f[K_TARGET].val, field,
					     targets, "allow, block or reject",
					     &x)) != 0)
			return ret;
		strcpy(s->target, targets[x]);
	}
	if (f[K_RISK].val) {
		cyl_yw_sub(field, sizeof(field), path, "risk");
		if ((ret = get_word(w, f[K_RISK].val, field, false, "-",
				    CYL_RISK_TOKEN_MAX, "a risk name [a-z0-9-]{1,32}",
				    s->risk)) != 0)
			return ret;
	}
	return 0;
}

static int parse_evidence(struct rw *w, yaml_node_t *node, const char *path,
			  struct cyl_risk_entry *e)
{
	char item[CYL_YW_PATH_SIZE];
	yaml_node_t *v;
	size_t i, n;
	int ret;

	if ((ret = get_seq(w, node, path, &n)) != 0)
		return ret;
	if (n > CYL_RISK_MAX_EVIDENCE)
		return cyl_yw_fail(w->yw, node->start_mark,
				   "%s: %zu selectors, at most %d are supported",
				   path, n, CYL_RISK_MAX_EVIDENCE);
	if (!n)
		return 0;
	e->evidence = calloc(n, sizeof(*e->evidence));
	if (!e->evidence)
		return oom(w);
	for (i = 0; i < n; i++) {
		item_path(item, sizeof(item), path, i);
		if ((ret = get_item(w, node, i, path, &v)) != 0 ||
		    (ret = parse_selector(w, v, item, &e->evidence[i])) != 0)
			return ret;
		e->n_evidence = i + 1;
	}
	return 0;
}

/* Benefit-risk, when the residual risk is not acceptable (ISO 14971 7.4). */
static int parse_benefit_risk(struct rw *w, const yaml_node_t *node,
			      const struct cyl_yw_field *f, const char *path,
			      struct cyl_risk_entry *e)
{
	const struct cyl_risk_scales *sc = &w->r->scales;
	char field[CYL_YW_PATH_SIZE];

	if (f[E_BENEFIT_RISK].val)
		return get_text(w, f[E_BENEFIT_RISK].val,
				cyl_yw_sub(field, sizeof(field), path, "benefit_risk"),
				&e->benefit_risk);
	if (e->residual.level == CYL_RISK_ACCEPTABLE)
		return 0;
	return cyl_yw_fail(w->yw, node->start_mark,
			   "%s: entry \"%s\": residual risk is %s (%s, %s): "
			   "benefit_risk is required", path, e->id,
			   acceptability_names[e->residual.level],
			   sc->severity[e->residual.severity],
			   sc->probability[e->residual.probability]);
}

static int parse_monitoring(struct rw *w, const struct cyl_yw_field *f,
			    const char *path, struct cyl_risk_entry *e)
{
	char field[CYL_YW_PATH_SIZE];
	int ret;

	if (f[E_EVIDENCE].val &&
	    (ret = parse_evidence(w, f[E_EVIDENCE].val,
				  cyl_yw_sub(field, sizeof(field), path, "evidence"),
				  e)) != 0)
		return ret;
	e->expected_per_year = w->r->scales.max_per_year[e->initial.p1];
	if (!f[E_EXPECTED].val)
		return 0;
	cyl_yw_sub(field, sizeof(field), path, "expected");
	if (!e->n_evidence)
		return cyl_yw_fail(w->yw, f[E_EXPECTED].key->start_mark,
				   "%s: only with evidence, the events it counts",
				   field);
	e->expected_set = true;
	return get_rate(w, f[E_EXPECTED].val, field, &e->expected_per_year);
}

static int parse_entry(struct rw *w, size_t idx, yaml_node_t *node,
		       const char *path)
{
	struct cyl_risk_entry *e = &w->r->entries[idx];
	struct cyl_yw_field f[E_N];
	char field[CYL_YW_PATH_SIZE];
	int i, ret;

	for (i = 0; i < E_N; i++)
		f[i] = (struct cyl_yw_field){ .name = entry_keys[i] };
	if ((ret = cyl_yw_get_fields(w->yw, node, path, f, E_N, NULL, NULL)) != 0)
		return ret;
	for (i = 0; i < E_N; i++) {
		if (required(i) && !f[i].val)
			return cyl_yw_fail(w->yw, node->start_mark,
					   "%s: missing key \"%s\"", path,
					   entry_keys[i]);
	}
	e->line = node->start_mark.line + 1;
	if ((ret = parse_id(w, idx, f[E_ID].val, path, e)) != 0 ||
	    (ret = parse_texts(w, f, path, e)) != 0 ||
	    (ret = parse_estimate(w, f, E_SEVERITY, path, &e->initial)) != 0)
		return ret;
	if (f[E_EXPLOITABILITY].val &&
	    (ret = parse_cvss(w, f[E_EXPLOITABILITY].val,
			      cyl_yw_sub(field, sizeof(field), path,
					 "exploitability"), e)) != 0)
		return ret;
	if (f[E_CONTROLS].val &&
	    (ret = parse_controls(w, f[E_CONTROLS].val,
				  cyl_yw_sub(field, sizeof(field), path, "controls"),
				  e)) != 0)
		return ret;
	if ((ret = parse_estimate(w, f, E_RSEVERITY, path, &e->residual)) != 0 ||
	    (ret = check_residual(w, f, path, e)) != 0 ||
	    (ret = parse_benefit_risk(w, node, f, path, e)) != 0)
		return ret;
	return parse_monitoring(w, f, path, e);
}

static int parse_entries(struct rw *w, yaml_node_t *node, const char *path)
{
	char item[CYL_YW_PATH_SIZE];
	yaml_node_t *v;
	size_t i, n;
	int ret;

	if ((ret = get_seq(w, node, path, &n)) != 0)
		return ret;
	if (n > CYL_RISK_MAX_ENTRIES)
		return cyl_yw_fail(w->yw, node->start_mark,
				   "%s: %zu entries, at most %d are supported",
				   path, n, CYL_RISK_MAX_ENTRIES);
	if (!n)
		return 0;
	w->r->entries = calloc(n, sizeof(*w->r->entries));
	if (!w->r->entries)
		return oom(w);
	for (i = 0; i < n; i++) {
		item_path(item, sizeof(item), path, i);
		if ((ret = get_item(w, node, i, path, &v)) != 0)
			return ret;
		/* Counted before it is filled, so a failure frees its parts. */
		w->r->n_entries = i + 1;
		if ((ret = parse_entry(w, i, v, item)) != 0)
			return ret;
	}
	return 0;
}

static int parse_path(struct rw *w, const yaml_node_t *v, const char *path)
{
	char q[CYL_QUOTE_SIZE];
	const char *s;
	size_t len;
	int ret;

	if ((ret = cyl_yw_expect_scalar(w->yw, v, path)) != 0)
		return ret;
	s = cyl_yw_scalar_str(v);
	len = v->data.scalar.length;
	if (!s || len < 2 || len > CYL_RISK_PATH_MAX || s[0] != '/' ||
	    s[len - 1] == '/')
		return cyl_yw_fail(w->yw, v->start_mark,
				   "%s: expected the absolute path of a file, got %s",
				   path, CYL_YW_QUOTE(q, v));
	w->r->path = strdup(s);
	return w->r->path ? 0 : oom(w);
}

int cyl_risk_register_parse(struct cyl_yw *c, yaml_node_t *node,
			    const char *path, struct cyl_risk_register *out)
{
	enum { K_SCALES, K_MATRIX, K_REGISTER, K_ENTRIES, K_N };
	struct cyl_yw_field f[K_N] = {
		[K_SCALES] = { .name = "scales" },
		[K_MATRIX] = { .name = "matrix" },
		[K_REGISTER] = { .name = "register" },
		[K_ENTRIES] = { .name = "entries" },
	};
	struct rw w = { .yw = c, .r = out };
	char field[CYL_YW_PATH_SIZE];
	int ret;

	memset(out, 0, sizeof(*out));
	if ((ret = cyl_yw_get_fields(c, node, path, f, K_N, NULL, NULL)) != 0)
		return ret;
	if (f[K_REGISTER].key && f[K_ENTRIES].key)
		return cyl_yw_fail(c, cyl_yw_second(f[K_REGISTER].key,
						    f[K_ENTRIES].key)->start_mark,
				   "%s: give one of \"register\" and \"entries\", "
				   "not both", path);
	out->set = true;
	/* The scales name the matrix's rows and columns: they come first. */
	if (!f[K_SCALES].val)
		return cyl_yw_fail(c, node->start_mark,
				   "%s: missing key \"scales\"", path);
	if ((ret = parse_scales(&w, f[K_SCALES].val,
				cyl_yw_sub(field, sizeof(field), path, "scales"))) != 0)
		return ret;
	if (!f[K_MATRIX].val)
		return cyl_yw_fail(c, node->start_mark,
				   "%s: missing key \"matrix\"", path);
	if ((ret = parse_matrix(&w, f[K_MATRIX].val,
				cyl_yw_sub(field, sizeof(field), path, "matrix"))) != 0)
		return ret;
	if (f[K_REGISTER].val)
		return parse_path(&w, f[K_REGISTER].val,
				  cyl_yw_sub(field, sizeof(field), path, "register"));
	if (f[K_ENTRIES].val)
		return parse_entries(&w, f[K_ENTRIES].val,
				     cyl_yw_sub(field, sizeof(field), path, "entries"));
	return 0;
}


/* --- register files --- */

static void free_entries(struct cyl_risk_register *r)
{
	size_t i;

	for (i = 0; i < r->n_entries; i++) {
		struct cyl_risk_entry *e = &r->entries[i];

		free(e->title);
		free(e->asset);
		free(e->threat);
		free(e->vulnerability);
		free(e->hazard);
		free(e->sequence_of_events);
		free(e->hazardous_situation);
		free(e->harm);
		free(e->benefit_risk);
		free(e->evidence);
	}
	free(r->entries);
	r->entries = NULL;
	r->n_entries = 0;
}

void cyl_risk_register_free(struct cyl_risk_register *r)
{
	if (!r)
		return;
	free_entries(r);
	free(r->path);
	memset(r, 0, sizeof(*r));
}

/* A register file's top level: a mapping with "entries" and nothing else. */
static int parse_file_root(struct rw *w, yaml_node_t *root)
{
	yaml_node_t *entries = NULL;
	yaml_node_pair_t *pair;
	char q[CYL_QUOTE_SIZE];

	if (root->type != YAML_MAPPING_NODE)
		return cyl_yw_fail(w->yw, root->start_mark,
				   "expected a mapping at the top level, got %s",
				   cyl_yw_kind(root));
	for (pair = root->data.mapping.pairs.start;
	     pair < root->data.mapping.pairs.top; pair++) {
		yaml_node_t *key = cyl_yw_node_at(w->yw, pair->key);
		yaml_node_t *val = cyl_yw_node_at(w->yw, pair->value);

		if (!key || !val)
			return cyl_yw_fail(w->yw, root->start_mark, "malformed mapping");
		if (!cyl_yw_scalar_is(key, "entries"))
			return cyl_yw_fail(w->yw, key->start_mark,
					   "unknown top-level key %s: a register "
					   "file holds \"entries\" only",
					   key->type == YAML_SCALAR_NODE ?
					   CYL_YW_QUOTE(q, key) : cyl_yw_kind(key));
		if (entries)
			return cyl_yw_fail(w->yw, key->start_mark,
					   "duplicate key \"entries\"");
		entries = val;
	}
	if (!entries)
		return cyl_yw_fail(w->yw, root->start_mark,
				   "missing key \"entries\"");
	return parse_entries(w, entries, "entries");
}

int cyl_risk_register_load_buf(struct cyl_risk_register *r, const char *name,
			       const char *buf, size_t len,
			       struct cyl_policy_error *err)
{
	struct cyl_yw c = { .name = name, .err = err };
	struct rw w = { .yw = &c, .r = r };
	yaml_document_t doc, extra;
	bool have_doc = false;
	yaml_parser_t parser;
	yaml_node_t *root;
	int ret;

	memset(err, 0, sizeof(*err));
	if (!r->set)
		return cyl_yw_fail_nopos(err, name, -EINVAL,
					 "no risk section to load entries into");
	if (r->n_entries)
		return cyl_yw_fail_nopos(err, name, -EINVAL,
					 "the register has entries already");
	if (len > CYL_POLICY_MAX_SIZE)
		return cyl_yw_fail_nopos(err, name, -EFBIG,
					 "register is larger than 1 MiB (%zu bytes)",
					 len);
	if (!yaml_parser_initialize(&parser))
		return oom(&w);
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);

	if (!yaml_parser_load(&parser, &doc)) {
		ret = cyl_yw_syntax_error(&c, &parser);
		goto out;
	}
	have_doc = true;
	c.doc = &doc;
	if (!yaml_document_get_root_node(&doc)) {
		ret = cyl_yw_fail_nopos(err, name, -EINVAL, "register is empty");
		goto out;
	}
	/* A second document would be silently ignored: refuse it. */
	if (!yaml_parser_load(&parser, &extra)) {
		ret = cyl_yw_syntax_error(&c, &parser);
		goto out;
	}
	root = yaml_document_get_root_node(&extra);
	if (root)
		ret = cyl_yw_fail(&c, root->start_mark,
				  "only one YAML document is allowed");
	yaml_document_delete(&extra);
	if (root)
		goto out;
	ret = parse_file_root(&w, yaml_document_get_root_node(&doc));
out:
	if (have_doc)
		yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (ret)
		free_entries(r);
	return ret;
}

int cyl_risk_register_load_file(struct cyl_risk_register *r, const char *path,
				struct cyl_policy_error *err)
{
	size_t len;
	char *buf;
	int ret;

	memset(err, 0, sizeof(*err));
	ret = cyl_read_file(path, CYL_POLICY_MAX_SIZE, &buf, &len);
	if (ret == -EFBIG)
		return cyl_yw_fail_nopos(err, path, ret, "register is larger than 1 MiB");
	if (ret)
		return cyl_yw_fail_nopos(err, path, ret, "cannot read: %s",
					 strerror(-ret));
	ret = cyl_risk_register_load_buf(r, path, buf, len, err);
	free(buf);
	return ret;
}


/* --- evaluation --- */

/*
 * P = P1 x P2 on the scale's decades: P2's highest level reads "the
 * situation almost always leads to harm", each level below it one decade
 * less likely, so P is P1 lowered by one level per decade, and never
 * below the lowest level.  The bounds stay upper bounds: P <= bound(P1)
 * x bound(P2) = bound(P).
 */
unsigned int cyl_risk_combine(unsigned int p1, unsigned int p2)
{
	unsigned int down = CYL_RISK_LEVELS - 1 - p2;

	return p1 > down ? p1 - down : 0;
}

/* A selector's field: unset, or equal to the event's string. */
static bool field_matches(const json_t *event, const char *key,
			  const char *want)
{
	const char *s;

	if (!want[0])
		return true;
	s = json_string_value(json_object_get(event, key));
	return s && !strcmp(s, want);
}

bool cyl_risk_selector_match(const struct cyl_risk_selector *s,
			     const json_t *event)
{
	return json_is_object(event) &&
	       field_matches(event, "type", s->type) &&
	       field_matches(event, "verdict", s->verdict) &&
	       field_matches(event, "target", s->target) &&
	       field_matches(event, "risk", s->risk);
}

const struct cyl_risk_entry *cyl_risk_match(const struct cyl_risk_register *r,
					    const json_t *event)
{
	size_t i, j;

	for (i = 0; i < r->n_entries; i++) {
		const struct cyl_risk_entry *e = &r->entries[i];

		for (j = 0; j < e->n_evidence; j++) {
			if (cyl_risk_selector_match(&e->evidence[j], event))
				return e;
		}
	}
	return NULL;
}

void cyl_risk_observe(struct cyl_risk_observed *o, int64_t when)
{
	if (!o->count || when < o->first_seen)
		o->first_seen = when;
	if (!o->count || when > o->last_seen)
		o->last_seen = when;
	o->count++;
}

/*
 * More than chance explains: above the expected count @lambda of the
 * window by over three Poisson standard deviations (sqrt(lambda)) and
 * by at least 3, so a short window or a rare entry is not flagged by
 * its first event: (count - lambda - 3)^2 > 9 * lambda.
 */
static bool beyond_chance(uint64_t count, double lambda)
{
	double d = (double)count - lambda - 3;

	return d > 0 && d * d > 9 * lambda;
}

void cyl_risk_observed_rate(const struct cyl_risk_register *r,
			    const struct cyl_risk_entry *e,
			    const struct cyl_risk_observed *o,
			    uint64_t elapsed_s, struct cyl_risk_rate *out)
{
	double years = (double)(elapsed_s ? elapsed_s : 1) /
		       CYL_RISK_SECONDS_PER_YEAR;
	unsigned int i;

	out->observed_per_year = (double)o->count / years;
	out->expected_per_year = e->expected_per_year;
	for (i = 0; i < CYL_RISK_LEVELS &&
		    out->observed_per_year > r->scales.max_per_year[i]; i++)
		;
	out->observed_level = i;
	out->review = beyond_chance(o->count, e->expected_per_year * years);
}
