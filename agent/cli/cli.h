/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cylctl: global options, the subcommand table's signature and the
 * client side of the control protocol.
 */
#ifndef CYL_CLI_H
#define CYL_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

/* Exit statuses. */
#define CLI_OK		0
#define CLI_ERROR	1
#define CLI_USAGE	2

struct cyl_cli {
	const char *socket;
	bool json;
};

/*
 * Send @cmd and return the daemon's {"ok":true,...} reply in @reply.
 * Prints its own error message; returns CLI_OK or CLI_ERROR.
 */
int cyl_cli_call(const struct cyl_cli *cli, const char *cmd, json_t **reply);

/* The same for a whole request object (a command with arguments). */
int cyl_cli_call_req(const struct cyl_cli *cli, json_t *req, json_t **reply);

/*
 * The same, but a refusal by the daemon ({"ok":false,"error":...}) is
 * not printed: its text is put in @why for the caller to explain.
 * Failures to reach the daemon are printed, and @why says so briefly.
 */
int cyl_cli_call_req_why(const struct cyl_cli *cli, json_t *req,
			 json_t **reply, char *why, size_t whylen);

/*
 * A request whose reply is a stream: after {"ok":true,...} every line
 * is one JSON object handed to @fn (NULL first, once the daemon has
 * accepted).  Returns CLI_ERROR when the stream ends or fails.
 */
int cyl_cli_stream(const struct cyl_cli *cli, json_t *req,
		   int (*fn)(void *ctx, json_t *obj), void *ctx);

/*
 * A read-only subcommand: [--json] [--help], one request @cmd, the reply
 * printed by @print for humans, or as JSON (only its @json_member if set).
 */
struct cyl_cli_query {
	const char *cmd;
	const char *json_member;
	void (*usage)(FILE *f);
	void (*print)(json_t *reply);
};

/*
 * A command with subcommands: its own options (--help, --json) up to the
 * subcommand, which is then argv[optind].  Returns -1 to go on, or the
 * exit status (CLI_OK after --help, CLI_USAGE for an unknown option).
 */
int cyl_cli_sub_options(int argc, char *argv[], struct cyl_cli *cli,
			void (*usage)(FILE *f));

int cyl_cli_query_main(int argc, char *argv[], struct cyl_cli *cli,
		       const struct cyl_cli_query *q);

int status_main(int argc, char *argv[], struct cyl_cli *cli);
int policy_main(int argc, char *argv[], struct cyl_cli *cli);
int devices_main(int argc, char *argv[], struct cyl_cli *cli);
int events_main(int argc, char *argv[], struct cyl_cli *cli);
int stats_main(int argc, char *argv[], struct cyl_cli *cli);
int usb_main(int argc, char *argv[], struct cyl_cli *cli);
int update_main(int argc, char *argv[], struct cyl_cli *cli);
int abe_main(int argc, char *argv[], struct cyl_cli *cli);
int ssi_main(int argc, char *argv[], struct cyl_cli *cli);
int model_main(int argc, char *argv[], struct cyl_cli *cli);
/*
 * Read a record key file ("-": standard input) as cylctl's commands do:
 * errors printed, a warning if the file is group- or world-readable.
 * Returns 0 or -1.
 */
int cyl_cli_read_key(const char *path, uint8_t key[32]);

int records_main(int argc, char *argv[], struct cyl_cli *cli);
int log_main(int argc, char *argv[], struct cyl_cli *cli);
int risk_main(int argc, char *argv[], struct cyl_cli *cli);

struct cyl_risk_problem;	/* risk/verify.h */
/*
 * The risk log verifier's report callback: each problem on standard
 * error, after "@dir/<file>: ", notes as "note:".
 */
void cyl_cli_print_problem(void *dir, const struct cyl_risk_problem *p);
int key_main(int argc, char *argv[], struct cyl_cli *cli);
int bundle_main(int argc, char *argv[], struct cyl_cli *cli);
int selftest_main(int argc, char *argv[], struct cyl_cli *cli);

#endif /* CYL_CLI_H */
