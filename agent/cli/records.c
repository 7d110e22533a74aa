// SPDX-License-Identifier: GPL-2.0
/*
 * cylctl records {verify,open}: the record spool, offline, without the
 * agent.  Both walk the given segments with the spool reader (a
 * directory stands for its segments, oldest first), check each record's
 * header and each device's sequence numbers; "verify" reports, "open"
 * decrypts and prints.  Documentation/spool.md has the format.
 */
#define _GNU_SOURCE	/* asprintf() */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "cli/cli.h"
#include "store/key.h"
#include "store/record.h"
#include "store/spool.h"

#define NO_OFFSET	UINT64_MAX

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: cylctl records verify [--key FILE] [--device ID] [--json] SEGMENT|DIR...\n"
		"       cylctl records open --key FILE [--device ID] [--raw|--json] SEGMENT|DIR...\n\n"
		"verify checks every segment's header and frame CRCs, every record's\n"
		"header, each device's sequence numbers (gaps, duplicates, reordering)\n"
		"and, with --key, the tag of every sealed record.  Exit status 0 only\n"
		"if all is well, 1 if anything is wrong.\n\n"
		"open decrypts the records and prints one line per record: sequence\n"
		"number, time (UTC), device id, flags, length and payload (bytes that\n"
		"are not printable as \\xNN).  Gaps and failures go to standard error;\n"
		"the exit status is 1 if any record could not be read or opened.\n\n"
		"  -k, --key FILE     the device's record key: 32 raw bytes or 64 hex digits\n"
		"  -d, --device ID    only records of device ID (the module's device id)\n"
		"      --raw          open: write the payloads' bytes to standard output\n"
		"      --json         verify: one JSON report; open: one JSON object per\n"
		"                     record, the payload in base64\n"
		"      --help         show this help\n"
		"A directory stands for all its seg-*.cyls segments, oldest first; give\n"
		"segments in the order they were written (a shell glob does).\n");
}

struct dev {
	uint32_t id;
	uint64_t first, last, records;
	uint64_t gaps, missing, restarts, disorder;
};

struct walk {
	bool verify;		/* else open */
	bool json, raw;
	bool have_key;
	uint8_t key[CYL_REC_KEY_LEN];
	bool have_device;
	uint32_t device;
	uint8_t *plain;		/* CYL_REC_LEN_MAX bytes */

	const char *path;	/* the segment being read */
	uint64_t seg_records;
	bool header_done;	/* open: the column header is out */

	struct dev *devs;
	size_t n_devs;
	uint64_t segments, records, sealed, unsealed, authenticated;
	uint64_t problems;	/* verify: all of them; open: failed records */
	json_t *jsegments, *jproblems;
};

/* A JSON string, with bytes that are not ASCII as "?" if not UTF-8. */
static json_t *jtext(const char *s)
{
	json_t *j = json_string(s);
	char *copy, *p;

	if (j || !(copy = strdup(s)))
		return j;
	for (p = copy; *p; p++)
		if ((unsigned char)*p >= 0x80)
			*p = '?';
	j = json_string(copy);
	free(copy);
	return j;
}

/*
 * One finding, printed for a human (verify: standard output; open:
 * standard error) or added to verify's JSON report with the members of
 * @extra (taken).  @fails: whether it makes the command fail.
 */
static void __attribute__((format(printf, 6, 7)))
report(struct walk *w, const char *kind, uint64_t offset, json_t *extra,
       bool fails, const char *fmt, ...)
{
	char msg[512];
	json_t *o;
	va_list ap;
	FILE *f = w->verify ? stdout : stderr;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (fails)
		w->problems++;
	if (w->verify && w->json) {
		o = json_pack("{s:s, s:o}", "kind", kind, "path", jtext(w->path));
		if (o && offset != NO_OFFSET)
			json_object_set_new(o, "offset", json_integer((json_int_t)offset));
		if (o && extra)
			json_object_update(o, extra);
		if (o)
			json_object_set_new(o, "message", jtext(msg));
		json_array_append_new(w->jproblems, o);
		json_decref(extra);
		return;
	}
	json_decref(extra);
	fflush(stdout);		/* keep stdout and stderr lines in order */
	fprintf(f, "%s%s: ", w->verify ? "" : "cylctl: ", w->path);
	if (offset != NO_OFFSET)
		fprintf(f, "offset %" PRIu64 ": ", offset);
	fprintf(f, "%s%s\n", fails ? "" : "note: ", msg);
}

static struct dev *dev_get(struct walk *w, uint32_t id)
{
	struct dev *d;
	size_t i;

	for (i = 0; i < w->n_devs; i++)
		if (w->devs[i].id == id)
			return &w->devs[i];
	d = realloc(w->devs, (w->n_devs + 1) * sizeof(*d));
	if (!d)
		return NULL;
	w->devs = d;
	d = &w->devs[w->n_devs++];
	memset(d, 0, sizeof(*d));
	d->id = id;
	return d;
}

/* Per-device sequence numbers: from 1, +1 per record. */
static void track(struct walk *w, const struct cyl_rec *rec, uint64_t offset)
{
	struct dev *d = dev_get(w, rec->device_id);
	char range[48];
	uint64_t n;

	if (!d) {
		report(w, "error", offset, NULL, true, "out of memory");
		return;
	}
	if (!d->records++) {
		d->first = d->last = rec->seq;
		return;
	}
	if (rec->seq == d->last + 1) {
		d->last = rec->seq;
	} else if (rec->seq > d->last + 1) {
		n = rec->seq - d->last - 1;
		d->gaps++;
		d->missing += n;
		if (n == 1)
			snprintf(range, sizeof(range), "%" PRIu64, d->last + 1);
		else
			snprintf(range, sizeof(range), "%" PRIu64 "..%" PRIu64,
				 d->last + 1, rec->seq - 1);
		report(w, "gap", offset,
		       json_pack("{s:I, s:I, s:I, s:I}", "device", (json_int_t)rec->device_id,
				 "from", (json_int_t)(d->last + 1),
				 "to", (json_int_t)(rec->seq - 1), "count", (json_int_t)n),
		       w->verify,
		       "device %" PRIu32 ": gap: seq %s missing (%" PRIu64 " record%s)"
		       " before seq %" PRIu64, rec->device_id, range, n,
		       n == 1 ? "" : "s", rec->seq);
		d->last = rec->seq;
	} else if (rec->seq == d->last) {
		d->disorder++;
		report(w, "duplicate", offset,
		       json_pack("{s:I, s:I}", "device", (json_int_t)rec->device_id,
				 "seq", (json_int_t)rec->seq),
		       w->verify, "device %" PRIu32 ": seq %" PRIu64 " again",
		       rec->device_id, rec->seq);
	} else if (rec->seq == 1) {
		/* A new count: the module was reloaded.  Not a loss. */
		d->restarts++;
		report(w, "restart", offset, NULL, false,
		       "device %" PRIu32 ": sequence starts again at 1 after seq %"
		       PRIu64 " (module reloaded?)", rec->device_id, d->last);
		d->last = 1;
	} else {
		d->disorder++;
		report(w, "out_of_order", offset,
		       json_pack("{s:I, s:I, s:I}", "device", (json_int_t)rec->device_id,
				 "seq", (json_int_t)rec->seq, "after", (json_int_t)d->last),
		       w->verify, "device %" PRIu32 ": seq %" PRIu64 " after seq %" PRIu64,
		       rec->device_id, rec->seq, d->last);
	}
}

/* RFC 3339, UTC, nanoseconds: 2025-05-01T12:34:56.123456789Z */
static const char *fmt_time(uint64_t ns, char *buf, size_t size)
{
	time_t t = (time_t)(ns / 1000000000u);
	struct tm tm;
	size_t n;

	if (!gmtime_r(&t, &tm) ||
	    !(n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm))) {
		snprintf(buf, size, "?");
		return buf;
	}
	snprintf(buf + n, size - n, ".%09uZ", (unsigned int)(ns % 1000000000u));
	return buf;
}

/* "sealed,bad=checksum": the flags, a bad frame's reason with it. */
static const char *fmt_flags(const struct cyl_rec *rec, char *buf, size_t size)
{
	const char *why = cyl_rec_bad_reason_name(rec->bad_reason);
	size_t n;

	if (!(rec->flags & CYL_REC_F_BAD))
		return cyl_rec_flag_names(rec->flags, buf, size);
	cyl_rec_flag_names(rec->flags & ~CYL_REC_F_BAD, buf, size);
	n = strcmp(buf, "-") ? strlen(buf) : 0;
	if (why)
		snprintf(buf + n, size - n, "%sbad=%s", n ? "," : "", why);
	else
		snprintf(buf + n, size - n, "%sbad=%u", n ? "," : "", rec->bad_reason);
	return buf;
}

static void print_escaped(const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] == '\\')
			fputs("\\\\", stdout);
		else if (p[i] >= 0x20 && p[i] < 0x7f)
			putchar(p[i]);
		else
			printf("\\x%02x", p[i]);
	}
}

static json_t *json_flags(uint32_t flags)
{
	char buf[128], *tok, *save;
	json_t *arr = json_array();

	cyl_rec_flag_names(flags, buf, sizeof(buf));
	for (tok = strtok_r(buf, ",", &save); tok && strcmp(tok, "-");
	     tok = strtok_r(NULL, ",", &save))
		json_array_append_new(arr, json_string(tok));
	return arr;
}

static void print_record(struct walk *w, const struct cyl_rec *rec,
			 const uint8_t *plain)
{
	char when[64], flags[128], *b64;
	const char *name;
	json_t *o;

	if (w->raw) {
		if (plain)
			fwrite(plain, 1, rec->len, stdout);
		return;
	}
	fmt_time(rec->ts_ns, when, sizeof(when));
	if (w->json) {
		o = json_pack("{s:I, s:I, s:s, s:I, s:o, s:I}",
			      "device", (json_int_t)rec->device_id,
			      "seq", (json_int_t)rec->seq, "time", when,
			      "ts_ns", (json_int_t)rec->ts_ns,
			      "flags", json_flags(rec->flags), "len", (json_int_t)rec->len);
		if (!o)
			return;
		name = cyl_rec_framing_name(rec->framing);
		json_object_set_new(o, "framing", name ? json_string(name) :
				    json_integer(rec->framing));
		if (rec->flags & CYL_REC_F_BAD) {
			name = cyl_rec_bad_reason_name(rec->bad_reason);
			json_object_set_new(o, "bad_reason", name ? json_string(name) :
					    json_integer(rec->bad_reason));
		}
		json_object_set_new(o, "key_serial", json_integer(rec->key_serial));
		if (plain) {
			b64 = malloc(4 * ((rec->len + 2) / 3) + 1);
			if (b64) {
				EVP_EncodeBlock((unsigned char *)b64, plain, (int)rec->len);
				json_object_set_new(o, "payload", json_string(b64));
				OPENSSL_cleanse(b64, 4 * ((rec->len + 2) / 3));
				free(b64);
			}
		} else {
			json_object_set_new(o, "payload", json_null());
		}
		json_dumpf(o, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(o);
		return;
	}
	if (!w->header_done)
		printf("%-8s %-30s %-6s %-18s %5s %s\n", "SEQ", "TIME", "DEVICE",
		       "FLAGS", "LEN", "PAYLOAD");
	w->header_done = true;
	printf("%-8" PRIu64 " %-30s %-6" PRIu32 " %-18s %5" PRIu32 " ", rec->seq,
	       when, rec->device_id, fmt_flags(rec, flags, sizeof(flags)), rec->len);
	if (plain)
		print_escaped(plain, rec->len);
	else
		fputs("(not stored: the record is not sealed)", stdout);
	putchar('\n');
}

static void on_record(struct walk *w, const struct cyl_spool_item *it)
{
	struct cyl_rec rec;
	char err[256];
	int ret;

	if (cyl_rec_parse(it->rec, it->len, &rec, err, sizeof(err))) {
		report(w, "bad_record", it->offset, NULL, true, "%s", err);
		return;
	}
	if (w->have_device && rec.device_id != w->device)
		return;
	w->records++;
	w->seg_records++;
	if (!(rec.flags & CYL_REC_F_SEALED))
		w->unsealed++;
	else
		w->sealed++;
	if ((rec.flags & CYL_REC_F_SEALED) && w->have_key) {
		ret = cyl_rec_open(it->rec, it->len, w->key, &rec, w->plain,
				   CYL_REC_LEN_MAX, err, sizeof(err));
		if (ret) {
			report(w, ret == CYL_REC_EAUTH ? "auth" : "bad_record", it->offset,
			       json_pack("{s:I, s:I}", "device", (json_int_t)rec.device_id,
					 "seq", (json_int_t)rec.seq), true,
			       "device %" PRIu32 " seq %" PRIu64 ": %s", rec.device_id,
			       rec.seq, err);
			return;
		}
		w->authenticated++;
	}
	/* Only records that passed every check count for the sequence. */
	track(w, &rec, it->offset);
	if (!w->verify)
		print_record(w, &rec, rec.flags & CYL_REC_F_SEALED ? w->plain : NULL);
	if (rec.flags & CYL_REC_F_SEALED && w->have_key)
		OPENSSL_cleanse(w->plain, rec.len);
}

static void walk_segment(struct walk *w, const char *path)
{
	const struct cyl_spool_seg_hdr *h;
	struct cyl_spool_reader *r;
	struct cyl_spool_item it;
	char err[256], when[64];
	json_t *seg;
	int ret;

	w->path = path;
	w->seg_records = 0;
	w->segments++;
	if ((ret = cyl_spool_reader_open(&r, path, err, sizeof(err))) != 0) {
		report(w, "unreadable", NO_OFFSET, NULL, true, "%s", strerror(-ret));
		return;
	}
	while (cyl_spool_reader_next(r, &it) > 0) {
		if (it.error == CYL_SPOOL_OK) {
			on_record(w, &it);
			continue;
		}
		report(w, cyl_spool_err_name(it.error), it.offset,
		       json_pack("{s:I, s:b}", "bytes", (json_int_t)it.skipped,
				 "tail", it.tail), true,
		       "%s: %s; %" PRIu64 " byte%s skipped%s", cyl_spool_err_name(it.error),
		       it.msg, it.skipped, it.skipped == 1 ? "" : "s",
		       it.tail && it.error != CYL_SPOOL_BAD_HEADER ?
		       " to the end of the file (a torn write?)" : "");
	}
	h = cyl_spool_reader_hdr(r);
	if (w->verify && w->json) {
		seg = json_pack("{s:o, s:I, s:I}", "path", jtext(path),
				"records", (json_int_t)w->seg_records,
				"bytes", (json_int_t)cyl_spool_reader_size(r));
		if (seg && h) {
			json_object_set_new(seg, "segment", json_integer((json_int_t)h->segment));
			json_object_set_new(seg, "created", json_string(
				fmt_time(h->created_ns, when, sizeof(when))));
		}
		json_array_append_new(w->jsegments, seg);
	} else if (w->verify) {
		if (h)
			printf("%s: segment %" PRIu64 ", created %s, %" PRIu64
			       " record%s, %" PRIu64 " bytes\n", path, h->segment,
			       fmt_time(h->created_ns, when, sizeof(when)), w->seg_records,
			       w->seg_records == 1 ? "" : "s", cyl_spool_reader_size(r));
		else
			printf("%s: %" PRIu64 " record%s, %" PRIu64 " bytes\n", path,
			       w->seg_records, w->seg_records == 1 ? "" : "s",
			       cyl_spool_reader_size(r));
	}
	cyl_spool_reader_close(r);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_segment_name(const char *s)
{
	size_t n = strlen(s);

	return n == 25 && !strncmp(s, "seg-", 4) && !strcmp(s + 20, ".cyls");
}

/* A segment, or a directory's segments in name (= write) order. */
static void walk_path(struct walk *w, const char *path)
{
	struct dirent *de;
	char **names = NULL, *full;
	size_t n = 0, i;
	struct stat st;
	DIR *d;

	if (stat(path, &st) || !S_ISDIR(st.st_mode)) {
		walk_segment(w, path);
		return;
	}
	w->path = path;
	if (!(d = opendir(path))) {
		report(w, "unreadable", NO_OFFSET, NULL, true, "%s", strerror(errno));
		return;
	}
	while ((de = readdir(d))) {
		char **more;

		if (!is_segment_name(de->d_name))
			continue;
		more = realloc(names, (n + 1) * sizeof(*names));
		if (!more || asprintf(&full, "%s/%s", path, de->d_name) < 0) {
			names = more ? more : names;
			report(w, "error", NO_OFFSET, NULL, true, "out of memory");
			break;
		}
		names = more;
		names[n++] = full;
	}
	closedir(d);
	if (!n) {
		w->path = path;
		report(w, "empty", NO_OFFSET, NULL, true, "no seg-*.cyls segment in this directory");
	}
	qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n; i++) {
		walk_segment(w, names[i]);
		free(names[i]);
	}
	free(names);
}

static void verify_summary(struct walk *w)
{
	json_t *out, *devs, *o;
	size_t i;

	if (w->json) {
		devs = json_array();
		for (i = 0; i < w->n_devs; i++) {
			struct dev *d = &w->devs[i];

			o = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
				      "device", (json_int_t)d->id,
				      "records", (json_int_t)d->records,
				      "first_seq", (json_int_t)d->first,
				      "last_seq", (json_int_t)d->last,
				      "gaps", (json_int_t)d->gaps,
				      "missing", (json_int_t)d->missing,
				      "restarts", (json_int_t)d->restarts,
				      "out_of_order", (json_int_t)d->disorder);
			json_array_append_new(devs, o);
		}
		out = json_pack("{s:b, s:I, s:I, s:I, s:o, s:o, s:o, s:o}",
				"ok", !w->problems,
				"records", (json_int_t)w->records,
				"sealed", (json_int_t)w->sealed,
				"unsealed", (json_int_t)w->unsealed,
				"authenticated", w->have_key ?
				json_integer((json_int_t)w->authenticated) : json_null(),
				"segments", w->jsegments, "devices", devs,
				"problems", w->jproblems);
		w->jsegments = w->jproblems = NULL;	/* taken */
		json_dumpf(out, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(out);
		return;
	}
	for (i = 0; i < w->n_devs; i++) {
		struct dev *d = &w->devs[i];

		printf("device %" PRIu32 ": %" PRIu64 " record%s, seq %" PRIu64 "..%" PRIu64,
		       d->id, d->records, d->records == 1 ? "" : "s", d->first, d->last);
		if (d->gaps)
			printf(", %" PRIu64 " gap%s (%" PRIu64 " missing)", d->gaps,
			       d->gaps == 1 ? "" : "s", d->missing);
		if (d->disorder)
			printf(", %" PRIu64 " duplicate or out of order", d->disorder);
		if (d->restarts)
			printf(", %" PRIu64 " restart%s", d->restarts,
			       d->restarts == 1 ? "" : "s");
		putchar('\n');
	}
	printf("%s: %" PRIu64 " problem%s; %" PRIu64 " segment%s, %" PRIu64 " record%s (%"
	       PRIu64 " sealed, %" PRIu64 " unsealed), ",
	       w->problems ? "FAILED" : "ok", w->problems, w->problems == 1 ? "" : "s",
	       w->segments, w->segments == 1 ? "" : "s",
	       w->records, w->records == 1 ? "" : "s", w->sealed, w->unsealed);
	if (w->have_key)
		printf("%" PRIu64 " authenticated\n", w->authenticated);
	else
		printf("tags not checked (no --key)\n");
}

static int parse_device(const char *s, uint32_t *id)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v < 1 || v > UINT32_MAX) {
		fprintf(stderr, "cylctl: records: --device %s: not a device id (1..%u)\n",
			s, UINT32_MAX);
		return -EINVAL;
	}
	*id = (uint32_t)v;
	return 0;
}

int records_main(int argc, char *argv[], struct cyl_cli *cli)
{
	static const struct option longopts[] = {
		{ "key",	required_argument,	NULL, 'k' },
		{ "device",	required_argument,	NULL, 'd' },
		{ "raw",	no_argument,		NULL, 'r' },
		{ "json",	no_argument,		NULL, 'j' },
		{ "help",	no_argument,		NULL, 'h' },
		{ 0 }
	};
	struct walk w = { .json = cli->json };
	const char *key_path = NULL, *sub;
	int opt, i, ret = CLI_USAGE;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	sub = argv[1];
	if (strcmp(sub, "verify") && strcmp(sub, "open")) {
		fprintf(stderr, "cylctl: records: unknown subcommand \"%s\"\n", sub);
		usage(stderr);
		return CLI_USAGE;
	}
	w.verify = !strcmp(sub, "verify");
	optind = 0;	/* glibc: restart scanning on this argv */
	while ((opt = getopt_long(argc - 1, argv + 1, "k:d:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'k':
			key_path = optarg;
			break;
		case 'd':
			if (parse_device(optarg, &w.device))
				return CLI_USAGE;
			w.have_device = true;
			break;
		case 'r':
			w.raw = true;
			break;
		case 'j':
			w.json = true;
			break;
		case 'h':
			usage(stdout);
			return CLI_OK;
		default:
			usage(stderr);
			return CLI_USAGE;
		}
	}
	optind++;	/* past the subcommand in the full argv */
	if (optind >= argc) {
		fprintf(stderr, "cylctl: records %s: no segment given\n", sub);
		usage(stderr);
		return CLI_USAGE;
	}
	if (w.verify && w.raw) {
		fprintf(stderr, "cylctl: records verify: --raw applies to open only\n");
		return CLI_USAGE;
	}
	if (!w.verify && !key_path) {
		fprintf(stderr, "cylctl: records open: --key FILE is required\n");
		return CLI_USAGE;
	}
	if (w.raw && w.json) {
		fprintf(stderr, "cylctl: records open: --raw and --json exclude each other\n");
		return CLI_USAGE;
	}

	ret = CLI_ERROR;
	if (key_path) {
		if (cyl_cli_read_key(key_path, w.key))
			goto out;
		w.have_key = true;
	}
	w.plain = malloc(CYL_REC_LEN_MAX);
	w.jsegments = json_array();
	w.jproblems = json_array();
	if (!w.plain || !w.jsegments || !w.jproblems) {
		fprintf(stderr, "cylctl: out of memory\n");
		goto out;
	}
	for (i = optind; i < argc; i++)
		walk_path(&w, argv[i]);
	if (w.verify)
		verify_summary(&w);
	if (fflush(stdout)) {
		fprintf(stderr, "cylctl: records %s: standard output: %s\n", sub,
			strerror(errno));
		goto out;
	}
	ret = w.problems ? CLI_ERROR : CLI_OK;
out:
	OPENSSL_cleanse(w.key, sizeof(w.key));
	if (w.plain)
		OPENSSL_cleanse(w.plain, CYL_REC_LEN_MAX);
	free(w.plain);
	free(w.devs);
	json_decref(w.jsegments);
	json_decref(w.jproblems);
	return ret;
}
