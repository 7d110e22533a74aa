/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Scalars: the field Fr of the group order
 * r = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001,
 * four 64-bit limbs in Montgomery form.  Constant time except "_vartime".
 */
#ifndef CYL_ABE_FR_H
#define CYL_ABE_FR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CYL_FR_LIMBS	4
#define CYL_FR_BYTES	32

typedef struct {
	uint64_t l[CYL_FR_LIMBS];
} cyl_fr;

extern const cyl_fr cyl_fr_zero;
extern const cyl_fr cyl_fr_one;
/* r as plain limbs, least significant first. */
extern const uint64_t cyl_fr_modulus[CYL_FR_LIMBS];

void cyl_fr_add(cyl_fr *r, const cyl_fr *a, const cyl_fr *b);
void cyl_fr_sub(cyl_fr *r, const cyl_fr *a, const cyl_fr *b);
void cyl_fr_neg(cyl_fr *r, const cyl_fr *a);
void cyl_fr_mul(cyl_fr *r, const cyl_fr *a, const cyl_fr *b);
void cyl_fr_inv(cyl_fr *r, const cyl_fr *a);	/* 1/0 is 0 */
bool cyl_fr_is_zero(const cyl_fr *a);
bool cyl_fr_eq(const cyl_fr *a, const cyl_fr *b);
void cyl_fr_from_u64(cyl_fr *r, uint64_t v);
void cyl_fr_from_i64(cyl_fr *r, int64_t v);
/* 32 bytes big endian; from_bytes refuses a value >= r. */
bool cyl_fr_from_bytes(cyl_fr *r, const uint8_t in[CYL_FR_BYTES]);
void cyl_fr_to_bytes(uint8_t out[CYL_FR_BYTES], const cyl_fr *a);
/* Reduce 64 big-endian bytes mod r (uniform when the input is). */
void cyl_fr_from_bytes_wide(cyl_fr *r, const uint8_t in[64]);
/* A uniformly random scalar from OpenSSL's RAND_priv_bytes; -EIO on failure. */
int cyl_fr_random(cyl_fr *r);
/* A uniformly random non-zero scalar. */
int cyl_fr_random_nonzero(cyl_fr *r);

#endif /* CYL_ABE_FR_H */
