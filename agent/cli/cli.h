/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cylctl: global options, the subcommand table's signature and the
 * client side of the control protocol.
 */
#ifndef CYL_CLI_H
#define CYL_CLI_H

#include <stdbool.h>

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

int status_main(int argc, char *argv[], struct cyl_cli *cli);
int policy_main(int argc, char *argv[], struct cyl_cli *cli);
int stats_main(int argc, char *argv[], struct cyl_cli *cli);

#endif /* CYL_CLI_H */
