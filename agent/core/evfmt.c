// SPDX-License-Identifier: GPL-2.0
/*
 * Event formatting.  comm comes from the kernel unterminated and under
 * the subject's control, so it is sanitised before anyone prints it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "evfmt.h"

static const char *const type_names[__CYL_EV_MAX] = {
	[CYL_EV_TTY_OPEN]	= "tty_open",
};

static const char *const verdict_names[] = {
	[CYL_VERDICT_ALLOW]	= "allow",
	[CYL_VERDICT_AUDIT]	= "audit",
	[CYL_VERDICT_DENY]	= "deny",
};

const char *cyl_evfmt_type_name(__u32 type)
{
	return type < __CYL_EV_MAX ? type_names[type] : NULL;
}

const char *cyl_evfmt_verdict_name(__u32 verdict)
{
	if (verdict >= sizeof(verdict_names) / sizeof(verdict_names[0]))
		return NULL;
	return verdict_names[verdict];
}

/* comm as a printable word: stops at NUL, never reads past the array. */
static void sanitise_comm(const struct cyl_event *ev,
			  char out[CYL_COMM_LEN + 1])
{
	size_t i;

	for (i = 0; i < CYL_COMM_LEN && ev->comm[i]; i++) {
		unsigned char ch = ev->comm[i];

		out[i] = (ch > 0x20 && ch < 0x7f) ? ch : '?';
	}
	out[i] = '\0';
}

static const char *name_or_num(const char *name, const char *prefix,
			       __u32 num, char *buf, size_t size)
{
	if (name)
		return name;
	snprintf(buf, size, "%s_%u", prefix, num);
	return buf;
}

int cyl_evfmt_line(const struct cyl_event *ev, char *buf, size_t size)
{
	char comm[CYL_COMM_LEN + 1], tbuf[24], vbuf[24];
	const char *type, *verdict;
	int n;

	sanitise_comm(ev, comm);
	type = name_or_num(cyl_evfmt_type_name(ev->type), "type", ev->type,
			   tbuf, sizeof(tbuf));
	verdict = name_or_num(cyl_evfmt_verdict_name(ev->verdict), "verdict",
			      ev->verdict, vbuf, sizeof(vbuf));
	n = snprintf(buf, size, "%s dev=%u:%u pid=%u uid=%u comm=%s verdict=%s",
		     type, CYL_DEV_MAJOR(ev->dev), CYL_DEV_MINOR(ev->dev),
		     ev->pid, ev->uid, comm, verdict);
	if (n < 0 || (size_t)n >= size)
		return -ENOSPC;
	return n;
}

json_t *cyl_evfmt_json(const struct cyl_event *ev)
{
	char comm[CYL_COMM_LEN + 1], tbuf[24], vbuf[24], dev[24];

	sanitise_comm(ev, comm);
	snprintf(dev, sizeof(dev), "%u:%u", CYL_DEV_MAJOR(ev->dev),
		 CYL_DEV_MINOR(ev->dev));
	return json_pack("{s:s,s:I,s:s,s:I,s:I,s:s,s:s}",
			 "type", name_or_num(cyl_evfmt_type_name(ev->type),
					     "type", ev->type, tbuf, sizeof(tbuf)),
			 "ts_ns", (json_int_t)ev->ts_ns,
			 "dev", dev,
			 "pid", (json_int_t)ev->pid,
			 "uid", (json_int_t)ev->uid,
			 "comm", comm,
			 "verdict", name_or_num(cyl_evfmt_verdict_name(ev->verdict),
						"verdict", ev->verdict,
						vbuf, sizeof(vbuf)));
}
