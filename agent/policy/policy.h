/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The agent's YAML policy: parse and validate, no daemon state.
 *
 * This slice knows "version" and "devices"; later sections arrive with
 * later releases and are rejected until then, so a policy written for a
 * newer agent never half-applies on an older one.
 */
#ifndef CYL_POLICY_H
#define CYL_POLICY_H

#include <stddef.h>

#define CYL_POLICY_VERSION	1
#define CYL_POLICY_MAX_SIZE	(1024 * 1024)
#define CYL_POLICY_NAME_MAX	32
#define CYL_POLICY_TTY_MAX	255
#define CYL_POLICY_MAX_DEVICES	256	/* = CYL_MAX_GUARDED_DEVS */

struct cyl_policy_device {
	char name[CYL_POLICY_NAME_MAX + 1];	/* [a-z0-9._-]{1,32} */
	char tty[CYL_POLICY_TTY_MAX + 1];	/* absolute, under /dev/ */
	unsigned int line;			/* where it was defined */
};

struct cyl_policy {
	unsigned int version;
	size_t n_devices;
	struct cyl_policy_device *devices;
};

struct cyl_policy_error {
	unsigned int line;	/* 1-based; 0 when not tied to a position */
	unsigned int column;	/* 1-based; 0 when not tied to a position */
	char text[512];		/* "file:line:col: field: message" */
};

/*
 * Parse @len bytes of @buf; @name is the file name quoted in errors.
 * Returns 0 and fills @out (free with cyl_policy_free()), or a negative
 * errno (-EINVAL bad policy, -EFBIG too large, -ENOMEM) with @err filled.
 * @out is left empty on error.
 */
int cyl_policy_parse(const char *name, const char *buf, size_t len,
		     struct cyl_policy *out, struct cyl_policy_error *err);

/* Read and parse @path; I/O errors are reported in @err as well. */
int cyl_policy_load_file(const char *path, struct cyl_policy *out,
			 struct cyl_policy_error *err);

void cyl_policy_free(struct cyl_policy *policy);

#endif /* CYL_POLICY_H */
