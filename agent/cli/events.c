// SPDX-License-Identifier: GPL-2.0
/*
 * cylctl events: the last security events from the daemon's log, or a
 * live stream of them with --follow.  Filters apply in the daemon.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/ctlproto.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: cylctl [options] events [--follow] [--json] [--type TYPE]\n"
		   "                             [--device NAME] [-n N]\n"
		   "Show the last N (default %d, at most %d) security events from the\n"
		   "agent's event log, oldest first, or with --follow each new one as it\n"
		   "happens until interrupted.\n\n"
		   "  -f, --follow       stream new events (-n does not apply)\n"
		   "      --json         one JSON object per line, as in the log\n"
		   "  -t, --type TYPE    only events of TYPE (tty_open, control_denied, ...)\n"
		   "  -d, --device NAME  only events about policy device NAME\n"
		   "  -n N               how many events\n"
		   "      --help         show this help\n",
		   CYL_CTL_EVENTS_DEFAULT, CYL_CTL_EVENTS_MAX);
}

static const char *str(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s ? s : "-";
}

static void print_header(void)
{
	printf("%-24s %-16s %-16s %-7s %-28s %s\n", "TIME", "TYPE", "DEVICE",
	       "VERDICT", "SUBJECT", "REASON");
}

/* One event, as a JSON line or as a row under print_header(). */
static void print_event(const json_t *ev, bool json)
{
	const json_t *subj = json_object_get(ev, "subject");
	char subject[64] = "-";

	if (json) {
		json_dumpf(ev, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
		printf("\n");
	} else {
		if (json_is_object(subj))
			snprintf(subject, sizeof(subject), "%s[%lld] uid=%lld",
				 str(subj, "comm"),
				 (long long)json_integer_value(json_object_get(subj, "pid")),
				 (long long)json_integer_value(json_object_get(subj, "uid")));
		printf("%-24s %-16s %-16s %-7s %-28s %s\n", str(ev, "time"),
		       str(ev, "type"), str(ev, "device"), str(ev, "verdict"),
		       subject, str(ev, "reason"));
	}
	fflush(stdout);		/* a follower's reader wants each line now */
}

struct out {
	bool json, header_done;
};

/* The header comes once the daemon has said yes, not before. */
static void print_one(struct out *o, const json_t *ev)
{
	if (!o->json && !o->header_done)
		print_header();
	o->header_done = true;
	if (ev)
		print_event(ev, o->json);
}

static int on_line(void *ctx, json_t *ev)
{
	print_one(ctx, ev);
	return 0;
}

static int parse_n(const char *s, long *n)
{
	char *end;

	errno = 0;
	*n = strtol(s, &end, 10);
	if (errno || end == s || *end || *n < 1 || *n > CYL_CTL_EVENTS_MAX) {
		fprintf(stderr, "cylctl: events: -n %s: not a number from 1 to %d\n",
			s, CYL_CTL_EVENTS_MAX);
		return -EINVAL;
	}
	return 0;
}

int events_main(int argc, char *argv[], struct cyl_cli *cli)
{
	static const struct option longopts[] = {
		{ "follow",	no_argument,		NULL, 'f' },
		{ "json",	no_argument,		NULL, 'j' },
		{ "type",	required_argument,	NULL, 't' },
		{ "device",	required_argument,	NULL, 'd' },
		{ "help",	no_argument,		NULL, 'h' },
		{ 0 }
	};
	const char *type = NULL, *device = NULL;
	bool follow = false, have_n = false;
	json_t *req, *reply = NULL, *ev;
	struct out o = { 0 };
	long n = CYL_CTL_EVENTS_DEFAULT;
	int opt, ret;
	size_t i;

	optind = 0;	/* glibc: restart scanning on this argv */
	while ((opt = getopt_long(argc, argv, "ft:d:n:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			follow = true;
			break;
		case 'j':
			cli->json = true;
			break;
		case 't':
			type = optarg;
			break;
		case 'd':
			device = optarg;
			break;
		case 'n':
			if (parse_n(optarg, &n))
				return CLI_USAGE;
			have_n = true;
			break;
		case 'h':
			usage(stdout);
			return CLI_OK;
		default:
			usage(stderr);
			return CLI_USAGE;
		}
	}
	if (optind < argc || (follow && have_n)) {
		if (follow && have_n)
			fprintf(stderr, "cylctl: events: -n does not apply to --follow\n");
		usage(stderr);
		return CLI_USAGE;
	}

	req = json_pack("{s:s}", "cmd", "events");
	if (!req ||
	    (type && json_object_set_new(req, "type", json_string(type))) ||
	    (device && json_object_set_new(req, "device", json_string(device))) ||
	    (follow && json_object_set_new(req, "follow", json_true())) ||
	    (have_n && json_object_set_new(req, "n", json_integer(n)))) {
		fprintf(stderr, "cylctl: events: cannot build the request (not UTF-8?)\n");
		json_decref(req);
		return CLI_ERROR;
	}

	o.json = cli->json;
	if (follow) {
		ret = cyl_cli_stream(cli, req, on_line, &o);
		json_decref(req);
		return ret;
	}
	ret = cyl_cli_call_req(cli, req, &reply);
	json_decref(req);
	if (ret)
		return ret;
	print_one(&o, NULL);
	json_array_foreach(json_object_get(reply, "events"), i, ev)
		print_one(&o, ev);
	json_decref(reply);
	return CLI_OK;
}
