// SPDX-License-Identifier: GPL-2.0
/*
 * cylctl key {load,generate}: per-device record keys.  "load" puts a key
 * into the caller's user keyring as a "logon" key (which userspace can
 * never read back) and asks the agent to hand it to cylcomed.ko;
 * "generate" makes one.  Key material is never printed and is wiped
 * from memory once used.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/keyctl.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "cli/cli.h"
#include "policy/policy.h"
#include "store/key.h"
#include "util/quote.h"
#include "util/file.h"

#define KEY_DESC_PREFIX	"cylcomed:"
#define DEVICE_NAME_MAX	CYL_POLICY_NAME_MAX	/* a policy device's name */

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: cylctl key load DEVICE [FILE|-]\n"
		"       cylctl key generate [FILE|-]\n\n"
		"load reads the record key of policy device DEVICE from FILE (default:\n"
		"standard input), adds it to the caller's user keyring as the logon key\n"
		"\"" KEY_DESC_PREFIX "DEVICE\" (userspace cannot read it back), wipes it from\n"
		"memory, and asks the agent to hand it to the kernel module.  Run it as\n"
		"the agent's user (root).  DEVICE: 1 to %d of a-z 0-9 . _ -\n\n"
		"generate writes a new key (32 random bytes as 64 hex digits) to FILE,\n"
		"created with mode 0600 and never overwritten, or to standard output.\n\n"
		"A key file holds 32 raw bytes, or 64 hex digits and an optional newline.\n",
		DEVICE_NAME_MAX);
}

int cyl_cli_read_key(const char *path, uint8_t key[CYL_REC_KEY_LEN])
{
	char err[256];
	bool loose;

	if (cyl_key_read(path, key, &loose, err, sizeof(err))) {
		fprintf(stderr, "cylctl: %s\n", err);
		return -1;
	}
	if (loose)
		fprintf(stderr, "cylctl: warning: key file %s is readable by its group "
			"or by others (chmod 600 it)\n", path);
	return 0;
}

static bool valid_device(const char *s)
{
	size_t i, n = strlen(s);

	if (n < 1 || n > DEVICE_NAME_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) &&
		    !strchr("._-", s[i]))
			return false;
	return true;
}

static int load(const struct cyl_cli *cli, const char *device, const char *path)
{
	char desc[sizeof(KEY_DESC_PREFIX) + DEVICE_NAME_MAX], why[512];
	char q[CYL_QUOTE_SIZE];
	uint8_t key[CYL_REC_KEY_LEN];
	json_t *req, *reply = NULL, *out;
	long serial;
	int ret, saved;

	if (!valid_device(device)) {
		fprintf(stderr, "cylctl: key load: device name %s: expected 1 to %d of "
			"a-z 0-9 . _ -\n", cyl_quote(q, sizeof(q), device, strlen(device)),
			DEVICE_NAME_MAX);
		return CLI_USAGE;
	}
	snprintf(desc, sizeof(desc), KEY_DESC_PREFIX "%s", device);
	if (cyl_cli_read_key(path, key))
		return CLI_ERROR;
	serial = syscall(SYS_add_key, "logon", desc, key, sizeof(key),
			 KEY_SPEC_USER_KEYRING);
	saved = errno;
	OPENSSL_cleanse(key, sizeof(key));
	if (serial < 0) {
		fprintf(stderr, "cylctl: key load: add_key(logon, %s): %s\n", desc,
			strerror(saved));
		return CLI_ERROR;
	}
	if (!cli->json)
		printf("%s: key added to the user keyring (serial %ld)\n", desc, serial);

	req = json_pack("{s:s, s:s}", "cmd", "key_loaded", "device", device);
	if (!req) {
		fprintf(stderr, "cylctl: out of memory\n");
		return CLI_ERROR;
	}
	ret = cyl_cli_call_req_why(cli, req, &reply, why, sizeof(why));
	json_decref(req);
	if (ret) {
		fprintf(stderr, "cylctl: key load: the key is in the keyring (%s, serial %ld) "
			"but the agent did not take it: %s\n", desc, serial,
			strstr(why, "unknown command") ?
			"this cylcomedd does not know the \"key_loaded\" command" : why);
		return CLI_ERROR;
	}
	if (cli->json) {
		out = json_pack("{s:s, s:s, s:I, s:O}", "device", device,
				"description", desc, "serial", (json_int_t)serial,
				"agent", reply);
		json_dumpf(out, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(out);
	} else {
		printf("%s: the agent took the key\n", device);
	}
	json_decref(reply);
	return CLI_OK;
}

static int generate(const char *path)
{
	uint8_t key[CYL_REC_KEY_LEN];
	char hex[CYL_KEY_HEX_LEN + 2];
	int err, ret = CLI_ERROR;

	if (RAND_bytes(key, sizeof(key)) != 1) {
		fprintf(stderr, "cylctl: key generate: no random bytes from OpenSSL\n");
		return CLI_ERROR;
	}
	cyl_key_hex(key, hex);
	OPENSSL_cleanse(key, sizeof(key));
	hex[CYL_KEY_HEX_LEN] = '\n';
	hex[CYL_KEY_HEX_LEN + 1] = '\0';

	if (!path || !strcmp(path, "-")) {
		if (fwrite(hex, 1, CYL_KEY_HEX_LEN + 1, stdout) != CYL_KEY_HEX_LEN + 1 ||
		    fflush(stdout))
			fprintf(stderr, "cylctl: key generate: standard output: %s\n",
				strerror(errno));
		else
			ret = CLI_OK;
		goto out;
	}
	err = cyl_write_new_file(path, hex, CYL_KEY_HEX_LEN + 1, 0600);
	if (err) {
		fprintf(stderr, "cylctl: key generate: %s: %s\n", path,
			err == -EEXIST ? "exists; not overwritten" : strerror(-err));
		goto out;
	}
	printf("%s: new record key written (mode 0600)\n", path);
	ret = CLI_OK;
out:
	OPENSSL_cleanse(hex, sizeof(hex));
	return ret;
}

int key_main(int argc, char *argv[], struct cyl_cli *cli)
{
	const char *sub;
	int nargs, ret;

	ret = cyl_cli_sub_options(argc, argv, cli, usage);
	if (ret >= 0)
		return ret;
	nargs = argc - optind - 1;
	sub = optind < argc ? argv[optind] : "";
	if (nargs >= 1 && (!strcmp(argv[optind + 1], "--help") ||
			   !strcmp(argv[optind + 1], "-h"))) {
		usage(stdout);
		return CLI_OK;
	}
	if (!strcmp(sub, "load") && (nargs == 1 || nargs == 2))
		return load(cli, argv[optind + 1], nargs == 2 ? argv[optind + 2] : "-");
	if (!strcmp(sub, "generate") && nargs <= 1)
		return generate(nargs == 1 ? argv[optind + 1] : NULL);
	usage(stderr);
	return CLI_USAGE;
}
