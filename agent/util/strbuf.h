/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A growable text buffer, and text from outside (a policy, a log) put
 * into it escaped for the markup it lands in: HTML or XML (SVG), and
 * Markdown read in a terminal.  No I/O.
 *
 * Appending never fails visibly: an allocation failure marks the buffer
 * (oom) and later appends do nothing, so a writer checks once at the end.
 */
#ifndef CYL_UTIL_STRBUF_H
#define CYL_UTIL_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct cyl_strbuf {
	char *p;		/* NUL-terminated once anything was appended */
	size_t len, cap;
	bool oom;		/* an append could not allocate */
};

void cyl_strbuf_add(struct cyl_strbuf *b, const char *s, size_t len);
void cyl_strbuf_puts(struct cyl_strbuf *b, const char *s);
void __attribute__((format(printf, 2, 3)))
cyl_strbuf_printf(struct cyl_strbuf *b, const char *fmt, ...);

/*
 * @s for HTML text or attribute values, and for XML: & < > " ' as
 * character references; control characters (C0 but tab and newline,
 * DEL, C1), which XML does not allow, as U+FFFD.
 */
void cyl_strbuf_html(struct cyl_strbuf *b, const char *s);

/*
 * @s for Markdown inline text (a table cell, a heading): each ASCII
 * punctuation character Markdown gives a meaning (\ ` * _ [ ] < > | # &
 * ! ~) backslash-escaped, so that nothing in it becomes markup or HTML
 * when rendered; newlines and tabs as spaces; other control characters
 * (C0, DEL, C1: a terminal would act on them) as '?'.
 */
void cyl_strbuf_md(struct cyl_strbuf *b, const char *s);

/* Hand the text over (NULL after oom; "" when empty); @b is reset. */
char *cyl_strbuf_take(struct cyl_strbuf *b, size_t *len);
void cyl_strbuf_free(struct cyl_strbuf *b);

#endif /* CYL_UTIL_STRBUF_H */
