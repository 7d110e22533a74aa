// SPDX-License-Identifier: GPL-2.0
/*
 * cylctl risk report: the policy's risk register against the evidence in
 * the risk log, offline, without the agent.  The log is verified with the
 * public key first; a log that does not verify gives no report.  The
 * report covers the entries up to the latest good signed head and names
 * that head (risk/report.c builds it; Documentation/risk.md, "Reports").
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "cli/cli.h"
#include "policy/policy.h"
#include "risk/report.h"
#include "risk/risklog.h"
#include "risk/verify.h"
#include "util/file.h"

#define DEFAULT_POLICY	"/etc/cylcomed/policy.yaml"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: cylctl risk report [--policy POLICY] [--log DIR] [--pubkey KEY]\n"
		"                          [--since T] [--format md|html|json] [--output OUT]\n\n"
		"report reads the policy's risk register and the risk log, verifies the log\n"
		"with the public key (a log that does not verify gives no report: its\n"
		"problems go to standard error and it exits 1), and reports on the entries\n"
		"up to the latest good signed head, which it names: the risk matrix with\n"
		"each entry's initial and residual risk, the entries (unacceptable residual\n"
		"risk first), observed against estimated frequencies, the devices, the\n"
		"trend per day and the benefit-risk statements.  Entries after the head are\n"
		"not signed: it counts them and leaves them out.\n\n"
		"  -P, --policy POLICY  the policy with the register (default %s)\n"
		"  -l, --log DIR        the risk log (default %s)\n"
		"  -p, --pubkey KEY     the signing key's public half, PEM (default %s)\n"
		"  -s, --since T        only events from T on: RFC 3339 (2025-05-01T00:00:00Z),\n"
		"                       or a time before the head: 7d, 24h, 30m, 2w, 90s\n"
		"  -f, --format F       md (default; readable in a terminal), html (one\n"
		"                       self-contained file) or json\n"
		"  -o, --output OUT     write the report to OUT (replaced whole) instead of\n"
		"                       standard output\n"
		"      --help           show this help\n",
		DEFAULT_POLICY, CYL_RISKLOG_DEFAULT_DIR, CYL_RISKLOG_DEFAULT_PUBKEY);
}

struct args {
	const char *policy, *log, *pubkey, *since, *output;
	enum cyl_report_format format;
};

/* What the report is computed from, read and checked. */
struct inputs {
	struct cyl_policy policy;
	char policy_sha256[65];
	char key_sha256[65];
	EVP_PKEY *pubkey;
	struct cyl_risk_view *view;
};

static void hex(const unsigned char *p, size_t len, char *out)
{
	size_t i;

	for (i = 0; i < len; i++)
		snprintf(out + 2 * i, 3, "%02x", p[i]);
}

/* SHA-256 of @len bytes at @p as hex; false if OpenSSL fails. */
static bool sha256_hex(const void *p, size_t len, char out[65])
{
	unsigned char md[32];

	if (!EVP_Digest(p, len, md, NULL, EVP_sha256(), NULL))
		return false;
	hex(md, sizeof(md), out);
	return true;
}

/* The policy and its register file, with the SHA-256 of its text. */
static int load_policy(const struct args *a, struct inputs *in)
{
	struct cyl_policy_error err = { 0 };
	size_t len;
	char *buf;
	int ret;

	ret = cyl_read_file(a->policy, CYL_POLICY_MAX_SIZE, &buf, &len);
	if (ret) {
		fprintf(stderr, "cylctl: risk report: %s: %s\n", a->policy,
			ret == -EFBIG ? "policy is larger than 1 MiB" : strerror(-ret));
		return CLI_ERROR;
	}
	if (!sha256_hex(buf, len, in->policy_sha256))
		in->policy_sha256[0] = '\0';
	ret = cyl_policy_parse(a->policy, buf, len, &in->policy, &err);
	free(buf);
	if (!ret)
		ret = cyl_policy_load_references(&in->policy, &err);
	if (ret) {
		fprintf(stderr, "cylctl: risk report: %s\n", err.text);
		return CLI_ERROR;
	}
	if (!in->policy.risk.set) {
		fprintf(stderr, "cylctl: risk report: %s: the policy has no risk section: "
			"there is no register to report on\n", a->policy);
		return CLI_ERROR;
	}
	return CLI_OK;
}

/* The public key, and the SHA-256 of its DER (SubjectPublicKeyInfo). */
static int load_key(const struct args *a, struct inputs *in)
{
	unsigned char *der = NULL;
	char err[512];
	int len;

	if (cyl_risk_pubkey_read(a->pubkey, &in->pubkey, err, sizeof(err))) {
		fprintf(stderr, "cylctl: risk report: %s\n", err);
		return CLI_ERROR;
	}
	len = i2d_PUBKEY(in->pubkey, &der);
	if (len <= 0 || !sha256_hex(der, (size_t)len, in->key_sha256))
		in->key_sha256[0] = '\0';
	OPENSSL_free(der);
	return CLI_OK;
}

/* The log, verified: every problem on standard error; none allowed. */
static int verify(const struct args *a, struct inputs *in)
{
	struct cyl_risk_verify_opts o = {
		.pubkey = in->pubkey, .report = cyl_cli_print_problem,
		.ctx = (void *)a->log,
	};
	const struct cyl_risk_summary *s;
	char err[512];

	if (cyl_risk_verify_dir(a->log, &o, &in->view, err, sizeof(err))) {
		fprintf(stderr, "cylctl: risk report: %s\n", err);
		return CLI_ERROR;
	}
	s = cyl_risk_view_summary(in->view);
	if (s->problems) {
		fprintf(stderr, "cylctl: risk report: %s: the log does not verify (%" PRIu64
			" problem%s): no report from it\n", a->log, s->problems,
			s->problems == 1 ? "" : "s");
		return CLI_ERROR;
	}
	if (s->latest == CYL_RISK_NONE) {
		fprintf(stderr, "cylctl: risk report: %s: no good signed head: nothing to "
			"report from\n", a->log);
		return CLI_ERROR;
	}
	return CLI_OK;
}

/* The report on the entries the latest good head covers. */
static int build(const struct args *a, struct inputs *in, struct cyl_strbuf *out)
{
	const struct cyl_risk_summary *s = cyl_risk_view_summary(in->view);
	const struct cyl_risk_head *h = cyl_risk_view_head(in->view, s->latest, NULL);
	struct cyl_report_source src = {
		.policy = a->policy, .log = a->log,
		.policy_sha256 = in->policy_sha256[0] ? in->policy_sha256 : NULL,
		.key_sha256 = in->key_sha256[0] ? in->key_sha256 : NULL,
		.head = { .index = s->latest, .size = h->size, .ts_ns = h->ts_ns },
		.log_entries = s->entries, .since_text = a->since,
	};
	struct cyl_report *r = NULL;
	const uint8_t *data;
	uint64_t i, off;
	uint32_t len;
	int ret;

	memcpy(src.head.root, h->root, sizeof(src.head.root));
	if (a->since) {
		src.has_since = true;
		cyl_report_parse_since(a->since, (int64_t)(h->ts_ns / 1000000000u), &src.since);
	}
	ret = cyl_report_new(&in->policy.risk, &src, &r);
	for (i = 0; !ret && i < h->size; i++) {
		cyl_risk_view_entry(in->view, i, &data, &len, &off);
		ret = cyl_report_add(r, i, data, len);
	}
	if (!ret)
		ret = cyl_report_render(r, a->format, out);
	cyl_report_free(r);
	if (ret) {
		fprintf(stderr, "cylctl: risk report: %s\n", strerror(-ret));
		return CLI_ERROR;
	}
	return CLI_OK;
}

static int write_out(const struct args *a, const struct cyl_strbuf *out)
{
	int ret;

	if (!a->output || !strcmp(a->output, "-")) {
		if (fwrite(out->p, 1, out->len, stdout) != out->len || fflush(stdout)) {
			fprintf(stderr, "cylctl: risk report: standard output: %s\n",
				strerror(errno));
			return CLI_ERROR;
		}
		return CLI_OK;
	}
	ret = cyl_write_file_atomic(a->output, out->p, out->len, 0644);
	if (ret) {
		fprintf(stderr, "cylctl: risk report: %s: %s\n", a->output, strerror(-ret));
		return CLI_ERROR;
	}
	return CLI_OK;
}

static int report_main(const struct args *a)
{
	struct inputs in = { 0 };
	struct cyl_strbuf out = { 0 };
	int ret;

	if ((ret = load_policy(a, &in)) == CLI_OK &&
	    (ret = load_key(a, &in)) == CLI_OK &&
	    (ret = verify(a, &in)) == CLI_OK &&
	    (ret = build(a, &in, &out)) == CLI_OK)
		ret = write_out(a, &out);
	cyl_strbuf_free(&out);
	cyl_risk_view_free(in.view);
	EVP_PKEY_free(in.pubkey);
	cyl_policy_free(&in.policy);
	return ret;
}

/* Options after "report"; CLI_OK to go on, -1 after --help, else the status. */
static int parse(int argc, char *argv[], struct args *a)
{
	static const struct option longopts[] = {
		{ "policy",	required_argument,	NULL, 'P' },
		{ "log",	required_argument,	NULL, 'l' },
		{ "pubkey",	required_argument,	NULL, 'p' },
		{ "since",	required_argument,	NULL, 's' },
		{ "format",	required_argument,	NULL, 'f' },
		{ "output",	required_argument,	NULL, 'o' },
		{ "help",	no_argument,		NULL, 'h' },
		{ 0 }
	};
	int64_t t;
	int opt;

	optind = 0;	/* glibc: restart scanning on this argv */
	while ((opt = getopt_long(argc - 1, argv + 1, "P:l:p:s:f:o:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'P':
			a->policy = optarg;
			break;
		case 'l':
			a->log = optarg;
			break;
		case 'p':
			a->pubkey = optarg;
			break;
		case 'o':
			a->output = optarg;
			break;
		case 's':
			if (cyl_report_parse_since(optarg, 0, &t)) {
				fprintf(stderr, "cylctl: risk report: --since \"%s\": expected "
					"an RFC 3339 time (2025-05-01T00:00:00Z) or a number and "
					"s, m, h, d or w (7d), at most 100 years\n", optarg);
				return CLI_USAGE;
			}
			a->since = optarg;
			break;
		case 'f':
			if (cyl_report_format_parse(optarg, &a->format)) {
				fprintf(stderr, "cylctl: risk report: --format \"%s\": expected "
					"md, html or json\n", optarg);
				return CLI_USAGE;
			}
			break;
		case 'h':
			usage(stdout);
			return -1;
		default:
			usage(stderr);
			return CLI_USAGE;
		}
	}
	if (optind + 1 < argc) {
		fprintf(stderr, "cylctl: risk report: unexpected argument \"%s\"\n",
			argv[optind + 1]);
		return CLI_USAGE;
	}
	return CLI_OK;
}

int risk_main(int argc, char *argv[], struct cyl_cli *cli)
{
	struct args a = {
		.policy = DEFAULT_POLICY, .log = CYL_RISKLOG_DEFAULT_DIR,
		.pubkey = CYL_RISKLOG_DEFAULT_PUBKEY, .format = CYL_REPORT_MD,
	};
	int ret;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	if (strcmp(argv[1], "report")) {
		fprintf(stderr, "cylctl: risk: unknown subcommand \"%s\"\n", argv[1]);
		usage(stderr);
		return CLI_USAGE;
	}
	if ((ret = parse(argc, argv, &a)) != CLI_OK)
		return ret < 0 ? CLI_OK : ret;
	return report_main(&a);
}
