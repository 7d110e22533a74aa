/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Montgomery arithmetic on n 64-bit limbs (least significant first), shared
 * by fp.c (n = 6) and fr.c (n = 4).  Everything is always inlined, so gcc
 * sees a constant n and unrolls the loops (the pragmas ask it to at -O2).
 *
 * The modulus m must be below 2^(64n - 1), as both BLS12-381 moduli are:
 * the sum of two reduced values then fits in n limbs.  minv is
 * -m^-1 mod 2^64.  Nothing here branches on or indexes memory by a value;
 * only n and the public exponents of cyl_mont_pow steer the control flow.
 */
#ifndef CYL_ABE_MONT_H
#define CYL_ABE_MONT_H

#include <stddef.h>
#include <stdint.h>
#if defined(__x86_64__)
#include <x86intrin.h>
#endif

#define CYL_MONT_INLINE	static inline __attribute__((always_inline))
#define CYL_MONT_MAX	6
/* -p^-1 mod 2^64 for the BLS12-381 base field (fp.c, and fp2.c's lazy products) */
#define CYL_MONT_FP_MINV	0x89f3fffcfffcfffdULL

typedef unsigned __int128 cyl_u128;

/* r = mask ? b : a, mask being all ones or all zeros. */
CYL_MONT_INLINE void cyl_mont_select(uint64_t *r, const uint64_t *a, const uint64_t *b,
				     uint64_t mask, size_t n)
{
#pragma GCC unroll 8
	for (size_t i = 0; i < n; i++)
		r[i] = a[i] ^ (mask & (a[i] ^ b[i]));
}

/*
 * r = a + b + c and a - b - c with carry/borrow in and out (0 or 1).  On
 * x86-64 the intrinsics let gcc emit one adc/sbb chain, which it does not
 * do for the same thing written with unsigned __int128.
 */
CYL_MONT_INLINE unsigned char cyl_mont_adc(unsigned char c, uint64_t a, uint64_t b,
					   uint64_t *r)
{
#if defined(__x86_64__)
	unsigned long long s;

	c = _addcarry_u64(c, a, b, &s);
	*r = s;
	return c;
#else
	cyl_u128 s = (cyl_u128)a + b + c;

	*r = (uint64_t)s;
	return (unsigned char)(s >> 64);
#endif
}

CYL_MONT_INLINE unsigned char cyl_mont_sbb(unsigned char c, uint64_t a, uint64_t b,
					   uint64_t *r)
{
#if defined(__x86_64__)
	unsigned long long d;

	c = _subborrow_u64(c, a, b, &d);
	*r = d;
	return c;
#else
	cyl_u128 d = (cyl_u128)a - b - c;

	*r = (uint64_t)d;
	return (unsigned char)(d >> 64) & 1;
#endif
}

/* r = a - b; returns the borrow. */
CYL_MONT_INLINE uint64_t cyl_mont_sub_raw(uint64_t *r, const uint64_t *a, const uint64_t *b,
					  size_t n)
{
	unsigned char c = 0;

#pragma GCC unroll 16
	for (size_t i = 0; i < n; i++)
		c = cyl_mont_sbb(c, a[i], b[i], &r[i]);
	return c;
}

/* r = a + b; returns the carry. */
CYL_MONT_INLINE uint64_t cyl_mont_add_raw(uint64_t *r, const uint64_t *a, const uint64_t *b,
					  size_t n)
{
	unsigned char c = 0;

#pragma GCC unroll 16
	for (size_t i = 0; i < n; i++)
		c = cyl_mont_adc(c, a[i], b[i], &r[i]);
	return c;
}

/* r = t mod m for t < 2m. */
CYL_MONT_INLINE void cyl_mont_reduce_once(uint64_t *r, const uint64_t *t, const uint64_t *m,
					  size_t n)
{
	uint64_t u[CYL_MONT_MAX];
	uint64_t borrow = cyl_mont_sub_raw(u, t, m, n);

	cyl_mont_select(r, u, t, 0 - borrow, n);
}

CYL_MONT_INLINE void cyl_mont_add(uint64_t *r, const uint64_t *a, const uint64_t *b,
				  const uint64_t *m, size_t n)
{
	uint64_t t[CYL_MONT_MAX];

	cyl_mont_add_raw(t, a, b, n);	/* no carry out: m < 2^(64n - 1) */
	cyl_mont_reduce_once(r, t, m, n);
}

CYL_MONT_INLINE void cyl_mont_sub(uint64_t *r, const uint64_t *a, const uint64_t *b,
				  const uint64_t *m, size_t n)
{
	uint64_t t[CYL_MONT_MAX], madd[CYL_MONT_MAX];
	uint64_t mask = 0 - cyl_mont_sub_raw(t, a, b, n);

#pragma GCC unroll 8
	for (size_t i = 0; i < n; i++)
		madd[i] = m[i] & mask;
	cyl_mont_add_raw(r, t, madd, n);
}

/* All ones when a is non-zero, else zero. */
CYL_MONT_INLINE uint64_t cyl_mont_nonzero_mask(const uint64_t *a, size_t n)
{
	uint64_t acc = 0;

#pragma GCC unroll 8
	for (size_t i = 0; i < n; i++)
		acc |= a[i];
	/* the top bit of acc | -acc is set exactly when acc != 0 */
	return 0 - ((acc | (0 - acc)) >> 63);
}

CYL_MONT_INLINE void cyl_mont_neg(uint64_t *r, const uint64_t *a, const uint64_t *m, size_t n)
{
	uint64_t mask = cyl_mont_nonzero_mask(a, n);
	uint64_t t[CYL_MONT_MAX];

	cyl_mont_sub_raw(t, m, a, n);
#pragma GCC unroll 8
	for (size_t i = 0; i < n; i++)
		r[i] = t[i] & mask;	/* -0 is 0, not m */
}

CYL_MONT_INLINE uint64_t cyl_mont_eq_mask(const uint64_t *a, const uint64_t *b, size_t n)
{
	uint64_t d[CYL_MONT_MAX];

#pragma GCC unroll 8
	for (size_t i = 0; i < n; i++)
		d[i] = a[i] ^ b[i];
	return ~cyl_mont_nonzero_mask(d, n);
}

/*
 * r = a * b / 2^(64n) mod m for a, b < m: Montgomery multiplication by
 * product scanning (Koc, Acar and Kaliski's FIPS method).  Column k sums
 * a[j] b[k-j] and q[j] m[k-j] in a three-word accumulator; the low columns
 * choose q[k] to clear their word, the high ones are the result, below 2m
 * (so one masked subtraction finishes it).  gcc turns each product into
 * mul, add, adc, adc.
 */
#define CYL_MONT_MAC(x, y)						\
	do {								\
		cyl_u128 pr_ = (cyl_u128)(x) * (y);			\
		acc += pr_;						\
		top += acc < pr_;					\
	} while (0)

CYL_MONT_INLINE void cyl_mont_mul(uint64_t *r, const uint64_t *a, const uint64_t *b,
				  const uint64_t *m, uint64_t minv, size_t n)
{
	uint64_t q[CYL_MONT_MAX], t[CYL_MONT_MAX], top = 0;
	cyl_u128 acc = 0;

#pragma GCC unroll 8
	for (size_t k = 0; k < n; k++) {
#pragma GCC unroll 8
		for (size_t j = 0; j < k; j++) {
			CYL_MONT_MAC(a[j], b[k - j]);
			CYL_MONT_MAC(q[j], m[k - j]);
		}
		CYL_MONT_MAC(a[k], b[0]);
		q[k] = (uint64_t)acc * minv;
		CYL_MONT_MAC(q[k], m[0]);	/* the low word is now 0 */
		acc = (acc >> 64) | ((cyl_u128)top << 64);
		top = 0;
	}
#pragma GCC unroll 8
	for (size_t k = n; k < 2 * n - 1; k++) {
#pragma GCC unroll 8
		for (size_t j = k - n + 1; j < n; j++) {
			CYL_MONT_MAC(a[j], b[k - j]);
			CYL_MONT_MAC(q[j], m[k - j]);
		}
		t[k - n] = (uint64_t)acc;
		acc = (acc >> 64) | ((cyl_u128)top << 64);
		top = 0;
	}
	t[n - 1] = (uint64_t)acc;
	cyl_mont_reduce_once(r, t, m, n);
}

/* w = a * b, all 2n limbs, for sums of products reduced once (lazy reduction). */
CYL_MONT_INLINE void cyl_mont_mul_wide(uint64_t *w, const uint64_t *a, const uint64_t *b,
				       size_t n)
{
	uint64_t top = 0;
	cyl_u128 acc = 0;

#pragma GCC unroll 8
	for (size_t k = 0; k < n; k++) {
#pragma GCC unroll 8
		for (size_t j = 0; j <= k; j++)
			CYL_MONT_MAC(a[j], b[k - j]);
		w[k] = (uint64_t)acc;
		acc = (acc >> 64) | ((cyl_u128)top << 64);
		top = 0;
	}
#pragma GCC unroll 8
	for (size_t k = n; k < 2 * n - 1; k++) {
#pragma GCC unroll 8
		for (size_t j = k - n + 1; j < n; j++)
			CYL_MONT_MAC(a[j], b[k - j]);
		w[k] = (uint64_t)acc;
		acc = (acc >> 64) | ((cyl_u128)top << 64);
		top = 0;
	}
	w[2 * n - 1] = (uint64_t)acc;
}

/* r = w / 2^(64n) mod m for w < m 2^(64n): the reduction half of cyl_mont_mul. */
CYL_MONT_INLINE void cyl_mont_redc(uint64_t *r, const uint64_t *w, const uint64_t *m,
				   uint64_t minv, size_t n)
{
	uint64_t q[CYL_MONT_MAX], t[CYL_MONT_MAX], top = 0;
	cyl_u128 acc = 0;

#pragma GCC unroll 8
	for (size_t k = 0; k < n; k++) {
		acc += w[k];	/* acc < 2^68 after a shift: no carry out */
#pragma GCC unroll 8
		for (size_t j = 0; j < k; j++)
			CYL_MONT_MAC(q[j], m[k - j]);
		q[k] = (uint64_t)acc * minv;
		CYL_MONT_MAC(q[k], m[0]);
		acc = (acc >> 64) | ((cyl_u128)top << 64);
		top = 0;
	}
#pragma GCC unroll 8
	for (size_t k = n; k < 2 * n; k++) {
		acc += w[k];
#pragma GCC unroll 8
		for (size_t j = k - n + 1; j < n; j++)
			CYL_MONT_MAC(q[j], m[k - j]);
		t[k - n] = (uint64_t)acc;
		acc = (acc >> 64) | ((cyl_u128)top << 64);
		top = 0;
	}
	cyl_mont_reduce_once(r, t, m, n);
}

#undef CYL_MONT_MAC

/*
 * r = a^e for a public exponent of en limbs, in Montgomery form (one is
 * the Montgomery 1).  A fixed 4-bit window: the sequence of operations
 * depends on e only, so the time does not depend on a.
 */
CYL_MONT_INLINE void cyl_mont_pow(uint64_t *r, const uint64_t *a, const uint64_t *e,
				  size_t en, const uint64_t *one, const uint64_t *m,
				  uint64_t minv, size_t n)
{
	uint64_t tab[16][CYL_MONT_MAX];
	uint64_t acc[CYL_MONT_MAX];
	size_t i, j;
	int started = 0;

	for (j = 0; j < n; j++) {
		tab[0][j] = one[j];
		tab[1][j] = a[j];
		acc[j] = one[j];
	}
	for (i = 2; i < 16; i++)
		cyl_mont_mul(tab[i], tab[i - 1], a, m, minv, n);
	for (i = en * 16; i-- > 0;) {
		unsigned int d = (e[i / 16] >> (4 * (i % 16))) & 15;

		if (started) {
			for (j = 0; j < 4; j++)
				cyl_mont_mul(acc, acc, acc, m, minv, n);
		}
		if (d) {
			cyl_mont_mul(acc, acc, tab[d], m, minv, n);
			started = 1;
		}
	}
	for (j = 0; j < n; j++)
		r[j] = acc[j];
}

/* Limbs from/to 8n big-endian bytes. */
CYL_MONT_INLINE void cyl_mont_from_be(uint64_t *l, const uint8_t *in, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t v = 0;

		for (size_t b = 0; b < 8; b++)
			v = (v << 8) | in[8 * (n - 1 - i) + b];
		l[i] = v;
	}
}

CYL_MONT_INLINE void cyl_mont_to_be(uint8_t *out, const uint64_t *l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t b = 0; b < 8; b++)
			out[8 * (n - 1 - i) + b] = (uint8_t)(l[i] >> (56 - 8 * b));
}

#endif /* CYL_ABE_MONT_H */
