// SPDX-License-Identifier: GPL-2.0
/*
 * Policy lifecycle: one apply path for the start, loads and rollbacks.
 *
 * Order of a load, so that any failure leaves the old policy in force:
 * parse and validate; save the current text as the previous policy;
 * write the new text beside the policy file; build the new guarded set
 * and swap it in (one map update); rename the new text over the policy
 * file; only then replace the daemon's state and count a generation.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "core/daemon.h"
#include "core/log.h"
#include "serial/serial.h"
#include "risk/risk.h"
#include "ssi/ssi.h"
#include "usb/usb.h"
#include "core/policy_state.h"
#include "util/file.h"
#include "util/errbuf.h"

void cyl_sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[32];
	unsigned int mdlen = 0, i;

	if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) ||
	    mdlen != sizeof(md)) {
		out[0] = '\0';
		return;
	}
	for (i = 0; i < sizeof(md); i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static void state_path(const struct cyl_daemon *d, const char *file,
		       char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s", d->opts->state_dir, file);
}

static uint64_t read_generation(const struct cyl_daemon *d)
{
	char path[4096], *text;
	uint64_t gen = 0;
	size_t len;

	state_path(d, "generation", path, sizeof(path));
	if (!cyl_read_file(path, 32, &text, &len)) {
		if (sscanf(text, "%" SCNu64, &gen) != 1)
			log_warn_f("%s: not a number, counting from 0", path);
		free(text);
	}
	return gen;
}

static void write_generation(const struct cyl_daemon *d, uint64_t gen)
{
	char path[4096], text[32];
	int len, ret;

	state_path(d, "generation", path, sizeof(path));
	len = snprintf(text, sizeof(text), "%" PRIu64 "\n", gen);
	ret = cyl_write_file_atomic(path, text, len, 0640);
	if (ret)
		log_warn_f("%s: %s (the count restarts after a reboot)",
			   path, strerror(-ret));
}


static int apply(struct cyl_daemon *d, const char *name, const char *text,
		 size_t len, bool replace_file, char *err, size_t errlen)
{
	struct cyl_policy_state *ps = &d->pstate;
	char tmp[4096], prev[4096], sha[65];
	struct cyl_policy np, old_policy;
	struct cyl_policy_error perr;
	char *copy = NULL, *name_copy = NULL;
	bool *guarded = NULL, *old_guarded;
	int ret;

	ret = cyl_policy_parse(name, text, len, &np, &perr);
	if (!ret)
		ret = cyl_policy_load_references(&np, &perr);
	/* SSI's master key: a policy whose key is bad or exposed is refused. */
	if (!ret)
		ret = cyl_ssi_policy_prepare(name, &np, perr.text, sizeof(perr.text));
	if (ret) {
		cyl_policy_free(&np);
		return cyl_errf(ret, err, errlen, "%s", perr.text);
	}

	ret = cyl_errf(-ENOMEM, err, errlen, "out of memory");
	copy = malloc(len + 1);
	name_copy = strdup(name);
	if (!copy || !name_copy)
		goto err_policy;
	memcpy(copy, text, len);
	copy[len] = '\0';

	if (replace_file) {
		state_path(d, "policy.previous.yaml", prev, sizeof(prev));
		ret = cyl_write_file_atomic(prev, ps->text, ps->len, 0600);
		if (ret) {
			cyl_errf(ret, err, errlen, "cannot keep the previous policy in %s: %s",
			     prev, strerror(-ret));
			goto err_policy;
		}
		snprintf(tmp, sizeof(tmp), "%s.new", d->opts->config);
		ret = cyl_write_file_atomic(tmp, text, len, 0600);
		if (ret) {
			cyl_errf(ret, err, errlen, "cannot write %s: %s", tmp,
			     strerror(-ret));
			goto err_policy;
		}
	}

	/* The one step that changes what the kernel enforces. */
	ret = cyl_devices_guard(d->lsm, &np, NULL, &guarded);
	if (ret) {
		cyl_errf(ret, err, errlen, "applying the policy failed: %s (the previous policy stays)",
		     strerror(-ret));
		goto err_tmp;
	}

	if (replace_file && rename(tmp, d->opts->config)) {
		ret = -errno;
		cyl_errf(ret, err, errlen, "cannot replace %s: %s (the previous policy stays)",
		     d->opts->config, strerror(errno));
		/* Put the old set back: what runs must match the file. */
		free(guarded);
		if (cyl_devices_guard(d->lsm, &d->policy, NULL, &guarded) == 0) {
			free(d->guarded);
			d->guarded = guarded;
		}
		guarded = NULL;
		goto err_tmp;
	}

	old_policy = d->policy;
	old_guarded = d->guarded;
	d->policy = np;
	d->guarded = guarded;
	cyl_policy_free(&old_policy);
	free(old_guarded);

	cyl_sha256_hex(text, len, sha);
	free(ps->text);
	free(ps->name);
	ps->text = copy;
	ps->len = len;
	ps->name = name_copy;
	memcpy(ps->sha256, sha, sizeof(sha));
	ps->generation = read_generation(d) + 1;
	write_generation(d, ps->generation);
	ps->loaded_at = time(NULL);

	log_info_f("policy %s in force: generation %" PRIu64 ", %zu device(s), sha256 %s",
		   name, ps->generation, d->policy.n_devices, sha);
	/* Metrics follow the devices; their counts carry over. */
	if (cyl_stats_sync_devices(d))
		log_warn_f("metrics: could not follow the new device list");
	/* Serial settings follow; a device that fails is logged, not undone. */
	cyl_serial_sync(d, true);
	cyl_risk_policy_changed(d);
	cyl_daemon_policy_event(d);
	/* USB decisions follow (after the policy_load event they cite). */
	cyl_usb_policy_changed(d);
	cyl_ssi_policy_changed(d);
	return 0;

err_tmp:
	if (replace_file)
		unlink(tmp);
err_policy:
	cyl_policy_free(&np);
	free(copy);
	free(name_copy);
	return ret;
}

static int ensure_state_dir(struct cyl_daemon *d, char *err, size_t errlen)
{
	if (mkdir(d->opts->state_dir, 0750) && errno != EEXIST)
		return cyl_errf(-errno, err, errlen, "mkdir %s: %s",
			    d->opts->state_dir, strerror(errno));
	return 0;
}

int cyl_policy_state_start(struct cyl_daemon *d, char *err, size_t errlen)
{
	size_t len;
	char *text;
	int ret;

	if ((ret = ensure_state_dir(d, err, errlen)) != 0)
		return ret;
	ret = cyl_read_file(d->opts->config, CYL_POLICY_MAX_SIZE, &text, &len);
	if (ret == -EFBIG)
		return cyl_errf(ret, err, errlen, "%s: policy is larger than 1 MiB",
			    d->opts->config);
	if (ret)
		return cyl_errf(ret, err, errlen, "%s: cannot read: %s",
			    d->opts->config, strerror(-ret));
	ret = apply(d, d->opts->config, text, len, false, err, errlen);
	free(text);
	return ret;
}

int cyl_policy_state_load(struct cyl_daemon *d, const char *name,
			  const char *text, size_t len, char *err,
			  size_t errlen)
{
	return apply(d, name, text, len, true, err, errlen);
}

int cyl_policy_state_rollback(struct cyl_daemon *d, char *err, size_t errlen)
{
	char path[4096], *text;
	size_t len;
	int ret;

	state_path(d, "policy.previous.yaml", path, sizeof(path));
	ret = cyl_read_file(path, CYL_POLICY_MAX_SIZE, &text, &len);
	if (ret == -ENOENT)
		return cyl_errf(ret, err, errlen, "no previous policy to roll back to");
	if (ret)
		return cyl_errf(ret, err, errlen, "%s: cannot read: %s", path,
			    strerror(-ret));
	ret = apply(d, "previous policy", text, len, true, err, errlen);
	free(text);
	return ret;
}

void cyl_policy_state_free(struct cyl_policy_state *ps)
{
	free(ps->text);
	free(ps->name);
	memset(ps, 0, sizeof(*ps));
}
