// SPDX-License-Identifier: GPL-2.0
/*
 * The CSV reader of data sets: RFC 4180 quoting, CRLF, a byte order
 * mark, trailing blank lines, number forms; the label column and the
 * ignored ones; every refusal with its exact message, line and column;
 * the bounds (columns, size), wide and long files, and reading a file.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "detect/csv.h"

static void parse_ok(const char *text, size_t len, const struct cyl_csv_opts *o,
		     struct cyl_dataset *d)
{
	char err[512];

	if (cyl_csv_parse_opts(text, len, o, d, err, sizeof(err)))
		fail_msg("refused: %s", err);
}

static void parse_str(const char *text, const char *label, struct cyl_dataset *d)
{
	const struct cyl_csv_opts o = { .label = label };

	parse_ok(text, strlen(text), &o, d);
}

/* Refused with @ret and exactly @msg, and *d left empty. */
static void refused_opts(const char *text, size_t len, const struct cyl_csv_opts *o,
			 int ret, const char *msg)
{
	struct cyl_dataset d;
	char err[512];

	memset(&d, 0xa5, sizeof(d));
	assert_int_equal(cyl_csv_parse_opts(text, len, o, &d, err, sizeof(err)), ret);
	assert_string_equal(err, msg);
	assert_int_equal(d.rows, 0);
	assert_int_equal(d.cols, 0);
	assert_null(d.x);
	assert_null(d.names);
	assert_null(d.label);
}

static void refused(const char *text, const char *label, const char *msg)
{
	const struct cyl_csv_opts o = { .label = label };

	refused_opts(text, strlen(text), &o, -EINVAL, msg);
}

static void assert_row(const struct cyl_dataset *d, size_t r, const double *want)
{
	size_t c;

	for (c = 0; c < d->cols; c++)
		assert_true(d->x[r * d->cols + c] == want[c]);
}

/* --- what is accepted --- */

static void test_csv_plain(void **state)
{
	struct cyl_dataset d;

	parse_str("a,b\n1,2\n3,4\n", NULL, &d);
	assert_int_equal(d.rows, 2);
	assert_int_equal(d.cols, 2);
	assert_string_equal(d.names[0], "a");
	assert_string_equal(d.names[1], "b");
	assert_row(&d, 0, (double[]){ 1, 2 });
	assert_row(&d, 1, (double[]){ 3, 4 });
	assert_null(d.label);
	cyl_dataset_free(&d);
	assert_null(d.x);
	assert_int_equal(d.rows, 0);
	cyl_dataset_free(&d);	/* twice is harmless */
	cyl_dataset_free(NULL);
}

static void test_csv_quotes(void **state)
{
	struct cyl_dataset d;

	parse_str("\"x\",\"y,z\",\"say \"\"hi\"\"\", \"pad\" \n"
		  "\"1.5\", \"-2e3\" ,\" 7 \",\"8\"\n", NULL, &d);
	assert_int_equal(d.cols, 4);
	assert_string_equal(d.names[0], "x");
	assert_string_equal(d.names[1], "y,z");
	assert_string_equal(d.names[2], "say \"hi\"");
	assert_string_equal(d.names[3], "pad");
	assert_row(&d, 0, (double[]){ 1.5, -2000, 7, 8 });
	cyl_dataset_free(&d);

	/* A quoted name keeps its spaces and may span lines. */
	parse_str("\" a \",\"b\r\nc\"\n1,2\n", NULL, &d);
	assert_string_equal(d.names[0], " a ");
	assert_string_equal(d.names[1], "b\r\nc");
	assert_int_equal(d.rows, 1);
	cyl_dataset_free(&d);
}

static void test_csv_line_ends_bom_blank_tail(void **state)
{
	static const char *const texts[] = {
		"a,b\r\n1,2\r\n3,4\r\n",
		"a,b\r\n1,2\r\n3,4",
		"a,b\n1,2\n3,4\r",
		"\xef\xbb\xbf" "a,b\n1,2\n3,4\n",
		"a,b\n1,2\n3,4\n\n\r\n  \n\t\n",
		"a,b\n1,2\n3,4\n\n ",
	};
	struct cyl_dataset d;
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		parse_str(texts[i], NULL, &d);
		assert_int_equal(d.rows, 2);
		assert_int_equal(d.cols, 2);
		assert_string_equal(d.names[0], "a");
		assert_row(&d, 0, (double[]){ 1, 2 });
		assert_row(&d, 1, (double[]){ 3, 4 });
		cyl_dataset_free(&d);
	}
}

static void test_csv_number_forms(void **state)
{
	struct cyl_dataset d;
	char big[420];

	parse_str(" a ,\tb\t\n"
		  " -1.5e-3 ,+2\n"
		  ".5,1.\n"
		  "1E+2,-0\n"
		  "0.1,1e-400\n"
		  "\t6.02214076e23\t,-1.7976931348623157e308\n", NULL, &d);
	assert_string_equal(d.names[0], "a");
	assert_string_equal(d.names[1], "b");
	assert_int_equal(d.rows, 5);
	assert_row(&d, 0, (double[]){ -1.5e-3, 2 });
	assert_row(&d, 1, (double[]){ 0.5, 1 });
	assert_row(&d, 2, (double[]){ 100, 0 });
	assert_row(&d, 3, (double[]){ 0.1, 0 });	/* underflow is zero, not an error */
	assert_row(&d, 4, (double[]){ 6.02214076e23, -1.7976931348623157e308 });
	cyl_dataset_free(&d);

	/* Longer than any stack copy: 1e-301 and 1e92 written out. */
	strcpy(big, "x\n0.");
	memset(big + 4, '0', 300);
	strcpy(big + 304, "1\n1");
	memset(big + 307, '0', 92);
	big[399] = '\0';
	parse_str(big, NULL, &d);
	assert_int_equal(d.rows, 2);
	assert_true(d.x[0] == 1e-301);
	assert_true(d.x[1] == 1e92);
	cyl_dataset_free(&d);
}

/*
 * Short numbers skip strtod (a product or quotient of exact doubles);
 * every form of every magnitude must still convert to strtod's bits.
 */
static void test_csv_numbers_as_strtod(void **state)
{
	static const char *const forms[] = { "%.*g", "%.*f", "%.*e", "%.*E" };
	const size_t rows = 40000;
	uint64_t rng = 88172645463325252ull;
	char *s, *cell[40000], *p;
	struct cyl_dataset d;
	size_t len, r;
	double v;

	s = malloc(rows * 64 + 8);
	assert_non_null(s);
	len = sprintf(s, "v\n");
	for (r = 0; r < rows; r++) {
		rng ^= rng << 13;
		rng ^= rng >> 7;
		rng ^= rng << 17;
		/* Magnitudes 1e-30..1e30, up to 20 digits, some integers. */
		v = (double)(rng >> 11) / (1ull << 53) * pow(10, (int)(rng % 61) - 30);
		if (rng % 7 == 0)
			v = (double)(rng >> (rng % 64));
		cell[r] = s + len;
		len += sprintf(s + len, forms[rng % 4], (int)(rng >> 5) % 21,
			       rng & 1 ? v : -v);
		s[len++] = '\n';
	}
	parse_ok(s, len, NULL, &d);
	assert_int_equal(d.rows, rows);
	for (r = 0; r < rows; r++) {
		v = strtod(cell[r], &p);
		assert_int_equal(*p, '\n');
		if (memcmp(&v, &d.x[r], sizeof(v)))
			fail_msg("%.*s: %.17g, strtod %.17g", (int)(p - cell[r]), cell[r],
				 d.x[r], v);
	}
	cyl_dataset_free(&d);
	free(s);
}

/* --- the label, ignored columns --- */

static void test_csv_label_column(void **state)
{
	struct cyl_dataset d;

	parse_str("f1,label,f2\n1,0,2\n3, 1 ,4\n5,\"1\",6\n", "label", &d);
	assert_int_equal(d.cols, 2);
	assert_int_equal(d.rows, 3);
	assert_string_equal(d.names[0], "f1");
	assert_string_equal(d.names[1], "f2");
	assert_row(&d, 0, (double[]){ 1, 2 });
	assert_row(&d, 2, (double[]){ 5, 6 });
	assert_non_null(d.label);
	assert_int_equal(d.label[0], 0);
	assert_int_equal(d.label[1], 1);
	assert_int_equal(d.label[2], 1);
	cyl_dataset_free(&d);

	/* Without a label name, "label" is one more feature. */
	parse_str("f1,label\n1,0\n", NULL, &d);
	assert_int_equal(d.cols, 2);
	assert_null(d.label);
	assert_string_equal(d.names[1], "label");
	cyl_dataset_free(&d);
}

static void test_csv_label_refusals(void **state)
{
	refused("f,label\n1,2\n", "label", "line 2, column 2 \"label\": label not 0 or 1: \"2\"");
	refused("f,label\n1,1.0\n", "label",
		"line 2, column 2 \"label\": label not 0 or 1: \"1.0\"");
	refused("f,label\n1,0\n1,-1\n", "label",
		"line 3, column 2 \"label\": label not 0 or 1: \"-1\"");
	refused("f,label\n1,01\n", "label", "line 2, column 2 \"label\": label not 0 or 1: \"01\"");
	refused("f,label\n1,yes\n", "label",
		"line 2, column 2 \"label\": label not 0 or 1: \"yes\"");
	refused("f,label\n1, \n", "label", "line 2, column 2 \"label\": missing label");
	refused("f,Label\n1,0\n", "label", "line 1: no label column \"label\"");
	refused("label\n1\n", "label", "line 1: no feature column: all 1 are the label or ignored");
}

/* The first lines of a WUSTL-EHMS-2020-like file: addresses and flags are text. */
static const char wustl[] =
	"SrcAddr,DstAddr,Sport,Dport,SrcBytes,Flgs,Attack Category,Label\n"
	"10.0.1.172,10.0.1.150,58059,1111,496,\"   e    \",normal,0\n"
	"10.0.1.172,10.0.1.150,58062,1111,496,,Spoofing,1\n";

static void test_csv_ignore_text_columns(void **state)
{
	static const char *const ignore[] = { "SrcAddr", "DstAddr", "Flgs", "Attack Category" };
	struct cyl_csv_opts o = { .label = "Label" };
	struct cyl_dataset d;

	refused_opts(wustl, strlen(wustl), &o, -EINVAL,
		     "line 2, column 1 \"SrcAddr\": not a number: \"10.0.1.172\" "
		     "(ignore a text column)");
	o.ignore = ignore;
	o.n_ignore = 3;
	refused_opts(wustl, strlen(wustl), &o, -EINVAL,
		     "line 2, column 7 \"Attack Category\": not a number: \"normal\" "
		     "(ignore a text column)");
	o.n_ignore = 4;
	parse_ok(wustl, strlen(wustl), &o, &d);
	assert_int_equal(d.cols, 3);
	assert_int_equal(d.rows, 2);
	assert_string_equal(d.names[0], "Sport");
	assert_string_equal(d.names[1], "Dport");
	assert_string_equal(d.names[2], "SrcBytes");
	assert_row(&d, 0, (double[]){ 58059, 1111, 496 });
	assert_row(&d, 1, (double[]){ 58062, 1111, 496 });
	assert_int_equal(d.label[0], 0);
	assert_int_equal(d.label[1], 1);
	cyl_dataset_free(&d);
}

static void test_csv_ignore_refusals(void **state)
{
	static const char *const typo[] = { "SrcAddr", "DstAdr" };
	static const char *const label[] = { "Label" };
	static const char *const all[] = { "a", "b" };
	struct cyl_csv_opts o = { .label = "Label", .ignore = typo, .n_ignore = 2 };

	refused_opts(wustl, strlen(wustl), &o, -EINVAL, "line 1: no column \"DstAdr\" to ignore");
	o.ignore = label;
	o.n_ignore = 1;
	refused_opts(wustl, strlen(wustl), &o, -EINVAL,
		     "line 1, column 8 \"Label\": both the label and ignored");
	o.label = NULL;
	o.ignore = all;
	o.n_ignore = 2;
	refused_opts("a,b\n1,2\n", 8, &o, -EINVAL,
		     "line 1: no feature column: all 2 are the label or ignored");
}

/* Ignored cells still count lines: a quoted one spans two here. */
static void test_csv_lines_counted_in_quoted_cells(void **state)
{
	static const char *const ignore[] = { "note" };
	const struct cyl_csv_opts o = { .ignore = ignore, .n_ignore = 1 };
	static const char text[] = "note,v\n\"two\nlines\",1\n\"x\"\"y\",z\n";

	refused_opts(text, strlen(text), &o, -EINVAL,
		     "line 4, column 2 \"v\": not a number: \"z\" (ignore a text column)");
}

/* --- every refusal, where it is --- */

static void test_csv_header_refusals(void **state)
{
	refused("", NULL, "line 1: no header row");
	refused("\xef\xbb\xbf", NULL, "line 1: no header row");
	refused("\na\n1\n", NULL, "line 1: no header row");
	refused("  \r\na\n1\n", NULL, "line 1: no header row");
	refused("a,b", NULL, "line 2: no data rows");
	refused("a,b\n", NULL, "line 2: no data rows");
	refused("a,b\r\n\r\n\n", NULL, "line 2: no data rows");
	refused("a,,c\n1,2,3\n", NULL, "line 1, column 2: empty column name");
	refused("a, ,c\n1,2,3\n", NULL, "line 1, column 2: empty column name");
	refused("a,b,\n1,2,3\n", NULL, "line 1, column 3: empty column name");
	refused("a,\"\"\n1,2\n", NULL, "line 1, column 2: empty column name");
	refused("a,b,a\n1,2,3\n", NULL, "line 1, column 3 \"a\": duplicate column name, also column 1");
	refused("z,b,b,z\n1,2,3,4\n", NULL,
		"line 1, column 3 \"b\": duplicate column name, also column 2");
	refused("a, a\n1,2\n", NULL, "line 1, column 2 \"a\": duplicate column name, also column 1");
	refused_opts("a,\"b\0c\"\n1,2\n", 12, NULL, -EINVAL,
		     "line 1, column 2: NUL byte in the column name");
}

static void test_csv_cell_refusals(void **state)
{
	refused("a,b\n1,\n", NULL, "line 2, column 2 \"b\": missing value");
	refused("a,b\n1,2\n\"\",2\n", NULL, "line 3, column 1 \"a\": missing value");
	refused("a,b\n1,2\n3,x1\n", NULL,
		"line 3, column 2 \"b\": not a number: \"x1\" (ignore a text column)");
	refused("a\n0x10\n", NULL,
		"line 2, column 1 \"a\": not a number: \"0x10\" (ignore a text column)");
	refused("a\n1,5\n", NULL, "line 2, column 2: more cells than the header's 1");
	refused("a\n\"1,5\"\n", NULL,
		"line 2, column 1 \"a\": not a number: \"1,5\" (ignore a text column)");
	refused("a\n1 2\n", NULL, "line 2, column 1 \"a\": not a number: \"1 2\" (ignore a text column)");
	refused("a\n1e\n", NULL, "line 2, column 1 \"a\": not a number: \"1e\" (ignore a text column)");
	refused("a\n.\n", NULL, "line 2, column 1 \"a\": not a number: \".\" (ignore a text column)");
	refused("a\n--1\n", NULL, "line 2, column 1 \"a\": not a number: \"--1\" (ignore a text column)");
	refused("a\n1.5.2\n", NULL,
		"line 2, column 1 \"a\": not a number: \"1.5.2\" (ignore a text column)");
	refused("a\nnan\n", NULL, "line 2, column 1 \"a\": NaN or infinity: \"nan\"");
	refused("a\nNaN\n", NULL, "line 2, column 1 \"a\": NaN or infinity: \"NaN\"");
	refused("a\n-Infinity\n", NULL, "line 2, column 1 \"a\": NaN or infinity: \"-Infinity\"");
	refused("a\n+inf\n", NULL, "line 2, column 1 \"a\": NaN or infinity: \"+inf\"");
	refused("a\n1e999\n", NULL, "line 2, column 1 \"a\": out of range: \"1e999\"");
	refused("a\n-2e308\n", NULL, "line 2, column 1 \"a\": out of range: \"-2e308\"");
	refused_opts("a\n1\0\n", 5, NULL, -EINVAL,
		     "line 2, column 1 \"a\": not a number: \"1\\x00\" (ignore a text column)");
}

static void test_csv_row_refusals(void **state)
{
	refused("a,b\n1,2\n1,2,3\n", NULL, "line 3, column 3: more cells than the header's 2");
	refused("a,b\n1,2\n1\n", NULL, "line 3, column 2 \"b\": missing: the row stops at column 1 of 2");
	refused("a,b,c\n1,2\r\n", NULL,
		"line 2, column 3 \"c\": missing: the row stops at column 2 of 3");
	refused("a,b,c\n1,2", NULL, "line 2, column 3 \"c\": missing: the row stops at column 2 of 3");
	refused("a\n1\n\n2\n", NULL, "line 3, column 1 \"a\": empty line");
	refused("a\n1\n \r\n2\n", NULL, "line 3, column 1 \"a\": empty line");
}

static void test_csv_syntax_refusals(void **state)
{
	refused("a,b\n1,\"2\n3,4\n", NULL, "line 2, column 2 \"b\": quoted cell not closed");
	refused("a,b\n1,\"2\"x\n", NULL, "line 2, column 2 \"b\": text after the closing quote");
	refused("a,b\n1,\"2\" \"3\"\n", NULL, "line 2, column 2 \"b\": text after the closing quote");
	refused("a,b\n1,2\"3\n", NULL, "line 2, column 2 \"b\": quote inside an unquoted cell");
	refused("a,b\n1,2\"\n", NULL, "line 2, column 2 \"b\": quote inside an unquoted cell");
	refused("a,b\r1,2\n", NULL, "line 1, column 2: carriage return without a line feed");
	refused("a\n1\r2\n", NULL, "line 2, column 1 \"a\": carriage return without a line feed");
	refused("a\"b\n1\n", NULL, "line 1, column 1: quote inside an unquoted cell");
}

/* The offending text is quoted, escaped and cut after 48 bytes. */
static void test_csv_long_cell_quoted_and_cut(void **state)
{
	char text[1100], want[200];

	memcpy(text, "a\n", 2);
	memset(text + 2, 'x', 1000);
	strcpy(text + 1002, "\n");
	snprintf(want, sizeof(want),
		 "line 2, column 1 \"a\": not a number: \"%.48s...\" (ignore a text column)",
		 text + 2);
	refused(text, NULL, want);
}

/* --- bounds, sizes, files --- */

static char *header(size_t cols, size_t *len)
{
	char *s = malloc(cols * 8 + 16);
	size_t c, n = 0;

	assert_non_null(s);
	for (c = 0; c < cols; c++)
		n += sprintf(s + n, "%sc%zu", c ? "," : "", c);
	s[n++] = '\n';
	*len = n;
	return s;
}

static void test_csv_widest(void **state)
{
	struct cyl_dataset d;
	size_t len, c, r;
	char *s, err[512];

	s = header(CYL_CSV_MAX_COLS, &len);
	s = realloc(s, len + 3 * CYL_CSV_MAX_COLS * 12);
	assert_non_null(s);
	for (r = 0; r < 3; r++)
		for (c = 0; c < CYL_CSV_MAX_COLS; c++)
			len += sprintf(s + len, "%zu%c", r * 10000 + c,
				       c + 1 < CYL_CSV_MAX_COLS ? ',' : '\n');
	parse_ok(s, len, NULL, &d);
	assert_int_equal(d.cols, CYL_CSV_MAX_COLS);
	assert_int_equal(d.rows, 3);
	assert_string_equal(d.names[CYL_CSV_MAX_COLS - 1], "c4095");
	for (r = 0; r < 3; r++)
		for (c = 0; c < CYL_CSV_MAX_COLS; c++)
			assert_true(d.x[r * d.cols + c] == r * 10000 + c);
	cyl_dataset_free(&d);
	free(s);

	s = header(CYL_CSV_MAX_COLS + 1, &len);
	assert_int_equal(cyl_csv_parse(s, len, NULL, &d, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "line 1, column 4097: more than 4096 columns");
	free(s);
}

static void test_csv_long(void **state)
{
	const size_t rows = 200000;
	struct cyl_dataset d;
	size_t len = 0, r;
	char *s;

	s = malloc(rows * 40 + 32);
	assert_non_null(s);
	len = sprintf(s, "t,v,label\n");
	for (r = 0; r < rows; r++)
		len += sprintf(s + len, "%zu,%.17g,%d\n", r, r * 0.001 - 7.5, (int)(r % 7 == 0));
	parse_str(s, "label", &d);
	assert_int_equal(d.rows, rows);
	assert_int_equal(d.cols, 2);
	for (r = 0; r < rows; r++) {
		assert_true(d.x[2 * r] == (double)r);
		assert_true(d.x[2 * r + 1] == r * 0.001 - 7.5);
		assert_int_equal(d.label[r], r % 7 == 0);
	}
	cyl_dataset_free(&d);
	free(s);
}

static void test_csv_size_bound_and_errlen(void **state)
{
	struct cyl_dataset d;
	char err[16];

	/* The length is checked before any byte is read. */
	refused_opts("a\n1\n", CYL_CSV_MAX_BYTES + 1, NULL, -EFBIG, "larger than 2 GiB");
	/* Messages are cut to the buffer, and no buffer is fine. */
	assert_int_equal(cyl_csv_parse("a\nx\n", 4, NULL, &d, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "line 2, column ");
	assert_int_equal(cyl_csv_parse("a\nx\n", 4, NULL, &d, NULL, 0), -EINVAL);
	assert_int_equal(cyl_csv_parse("a\n1\n", 4, NULL, &d, NULL, 0), 0);
	assert_int_equal(d.rows, 1);
	cyl_dataset_free(&d);
}

static void test_csv_read_file(void **state)
{
	char path[] = "/tmp/test_detect_csv.XXXXXX", err[512], want[600];
	static const char text[] = "f,label\r\n0.25,1\r\n-3,0\r\n";
	struct cyl_dataset d;
	int fd, stdin_fd;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	assert_int_equal(cyl_csv_read(path, "label", &d, err, sizeof(err)), 0);
	assert_int_equal(d.rows, 2);
	assert_true(d.x[0] == 0.25 && d.x[1] == -3);
	assert_int_equal(d.label[0], 1);
	assert_int_equal(d.label[1], 0);
	cyl_dataset_free(&d);

	assert_int_equal(cyl_csv_read(path, "Label", &d, err, sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want), "%s: line 1: no label column \"Label\"", path);
	assert_string_equal(err, want);
	assert_null(d.x);

	/* "-" is standard input. */
	fd = open(path, O_RDONLY);
	stdin_fd = dup(0);
	assert_true(fd >= 0 && stdin_fd >= 0);
	assert_int_equal(dup2(fd, 0), 0);
	close(fd);
	assert_int_equal(cyl_csv_read("-", "nope", &d, err, sizeof(err)), -EINVAL);
	assert_int_equal(dup2(stdin_fd, 0), 0);
	close(stdin_fd);
	assert_string_equal(err, "standard input: line 1: no label column \"nope\"");
	unlink(path);

	assert_int_equal(cyl_csv_read(path, NULL, &d, err, sizeof(err)), -ENOENT);
	snprintf(want, sizeof(want), "%s: No such file or directory", path);
	assert_string_equal(err, want);
	assert_int_equal(cyl_csv_read("/", NULL, &d, err, sizeof(err)), -EISDIR);
	assert_string_equal(err, "/: Is a directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_plain),
		cmocka_unit_test(test_csv_quotes),
		cmocka_unit_test(test_csv_line_ends_bom_blank_tail),
		cmocka_unit_test(test_csv_number_forms),
		cmocka_unit_test(test_csv_numbers_as_strtod),
		cmocka_unit_test(test_csv_label_column),
		cmocka_unit_test(test_csv_label_refusals),
		cmocka_unit_test(test_csv_ignore_text_columns),
		cmocka_unit_test(test_csv_ignore_refusals),
		cmocka_unit_test(test_csv_lines_counted_in_quoted_cells),
		cmocka_unit_test(test_csv_header_refusals),
		cmocka_unit_test(test_csv_cell_refusals),
		cmocka_unit_test(test_csv_row_refusals),
		cmocka_unit_test(test_csv_syntax_refusals),
		cmocka_unit_test(test_csv_long_cell_quoted_and_cut),
		cmocka_unit_test(test_csv_widest),
		cmocka_unit_test(test_csv_long),
		cmocka_unit_test(test_csv_size_bound_and_errlen),
		cmocka_unit_test(test_csv_read_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
