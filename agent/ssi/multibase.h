/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multibase (the two bases SSI uses: 'z' base58btc, 'u' base64url without
 * padding) and multicodec prefixes (an unsigned LEB128 varint, minimally
 * encoded, before the key bytes).
 */
#ifndef CYL_SSI_MULTIBASE_H
#define CYL_SSI_MULTIBASE_H

#include <stddef.h>
#include <stdint.h>

/* Multicodec codes used for keys. */
#define CYL_MC_ED25519_PUB	0xed	/* varint 0xed 0x01 */
#define CYL_MC_P256_PUB		0x1200	/* varint 0x80 0x24, compressed point */
#define CYL_MC_ED25519_PRIV	0x1300	/* varint 0x80 0x26 */
#define CYL_MC_P256_PRIV	0x1306	/* varint 0x86 0x26 */

#define CYL_MULTIBASE_MAX	(64 * 1024)	/* decoded bytes */
/* base58btc carries keys and signatures; its conversion is quadratic */
#define CYL_MULTIBASE_B58_MAX	1024		/* decoded bytes */

/*
 * Encode with the prefix character @base ('z' or 'u'): a malloc'd
 * NUL-terminated string in *@out.  -EINVAL for another base, -ENOMEM.
 */
int cyl_multibase_encode(char base, const uint8_t *in, size_t len, char **out);

/*
 * Decode a 'z' or 'u' string (NUL-terminated): malloc'd bytes in *@out.
 * -EINVAL with the reason in @err: empty, unknown base, a character
 * outside the alphabet (with its offset), base64url padding or
 * non-canonical trailing bits, more than CYL_MULTIBASE_MAX bytes
 * (CYL_MULTIBASE_B58_MAX for base58btc).  Empty means no character
 * after the base either: nothing SSI decodes is empty.
 */
int cyl_multibase_decode(const char *s, uint8_t **out, size_t *len,
			 char *err, size_t errlen);

/*
 * Split a multicodec-prefixed buffer: *@code and the body after the
 * varint.  -EINVAL for a truncated, over-long (more than 9 bytes) or
 * non-minimal varint.
 */
int cyl_multicodec_split(const uint8_t *in, size_t len, uint64_t *code,
			 const uint8_t **body, size_t *body_len);

/* Write @code as a varint into @out; returns its length (1..10). */
size_t cyl_multicodec_put(uint64_t code, uint8_t out[10]);

#endif /* CYL_SSI_MULTIBASE_H */
