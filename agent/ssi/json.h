/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bounded JSON input for everything SSI reads from outside (credentials,
 * presentations, DID documents, status lists): jansson with duplicate
 * keys refused, after a pre-scan that bounds size and nesting so no input
 * can make the parser recurse deeply or allocate without limit.
 */
#ifndef CYL_SSI_JSON_H
#define CYL_SSI_JSON_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define CYL_SSI_JSON_MAX	(256 * 1024)	/* bytes of one document */
#define CYL_SSI_JSON_DEPTH	32		/* nested arrays and objects */

/*
 * Parse @len bytes of @buf (not NUL-terminated necessarily) as one JSON
 * value.  Refused, NULL with the reason in @err ("line L, column C: ...",
 * 1-based, as jansson counts): more than CYL_SSI_JSON_MAX bytes, deeper
 * than CYL_SSI_JSON_DEPTH, a duplicate key in an object, invalid UTF-8,
 * "\u0000" in a string, anything after the value but whitespace.
 * Any value is accepted at the top (callers check its type).  Every
 * number comes back as a jansson real (JSON_DECODE_INT_AS_REAL, as JCS
 * reads numbers as doubles): read them with json_number_value() or
 * cyl_ssi_json_uint(), not json_integer_value().
 */
json_t *cyl_ssi_json_parse(const char *buf, size_t len, char *err, size_t errlen);

/* A member that must be a string; NULL if absent or not a string. */
const char *cyl_ssi_json_str(const json_t *obj, const char *key);

/*
 * A member that must be a whole number in 0..@max (@max at most 2^53,
 * beyond which doubles skip integers): 0 and the value in *@out, or
 * -EINVAL if absent, not a number, negative, fractional or above @max.
 */
int cyl_ssi_json_uint(const json_t *obj, const char *key, uint64_t max, uint64_t *out);

#endif /* CYL_SSI_JSON_H */
