/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RFC 8785 JSON Canonicalization Scheme: no whitespace, object members
 * sorted by their names' UTF-16 code units, strings with only the
 * escapes the RFC requires (\" \\ \b \f \n \r \t and \u00xx, lowercase
 * hex, for the other control characters), numbers as ECMAScript's
 * Number.prototype.toString() writes the IEEE 754 double.
 */
#ifndef CYL_SSI_JCS_H
#define CYL_SSI_JCS_H

#include <stddef.h>

#include <jansson.h>

#define CYL_JCS_NUMBER_MAX	32	/* longest number text, with its NUL */

/*
 * The canonical form of @v, malloc'd and NUL-terminated, its length in
 * *@len.  -EINVAL for a number that is not finite (NaN, infinities),
 * -ENOMEM.  jansson integers count as the doubles they convert to, as in
 * JavaScript.
 */
int cyl_jcs_canonicalize(const json_t *v, char **out, size_t *len);

/* ECMAScript's shortest round-trip text of @d (finite); its length. */
int cyl_jcs_number(double d, char buf[CYL_JCS_NUMBER_MAX]);

#endif /* CYL_SSI_JCS_H */
