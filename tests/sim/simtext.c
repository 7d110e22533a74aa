// SPDX-License-Identifier: GPL-2.0
/*
 * simtext: buffers, deterministic values and timestamps for frames.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "simcore.h"
#include "simtext.h"
#include "util/hex.h"

#define SIM_EPOCH	1767225600	/* 2026-01-01 00:00:00 UTC */

static void reserve(struct sim_buf *b, size_t n)
{
	size_t cap = b->cap ? b->cap : 256;
	uint8_t *p;

	if (b->len + n <= b->cap)
		return;
	while (cap < b->len + n)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p) {
		perror("realloc");
		exit(1);
	}
	b->p = p;
	b->cap = cap;
}

void sim_buf_add(struct sim_buf *b, const void *p, size_t n)
{
	reserve(b, n);
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

void sim_buf_addc(struct sim_buf *b, uint8_t c)
{
	sim_buf_add(b, &c, 1);
}

void sim_buf_fill(struct sim_buf *b, uint8_t c, size_t n)
{
	reserve(b, n);
	memset(b->p + b->len, c, n);
	b->len += n;
}

void sim_buf_printf(struct sim_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	reserve(b, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf((char *)b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void sim_buf_free(struct sim_buf *b)
{
	free(b->p);
	*b = (struct sim_buf){ 0 };
}

/* splitmix64's finaliser: a good 64-bit mix of its input. */
static uint64_t mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

int sim_vary(const struct sim *sim, unsigned long seq, unsigned int channel,
	     int base, int spread)
{
	uint64_t z = mix(sim->seed + 0x9e3779b97f4a7c15ULL * (seq + 1) +
			 ((uint64_t)channel << 48));

	if (spread <= 0)
		return base;
	return base + (int)(z % (uint64_t)(2 * spread + 1)) - spread;
}

void sim_timestamp(const struct sim *sim, unsigned long seq, char ts[15])
{
	unsigned long step = sim->interval_ms ? sim->interval_ms : 1000;
	time_t t = SIM_EPOCH + (time_t)(seq * step / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(ts, 15, "%Y%m%d%H%M%S", &tm);
}

long sim_unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;

	for (;;) {
		int hi, lo;

		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			return (long)n;
		hi = cyl_hex_digit(s[0]);
		lo = hi < 0 ? -1 : cyl_hex_digit(s[1]);
		if (lo < 0 || n == cap)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
}
