// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

/* Room for @more bytes and a NUL. */
static bool grow(struct cyl_strbuf *b, size_t more)
{
	size_t cap;
	char *p;

	if (b->oom)
		return false;
	if (b->len + more < b->cap)
		return true;
	cap = b->cap ? b->cap : 256;
	while (cap <= b->len + more) {
		if (cap > SIZE_MAX / 2)
			goto oom;
		cap *= 2;
	}
	p = realloc(b->p, cap);
	if (!p)
		goto oom;
	b->p = p;
	b->cap = cap;
	return true;
oom:
	b->oom = true;
	return false;
}

void cyl_strbuf_add(struct cyl_strbuf *b, const char *s, size_t len)
{
	if (len > SIZE_MAX / 2 || !grow(b, len))
		return;
	memcpy(b->p + b->len, s, len);
	b->len += len;
	b->p[b->len] = '\0';
}

void cyl_strbuf_puts(struct cyl_strbuf *b, const char *s)
{
	cyl_strbuf_add(b, s, strlen(s));
}

void cyl_strbuf_printf(struct cyl_strbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !grow(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/*
 * The length of a control character at @s (C0, DEL, or C1 as UTF-8
 * C2 80..C2 9F), 0 if there is none.
 */
static size_t control_len(const unsigned char *s)
{
	if (*s < 0x20 || *s == 0x7f)
		return 1;
	if (s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f)
		return 2;
	return 0;
}

void cyl_strbuf_html(struct cyl_strbuf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t run, n;

	while (*p) {
		for (run = 0; p[run] && !strchr("&<>\"'", p[run]) &&
			      (p[run] == '\t' || p[run] == '\n' || !control_len(p + run)); run++)
			;
		cyl_strbuf_add(b, (const char *)p, run);
		p += run;
		if (!*p)
			break;
		switch (*p) {
		case '&': cyl_strbuf_puts(b, "&amp;"); break;
		case '<': cyl_strbuf_puts(b, "&lt;"); break;
		case '>': cyl_strbuf_puts(b, "&gt;"); break;
		case '"': cyl_strbuf_puts(b, "&quot;"); break;
		case '\'': cyl_strbuf_puts(b, "&#39;"); break;
		default:
			n = control_len(p);
			cyl_strbuf_puts(b, "&#xfffd;");
			p += n;
			continue;
		}
		p++;
	}
}

void cyl_strbuf_md(struct cyl_strbuf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t run, n;

	while (*p) {
		for (run = 0; p[run] && !strchr("\\`*_[]<>|#&!~", p[run]) &&
			      !control_len(p + run); run++)
			;
		cyl_strbuf_add(b, (const char *)p, run);
		p += run;
		if (!*p)
			break;
		n = control_len(p);
		if (!n) {
			cyl_strbuf_add(b, "\\", 1);
			cyl_strbuf_add(b, (const char *)p, 1);
			p++;
		} else {
			cyl_strbuf_add(b, *p == '\n' || *p == '\t' || *p == '\r' ? " " : "?", 1);
			p += n;
		}
	}
}

char *cyl_strbuf_take(struct cyl_strbuf *b, size_t *len)
{
	char *p = NULL;
	size_t n = 0;

	if (!b->oom) {
		p = b->p ? b->p : strdup("");
		n = b->len;
		b->p = NULL;
	}
	cyl_strbuf_free(b);
	if (len)
		*len = p ? n : 0;
	return p;
}

void cyl_strbuf_free(struct cyl_strbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}
