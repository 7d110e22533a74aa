// SPDX-License-Identifier: GPL-2.0
/*
 * Scalars mod the BLS12-381 group order r in Montgomery form, on the shared
 * helpers of mont.h with n = 4.  The constants below were computed with
 * python3 big integers from r (R = 2^256); limbs least significant first.
 */
#include <errno.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "abe/fr.h"
#include "abe/mont.h"

#define N	CYL_FR_LIMBS
#define R_INV	0xfffffffeffffffffULL	/* -r^-1 mod 2^64 */

const uint64_t cyl_fr_modulus[N] = {
	0xffffffff00000001, 0x53bda402fffe5bfe, 0x3339d80809a1d805,
	0x73eda753299d7d48,
};

const cyl_fr cyl_fr_zero = { { 0 } };

/* R mod r */
const cyl_fr cyl_fr_one = { {
	0x00000001fffffffe, 0x5884b7fa00034802, 0x998c4fefecbc4ff5,
	0x1824b159acc5056f,
} };

/* R^2 mod r converts into Montgomery form; R^3 mod r does it for x * R. */
static const uint64_t r2[N] = {
	0xc999e990f3f29c6d, 0x2b6cedcb87925c23, 0x05d314967254398f,
	0x0748d9d99f59ff11,
};

static const uint64_t r3[N] = {
	0xc62c1807439b73af, 0x1b3e0d188cf06990, 0x73d13c71c7b5f418,
	0x6e2a5bb9c8db33e9,
};

static const uint64_t r_minus_2[N] = {
	0xfffffffeffffffff, 0x53bda402fffe5bfe, 0x3339d80809a1d805,
	0x73eda753299d7d48,
};

void cyl_fr_add(cyl_fr *r, const cyl_fr *a, const cyl_fr *b)
{
	cyl_mont_add(r->l, a->l, b->l, cyl_fr_modulus, N);
}

void cyl_fr_sub(cyl_fr *r, const cyl_fr *a, const cyl_fr *b)
{
	cyl_mont_sub(r->l, a->l, b->l, cyl_fr_modulus, N);
}

void cyl_fr_neg(cyl_fr *r, const cyl_fr *a)
{
	cyl_mont_neg(r->l, a->l, cyl_fr_modulus, N);
}

void cyl_fr_mul(cyl_fr *r, const cyl_fr *a, const cyl_fr *b)
{
	cyl_mont_mul(r->l, a->l, b->l, cyl_fr_modulus, R_INV, N);
}

/* Fermat: a^(r-2), a fixed public exponent, so constant time in a. */
void cyl_fr_inv(cyl_fr *r, const cyl_fr *a)
{
	cyl_mont_pow(r->l, a->l, r_minus_2, N, cyl_fr_one.l, cyl_fr_modulus, R_INV, N);
}

bool cyl_fr_is_zero(const cyl_fr *a)
{
	return !cyl_mont_nonzero_mask(a->l, N);
}

bool cyl_fr_eq(const cyl_fr *a, const cyl_fr *b)
{
	return cyl_mont_eq_mask(a->l, b->l, N) & 1;
}

void cyl_fr_from_u64(cyl_fr *r, uint64_t v)
{
	uint64_t l[N] = { v };

	cyl_mont_mul(r->l, l, r2, cyl_fr_modulus, R_INV, N);
}

void cyl_fr_from_i64(cyl_fr *r, int64_t v)
{
	uint64_t neg = (uint64_t)v >> 63;
	/* |v| without overflow for INT64_MIN */
	uint64_t mag = ((uint64_t)v ^ (0 - neg)) + neg;
	cyl_fr m, n;

	cyl_fr_from_u64(&m, mag);
	cyl_fr_neg(&n, &m);
	cyl_mont_select(r->l, m.l, n.l, 0 - neg, N);
}

bool cyl_fr_from_bytes(cyl_fr *r, const uint8_t in[CYL_FR_BYTES])
{
	uint64_t l[N], d[N];

	cyl_mont_from_be(l, in, N);
	if (!cyl_mont_sub_raw(d, l, cyl_fr_modulus, N))	/* no borrow: l >= r */
		return false;
	cyl_mont_mul(r->l, l, r2, cyl_fr_modulus, R_INV, N);
	return true;
}

void cyl_fr_to_bytes(uint8_t out[CYL_FR_BYTES], const cyl_fr *a)
{
	static const uint64_t plain_one[N] = { 1 };
	uint64_t l[N];

	cyl_mont_mul(l, a->l, plain_one, cyl_fr_modulus, R_INV, N);
	cyl_mont_to_be(out, l, N);
}

/* x < 2^256 < 3r: two masked subtractions bring it below r. */
static void reduce_256(uint64_t x[N])
{
	cyl_mont_reduce_once(x, x, cyl_fr_modulus, N);
	cyl_mont_reduce_once(x, x, cyl_fr_modulus, N);
}

/*
 * in = hi * 2^256 + lo.  Once both halves are below r, lo * R^2 / R and
 * hi * R^3 / R are the Montgomery forms of lo and hi * 2^256.
 */
void cyl_fr_from_bytes_wide(cyl_fr *r, const uint8_t in[64])
{
	uint64_t hi[N], lo[N];
	cyl_fr a, b;

	cyl_mont_from_be(hi, in, N);
	cyl_mont_from_be(lo, in + 32, N);
	reduce_256(hi);
	reduce_256(lo);
	cyl_mont_mul(a.l, lo, r2, cyl_fr_modulus, R_INV, N);
	cyl_mont_mul(b.l, hi, r3, cyl_fr_modulus, R_INV, N);
	cyl_fr_add(r, &a, &b);
}

/*
 * 512 uniform bits reduced mod r: the distance from uniform is below
 * r / 2^512 < 2^-257, negligible.
 */
int cyl_fr_random(cyl_fr *r)
{
	uint8_t buf[64];

	if (RAND_priv_bytes(buf, sizeof(buf)) != 1)
		return -EIO;
	cyl_fr_from_bytes_wide(r, buf);
	OPENSSL_cleanse(buf, sizeof(buf));
	return 0;
}

/* Zero comes with probability 2^-255: the retry never runs in practice. */
int cyl_fr_random_nonzero(cyl_fr *r)
{
	int err;

	do {
		err = cyl_fr_random(r);
		if (err)
			return err;
	} while (cyl_fr_is_zero(r));
	return 0;
}
