// SPDX-License-Identifier: GPL-2.0
/*
 * Edits of a policy's text that keep the rest of it, comments included,
 * byte for byte: what `cylctl usb allow|block --permanent` writes back.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

/* @s as a YAML single-quoted scalar: quotes around, ' doubled. */
static char *yaml_single_quote(const char *s)
{
	size_t n = 3, i;
	char *q, *o;

	for (i = 0; s[i]; i++)
		n += s[i] == '\'' ? 2 : 1;
	q = malloc(n);
	if (!q)
		return NULL;
	o = q;
	*o++ = '\'';
	for (i = 0; s[i]; i++) {
		if (s[i] == '\'')
			*o++ = '\'';
		*o++ = s[i];
	}
	*o++ = '\'';
	*o = '\0';
	return q;
}

/* Byte offset of the start of 1-based line @line in @buf, or -1. */
static long line_start(const char *buf, size_t len, unsigned int line)
{
	size_t off = 0;

	while (--line) {
		const char *nl = memchr(buf + off, '\n', len - off);

		if (!nl)
			return -1;
		off = nl - buf + 1;
	}
	return off;
}

static int concat3(const char *a, size_t alen, const char *b, size_t blen,
		   const char *c, size_t clen, char **out, size_t *out_len)
{
	char *s = malloc(alen + blen + clen + 1);

	if (!s)
		return -ENOMEM;
	memcpy(s, a, alen);
	memcpy(s + alen, b, blen);
	memcpy(s + alen + blen, c, clen);
	s[alen + blen + clen] = '\0';
	*out = s;
	*out_len = alen + blen + clen;
	return 0;
}

int cyl_policy_usb_prepend_rule(const char *buf, size_t len,
				const struct cyl_policy *p, const char *rule,
				char **out, size_t *out_len,
				char *err, size_t errlen)
{
	const struct cyl_policy_usb *usb = &p->usb;
	char *quoted, *ins = NULL;
	int n, ret = -EINVAL;
	long off;
	size_t i;

	if (strpbrk(rule, "\r\n")) {
		snprintf(err, errlen, "a rule is one line");
		return -EINVAL;
	}
	quoted = yaml_single_quote(rule);
	if (!quoted)
		return -ENOMEM;

	if (!usb->set) {
		bool nl = len && buf[len - 1] == '\n';

		n = asprintf(&ins, "%susb:\n  rules:\n    - %s\n", nl ? "" : "\n",
			     quoted);
		ret = n < 0 ? -ENOMEM :
		      concat3(buf, len, ins, n, "", 0, out, out_len);
		goto out;
	}
	if (!usb->rules_line) {
		snprintf(err, errlen,
			 "usb.rules: only a block list (\"- ...\" lines) with at least one rule can be added to; edit the policy by hand");
		goto out;
	}
	off = line_start(buf, len, usb->rules_line);
	for (i = 0; off >= 0 && i < usb->rules_col; i++)
		if ((size_t)off + i >= len || buf[off + i] != ' ')
			off = -1;
	if (off < 0 || (size_t)off + usb->rules_col >= len ||
	    buf[off + usb->rules_col] != '-') {
		snprintf(err, errlen,
			 "usb.rules: the first rule's \"-\" does not start its line (line %u); edit the policy by hand",
			 usb->rules_line);
		goto out;
	}
	n = asprintf(&ins, "%*s- %s\n", (int)usb->rules_col, "", quoted);
	ret = n < 0 ? -ENOMEM :
	      concat3(buf, off, ins, n, buf + off, len - off, out, out_len);
out:
	free(ins);
	free(quoted);
	return ret;
}
