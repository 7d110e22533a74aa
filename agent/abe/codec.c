// SPDX-License-Identifier: GPL-2.0
/*
 * ZCash serialization of G1 and G2 points (see codec.h).
 *
 * Decoding checks, in this order, and stops at the first failure: the
 * length; the compressed flag against it; an infinity encoding being
 * exactly the flags and zeros; no sort flag on an uncompressed point;
 * canonical coordinates (x, then y; for G2 c1, then c0); a y for x
 * (compressed) or the curve equation (uncompressed); the subgroup.  The
 * result is written only on success.
 */
#include <string.h>

#include "abe/codec.h"

#define FLAG_COMPRESSED	0x80
#define FLAG_INFINITY	0x40
#define FLAG_LARGEST	0x20
#define FLAG_MASK	(FLAG_COMPRESSED | FLAG_INFINITY | FLAG_LARGEST)

#define FPB		CYL_FP_BYTES

static bool fail(const char **why, const char *reason)
{
	if (why)
		*why = reason;
	return false;
}

/*
 * The checks on the flags, for a group whose compressed size is clen (the
 * uncompressed one is twice that).  *infinity tells whether the encoding
 * is a valid point at infinity.
 */
static bool check_flags(const uint8_t *in, size_t len, size_t clen,
			bool *infinity, const char **why)
{
	bool compressed;
	uint8_t rest;
	size_t i;

	if (len != clen && len != 2 * clen)
		return fail(why, "wrong length");
	compressed = in[0] & FLAG_COMPRESSED;
	if (compressed != (len == clen))
		return fail(why, "compressed flag does not match the length");

	*infinity = in[0] & FLAG_INFINITY;
	if (*infinity) {
		rest = in[0] & ~(FLAG_COMPRESSED | FLAG_INFINITY);
		for (i = 1; i < len; i++)
			rest |= in[i];
		if (rest)
			return fail(why, "infinity flag with other bits set");
		return true;
	}
	if (!compressed && (in[0] & FLAG_LARGEST))
		return fail(why, "sort flag set on an uncompressed point");
	return true;
}

/* 48 bytes to Fp, the flag bits of the first byte masked away if asked. */
static bool read_fp(cyl_fp *r, const uint8_t *in, bool has_flags)
{
	uint8_t b[FPB];

	memcpy(b, in, FPB);
	if (has_flags)
		b[0] &= ~FLAG_MASK;
	return cyl_fp_from_bytes(r, b);
}

static void put_infinity(uint8_t *out, size_t len, uint8_t flags)
{
	memset(out, 0, len);
	out[0] = flags;
}

/* --- G1 --- */

/* The y of x on y^2 = x^3 + 4 whose "largest" bit is the one given. */
static bool g1_y_for_x(cyl_fp *y, const cyl_fp *x, bool largest)
{
	cyl_fp t, b, ny;

	cyl_fp_sqr(&t, x);
	cyl_fp_mul(&t, &t, x);
	cyl_fp_from_u64(&b, 4);
	cyl_fp_add(&t, &t, &b);
	if (!cyl_fp_sqrt(y, &t))
		return false;
	cyl_fp_neg(&ny, y);
	cyl_fp_cmov(y, y, &ny, cyl_fp_is_lexicographically_largest(y) != largest);
	return true;
}

void cyl_g1_to_compressed(uint8_t out[CYL_G1_COMPRESSED], const cyl_g1 *a)
{
	cyl_g1_affine p;

	cyl_g1_to_affine(&p, a);
	if (p.infinity) {
		put_infinity(out, CYL_G1_COMPRESSED, FLAG_COMPRESSED | FLAG_INFINITY);
		return;
	}
	cyl_fp_to_bytes(out, &p.x);
	out[0] |= FLAG_COMPRESSED;
	if (cyl_fp_is_lexicographically_largest(&p.y))
		out[0] |= FLAG_LARGEST;
}

void cyl_g1_to_uncompressed(uint8_t out[CYL_G1_UNCOMPRESSED], const cyl_g1 *a)
{
	cyl_g1_affine p;

	cyl_g1_to_affine(&p, a);
	if (p.infinity) {
		put_infinity(out, CYL_G1_UNCOMPRESSED, FLAG_INFINITY);
		return;
	}
	cyl_fp_to_bytes(out, &p.x);
	cyl_fp_to_bytes(out + FPB, &p.y);
}

bool cyl_g1_decode(cyl_g1 *r, const uint8_t *in, size_t len, const char **why)
{
	cyl_g1_affine a = { .infinity = false };
	bool infinity;
	cyl_g1 p;

	if (!check_flags(in, len, CYL_G1_COMPRESSED, &infinity, why))
		return false;
	if (infinity) {
		*r = cyl_g1_infinity;
		return true;
	}
	if (!read_fp(&a.x, in, true))
		return fail(why, "x is not a canonical field element");
	if (len == CYL_G1_COMPRESSED) {
		if (!g1_y_for_x(&a.y, &a.x, in[0] & FLAG_LARGEST))
			return fail(why, "no point on the curve has this x");
		cyl_g1_from_affine(&p, &a);
	} else {
		if (!read_fp(&a.y, in + FPB, false))
			return fail(why, "y is not a canonical field element");
		cyl_g1_from_affine(&p, &a);
		if (!cyl_g1_is_on_curve(&p))
			return fail(why, "point is not on the curve");
	}
	if (!cyl_g1_in_subgroup(&p))
		return fail(why, "point is not in the prime-order subgroup");
	*r = p;
	return true;
}

/* --- G2 --- */

/* y^2 = x^3 + 4(u + 1), as for G1. */
static bool g2_y_for_x(cyl_fp2 *y, const cyl_fp2 *x, bool largest)
{
	cyl_fp2 t, b, ny;

	cyl_fp2_sqr(&t, x);
	cyl_fp2_mul(&t, &t, x);
	cyl_fp_from_u64(&b.c0, 4);
	b.c1 = b.c0;
	cyl_fp2_add(&t, &t, &b);
	if (!cyl_fp2_sqrt(y, &t))
		return false;
	cyl_fp2_neg(&ny, y);
	cyl_fp2_cmov(y, y, &ny, cyl_fp2_is_lexicographically_largest(y) != largest);
	return true;
}

static void put_fp2(uint8_t *out, const cyl_fp2 *a)
{
	cyl_fp_to_bytes(out, &a->c1);
	cyl_fp_to_bytes(out + FPB, &a->c0);
}

void cyl_g2_to_compressed(uint8_t out[CYL_G2_COMPRESSED], const cyl_g2 *a)
{
	cyl_g2_affine p;

	cyl_g2_to_affine(&p, a);
	if (p.infinity) {
		put_infinity(out, CYL_G2_COMPRESSED, FLAG_COMPRESSED | FLAG_INFINITY);
		return;
	}
	put_fp2(out, &p.x);
	out[0] |= FLAG_COMPRESSED;
	if (cyl_fp2_is_lexicographically_largest(&p.y))
		out[0] |= FLAG_LARGEST;
}

void cyl_g2_to_uncompressed(uint8_t out[CYL_G2_UNCOMPRESSED], const cyl_g2 *a)
{
	cyl_g2_affine p;

	cyl_g2_to_affine(&p, a);
	if (p.infinity) {
		put_infinity(out, CYL_G2_UNCOMPRESSED, FLAG_INFINITY);
		return;
	}
	put_fp2(out, &p.x);
	put_fp2(out + 2 * FPB, &p.y);
}

bool cyl_g2_decode(cyl_g2 *r, const uint8_t *in, size_t len, const char **why)
{
	cyl_g2_affine a = { .infinity = false };
	bool infinity;
	cyl_g2 p;

	if (!check_flags(in, len, CYL_G2_COMPRESSED, &infinity, why))
		return false;
	if (infinity) {
		*r = cyl_g2_infinity;
		return true;
	}
	/* Only the first byte of the whole encoding carries flags. */
	if (!read_fp(&a.x.c1, in, true))
		return fail(why, "x.c1 is not a canonical field element");
	if (!read_fp(&a.x.c0, in + FPB, false))
		return fail(why, "x.c0 is not a canonical field element");
	if (len == CYL_G2_COMPRESSED) {
		if (!g2_y_for_x(&a.y, &a.x, in[0] & FLAG_LARGEST))
			return fail(why, "no point on the curve has this x");
		cyl_g2_from_affine(&p, &a);
	} else {
		if (!read_fp(&a.y.c1, in + 2 * FPB, false))
			return fail(why, "y.c1 is not a canonical field element");
		if (!read_fp(&a.y.c0, in + 3 * FPB, false))
			return fail(why, "y.c0 is not a canonical field element");
		cyl_g2_from_affine(&p, &a);
		if (!cyl_g2_is_on_curve(&p))
			return fail(why, "point is not on the curve");
	}
	if (!cyl_g2_in_subgroup(&p))
		return fail(why, "point is not in the prime-order subgroup");
	*r = p;
	return true;
}
