// SPDX-License-Identifier: GPL-2.0
/*
 * cylctl selftest: is the gateway protecting what its policy says?  What
 * Mender's ArtifactCommit_Enter state script runs before it commits an
 * update (Documentation/mender.md).  Each check prints "ok - ..." or
 * "not ok - ...", TAP-like; the exit status is 0 only if all pass.
 *
 * The agent's answers (status, policy_show) say what is in force; the
 * policy's own text says what should be: devices with a tty present
 * need the kernel module and their guard, a usb section needs USB
 * authorization active, a risk section a risk log that verifies.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "policy/policy.h"
#include "risk/format.h"
#include "risk/risklog.h"
#include "risk/verify.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: cylctl selftest [--risk-dir DIR] [--pubkey FILE]\n\n"
		"Check that the agent answers, a policy generation is in force, the BPF\n"
		"program is attached, the policy's devices present are guarded (and the\n"
		"kernel module loaded), USB authorization is active if the policy has a\n"
		"usb section, and the risk log verifies if it has a risk section.\n"
		"Prints \"ok - ...\" or \"not ok - ...\" per check; exits 1 if any fails.\n\n"
		"  -r, --risk-dir DIR   the risk log directory (default %s)\n"
		"  -p, --pubkey FILE    its public key, PEM (default %s)\n"
		"      --help           show this help\n",
		CYL_RISKLOG_DEFAULT_DIR, CYL_RISKLOG_DEFAULT_PUBKEY);
}

struct selftest {
	unsigned int passed, failed;
};

static __attribute__((format(printf, 3, 4)))
void report(struct selftest *t, bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s - ", ok ? "ok" : "not ok");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (ok)
		t->passed++;
	else
		t->failed++;
}

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "?";
}

/* Each policy device whose tty is present: guarded, module loaded. */
static void check_devices(struct selftest *t, json_t *status)
{
	json_t *devices = json_object_get(status, "devices");
	json_t *module = json_object_get(status, "module");
	json_t *dev, *serial;
	size_t i, present = 0;

	json_array_foreach(devices, i, dev) {
		if (!json_object_get(dev, "dev"))
			continue;	/* not plugged in: nothing to guard */
		present++;
		serial = json_object_get(dev, "serial");
		if (!json_is_true(json_object_get(dev, "guarded")))
			report(t, false, "device %s (%s) is not guarded",
			       str(dev, "name"), str(dev, "tty"));
		else if (serial && !json_is_true(json_object_get(serial, "attached")))
			report(t, false, "device %s (%s): the module's serial guard is not attached",
			       str(dev, "name"), str(dev, "tty"));
		else
			report(t, true, "device %s (%s) is guarded",
			       str(dev, "name"), str(dev, "tty"));
	}
	if (!present)
		return;
	if (json_is_true(json_object_get(module, "loaded")))
		report(t, true, "kernel module loaded, version %s, %" JSON_INTEGER_FORMAT
		       " tty(s) attached", str(module, "version"),
		       json_integer_value(json_object_get(module, "attached")));
	else
		report(t, false, "kernel module not loaded, with %zu policy device(s) present",
		       present);
}

static void check_risk_log(struct selftest *t, const char *dir,
			   const char *pubkey)
{
	struct cyl_risk_verify_opts o = { 0 };
	const struct cyl_risk_summary *s;
	struct cyl_risk_view *v = NULL;
	char err[512];

	if (cyl_risk_pubkey_read(pubkey, &o.pubkey, err, sizeof(err))) {
		report(t, false, "risk log %s: %s", dir, err);
		return;
	}
	if (cyl_risk_verify_dir(dir, &o, &v, err, sizeof(err))) {
		report(t, false, "risk log %s: %s", dir, err);
		goto out;
	}
	s = cyl_risk_view_summary(v);
	if (s->problems)
		report(t, false, "risk log %s: %" PRIu64 " problem(s) (cylctl log verify says which)",
		       dir, s->problems);
	else
		report(t, true, "risk log %s verifies: %" PRIu64 " entries, %" PRIu64
		       " signed", dir, s->entries, s->signed_size);
	cyl_risk_view_free(v);
out:
	EVP_PKEY_free(o.pubkey);
}

static int selftest(struct cyl_cli *cli, const char *risk_dir, const char *pubkey)
{
	struct selftest t = { 0 };
	struct cyl_policy_error err;
	struct cyl_policy policy;
	json_t *status = NULL, *shown = NULL, *content, *bpf, *usb;
	char why[512];
	json_t *req;
	int ret;

	req = json_pack("{s:s}", "cmd", "status");
	ret = req ? cyl_cli_call_req_why(cli, req, &status, why, sizeof(why)) : CLI_ERROR;
	json_decref(req);
	if (ret) {
		report(&t, false, "the agent answers on %s: %s", cli->socket,
		       req ? why : "out of memory");
		goto out;	/* nothing else can be known */
	}
	report(&t, true, "the agent answers on %s (version %s)", cli->socket,
	       str(status, "version"));

	req = json_pack("{s:s}", "cmd", "policy_show");
	ret = req ? cyl_cli_call_req_why(cli, req, &shown, why, sizeof(why)) : CLI_ERROR;
	json_decref(req);
	content = json_object_get(shown, "content");
	if (ret || json_integer_value(json_object_get(shown, "generation")) < 1 ||
	    !json_is_string(content)) {
		report(&t, false, "policy generation known: %s",
		       ret ? why : "no generation in force");
		goto out;
	}
	report(&t, true, "policy generation %" JSON_INTEGER_FORMAT " in force, sha256 %s",
	       json_integer_value(json_object_get(shown, "generation")),
	       str(shown, "sha256"));

	bpf = json_object_get(status, "bpf");
	report(&t, !strcmp(str(bpf, "lsm_guard"), "attached"),
	       "BPF program lsm_guard: %s", str(bpf, "lsm_guard"));

	/* What the policy asks for, from its text as the agent has it. */
	if (cyl_policy_parse("policy in force", json_string_value(content),
			     json_string_length(content), &policy, &err)) {
		report(&t, false, "%s", err.text);
		goto out;
	}
	check_devices(&t, status);
	if (policy.usb.set) {
		usb = json_object_get(status, "usb");
		report(&t, json_is_true(json_object_get(usb, "active")),
		       "USB authorization %s (the policy has a usb section)",
		       json_is_true(json_object_get(usb, "active")) ? "active" : "not active");
	}
	if (policy.risk.set)
		check_risk_log(&t, risk_dir, pubkey);
	cyl_policy_free(&policy);
out:
	json_decref(status);
	json_decref(shown);
	printf("%u passed, %u failed\n", t.passed, t.failed);
	return t.failed ? CLI_ERROR : CLI_OK;
}

int selftest_main(int argc, char *argv[], struct cyl_cli *cli)
{
	static const struct option longopts[] = {
		{ "risk-dir",	required_argument,	NULL, 'r' },
		{ "pubkey",	required_argument,	NULL, 'p' },
		{ "help",	no_argument,		NULL, 'h' },
		{ 0 }
	};
	const char *risk_dir = CYL_RISKLOG_DEFAULT_DIR;
	const char *pubkey = CYL_RISKLOG_DEFAULT_PUBKEY;
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "r:p:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'r':
			risk_dir = optarg;
			break;
		case 'p':
			pubkey = optarg;
			break;
		case 'h':
			usage(stdout);
			return CLI_OK;
		default:
			usage(stderr);
			return CLI_USAGE;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return CLI_USAGE;
	}
	return selftest(cli, risk_dir, pubkey);
}
