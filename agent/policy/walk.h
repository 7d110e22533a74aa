/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Walking a libyaml node tree against a schema: the policy parser's
 * helpers, shared by every parser of a YAML file of ours so that their
 * errors read alike: "file:line:col: path.key: message", offending text
 * quoted with cyl_quote().  No state beyond the walk, no I/O.
 */
#ifndef CYL_POLICY_WALK_H
#define CYL_POLICY_WALK_H

#include <stdbool.h>
#include <stddef.h>

#include <yaml.h>

#include "policy/policy.h"	/* struct cyl_policy_error */
#include "util/quote.h"

/* One walk: the file name quoted in errors, the document, the error. */
struct cyl_yw {
	const char *name;
	yaml_document_t *doc;
	struct cyl_policy_error *err;
};

/* A key the schema knows in some mapping; key and val NULL if absent. */
struct cyl_yw_field {
	const char *name;
	yaml_node_t *key;
	yaml_node_t *val;
};

/* A key that a later release implements: refused, naming the release. */
struct cyl_yw_planned {
	const char *key;
	const char *arrives_with;
};

/* A key the format does not have, with the reason quoted in the error. */
struct cyl_yw_retired {
	const char *key;
	const char *why;
};

#define CYL_YW_QUOTE(qbuf, node) \
	cyl_quote(qbuf, sizeof(qbuf), (const char *)(node)->data.scalar.value, \
		  (node)->data.scalar.length)

/*
 * "@path.@key" into a buffer, for the errors of a field.  Paths are at
 * most "devices[255].write.allow[63].control": CYL_YW_PATH_SIZE holds them.
 */
#define CYL_YW_PATH_SIZE	96

/* Error at a libyaml mark (0-based); returns -EINVAL for "return fail()". */
int __attribute__((format(printf, 3, 4)))
cyl_yw_fail(struct cyl_yw *c, yaml_mark_t mark, const char *fmt, ...);

/* Error not tied to a position; returns @ret. */
int __attribute__((format(printf, 4, 5)))
cyl_yw_fail_nopos(struct cyl_policy_error *err, const char *name, int ret,
		  const char *fmt, ...);

/* libyaml's parser error as ours (position, problem, context). */
int cyl_yw_syntax_error(struct cyl_yw *c, const yaml_parser_t *parser);

/* "a scalar", "a sequence", "a mapping". */
const char *cyl_yw_kind(const yaml_node_t *node);
bool cyl_yw_scalar_is(const yaml_node_t *node, const char *s);
/* The scalar's value as a C string, or NULL if it holds a NUL byte. */
const char *cyl_yw_scalar_str(const yaml_node_t *node);
int cyl_yw_expect_scalar(struct cyl_yw *c, const yaml_node_t *node,
			 const char *path);
yaml_node_t *cyl_yw_node_at(struct cyl_yw *c, int id);

const struct cyl_yw_planned *cyl_yw_planned_find(const struct cyl_yw_planned *tab,
						 const yaml_node_t *key);
const struct cyl_yw_retired *cyl_yw_retired_find(const struct cyl_yw_retired *tab,
						 const yaml_node_t *key);

/*
 * Sort the pairs of mapping @node, named @path in errors, into the @n
 * @fields.  Keys in @planned wait for a later release, keys in @retired
 * are refused with their reason, any other unknown key and any duplicate
 * is an error.
 */
int cyl_yw_get_fields(struct cyl_yw *c, yaml_node_t *node, const char *path,
		      struct cyl_yw_field *fields, size_t n,
		      const struct cyl_yw_planned *planned,
		      const struct cyl_yw_retired *retired);

const char *cyl_yw_sub(char *buf, size_t size, const char *path,
		       const char *key);
/* Of two keys given together, the one that comes second in the file. */
const yaml_node_t *cyl_yw_second(const yaml_node_t *a, const yaml_node_t *b);

/* A decimal integer in @min..@max: no sign, no leading zero. */
int cyl_yw_get_uint(struct cyl_yw *c, const yaml_node_t *v, const char *path,
		    unsigned long min, unsigned long max, unsigned int *out);
/* One of the NULL-terminated @names, whose index goes to @out. */
int cyl_yw_get_choice(struct cyl_yw *c, const yaml_node_t *v, const char *path,
		      const char *const *names, const char *expected,
		      unsigned int *out);
int cyl_yw_get_bool(struct cyl_yw *c, const yaml_node_t *v, const char *path,
		    bool *out);

/*
 * The position of byte @off of scalar @v's value, when the value is
 * written on one line without escapes; otherwise the scalar's own
 * position, and *@exact false.
 */
yaml_mark_t cyl_yw_scalar_mark(const yaml_node_t *v, size_t off, bool *exact);

/* Exactly @digits hex digits of @s[0..@len) into @out. */
bool cyl_yw_parse_hex(const char *s, size_t len, size_t digits,
		      unsigned int *out);

#endif /* CYL_POLICY_WALK_H */
