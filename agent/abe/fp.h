/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The BLS12-381 base field Fp, p = 0x1a0111ea...aaab (381 bits), as six
 * 64-bit limbs in Montgomery form (R = 2^384), least significant limb
 * first.  Every operation runs in time independent of the values, except
 * the ones named "_vartime".  Outputs may alias inputs.
 */
#ifndef CYL_ABE_FP_H
#define CYL_ABE_FP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CYL_FP_LIMBS	6
#define CYL_FP_BYTES	48

typedef struct {
	uint64_t l[CYL_FP_LIMBS];
} cyl_fp;

extern const cyl_fp cyl_fp_zero;
extern const cyl_fp cyl_fp_one;		/* R mod p */
/* p itself, as plain (not Montgomery) limbs. */
extern const uint64_t cyl_fp_modulus[CYL_FP_LIMBS];

void cyl_fp_add(cyl_fp *r, const cyl_fp *a, const cyl_fp *b);
void cyl_fp_sub(cyl_fp *r, const cyl_fp *a, const cyl_fp *b);
void cyl_fp_neg(cyl_fp *r, const cyl_fp *a);
void cyl_fp_dbl(cyl_fp *r, const cyl_fp *a);
void cyl_fp_mul(cyl_fp *r, const cyl_fp *a, const cyl_fp *b);
void cyl_fp_sqr(cyl_fp *r, const cyl_fp *a);
/* r = a * k for a small constant k (used by curve constants: 3b, 4, 12). */
void cyl_fp_mul_small(cyl_fp *r, const cyl_fp *a, uint64_t k);
/* r = 1/a (Fermat, constant time); 1/0 is 0. */
void cyl_fp_inv(cyl_fp *r, const cyl_fp *a);
/* r = a^e for a public exponent of n limbs (little endian), variable time. */
void cyl_fp_pow_vartime(cyl_fp *r, const cyl_fp *a, const uint64_t *e, size_t n);
/*
 * Square root: p = 3 mod 4, so r = a^((p+1)/4).  Returns true when a is a
 * square (r then squares to a), false otherwise (r unspecified).
 */
bool cyl_fp_sqrt(cyl_fp *r, const cyl_fp *a);
bool cyl_fp_is_square(const cyl_fp *a);

bool cyl_fp_is_zero(const cyl_fp *a);
bool cyl_fp_eq(const cyl_fp *a, const cyl_fp *b);
/* r = c ? b : a, without a branch on c. */
void cyl_fp_cmov(cyl_fp *r, const cyl_fp *a, const cyl_fp *b, bool c);
/* RFC 9380 sgn0: the parity of the canonical value. */
int cyl_fp_sgn0(const cyl_fp *a);
/* a > (p-1)/2 in canonical form: the ZCash "largest" flag. */
bool cyl_fp_is_lexicographically_largest(const cyl_fp *a);

void cyl_fp_from_u64(cyl_fp *r, uint64_t v);
/* Plain limbs in, Montgomery out; the input must be < p. */
void cyl_fp_from_limbs(cyl_fp *r, const uint64_t l[CYL_FP_LIMBS]);
/* Montgomery in, canonical plain limbs out. */
void cyl_fp_to_limbs(uint64_t l[CYL_FP_LIMBS], const cyl_fp *a);
/*
 * 48 big-endian bytes.  from_bytes refuses a value >= p (returns false),
 * never reduces it: encodings are canonical.
 */
bool cyl_fp_from_bytes(cyl_fp *r, const uint8_t in[CYL_FP_BYTES]);
void cyl_fp_to_bytes(uint8_t out[CYL_FP_BYTES], const cyl_fp *a);
/* Reduce a 64-byte big-endian number mod p (hash_to_field's L = 64). */
void cyl_fp_from_bytes_wide(cyl_fp *r, const uint8_t in[64]);
/* Parse "0x..." hex (tests and constants); false on bad digits or >= p. */
bool cyl_fp_from_hex(cyl_fp *r, const char *hex);

#endif /* CYL_ABE_FP_H */
