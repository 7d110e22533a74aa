// SPDX-License-Identifier: GPL-2.0
/*
 * cylctl abe {setup,keygen,encrypt,decrypt,show}: attribute-based
 * encryption (FAME CP-ABE on BLS12-381), offline.  The authority's master
 * key is written once with mode 0600 and never printed; user keys are
 * secret too (mode 0600, never written to a terminal).  Decryption into a
 * file goes through a temporary file renamed only once every chunk is
 * authenticated, so a tampered file leaves no partial plaintext behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "abe/armour.h"
#include "abe/encoding.h"
#include "abe/fame.h"
#include "abe/seal.h"
#include "cli/cli.h"
#include "util/file.h"

#define KEY_FILE_MAX	(4u << 20)

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: cylctl abe setup --master FILE --public FILE\n"
		"       cylctl abe keygen --master FILE --attrs LIST [--subject ID]\n"
		"                         [--days N] [-o FILE|-]\n"
		"       cylctl abe encrypt --public FILE --policy POLICY [-i IN] [-o OUT]\n"
		"       cylctl abe decrypt --key FILE [-i IN] [-o OUT]\n"
		"       cylctl abe show FILE\n\n"
		"Ciphertext-policy attribute-based encryption (FAME on BLS12-381).\n\n"
		"setup     creates an authority: its master key (mode 0600, never\n"
		"          overwritten, never printed) and its public key.\n"
		"keygen    makes a user key for LIST, e.g. \"role:cardiologist,ward:ICU\",\n"
		"          optionally naming its holder (--subject, e.g. a DID) and\n"
		"          expiring after N days; written with mode 0600, or to\n"
		"          standard output when that is not a terminal.\n"
		"encrypt   seals IN (default standard input) for POLICY, e.g.\n"
		"          \"(role:cardiologist and ward:ICU) or role:dpo\" or\n"
		"          \"2 of (role:nurse, ward:ICU, shift:night)\", to OUT (default\n"
		"          standard output, not a terminal).\n"
		"decrypt   opens a sealed file with a user key whose attributes satisfy\n"
		"          its policy.  OUT appears only when the whole file is authentic.\n"
		"show      describes a key or sealed file: attributes, policy, sizes.\n\n"
		"Exit status: 0 ok, 1 error (including a key that does not satisfy the\n"
		"policy, or a file altered), 2 usage.  See Documentation/abe.md.\n");
}

static int fail(const char *sub, const char *fmt, const char *arg, const char *why)
{
	fprintf(stderr, "cylctl: abe %s: ", sub);
	fprintf(stderr, fmt, arg, why);
	fputc('\n', stderr);
	return CLI_ERROR;
}

/* Read and un-armour a key file; warn when a secret one is loosely readable. */
static int read_armoured(const char *sub, const char *path, const char *label,
			 bool secret, uint8_t **data, size_t *len)
{
	char *text = NULL, err[256];
	struct stat st;
	size_t tlen;
	int ret;

	ret = cyl_read_file(path, KEY_FILE_MAX, &text, &tlen);
	if (ret)
		return fail(sub, "%s: %s", path, ret == -EFBIG ? "too large" : strerror(-ret));
	if (secret && !stat(path, &st) && (st.st_mode & 077))
		fprintf(stderr, "cylctl: warning: %s is readable by its group or by others "
			"(chmod 600 it)\n", path);
	ret = cyl_armour_decode(text, tlen, label, data, len, err, sizeof(err));
	OPENSSL_clear_free(text, tlen);
	if (ret)
		return fail(sub, "%s: %s", path, err);
	return CLI_OK;
}

static int read_msk(const char *sub, const char *path, struct cyl_fame_msk *msk)
{
	uint8_t *data;
	char err[256];
	size_t len;
	int ret;

	if (read_armoured(sub, path, CYL_ARMOUR_MSK, true, &data, &len))
		return CLI_ERROR;
	ret = cyl_abe_msk_decode(msk, data, len, err, sizeof(err));
	OPENSSL_clear_free(data, len);
	return ret ? fail(sub, "%s: %s", path, err) : CLI_OK;
}

static int read_pk(const char *sub, const char *path, struct cyl_fame_pk *pk)
{
	uint8_t *data;
	char err[256];
	size_t len;
	int ret;

	if (read_armoured(sub, path, CYL_ARMOUR_PK, false, &data, &len))
		return CLI_ERROR;
	ret = cyl_abe_pk_decode(pk, data, len, err, sizeof(err));
	free(data);
	return ret ? fail(sub, "%s: %s", path, err) : CLI_OK;
}

static int read_key(const char *sub, const char *path, struct cyl_fame_key *key,
		    struct cyl_abe_key_meta *meta)
{
	uint8_t *data;
	char err[256];
	size_t len;
	int ret;

	if (read_armoured(sub, path, CYL_ARMOUR_KEY, true, &data, &len))
		return CLI_ERROR;
	ret = cyl_abe_key_decode(key, meta, data, len, err, sizeof(err));
	OPENSSL_clear_free(data, len);
	return ret ? fail(sub, "%s: %s", path, err) : CLI_OK;
}

/* Armour @data and write it to a new file (or stdout for "-"). */
static int write_armoured(const char *sub, const char *path, const char *label,
			  const uint8_t *data, size_t len, mode_t mode)
{
	char *text;
	int ret;

	ret = cyl_armour_encode(label, data, len, &text);
	if (ret)
		return fail(sub, "%s: %s", path, strerror(-ret));
	if (!strcmp(path, "-")) {
		ret = fputs(text, stdout) < 0 || fflush(stdout) ? -errno : 0;
	} else {
		ret = cyl_write_new_file(path, text, strlen(text), mode);
	}
	OPENSSL_clear_free(text, strlen(text));
	if (ret)
		return fail(sub, "%s: %s", path,
			    ret == -EEXIST ? "exists; not overwritten" : strerror(-ret));
	return CLI_OK;
}

static int abe_setup(const char *master, const char *public)
{
	struct cyl_fame_msk msk;
	struct cyl_fame_pk pk;
	uint8_t *buf;
	size_t len;
	int ret;

	if (!master || !public || !strcmp(master, "-") || !strcmp(public, "-")) {
		fprintf(stderr, "cylctl: abe setup: --master FILE and --public FILE are "
			"required (the master key is never printed)\n");
		return CLI_USAGE;
	}
	if (!access(master, F_OK) || !access(public, F_OK))
		return fail("setup", "%s: %s", access(master, F_OK) ? public : master,
			    "exists; not overwritten");
	if (cyl_fame_setup(&pk, &msk))
		return fail("setup", "%s%s", "", "no random bytes from OpenSSL");
	ret = cyl_abe_msk_encode(&msk, &buf, &len);
	cyl_fame_msk_clear(&msk);
	if (ret)
		return fail("setup", "%s%s", "", strerror(-ret));
	ret = write_armoured("setup", master, CYL_ARMOUR_MSK, buf, len, 0600);
	OPENSSL_clear_free(buf, len);
	if (ret)
		return ret;
	ret = cyl_abe_pk_encode(&pk, &buf, &len);
	if (ret)
		return fail("setup", "%s%s", "", strerror(-ret));
	ret = write_armoured("setup", public, CYL_ARMOUR_PK, buf, len, 0644);
	free(buf);
	if (ret) {
		unlink(master);	/* an authority without its public key is no use */
		return ret;
	}
	printf("%s: master key written (mode 0600; keep it offline)\n"
	       "%s: public key written\n", master, public);
	return CLI_OK;
}

static int abe_keygen(const char *master, const char *attrs_text, const char *subject,
		  long days, const char *out)
{
	struct cyl_abe_key_meta meta = { .subject = (char *)(subject ? subject : "") };
	struct cyl_fame_key key;
	struct cyl_fame_msk msk;
	char **attrs = NULL, err[256];
	size_t n = 0, len;
	uint8_t *buf;
	int ret;

	if (!master || !attrs_text) {
		fprintf(stderr, "cylctl: abe keygen: --master FILE and --attrs LIST are required\n");
		return CLI_USAGE;
	}
	if (strlen(meta.subject) > CYL_ABE_SUBJECT_MAX) {
		fprintf(stderr, "cylctl: abe keygen: --subject longer than %d bytes\n",
			CYL_ABE_SUBJECT_MAX);
		return CLI_USAGE;
	}
	if (!strcmp(out, "-") && isatty(STDOUT_FILENO)) {
		fprintf(stderr, "cylctl: abe keygen: refusing to write a secret key to a "
			"terminal; use -o FILE\n");
		return CLI_USAGE;
	}
	if (cyl_abe_attrs_parse(attrs_text, &attrs, &n, err, sizeof(err))) {
		fprintf(stderr, "cylctl: abe keygen: --attrs: %s\n", err);
		return CLI_USAGE;
	}
	if (days > 0)
		meta.not_after = (uint64_t)time(NULL) + (uint64_t)days * 86400;
	ret = read_msk("keygen", master, &msk);
	if (!ret) {
		ret = cyl_fame_keygen(&key, &msk, (const char *const *)attrs, n);
		cyl_fame_msk_clear(&msk);
		ret = ret ? fail("keygen", "%s%s", "", strerror(-ret)) : CLI_OK;
	}
	cyl_abe_attrs_free(attrs, n);
	if (ret)
		return ret;
	ret = cyl_abe_key_encode(&key, &meta, &buf, &len);
	cyl_fame_key_free(&key);
	if (ret)
		return fail("keygen", "%s%s", "", strerror(-ret));
	ret = write_armoured("keygen", out, CYL_ARMOUR_KEY, buf, len, 0600);
	OPENSSL_clear_free(buf, len);
	if (!ret && strcmp(out, "-"))
		printf("%s: user key written (mode 0600)\n", out);
	return ret;
}

static FILE *open_in(const char *sub, const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;

	if (!f)
		fail(sub, "%s: %s", path, strerror(errno));
	return f;
}

/*
 * An output file: written under a temporary name beside it, then linked
 * into place only when complete (link() never replaces an existing file),
 * or removed.  "-" is standard output.
 */
struct output {
	const char *path;
	char tmp[4096];
	FILE *f;
};

static int output_open(struct output *o, const char *sub, const char *path, mode_t mode)
{
	int fd;

	o->path = path;
	o->f = NULL;
	if (!strcmp(path, "-")) {
		o->f = stdout;
		return CLI_OK;
	}
	if ((size_t)snprintf(o->tmp, sizeof(o->tmp), "%s.tmpXXXXXX", path) >= sizeof(o->tmp))
		return fail(sub, "%s: %s", path, "path too long");
	if (!access(path, F_OK))
		return fail(sub, "%s: %s", path, "exists; not overwritten");
	fd = mkstemp(o->tmp);
	if (fd < 0)
		return fail(sub, "%s: %s", path, strerror(errno));
	if (fchmod(fd, mode) || !(o->f = fdopen(fd, "wb"))) {
		fail(sub, "%s: %s", o->tmp, strerror(errno));
		close(fd);
		unlink(o->tmp);
		return CLI_ERROR;
	}
	return CLI_OK;
}

/* Commit the output when @ret is CLI_OK, discard it otherwise. */
static int output_close(struct output *o, const char *sub, int ret)
{
	if (!o->f || o->f == stdout)
		return ret;
	if ((fflush(o->f) || fsync(fileno(o->f))) && ret == CLI_OK)
		ret = fail(sub, "%s: %s", o->tmp, strerror(errno));
	if (fclose(o->f) && ret == CLI_OK)
		ret = fail(sub, "%s: %s", o->tmp, strerror(errno));
	if (ret == CLI_OK && link(o->tmp, o->path))
		ret = fail(sub, "%s: %s", o->path,
			   errno == EEXIST ? "exists; not overwritten" : strerror(errno));
	unlink(o->tmp);
	return ret;
}

static int abe_encrypt(const char *public, const char *policy_text, const char *in_path,
		   const char *out_path)
{
	struct cyl_abe_policy *policy = NULL;
	struct output out = { 0 };
	struct cyl_fame_pk pk;
	FILE *in = NULL;
	char err[512];
	int ret = CLI_ERROR;

	if (!public || !policy_text) {
		fprintf(stderr, "cylctl: abe encrypt: --public FILE and --policy POLICY are "
			"required\n");
		return CLI_USAGE;
	}
	if (!strcmp(out_path, "-") && isatty(STDOUT_FILENO)) {
		fprintf(stderr, "cylctl: abe encrypt: refusing to write binary to a terminal; "
			"use -o FILE\n");
		return CLI_USAGE;
	}
	if (cyl_abe_policy_parse(policy_text, &policy, err, sizeof(err))) {
		fprintf(stderr, "cylctl: abe encrypt: --policy: %s\n", err);
		return CLI_USAGE;
	}
	if (read_pk("encrypt", public, &pk))
		goto out;
	in = open_in("encrypt", in_path);
	if (!in || output_open(&out, "encrypt", out_path, 0644))
		goto out;
	if (cyl_seal(in, out.f, &pk, policy, err, sizeof(err))) {
		fail("encrypt", "%s: %s", in_path, err);
		goto out;
	}
	ret = CLI_OK;
out:
	if (in && in != stdin)
		fclose(in);
	ret = output_close(&out, "encrypt", ret);
	cyl_abe_policy_free(policy);
	return ret;
}

static int abe_decrypt(const char *key_path, const char *in_path, const char *out_path)
{
	struct output out = { 0 };
	struct cyl_abe_key_meta meta;
	struct cyl_fame_key key;
	FILE *in = NULL;
	char err[512];
	int ret = CLI_ERROR;

	if (!key_path) {
		fprintf(stderr, "cylctl: abe decrypt: --key FILE is required\n");
		return CLI_USAGE;
	}
	if (read_key("decrypt", key_path, &key, &meta))
		return CLI_ERROR;
	if (meta.not_after && (uint64_t)time(NULL) > meta.not_after) {
		time_t t = (time_t)meta.not_after;
		char when[64];

		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
		fprintf(stderr, "cylctl: abe decrypt: %s: the key expired at %s\n",
			key_path, when);
		goto out;
	}
	in = open_in("decrypt", in_path);
	if (!in || output_open(&out, "decrypt", out_path, 0600))
		goto out;
	if (cyl_unseal(in, out.f, &key, err, sizeof(err))) {
		fail("decrypt", "%s: %s", in_path, err);
		goto out;
	}
	ret = CLI_OK;
out:
	if (in && in != stdin)
		fclose(in);
	ret = output_close(&out, "decrypt", ret);
	cyl_fame_key_free(&key);
	cyl_abe_key_meta_free(&meta);
	return ret;
}

/* Describe a key file or a sealed file, without secrets. */
static int abe_show(const struct cyl_cli *cli, const char *path)
{
	struct cyl_abe_key_meta meta;
	struct cyl_fame_key key;
	struct cyl_fame_ct ct;
	uint8_t *header;
	char err[512], head[16] = "";
	size_t hlen, i;
	FILE *f;
	int ret;

	f = open_in("show", path);
	if (!f)
		return CLI_ERROR;
	if (!fgets(head, sizeof(head), f))
		head[0] = '\0';
	rewind(f);
	if (!strncmp(head, CYL_SEAL_MAGIC, strlen(CYL_SEAL_MAGIC))) {
		ret = cyl_seal_read_header(f, &ct, &header, &hlen, err, sizeof(err));
		fclose(f);
		if (ret)
			return fail("show", "%s: %s", path, err);
		printf("%s: sealed file\n  policy: %s\n  rows: %zu\n  header: %zu bytes\n",
		       path, ct.policy, ct.rows, hlen);
		cyl_fame_ct_free(&ct);
		free(header);
		return CLI_OK;
	}
	fclose(f);
	if (read_key("show", path, &key, &meta))
		return CLI_ERROR;
	printf("%s: user key\n  subject: %s\n  attributes:", path,
	       meta.subject[0] ? meta.subject : "(none)");
	for (i = 0; i < key.n_attrs; i++)
		printf("%s%s", i ? ", " : " ", key.attrs[i]);
	if (meta.not_after) {
		time_t t = (time_t)meta.not_after;
		char when[64];

		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
		printf("\n  not after: %s", when);
	}
	putchar('\n');
	cyl_fame_key_free(&key);
	cyl_abe_key_meta_free(&meta);
	return CLI_OK;
}

int abe_main(int argc, char *argv[], struct cyl_cli *cli)
{
	static const struct option longopts[] = {
		{ "master",	required_argument,	NULL, 'm' },
		{ "public",	required_argument,	NULL, 'p' },
		{ "attrs",	required_argument,	NULL, 'a' },
		{ "subject",	required_argument,	NULL, 's' },
		{ "days",	required_argument,	NULL, 'd' },
		{ "policy",	required_argument,	NULL, 'P' },
		{ "key",	required_argument,	NULL, 'k' },
		{ "in",		required_argument,	NULL, 'i' },
		{ "out",	required_argument,	NULL, 'o' },
		{ "help",	no_argument,		NULL, 'h' },
		{ 0 }
	};
	const char *master = NULL, *public = NULL, *attrs = NULL, *subject = NULL;
	const char *policy = NULL, *key = NULL, *in = "-", *out = "-", *sub;
	long days = 0;
	char *end;
	int opt;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	sub = argv[1];
	optind = 2;
	while ((opt = getopt_long(argc, argv, "i:o:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'm':
			master = optarg;
			break;
		case 'p':
			public = optarg;
			break;
		case 'a':
			attrs = optarg;
			break;
		case 's':
			subject = optarg;
			break;
		case 'P':
			policy = optarg;
			break;
		case 'k':
			key = optarg;
			break;
		case 'i':
			in = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'd':
			errno = 0;
			days = strtol(optarg, &end, 10);
			if (errno || *end || days < 1 || days > 36500) {
				fprintf(stderr, "cylctl: abe: --days: expected 1 to 36500\n");
				return CLI_USAGE;
			}
			break;
		case 'h':
			usage(stdout);
			return CLI_OK;
		default:
			usage(stderr);
			return CLI_USAGE;
		}
	}
	if (!strcmp(sub, "show") && optind == argc - 1)
		return abe_show(cli, argv[optind]);
	if (optind != argc) {
		usage(stderr);
		return CLI_USAGE;
	}
	if (!strcmp(sub, "setup"))
		return abe_setup(master, public);
	if (!strcmp(sub, "keygen"))
		return abe_keygen(master, attrs, subject, days, out);
	if (!strcmp(sub, "encrypt"))
		return abe_encrypt(public, policy, in, out);
	if (!strcmp(sub, "decrypt"))
		return abe_decrypt(key, in, out);
	fprintf(stderr, "cylctl: abe: unknown subcommand \"%s\"\n", sub);
	usage(stderr);
	return CLI_USAGE;
}
