// SPDX-License-Identifier: GPL-2.0
/*
 * cylctl bundle create: a Mender artifact for the cylcomed-bundle update
 * module (mender/modules/cylcomed-bundle).  The policy is validated here
 * first, as "policy check" does; the payload is one tar of policy.yaml
 * and the optional models/ and bpf/ directories, handed to
 * "mender-artifact write module-image".  Documentation/mender.md has the
 * module's side.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <dirent.h>

#include "cli/cli.h"
#include "policy/policy.h"
#include "util/file.h"

#define BUNDLE_TYPE	"cylcomed-bundle"
#define BUNDLE_PAYLOAD	"cylcomed-bundle.tar"
#define SCRIPTS_DIR	"/etc/mender/scripts"	/* where make install puts them */
#define SCRIPTS_MAX	16
#define SCRIPT_MAX	(64 * 1024)

extern char **environ;

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: cylctl bundle create --policy FILE [--models DIR] [--bpf DIR]\n"
		"                            -o FILE.mender --device-type TYPE\n"
		"                            [--artifact-name NAME] [--key KEY]\n\n"
		"Validate the policy, then write a Mender artifact of type " BUNDLE_TYPE "\n"
		"with mender-artifact: one " BUNDLE_PAYLOAD " of policy.yaml, models/ and bpf/.\n\n"
		"  -p, --policy FILE         the policy to install\n"
		"  -m, --models DIR          install DIR as /var/lib/cylcomed/models\n"
		"  -b, --bpf DIR             install DIR as /var/lib/cylcomed/bpf\n"
		"  -o, --output FILE         the artifact to write\n"
		"  -t, --device-type TYPE    the device type it is for\n"
		"  -n, --artifact-name NAME  its name (default: FILE's name without .mender)\n"
		"  -k, --key KEY             sign with this private key (PEM, RSA or ECDSA)\n"
		"  -s, --scripts DIR|none    ship the Artifact* state scripts of DIR inside\n"
		"                            the artifact, @ARTIFACT_NAME@ replaced by its\n"
		"                            name (default " SCRIPTS_DIR " if present)\n"
		"      --help                show this help\n");
}

struct bundle_args {
	const char *policy, *models, *bpf, *output, *device_type, *name, *key;
	const char *scripts;	/* NULL: none */
};

/* Mender runs Artifact* state scripts only from inside the artifact. */
static bool is_artifact_script(const char *name)
{
	size_t len = strlen(name);

	return !strncmp(name, "Artifact", 8) && len > 9 &&
	       !strcmp(name + len - 9, "_cylcomed");
}

/* @text with every @ARTIFACT_NAME@ replaced by @name, to @path (0755). */
static int write_script(const char *path, const char *text, size_t len,
			const char *name)
{
	static const char tag[] = "@ARTIFACT_NAME@";
	FILE *f = fopen(path, "w");
	const char *p = text, *end = text + len, *hit;
	int ret;

	if (!f)
		return -errno;
	while ((hit = memmem(p, end - p, tag, sizeof(tag) - 1))) {
		fwrite(p, 1, hit - p, f);
		fputs(name, f);
		p = hit + sizeof(tag) - 1;
	}
	fwrite(p, 1, end - p, f);
	ret = fclose(f) ? -errno : 0;
	if (!ret && chmod(path, 0755))
		ret = -errno;
	return ret;
}

/*
 * Copies of @dir's Artifact* scripts under @tmp/scripts/, their paths in
 * @paths (each "-s" argument of mender-artifact).  The number, or -1.
 */
static int stage_scripts(const char *dir, const char *tmp, const char *name,
			 char paths[SCRIPTS_MAX][96])
{
	struct dirent *e;
	char src[4096], *text;
	int n = 0, ret = 0;
	size_t len;
	DIR *d;

	d = opendir(dir);
	if (!d) {
		fprintf(stderr, "cylctl: bundle: --scripts %s: %s (\"none\" ships none)\n",
			dir, strerror(errno));
		return -1;
	}
	snprintf(src, sizeof(src), "%s/scripts", tmp);
	if (mkdir(src, 0700)) {
		fprintf(stderr, "cylctl: bundle: %s: %s\n", src, strerror(errno));
		closedir(d);
		return -1;
	}
	while (!ret && (e = readdir(d))) {
		if (!is_artifact_script(e->d_name))
			continue;
		if (n == SCRIPTS_MAX) {
			fprintf(stderr, "cylctl: bundle: more than %d scripts in %s\n",
				SCRIPTS_MAX, dir);
			ret = -1;
			break;
		}
		snprintf(src, sizeof(src), "%s/%s", dir, e->d_name);
		if (snprintf(paths[n], 96, "%s/scripts/%s", tmp, e->d_name) >= 96 ||
		    (ret = cyl_read_file(src, SCRIPT_MAX, &text, &len))) {
			fprintf(stderr, "cylctl: bundle: %s: %s\n", src,
				ret ? strerror(-ret) : "name too long");
			ret = -1;
			break;
		}
		ret = write_script(paths[n], text, len, name);
		free(text);
		if (ret) {
			fprintf(stderr, "cylctl: bundle: %s: %s\n", paths[n], strerror(-ret));
			ret = -1;
			break;
		}
		n++;
	}
	closedir(d);
	return ret ? -1 : n;
}

/*
 * Run @argv (searched in PATH) with standard output and error to @log.
 * Returns its exit status, or -errno when it could not be started.
 */
static int run(char *const argv[], const char *log)
{
	posix_spawn_file_actions_t fa;
	int ret, status;
	pid_t pid;

	if ((ret = posix_spawn_file_actions_init(&fa)))
		return -ret;
	ret = posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, log,
					       O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (!ret)
		ret = posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO,
						       STDERR_FILENO);
	if (!ret)
		ret = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (ret)
		return -ret;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

static void print_log(const char *log)
{
	char buf[4096];
	size_t n;
	FILE *f;

	f = fopen(log, "r");
	if (!f)
		return;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, stderr);
	fclose(f);
}

/*
 * Run a step of the build; on failure say which, with its output.
 * 0 or -1.
 */
static int step(char *const argv[], const char *log, const char *what)
{
	int ret = run(argv, log);

	if (ret == -ENOENT) {
		fprintf(stderr, "cylctl: bundle: %s not found in PATH%s\n", argv[0],
			strcmp(argv[0], "mender-artifact") ? "" :
			" (install the mender-artifact package)");
		return -1;
	}
	if (ret < 0) {
		fprintf(stderr, "cylctl: bundle: cannot run %s: %s\n", argv[0],
			strerror(-ret));
		return -1;
	}
	if (ret) {
		fprintf(stderr, "cylctl: bundle: %s failed (exit %d):\n", what, ret);
		print_log(log);
		return -1;
	}
	return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	remove(path);
	return 0;
}

static int is_dir(const char *opt, const char *path)
{
	struct stat st;

	if (stat(path, &st)) {
		fprintf(stderr, "cylctl: bundle: %s %s: %s\n", opt, path, strerror(errno));
		return 0;
	}
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "cylctl: bundle: %s %s: not a directory\n", opt, path);
		return 0;
	}
	return 1;
}

/* The default artifact name: the output's file name without ".mender". */
static void default_name(const char *output, char *name, size_t size)
{
	const char *base = strrchr(output, '/');
	size_t len;

	base = base ? base + 1 : output;
	len = strlen(base);
	if (len > 7 && !strcmp(base + len - 7, ".mender"))
		len -= 7;
	snprintf(name, size, "%.*s", (int)len, base);
}

static int create(const struct bundle_args *a)
{
	char tmp[] = "/tmp/cylctl-bundle.XXXXXX";
	char payload[64], tree[64], log[64], dst[96], name[256];
	struct cyl_policy_error err;
	struct cyl_policy policy;
	char *tar_argv[12], *ma[16 + 2 * SCRIPTS_MAX];
	char scripts[SCRIPTS_MAX][96];
	int ret = CLI_ERROR, n = 0, n_scripts = 0, i, m = 0;

	if (cyl_policy_load_file(a->policy, &policy, &err)) {
		fprintf(stderr, "cylctl: %s\n", err.text);
		return CLI_ERROR;
	}
	cyl_policy_free(&policy);
	if ((a->models && !is_dir("--models", a->models)) ||
	    (a->bpf && !is_dir("--bpf", a->bpf)))
		return CLI_ERROR;
	if (a->name)
		snprintf(name, sizeof(name), "%s", a->name);
	else
		default_name(a->output, name, sizeof(name));
	if (!name[0]) {
		fprintf(stderr, "cylctl: bundle: empty artifact name\n");
		return CLI_USAGE;
	}

	if (!mkdtemp(tmp)) {
		fprintf(stderr, "cylctl: bundle: %s: %s\n", tmp, strerror(errno));
		return CLI_ERROR;
	}
	snprintf(tree, sizeof(tree), "%s/tree", tmp);
	snprintf(payload, sizeof(payload), "%s/" BUNDLE_PAYLOAD, tmp);
	snprintf(log, sizeof(log), "%s/log", tmp);
	if (mkdir(tree, 0700)) {
		fprintf(stderr, "cylctl: bundle: %s: %s\n", tree, strerror(errno));
		goto out;
	}

	/* The tree: copies under the names the module expects. */
	snprintf(dst, sizeof(dst), "%s/policy.yaml", tree);
	{
		char *cp[] = { "cp", "--", (char *)a->policy, dst, NULL };

		if (step(cp, log, "copying the policy"))
			goto out;
	}
	tar_argv[n++] = "tar";
	tar_argv[n++] = "--owner=0";
	tar_argv[n++] = "--group=0";
	tar_argv[n++] = "--numeric-owner";
	tar_argv[n++] = "-cf";
	tar_argv[n++] = payload;
	tar_argv[n++] = "-C";
	tar_argv[n++] = tree;
	tar_argv[n++] = "policy.yaml";
	if (a->models) {
		char *cp[] = { "cp", "-RL", "--", (char *)a->models, NULL, NULL };

		snprintf(dst, sizeof(dst), "%s/models", tree);
		cp[4] = dst;
		if (step(cp, log, "copying --models"))
			goto out;
		tar_argv[n++] = "models";
	}
	if (a->bpf) {
		char *cp[] = { "cp", "-RL", "--", (char *)a->bpf, NULL, NULL };

		snprintf(dst, sizeof(dst), "%s/bpf", tree);
		cp[4] = dst;
		if (step(cp, log, "copying --bpf"))
			goto out;
		tar_argv[n++] = "bpf";
	}
	tar_argv[n] = NULL;
	if (step(tar_argv, log, "tar"))
		goto out;

	if (a->scripts &&
	    (n_scripts = stage_scripts(a->scripts, tmp, name, scripts)) < 0)
		goto out;
	ma[m++] = "mender-artifact";
	ma[m++] = "write";
	ma[m++] = "module-image";
	ma[m++] = "-T";
	ma[m++] = BUNDLE_TYPE;
	ma[m++] = "-t";
	ma[m++] = (char *)a->device_type;
	ma[m++] = "-n";
	ma[m++] = name;
	ma[m++] = "-o";
	ma[m++] = (char *)a->output;
	ma[m++] = "-f";
	ma[m++] = payload;
	for (i = 0; i < n_scripts; i++) {
		ma[m++] = "-s";
		ma[m++] = scripts[i];
	}
	if (a->key) {
		ma[m++] = "-k";
		ma[m++] = (char *)a->key;
	}
	ma[m] = NULL;
	if (step(ma, log, "mender-artifact write module-image"))
		goto out;
	printf("%s: artifact %s for device type %s, policy %s%s%s%s%s, %d state script(s), %s\n",
	       a->output, name, a->device_type, a->policy,
	       a->models ? ", models " : "", a->models ? a->models : "",
	       a->bpf ? ", bpf " : "", a->bpf ? a->bpf : "",
	       n_scripts, a->key ? "signed" : "unsigned");
	ret = CLI_OK;
out:
	nftw(tmp, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return ret;
}

int bundle_main(int argc, char *argv[], struct cyl_cli *cli)
{
	static const struct option longopts[] = {
		{ "policy",		required_argument,	NULL, 'p' },
		{ "models",		required_argument,	NULL, 'm' },
		{ "bpf",		required_argument,	NULL, 'b' },
		{ "output",		required_argument,	NULL, 'o' },
		{ "device-type",	required_argument,	NULL, 't' },
		{ "artifact-name",	required_argument,	NULL, 'n' },
		{ "key",		required_argument,	NULL, 'k' },
		{ "scripts",		required_argument,	NULL, 's' },
		{ "help",		no_argument,		NULL, 'h' },
		{ 0 }
	};
	struct bundle_args a = { 0 };
	bool scripts_given = false;
	int opt;

	if (argc < 2 || strcmp(argv[1], "create")) {
		if (argc >= 2 && !strcmp(argv[1], "--help")) {
			usage(stdout);
			return CLI_OK;
		}
		usage(stderr);
		return CLI_USAGE;
	}
	argc--;
	argv++;
	optind = 0;	/* glibc: restart scanning on this argv */
	while ((opt = getopt_long(argc, argv, "p:m:b:o:t:n:k:s:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'p':
			a.policy = optarg;
			break;
		case 'm':
			a.models = optarg;
			break;
		case 'b':
			a.bpf = optarg;
			break;
		case 'o':
			a.output = optarg;
			break;
		case 't':
			a.device_type = optarg;
			break;
		case 'n':
			a.name = optarg;
			break;
		case 'k':
			a.key = optarg;
			break;
		case 's':
			a.scripts = strcmp(optarg, "none") ? optarg : NULL;
			scripts_given = true;
			break;
		case 'h':
			usage(stdout);
			return CLI_OK;
		default:
			usage(stderr);
			return CLI_USAGE;
		}
	}
	if (optind != argc || !a.policy || !a.output || !a.device_type) {
		fprintf(stderr, "cylctl: bundle create needs --policy, -o and --device-type\n");
		usage(stderr);
		return CLI_USAGE;
	}
	/* The installed scripts by default; a build host may not have them. */
	if (!scripts_given && access(SCRIPTS_DIR, F_OK) == 0)
		a.scripts = SCRIPTS_DIR;
	else if (!scripts_given)
		fprintf(stderr, "cylctl: bundle: no state scripts shipped: " SCRIPTS_DIR
			" is missing (--scripts DIR, or --scripts none)\n");
	return create(&a);
}
