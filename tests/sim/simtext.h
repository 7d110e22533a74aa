/* SPDX-License-Identifier: GPL-2.0 */
/*
 * simtext: building the simulators' frames.
 *
 * A growable byte buffer, deterministic "measurements" (a pure function of
 * the seed, the sequence number and a channel, so a retransmitted or
 * re-sent frame carries the same values), and synthetic timestamps.
 */
#ifndef CYL_SIMTEXT_H
#define CYL_SIMTEXT_H

#include <stddef.h>
#include <stdint.h>

struct sim;

struct sim_buf {
	uint8_t *p;
	size_t len, cap;
};

/* Append; on allocation failure the program exits (a test tool). */
void sim_buf_add(struct sim_buf *b, const void *p, size_t n);
void sim_buf_addc(struct sim_buf *b, uint8_t c);
void sim_buf_fill(struct sim_buf *b, uint8_t c, size_t n);
void sim_buf_printf(struct sim_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sim_buf_free(struct sim_buf *b);

/* base + a value in [-spread, +spread], fixed by (seed, @seq, @channel). */
int sim_vary(const struct sim *sim, unsigned long seq, unsigned int channel,
	     int base, int spread);

/*
 * "YYYYMMDDHHMMSS" (15 bytes with the NUL) of frame @seq: 2026-01-01
 * 00:00:00 UTC plus @seq intervals, so the content does not depend on
 * when it was sent.
 */
void sim_timestamp(const struct sim *sim, unsigned long seq, char ts[15]);

/* Decode hex digits (spaces allowed between bytes) into @out; bytes or -1. */
long sim_unhex(const char *s, uint8_t *out, size_t cap);

#endif /* CYL_SIMTEXT_H */
