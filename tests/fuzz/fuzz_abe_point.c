// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the ZCash point decoders.  The input goes as it is
 * to the G1 and the G2 decoder (its length choosing the form, or refused),
 * then, so that arbitrary bytes reach the coordinate, curve and subgroup
 * checks, the bytes after the first one go at the valid length that byte
 * picks (0: G1 compressed, 1: G1 uncompressed, 2: G2 compressed,
 * 3: G2 uncompressed; cut or zero-padded), in a buffer of exactly that
 * size.  A point accepted must be on the curve and in the subgroup,
 * re-encode to exactly the bytes it came from, and decode from its other
 * form to the same point; a point refused must say why.
 */
#include "abe/codec.c"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define check(cond) do {		\
	if (!(cond))			\
		__builtin_trap();	\
} while (0)

static void try_g1(const uint8_t *in, size_t len)
{
	uint8_t out[CYL_G1_UNCOMPRESSED], other[CYL_G1_UNCOMPRESSED];
	const char *why = NULL;
	size_t olen;
	cyl_g1 p, q;

	if (!cyl_g1_decode(&p, in, len, &why)) {
		check(why && *why);
		return;
	}
	check(cyl_g1_is_on_curve(&p) && cyl_g1_in_subgroup(&p));
	if (len == CYL_G1_COMPRESSED) {
		cyl_g1_to_compressed(out, &p);
		cyl_g1_to_uncompressed(other, &p);
		olen = CYL_G1_UNCOMPRESSED;
	} else {
		check(len == CYL_G1_UNCOMPRESSED);
		cyl_g1_to_uncompressed(out, &p);
		cyl_g1_to_compressed(other, &p);
		olen = CYL_G1_COMPRESSED;
	}
	check(!memcmp(out, in, len));
	check(cyl_g1_decode(&q, other, olen, &why));
	check(cyl_g1_eq(&p, &q));
}

static void try_g2(const uint8_t *in, size_t len)
{
	uint8_t out[CYL_G2_UNCOMPRESSED], other[CYL_G2_UNCOMPRESSED];
	const char *why = NULL;
	size_t olen;
	cyl_g2 p, q;

	if (!cyl_g2_decode(&p, in, len, &why)) {
		check(why && *why);
		return;
	}
	check(cyl_g2_is_on_curve(&p) && cyl_g2_in_subgroup(&p));
	if (len == CYL_G2_COMPRESSED) {
		cyl_g2_to_compressed(out, &p);
		cyl_g2_to_uncompressed(other, &p);
		olen = CYL_G2_UNCOMPRESSED;
	} else {
		check(len == CYL_G2_UNCOMPRESSED);
		cyl_g2_to_uncompressed(out, &p);
		cyl_g2_to_compressed(other, &p);
		olen = CYL_G2_COMPRESSED;
	}
	check(!memcmp(out, in, len));
	check(cyl_g2_decode(&q, other, olen, &why));
	check(cyl_g2_eq(&p, &q));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t form_len[4] = {
		CYL_G1_COMPRESSED, CYL_G1_UNCOMPRESSED,
		CYL_G2_COMPRESSED, CYL_G2_UNCOMPRESSED,
	};
	size_t form, len;
	uint8_t *buf;

	try_g1(data, size);
	try_g2(data, size);
	if (!size)
		return 0;

	form = data[0] & 3;
	len = form_len[form];
	buf = calloc(1, len);
	check(buf);
	memcpy(buf, data + 1, size - 1 < len ? size - 1 : len);
	if (form < 2)
		try_g1(buf, len);
	else
		try_g2(buf, len);
	free(buf);
	return 0;
}
