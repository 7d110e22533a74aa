// SPDX-License-Identifier: GPL-2.0
/*
 * cylctl log {verify,prove,consistency,show}: the tamper-evident risk
 * log, offline, without the agent: the verifier (risk/verify.c) reads
 * the directory with the public key and reports each problem with its
 * place on standard error.  Documentation/risk.md has the format.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "risk/risklog.h"
#include "risk/verify.h"

#define HL	CYL_MERKLE_HASH_LEN

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: cylctl log verify [--pubkey FILE] [DIR]\n"
		"       cylctl log prove --index N [--pubkey FILE] [DIR]\n"
		"       cylctl log consistency --from SIZE --to SIZE [--pubkey FILE] [DIR]\n"
		"       cylctl log show [--from N] [--count K] [DIR]\n\n"
		"verify checks every entry's CRC, every tree head's signature, that head\n"
		"sizes never shrink, that each head's root is the Merkle root of the\n"
		"entries it covers, and a consistency proof between consecutive heads.\n"
		"Each problem goes to standard error with its place (entry, head, file\n"
		"offset); when roots stop matching it says which entries changed.\n\n"
		"prove prints the inclusion proof of entry N in the latest good head and\n"
		"checks it; consistency the proof between the heads of two tree sizes.\n"
		"show prints entries N..N+K-1, one per line (control bytes as \\xNN).\n"
		"All exit 1 if anything is wrong with the log.\n\n"
		"  -p, --pubkey FILE  the signing key's public half, PEM (default %s)\n"
		"  -i, --index N      prove: the entry, from 0\n"
		"  -f, --from N       consistency: the older head's size; show: the first entry\n"
		"  -t, --to N         consistency: the newer head's size\n"
		"  -n, --count K      show: at most K entries (default: all)\n"
		"      --help         show this help\n"
		"DIR is the log directory (default %s).\n",
		CYL_RISKLOG_DEFAULT_PUBKEY, CYL_RISKLOG_DEFAULT_DIR);
}

struct args {
	const char *sub, *dir, *pubkey;
	uint64_t index, from, to, count;
	bool has_pubkey, has_index, has_from, has_to, has_count;
};

void cyl_cli_print_problem(void *dir, const struct cyl_risk_problem *p)
{
	fflush(stdout);		/* keep stdout and stderr lines in order */
	if (p->file)
		fprintf(stderr, "%s/%s: ", (const char *)dir, p->file);
	else
		fprintf(stderr, "%s: ", (const char *)dir);
	if (p->kind == CYL_RISK_LOCATE)
		fputs("located: ", stderr);
	else if (!p->fails)
		fputs("note: ", stderr);
	fprintf(stderr, "%s\n", p->msg);
}

/* RFC 3339, UTC, nanoseconds. */
static const char *fmt_time(uint64_t ns, char *buf, size_t size)
{
	time_t t = (time_t)(ns / 1000000000u);
	struct tm tm;
	size_t n;

	if (!gmtime_r(&t, &tm) || !(n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm))) {
		snprintf(buf, size, "?");
		return buf;
	}
	snprintf(buf + n, size - n, ".%09uZ", (unsigned int)(ns % 1000000000u));
	return buf;
}

static const char *hex(const uint8_t *h, char buf[65])
{
	cyl_merkle_hex(h, buf);
	return buf;
}

/* Read the log: with the public key unless @entries_only. */
static struct cyl_risk_view *load(const struct args *a, bool entries_only)
{
	struct cyl_risk_verify_opts o = {
		.entries_only = entries_only, .report = cyl_cli_print_problem,
		.ctx = (void *)a->dir,
	};
	struct cyl_risk_view *v = NULL;
	char err[512];

	if (!entries_only &&
	    cyl_risk_pubkey_read(a->pubkey, &o.pubkey, err, sizeof(err))) {
		fprintf(stderr, "cylctl: log %s: %s\n", a->sub, err);
		return NULL;
	}
	if (cyl_risk_verify_dir(a->dir, &o, &v, err, sizeof(err)))
		fprintf(stderr, "cylctl: log %s: %s\n", a->sub, err);
	EVP_PKEY_free(o.pubkey);
	return v;
}

static int verify_main(const struct args *a)
{
	struct cyl_risk_view *v = load(a, false);
	const struct cyl_risk_summary *s;
	const struct cyl_risk_head *h;
	char when[64], root[65];
	int ret;

	if (!v)
		return CLI_ERROR;
	s = cyl_risk_view_summary(v);
	printf("%s: %" PRIu64 " problem%s; %" PRIu64 " entr%s", s->problems ? "FAILED" : "ok",
	       s->problems, s->problems == 1 ? "" : "s", s->entries,
	       s->entries == 1 ? "y" : "ies");
	if (s->bad_entries)
		printf(" (%" PRIu64 " with a bad CRC)", s->bad_entries);
	printf(", %" PRIu64 " head%s (%" PRIu64 " good), %" PRIu64 " consistency proof%s\n",
	       s->heads, s->heads == 1 ? "" : "s", s->good_heads, s->consistency,
	       s->consistency == 1 ? "" : "s");
	if (s->latest != CYL_RISK_NONE) {
		h = cyl_risk_view_head(v, s->latest, NULL);
		printf("latest good head %" PRIu64 ": size %" PRIu64 ", signed %s, root %s\n",
		       s->latest, h->size, fmt_time(h->ts_ns, when, sizeof(when)),
		       hex(h->root, root));
	}
	ret = s->problems ? CLI_ERROR : CLI_OK;
	cyl_risk_view_free(v);
	return ret;
}

static void print_hashes(const char *label, const uint8_t *p, size_t len)
{
	char buf[65];
	size_t i;

	for (i = 0; i < len; i++)
		printf("%-5s %2zu %s\n", label, i, hex(p + i * HL, buf));
}

static int prove_main(const struct args *a)
{
	struct cyl_risk_view *v = load(a, false);
	const struct cyl_risk_head *h;
	struct cyl_risk_proof p;
	const uint8_t *data;
	char err[256], when[64], buf[65];
	uint64_t off;
	uint32_t len;
	int ret = CLI_ERROR;

	if (!v)
		return CLI_ERROR;
	if (cyl_risk_prove_inclusion(v, a->index, &p, err, sizeof(err))) {
		fprintf(stderr, "cylctl: log prove: %s\n", err);
		goto out;
	}
	h = cyl_risk_view_head(v, p.head_n, NULL);
	cyl_risk_view_entry(v, a->index, &data, &len, &off);
	printf("entry %" PRIu64 " (offset %" PRIu64 ", %" PRIu32 " bytes) in head %" PRIu64
	       ": size %" PRIu64 ", signed %s\n", p.m, off, len, p.head_n, h->size,
	       fmt_time(h->ts_ns, when, sizeof(when)));
	printf("leaf     %s\n", hex(p.leaf, buf));
	print_hashes("path", p.hashes, p.len);
	printf("root     %s\n", hex(h->root, buf));
	if (!p.verified) {
		fprintf(stderr, "cylctl: log prove: the inclusion proof of entry %" PRIu64
			" in the tree of size %" PRIu64 " does NOT verify\n", p.m, p.n);
		goto out;
	}
	printf("ok: the inclusion proof of entry %" PRIu64 " in the tree of size %" PRIu64
	       " verifies against head %" PRIu64 "'s signed root\n", p.m, p.n, p.head_n);
	ret = cyl_risk_view_summary(v)->problems ? CLI_ERROR : CLI_OK;
out:
	cyl_risk_view_free(v);
	return ret;
}

static int consistency_main(const struct args *a)
{
	struct cyl_risk_view *v = load(a, false);
	const struct cyl_risk_head *hm, *hn;
	struct cyl_risk_proof p;
	char err[256], buf[65];
	int ret = CLI_ERROR;

	if (!v)
		return CLI_ERROR;
	if (cyl_risk_prove_consistency(v, a->from, a->to, &p, err, sizeof(err))) {
		fprintf(stderr, "cylctl: log consistency: %s\n", err);
		goto out;
	}
	hm = cyl_risk_view_head(v, p.head_m, NULL);
	hn = cyl_risk_view_head(v, p.head_n, NULL);
	printf("from head %" PRIu64 ": size %" PRIu64 ", root %s\n", p.head_m, hm->size,
	       hex(hm->root, buf));
	printf("to   head %" PRIu64 ": size %" PRIu64 ", root %s\n", p.head_n, hn->size,
	       hex(hn->root, buf));
	print_hashes("proof", p.hashes, p.len);
	if (!p.verified) {
		fprintf(stderr, "cylctl: log consistency: the proof from size %" PRIu64
			" to size %" PRIu64 " does NOT verify\n", p.m, p.n);
		goto out;
	}
	printf("ok: the consistency proof from size %" PRIu64 " to size %" PRIu64
	       " verifies against both signed roots\n", p.m, p.n);
	ret = cyl_risk_view_summary(v)->problems ? CLI_ERROR : CLI_OK;
out:
	cyl_risk_view_free(v);
	return ret;
}

/* One entry as one line: control bytes (a JSON text has none) as \xNN. */
static void print_line(const uint8_t *p, uint32_t len)
{
	uint32_t i;

	for (i = 0; i < len; i++) {
		if (p[i] < 0x20 || p[i] == 0x7f)
			printf("\\x%02x", p[i]);
		else
			putchar(p[i]);
	}
	putchar('\n');
}

static int show_main(const struct args *a)
{
	struct cyl_risk_view *v = load(a, true);
	const uint8_t *data;
	uint64_t i, start, end, off, n;
	uint32_t len;
	int ret;

	if (!v)
		return CLI_ERROR;
	n = cyl_risk_view_summary(v)->entries;
	start = a->from < n ? a->from : n;
	end = a->has_count && a->count < n - start ? start + a->count : n;
	for (i = start; i < end; i++) {
		cyl_risk_view_entry(v, i, &data, &len, &off);
		print_line(data, len);
	}
	ret = cyl_risk_view_summary(v)->problems ? CLI_ERROR : CLI_OK;
	cyl_risk_view_free(v);
	if (fflush(stdout)) {
		fprintf(stderr, "cylctl: log show: standard output: %s\n", strerror(errno));
		return CLI_ERROR;
	}
	return ret;
}

static int parse_u64(const char *opt, const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || *s == '+') {
		fprintf(stderr, "cylctl: log: %s %s: not a number\n", opt, s);
		return -EINVAL;
	}
	return 0;
}

/* Options after the subcommand; CLI_OK to go on, else the exit status. */
static int parse(int argc, char *argv[], struct args *a)
{
	static const struct option longopts[] = {
		{ "pubkey",	required_argument,	NULL, 'p' },
		{ "index",	required_argument,	NULL, 'i' },
		{ "from",	required_argument,	NULL, 'f' },
		{ "to",		required_argument,	NULL, 't' },
		{ "count",	required_argument,	NULL, 'n' },
		{ "help",	no_argument,		NULL, 'h' },
		{ 0 }
	};
	int opt;

	optind = 0;	/* glibc: restart scanning on this argv */
	while ((opt = getopt_long(argc - 1, argv + 1, "p:i:f:t:n:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'p':
			a->pubkey = optarg;
			a->has_pubkey = true;
			break;
		case 'i':
			if (parse_u64("--index", optarg, &a->index))
				return CLI_USAGE;
			a->has_index = true;
			break;
		case 'f':
			if (parse_u64("--from", optarg, &a->from))
				return CLI_USAGE;
			a->has_from = true;
			break;
		case 't':
			if (parse_u64("--to", optarg, &a->to))
				return CLI_USAGE;
			a->has_to = true;
			break;
		case 'n':
			if (parse_u64("--count", optarg, &a->count))
				return CLI_USAGE;
			a->has_count = true;
			break;
		case 'h':
			usage(stdout);
			return -1;
		default:
			usage(stderr);
			return CLI_USAGE;
		}
	}
	optind++;	/* past the subcommand in the full argv */
	if (optind < argc)
		a->dir = argv[optind++];
	if (optind < argc) {
		fprintf(stderr, "cylctl: log %s: one directory only (\"%s\")\n", a->sub,
			argv[optind]);
		return CLI_USAGE;
	}
	return CLI_OK;
}

/* Which options each subcommand takes. */
static int check_args(const struct args *a)
{
	bool prove = !strcmp(a->sub, "prove"), cons = !strcmp(a->sub, "consistency");
	bool show = !strcmp(a->sub, "show");
	const char *bad = NULL;

	if (a->has_index && !prove)
		bad = "--index";
	else if (a->has_to && !cons)
		bad = "--to";
	else if (a->has_from && !cons && !show)
		bad = "--from";
	else if (a->has_count && !show)
		bad = "--count";
	else if (a->has_pubkey && show)
		bad = "--pubkey";
	if (bad) {
		fprintf(stderr, "cylctl: log %s: %s does not apply\n", a->sub, bad);
		return CLI_USAGE;
	}
	if (prove && !a->has_index) {
		fprintf(stderr, "cylctl: log prove: --index N is required\n");
		return CLI_USAGE;
	}
	if (cons && (!a->has_from || !a->has_to)) {
		fprintf(stderr, "cylctl: log consistency: --from SIZE and --to SIZE "
			"are required\n");
		return CLI_USAGE;
	}
	return CLI_OK;
}

int log_main(int argc, char *argv[], struct cyl_cli *cli)
{
	struct args a = {
		.dir = CYL_RISKLOG_DEFAULT_DIR, .pubkey = CYL_RISKLOG_DEFAULT_PUBKEY,
	};
	int ret;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	a.sub = argv[1];
	if (strcmp(a.sub, "verify") && strcmp(a.sub, "prove") &&
	    strcmp(a.sub, "consistency") && strcmp(a.sub, "show")) {
		fprintf(stderr, "cylctl: log: unknown subcommand \"%s\"\n", a.sub);
		usage(stderr);
		return CLI_USAGE;
	}
	if ((ret = parse(argc, argv, &a)) != CLI_OK)
		return ret < 0 ? CLI_OK : ret;
	if ((ret = check_args(&a)) != CLI_OK)
		return ret;
	if (!strcmp(a.sub, "verify"))
		return verify_main(&a);
	if (!strcmp(a.sub, "prove"))
		return prove_main(&a);
	if (!strcmp(a.sub, "consistency"))
		return consistency_main(&a);
	return show_main(&a);
}
