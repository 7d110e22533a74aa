/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The models' seeded PRNG: xoshiro256** (Blackman and Vigna), its state
 * filled from the seed by splitmix64 as its authors recommend.  Not for
 * cryptography; the same seed gives the same stream on every host.
 */
#ifndef CYL_DETECT_RNG_H
#define CYL_DETECT_RNG_H

#include <stdint.h>

struct cyl_rng {
	uint64_t s[4];
};

static inline uint64_t cyl_splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* A seed for the @i-th part of a model (an ensemble's members). */
static inline uint64_t cyl_rng_derive(uint64_t seed, uint64_t i)
{
	uint64_t x = seed ^ (i * 0xd1b54a32d192ed03ull);

	return cyl_splitmix64(&x);
}

static inline void cyl_rng_seed(struct cyl_rng *r, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = cyl_splitmix64(&seed);
}

static inline uint64_t cyl_rng_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t cyl_rng_next(struct cyl_rng *r)
{
	uint64_t *s = r->s;
	uint64_t out = cyl_rng_rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = cyl_rng_rotl(s[3], 45);
	return out;
}

/* Uniform in [0, 1): the top 53 bits. */
static inline double cyl_rng_uniform(struct cyl_rng *r)
{
	return (double)(cyl_rng_next(r) >> 11) * 0x1p-53;
}

/* Uniform in [0, @n), @n > 0, without modulo bias (rejection). */
static inline uint64_t cyl_rng_below(struct cyl_rng *r, uint64_t n)
{
	uint64_t lim = -n % n, x;

	do
		x = cyl_rng_next(r);
	while (x < lim);
	return x % n;
}

#endif /* CYL_DETECT_RNG_H */
