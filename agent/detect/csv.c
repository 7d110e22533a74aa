// SPDX-License-Identifier: GPL-2.0
/*
 * The CSV reader, in one pass: a cell is a pointer and a length into the
 * text, a number is checked against a strict grammar and, when short,
 * converted exactly on the way, else by strtod from a small copy (strtod
 * wants a terminated string, and the text need not be one); the table
 * grows by doubling.  Nothing is allocated per cell: quoted cells with
 * doubled quotes are unescaped into one scratch buffer, reused.
 */
#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "detect/csv.h"
#include "util/file.h"
#include "util/quote.h"

enum role { ROLE_FEATURE, ROLE_LABEL, ROLE_IGNORE };

/* How a cell ended. */
enum { END_CELL, END_LINE, END_FILE };

struct csv {
	const char *s;
	size_t len, pos;
	size_t line;		/* of pos, 1-based */
	size_t col;		/* of the cell at hand, 0-based */
	char **names;		/* every column's, once the header is read */
	size_t ncols;
	char *scratch;		/* unescaped quoted cells, long numbers */
	size_t scratch_cap;
	char *err;
	size_t errlen;
};

struct cell {
	const char *p;
	size_t n;
	size_t line;		/* where it starts */
	bool quoted;
};

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t';
}

static void trim(const char **p, size_t *n)
{
	while (*n && is_space(**p)) {
		(*p)++;
		(*n)--;
	}
	while (*n && is_space((*p)[*n - 1]))
		(*n)--;
}

static int vfail(struct csv *c, int ret, const char *prefix, const char *fmt, va_list ap)
{
	int n;

	if (!c->errlen)
		return ret;
	n = snprintf(c->err, c->errlen, "%s", prefix);
	if (n >= 0 && (size_t)n < c->errlen)
		vsnprintf(c->err + n, c->errlen - n, fmt, ap);
	return ret;
}

/* An error about the cell at c->col: "line L, column C "name": ...". */
static int __attribute__((format(printf, 3, 4)))
fail_at(struct csv *c, size_t line, const char *fmt, ...)
{
	char prefix[CYL_QUOTE_SIZE + 64], q[CYL_QUOTE_SIZE];
	const char *name;
	va_list ap;
	int ret;

	if (c->names && c->col < c->ncols) {
		name = c->names[c->col];
		snprintf(prefix, sizeof(prefix), "line %zu, column %zu %s: ", line, c->col + 1,
			 cyl_quote(q, sizeof(q), name, strlen(name)));
	} else {
		snprintf(prefix, sizeof(prefix), "line %zu, column %zu: ", line, c->col + 1);
	}
	va_start(ap, fmt);
	ret = vfail(c, -EINVAL, prefix, fmt, ap);
	va_end(ap);
	return ret;
}

/* An error about a whole line (the header, a column not there). */
static int __attribute__((format(printf, 3, 4)))
fail_line(struct csv *c, size_t line, const char *fmt, ...)
{
	char prefix[64];
	va_list ap;
	int ret;

	snprintf(prefix, sizeof(prefix), "line %zu: ", line);
	va_start(ap, fmt);
	ret = vfail(c, -EINVAL, prefix, fmt, ap);
	va_end(ap);
	return ret;
}

static int scratch_reserve(struct csv *c, size_t need)
{
	size_t cap = c->scratch_cap ? c->scratch_cap : 256;
	char *p;

	if (need <= c->scratch_cap)
		return 0;
	while (cap < need)
		cap *= 2;
	p = realloc(c->scratch, cap);
	if (!p)
		return -ENOMEM;
	c->scratch = p;
	c->scratch_cap = cap;
	return 0;
}

/* Where a cell's text stops at @i: a comma, a line end, the end. */
static int cell_end(struct csv *c, size_t i)
{
	const char *s = c->s;

	if (i == c->len) {
		c->pos = i;
		return END_FILE;
	}
	switch (s[i]) {
	case ',':
		c->pos = i + 1;
		return END_CELL;
	case '\n':
		c->pos = i + 1;
		c->line++;
		return END_LINE;
	case '\r':
		if (i + 1 == c->len) {
			c->pos = i + 1;
			return END_FILE;
		}
		if (s[i + 1] == '\n') {
			c->pos = i + 2;
			c->line++;
			return END_LINE;
		}
		return fail_at(c, c->line, "carriage return without a line feed");
	case '"':
		return fail_at(c, c->line, "quote inside an unquoted cell");
	default:
		return fail_at(c, c->line, "text after the closing quote");
	}
}

static size_t count_lf(const char *p, size_t n)
{
	const char *end = p + n;
	size_t lf = 0;

	while ((p = memchr(p, '\n', end - p))) {
		lf++;
		p++;
	}
	return lf;
}

/* A quoted cell whose text starts at @start, after the opening quote. */
static int quoted_cell(struct csv *c, struct cell *cell, size_t start)
{
	const char *s = c->s, *q;
	size_t i = start, j, out = 0;
	bool copied = false;

	cell->quoted = true;
	for (;;) {
		q = memchr(s + i, '"', c->len - i);
		if (!q)
			return fail_at(c, cell->line, "quoted cell not closed");
		j = q - s;
		c->line += count_lf(s + i, j - i);
		if (j + 1 == c->len || s[j + 1] != '"')
			break;
		/* A doubled quote: the text so far and one quote. */
		if (scratch_reserve(c, out + j + 1 - i))
			return -ENOMEM;
		memcpy(c->scratch + out, s + i, j + 1 - i);
		out += j + 1 - i;
		i = j + 2;
		copied = true;
	}
	if (copied) {
		if (scratch_reserve(c, out + j - i))
			return -ENOMEM;
		memcpy(c->scratch + out, s + i, j - i);
		cell->p = c->scratch;
		cell->n = out + j - i;
	} else {
		cell->p = s + start;
		cell->n = j - start;
	}
	for (i = j + 1; i < c->len && is_space(s[i]); i++)
		;
	if (i < c->len && s[i] == '"')
		return fail_at(c, c->line, "text after the closing quote");
	return cell_end(c, i);
}

/* Bytes that stop an unquoted cell. */
static const bool stop[256] = { [','] = 1, ['\n'] = 1, ['\r'] = 1, ['"'] = 1 };

/*
 * Read the cell at c->pos into @cell: END_CELL (a comma followed),
 * END_LINE, END_FILE, or a negative errno with the message written.
 */
static int next_cell(struct csv *c, struct cell *cell)
{
	const char *s = c->s;
	size_t i = c->pos;

	cell->line = c->line;
	cell->quoted = false;
	while (i < c->len && is_space(s[i]))
		i++;
	if (i < c->len && s[i] == '"')
		return quoted_cell(c, cell, i + 1);
	while (i < c->len && !stop[(unsigned char)s[i]])
		i++;
	cell->p = s + c->pos;
	cell->n = i - c->pos;
	return cell_end(c, i);
}

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

struct number {
	uint64_t m;		/* the first 19 significant digits */
	int sig;		/* how many there were, 20 for more */
	int scale;		/* the power of ten to multiply m by */
};

static void add_digit(struct number *nb, char ch)
{
	if (nb->sig >= 19) {
		nb->sig = 20;	/* too many for the fast path */
		return;
	}
	nb->m = nb->m * 10 + (ch - '0');
	nb->sig += nb->m != 0;
}

/*
 * Check [+-] digits [. digits] [(e|E) [+-] digits], a digit next to the
 * point, and convert it when that is exact: an integer up to 2^53 times
 * or divided by a power of ten up to 10^22, both exact in doubles, so
 * that the one rounding is the correct one, strtod's (Clinger's fast
 * path).  0 and *@v, 1 to ask strtod, -1 when it is no number.
 */
static int number_fast(const char *p, size_t n, double *v)
{
	static const double pow10[] = {
		1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
		1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
	};
	struct number nb = { 0 };
	bool neg = false, eneg = false;
	size_t i = 0, digits = 0;
	int e = 0;

	if (i < n && (p[i] == '+' || p[i] == '-'))
		neg = p[i++] == '-';
	for (; i < n && is_digit(p[i]); i++, digits++)
		add_digit(&nb, p[i]);
	if (i < n && p[i] == '.') {
		for (i++; i < n && is_digit(p[i]); i++, digits++) {
			add_digit(&nb, p[i]);
			nb.scale -= nb.scale > -100000;	/* far past the fast path */
		}
	}
	if (!digits)
		return -1;
	if (i < n && (p[i] == 'e' || p[i] == 'E')) {
		i++;
		if (i < n && (p[i] == '+' || p[i] == '-'))
			eneg = p[i++] == '-';
		if (i == n || !is_digit(p[i]))
			return -1;
		for (; i < n && is_digit(p[i]); i++)
			if (e < 100000)
				e = e * 10 + (p[i] - '0');
	}
	if (i != n)
		return -1;
	e = nb.scale + (eneg ? -e : e);
	if (FLT_EVAL_METHOD != 0 || nb.sig > 19 || nb.m > (1ull << 53) || e < -22 || e > 22)
		return 1;
	*v = e >= 0 ? (double)nb.m * pow10[e] : (double)nb.m / pow10[-e];
	if (neg)
		*v = -*v;
	return 0;
}

/* What strtod would take for NaN or infinity, to say so. */
static bool non_finite(const char *p, size_t n)
{
	if (n && (*p == '+' || *p == '-')) {
		p++;
		n--;
	}
	return n >= 3 && (!strncasecmp(p, "nan", 3) || !strncasecmp(p, "inf", 3));
}

static int cell_number(struct csv *c, const struct cell *cell, double *v)
{
	char small[64], q[CYL_QUOTE_SIZE], *buf = small, *end;
	const char *p = cell->p;
	size_t n = cell->n;
	int ret;

	trim(&p, &n);
	if (!n)
		return fail_at(c, cell->line, "missing value");
	ret = number_fast(p, n, v);
	if (!ret)
		return 0;
	if (ret < 0) {
		cyl_quote(q, sizeof(q), p, n);
		if (non_finite(p, n))
			return fail_at(c, cell->line, "NaN or infinity: %s", q);
		return fail_at(c, cell->line, "not a number: %s (ignore a text column)", q);
	}
	/* The syntax holds no quote, so the cell is not in the scratch buffer. */
	if (n >= sizeof(small)) {
		if (scratch_reserve(c, n + 1))
			return -ENOMEM;
		buf = c->scratch;
	}
	memcpy(buf, p, n);
	buf[n] = '\0';
	*v = strtod(buf, &end);
	if (end != buf + n || !isfinite(*v))
		return fail_at(c, cell->line, "out of range: %s", cyl_quote(q, sizeof(q), p, n));
	return 0;
}

static int cell_label(struct csv *c, const struct cell *cell, int *label)
{
	char q[CYL_QUOTE_SIZE];
	const char *p = cell->p;
	size_t n = cell->n;

	trim(&p, &n);
	if (!n)
		return fail_at(c, cell->line, "missing label");
	if (n != 1 || (*p != '0' && *p != '1'))
		return fail_at(c, cell->line, "label not 0 or 1: %s", cyl_quote(q, sizeof(q), p, n));
	*label = *p - '0';
	return 0;
}

/* Spaces and tabs up to a line end or the end of the text. */
static bool blank_line(const struct csv *c)
{
	size_t i = c->pos;

	while (i < c->len && (is_space(c->s[i]) || c->s[i] == '\r'))
		i++;
	return i == c->len || c->s[i] == '\n';
}

/* Past blank lines; true when they end the text. */
static bool skip_blank_lines(struct csv *c)
{
	const char *lf;

	while (c->pos < c->len && blank_line(c)) {
		lf = memchr(c->s + c->pos, '\n', c->len - c->pos);
		if (!lf)
			return true;
		c->pos = lf - c->s + 1;
		c->line++;
	}
	return c->pos == c->len;
}

struct by_name {
	const char *name;
	size_t col;
};

static int by_name_cmp(const void *a, const void *b)
{
	const struct by_name *x = a, *y = b;
	int r = strcmp(x->name, y->name);

	if (r)
		return r;
	return x->col < y->col ? -1 : x->col > y->col;
}

/* Names are unique: sorted, the earliest second use is reported. */
static int check_unique(struct csv *c)
{
	struct by_name *v;
	size_t i, first = 0, dup = SIZE_MAX, dup_first = 0;

	v = malloc(c->ncols * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < c->ncols; i++)
		v[i] = (struct by_name){ c->names[i], i };
	qsort(v, c->ncols, sizeof(*v), by_name_cmp);
	for (i = 1; i < c->ncols; i++) {
		if (strcmp(v[i].name, v[i - 1].name)) {
			first = i;
			continue;
		}
		if (v[i].col < dup) {
			dup = v[i].col;
			dup_first = v[first].col;
		}
	}
	free(v);
	if (dup == SIZE_MAX)
		return 0;
	c->col = dup;
	return fail_at(c, 1, "duplicate column name, also column %zu", dup_first + 1);
}

/* The header's names: END_LINE or END_FILE, or a negative errno. */
static int read_header(struct csv *c)
{
	struct cell cell;
	char **names;
	size_t cap = 0;
	int end;

	if (c->len - c->pos >= 3 && !memcmp(c->s + c->pos, "\xef\xbb\xbf", 3))
		c->pos += 3;
	if (blank_line(c))
		return fail_line(c, 1, "no header row");
	do {
		c->col = c->ncols;
		end = next_cell(c, &cell);
		if (end < 0)
			return end;
		if (c->ncols == CYL_CSV_MAX_COLS)
			return fail_at(c, cell.line, "more than %d columns", CYL_CSV_MAX_COLS);
		if (!cell.quoted)
			trim(&cell.p, &cell.n);
		if (!cell.n)
			return fail_at(c, cell.line, "empty column name");
		if (memchr(cell.p, '\0', cell.n))
			return fail_at(c, cell.line, "NUL byte in the column name");
		if (c->ncols == cap) {
			cap = cap ? 2 * cap : 16;
			names = realloc(c->names, cap * sizeof(*names));
			if (!names)
				return -ENOMEM;
			c->names = names;
		}
		c->names[c->ncols] = strndup(cell.p, cell.n);
		if (!c->names[c->ncols])
			return -ENOMEM;
		c->ncols++;
	} while (end == END_CELL);
	return check_unique(c) ?: end;
}

static size_t find_column(const struct csv *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->ncols; i++)
		if (!strcmp(c->names[i], name))
			return i;
	return SIZE_MAX;
}

/* Each column's role and the number of features, from the options. */
static int assign_roles(struct csv *c, const struct cyl_csv_opts *o, enum role *role,
			size_t *features)
{
	char q[CYL_QUOTE_SIZE];
	size_t i, k;

	for (i = 0; i < c->ncols; i++)
		role[i] = ROLE_FEATURE;
	for (i = 0; i < o->n_ignore; i++) {
		k = find_column(c, o->ignore[i]);
		if (k == SIZE_MAX)
			return fail_line(c, 1, "no column %s to ignore",
					 cyl_quote(q, sizeof(q), o->ignore[i], strlen(o->ignore[i])));
		role[k] = ROLE_IGNORE;
	}
	if (o->label) {
		k = find_column(c, o->label);
		if (k == SIZE_MAX)
			return fail_line(c, 1, "no label column %s",
					 cyl_quote(q, sizeof(q), o->label, strlen(o->label)));
		if (role[k] == ROLE_IGNORE) {
			c->col = k;
			return fail_at(c, 1, "both the label and ignored");
		}
		role[k] = ROLE_LABEL;
	}
	for (*features = 0, i = 0; i < c->ncols; i++)
		*features += role[i] == ROLE_FEATURE;
	if (!*features)
		return fail_line(c, 1, "no feature column: all %zu are the label or ignored",
				 c->ncols);
	return 0;
}

/* Room for one more row of @cols doubles (and a label). */
static int grow_rows(struct cyl_dataset *d, size_t *cap, bool label)
{
	size_t ncap = *cap ? 2 * *cap : 64;
	double *x;
	int *l;

	if (d->rows < *cap)
		return 0;
	if (ncap > SIZE_MAX / sizeof(double) / d->cols)
		return -ENOMEM;
	x = realloc(d->x, ncap * d->cols * sizeof(double));
	if (!x)
		return -ENOMEM;
	d->x = x;
	if (label) {
		l = realloc(d->label, ncap * sizeof(int));
		if (!l)
			return -ENOMEM;
		d->label = l;
	}
	*cap = ncap;
	return 0;
}

/* One row from c->pos, which is not a blank line. */
static int read_row(struct csv *c, struct cyl_dataset *d, const enum role *role)
{
	double *x = d->x + d->rows * d->cols;
	struct cell cell;
	size_t k;
	int end, ret;

	for (k = 0;; k++) {
		c->col = k;
		end = next_cell(c, &cell);
		if (end < 0)
			return end;
		if (k == c->ncols)
			return fail_at(c, cell.line, "more cells than the header's %zu",
				       c->ncols);
		if (role[k] == ROLE_FEATURE)
			ret = cell_number(c, &cell, x++);
		else if (role[k] == ROLE_LABEL)
			ret = cell_label(c, &cell, d->label + d->rows);
		else
			ret = 0;
		if (ret)
			return ret;
		if (end != END_CELL)
			break;
	}
	if (k + 1 < c->ncols) {
		c->col = k + 1;
		return fail_at(c, end == END_LINE ? c->line - 1 : c->line,
			       "missing: the row stops at column %zu of %zu", k + 1, c->ncols);
	}
	d->rows++;
	return 0;
}

/* The table's final size, and the feature columns' names moved to it. */
static int finish(struct csv *c, struct cyl_dataset *d, const enum role *role)
{
	size_t i, f = 0;
	double *x;
	int *l;

	d->names = calloc(d->cols, sizeof(*d->names));
	if (!d->names)
		return -ENOMEM;
	for (i = 0; i < c->ncols; i++) {
		if (role[i] != ROLE_FEATURE)
			continue;
		d->names[f++] = c->names[i];
		c->names[i] = NULL;
	}
	x = realloc(d->x, d->rows * d->cols * sizeof(double));
	if (x)
		d->x = x;
	if (d->label) {
		l = realloc(d->label, d->rows * sizeof(int));
		if (l)
			d->label = l;
	}
	return 0;
}

static int parse(struct csv *c, const struct cyl_csv_opts *o, struct cyl_dataset *d)
{
	enum role *role;
	size_t cap = 0, line;
	int ret;

	if (c->len > CYL_CSV_MAX_BYTES) {
		if (c->errlen)
			snprintf(c->err, c->errlen, "larger than 2 GiB");
		return -EFBIG;
	}
	ret = read_header(c);
	if (ret < 0)
		return ret;
	/* The line after the header, for an error saying there are no rows. */
	line = ret == END_FILE ? c->line + 1 : c->line;
	role = malloc(c->ncols * sizeof(*role));
	if (!role)
		return -ENOMEM;
	ret = assign_roles(c, o, role, &d->cols);
	if (ret)
		goto out;
	if (skip_blank_lines(c)) {
		ret = fail_line(c, line, "no data rows");
		goto out;
	}
	do {
		if (blank_line(c)) {
			/* Blank lines may end the file, not stand between rows. */
			line = c->line;
			if (skip_blank_lines(c))
				break;
			c->col = 0;
			ret = fail_at(c, line, "empty line");
			goto out;
		}
		ret = grow_rows(d, &cap, o->label);
		if (!ret)
			ret = read_row(c, d, role);
		if (ret)
			goto out;
	} while (c->pos < c->len);
	ret = finish(c, d, role);
out:
	free(role);
	return ret;
}

int cyl_csv_parse_opts(const char *text, size_t len, const struct cyl_csv_opts *o,
		       struct cyl_dataset *d, char *err, size_t errlen)
{
	struct csv c = { .s = text, .len = len, .line = 1, .err = err, .errlen = errlen };
	static const struct cyl_csv_opts none;
	size_t i;
	int ret;

	memset(d, 0, sizeof(*d));
	if (!o)
		o = &none;
	ret = parse(&c, o, d);
	if (ret == -ENOMEM && errlen)
		snprintf(err, errlen, "out of memory");
	if (ret)
		cyl_dataset_free(d);
	for (i = 0; i < c.ncols; i++)
		free(c.names[i]);
	free(c.names);
	free(c.scratch);
	return ret;
}

int cyl_csv_parse(const char *text, size_t len, const char *label,
		  struct cyl_dataset *d, char *err, size_t errlen)
{
	const struct cyl_csv_opts o = { .label = label };

	return cyl_csv_parse_opts(text, len, &o, d, err, errlen);
}

int cyl_csv_read_opts(const char *path, const struct cyl_csv_opts *o,
		      struct cyl_dataset *d, char *err, size_t errlen)
{
	const char *name = strcmp(path, "-") ? path : "standard input";
	char msg[2 * CYL_QUOTE_SIZE + 256];
	size_t len = 0;
	char *buf = NULL;
	int fd, ret;

	memset(d, 0, sizeof(*d));
	fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	if (fd < 0) {
		ret = -errno;
		goto fail;
	}
	ret = cyl_read_fd(fd, CYL_CSV_MAX_BYTES, &buf, &len);
	if (fd)
		close(fd);
	if (ret)
		goto fail;
	ret = cyl_csv_parse_opts(buf, len, o, d, msg, sizeof(msg));
	free(buf);
	if (ret && errlen)
		snprintf(err, errlen, "%s: %s", name, msg);
	return ret;
fail:
	if (errlen)
		snprintf(err, errlen, "%s: %s", name,
			 ret == -EFBIG ? "larger than 2 GiB" : strerror(-ret));
	return ret;
}

int cyl_csv_read(const char *path, const char *label, struct cyl_dataset *d,
		 char *err, size_t errlen)
{
	const struct cyl_csv_opts o = { .label = label };

	return cyl_csv_read_opts(path, &o, d, err, errlen);
}
