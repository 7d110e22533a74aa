/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bitstring Status List v1.0 for the verifier: status list credentials
 * from the local cache (cyl_ssi_status_cache_name() in verify.h) and the
 * bit of one entry.  Verifying the list credential itself (proof, issuer,
 * validity, freshness, its shape) is verify.c's part.
 */
#ifndef CYL_SSI_STATUS_H
#define CYL_SSI_STATUS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define CYL_STATUS_MIN_BYTES	(16 * 1024)		/* 131,072 entries */
#define CYL_STATUS_MAX_BYTES	(16 * 1024 * 1024)	/* inflated */

/*
 * The status list credential cached for @url in @dir, parsed (bounded
 * JSON) into a new reference in *@doc.  -ENOENT not cached, -EFBIG too
 * large, -EINVAL not JSON, other negative errnos; reason in @err.
 */
int cyl_ssi_status_load(const char *dir, const char *url, json_t **doc,
			char *err, size_t errlen);

/*
 * The bit at @index (statusSize 1: index 0 is the most significant bit
 * of the first byte) of @encoded, an encodedList: 'u' multibase of the
 * GZIP'd bitstring, inflated as a stream so that only the bound costs
 * memory.  In *@bit.  -EINVAL for a bad encodedList (not 'u'
 * multibase, not one whole GZIP member, fewer than CYL_STATUS_MIN_BYTES
 * or more than CYL_STATUS_MAX_BYTES inflated), -ERANGE when @index is
 * past the end, -ENOMEM; reason in @err.
 */
int cyl_ssi_status_bit(const char *encoded, uint64_t index, int *bit, char *err, size_t errlen);

/*
 * The issuer's side: an encodedList of @n_bytes bytes (at least
 * CYL_STATUS_MIN_BYTES) with the bits @set[0..n) on, GZIP'd and 'u'
 * multibase, malloc'd in *@encoded.  -EINVAL for an index past the end or
 * a short list, -ENOMEM, -EIO; reason in @err.
 */
int cyl_ssi_status_encode(const uint64_t *set, size_t n, size_t n_bytes, char **encoded,
			  char *err, size_t errlen);

#endif /* CYL_SSI_STATUS_H */
