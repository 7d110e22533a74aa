// SPDX-License-Identifier: GPL-2.0
/*
 * mkspool: write records into a spool through the spool library, for the
 * CLI tests.  Each SPEC is DEVICE:FIRST[-LAST][:FLAGS], FLAGS a comma
 * list of plain (not sealed), bad, tx, control, truncated; records are
 * sealed with --key unless "plain".  Payloads are ASTM-like text with
 * control bytes: "\x02" "1H|dev<D>|seq<S>" "\x03" "\r\n".  What opening
 * the spool recovered goes to standard error.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/key.h"
#include "store/record.h"
#include "store/spool.h"
#include "util/le.h"

#define TS_BASE	1746102896123456789ull	/* 2025-05-01T12:34:56.123456789Z */

static void usage(void)
{
	fprintf(stderr, "Usage: mkspool [--key FILE] [--segment-bytes N] DIR "
		"DEVICE:FIRST[-LAST][:plain,bad,tx,control,truncated]...\n");
	exit(2);
}

static uint32_t parse_flags(const char *s)
{
	uint32_t flags = CYL_REC_F_SEALED;
	char buf[128], *tok, *save;

	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "plain"))
			flags &= ~CYL_REC_F_SEALED;
		else if (!strcmp(tok, "bad"))
			flags |= CYL_REC_F_BAD;
		else if (!strcmp(tok, "tx"))
			flags |= CYL_REC_F_TX;
		else if (!strcmp(tok, "control"))
			flags |= CYL_REC_F_CONTROL;
		else if (!strcmp(tok, "truncated"))
			flags |= CYL_REC_F_TRUNCATED;
		else
			usage();
	}
	return flags;
}

static int put(struct cyl_spool *sp, const uint8_t *key, uint32_t device,
	       uint64_t seq, uint32_t flags)
{
	static uint8_t out[CYL_REC_SIZE_MAX];
	struct cyl_rec rec = {
		.version = CYL_REC_VERSION, .device_id = device, .seq = seq,
		.ts_ns = TS_BASE + (seq - 1) * 1000000ull, .framing = 2,
		.flags = flags,
	};
	char payload[128], err[256];
	int len, n;

	len = snprintf(payload, sizeof(payload), "\x02" "1H|dev%" PRIu32 "|seq%" PRIu64
		       "\x03\r\n", device, seq);
	if (flags & CYL_REC_F_BAD)
		rec.bad_reason = 1;	/* checksum */
	cyl_put_le32(rec.nonce, device);
	memcpy(rec.nonce + 4, "EPCH", 4);
	rec.nonce[8] = (uint8_t)(seq >> 24);
	rec.nonce[9] = (uint8_t)(seq >> 16);
	rec.nonce[10] = (uint8_t)(seq >> 8);
	rec.nonce[11] = (uint8_t)seq;
	if ((flags & CYL_REC_F_SEALED) && key) {
		rec.key_serial = 0x2000 + device;
		n = cyl_rec_seal(&rec, key, payload, len, out, sizeof(out), err, sizeof(err));
		if (n < 0) {
			fprintf(stderr, "mkspool: seal: %s\n", err);
			return n;
		}
	} else {
		rec.flags &= ~CYL_REC_F_SEALED;
		rec.len = len;	/* the frame's length; no payload stored */
		cyl_rec_encode(&rec, out);
		n = CYL_REC_HDR_LEN;
	}
	if ((n = cyl_spool_append(sp, out, n)) != 0)
		fprintf(stderr, "mkspool: %s\n", cyl_spool_last_error(sp));
	return n;
}

int main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "key",		required_argument,	NULL, 'k' },
		{ "segment-bytes",	required_argument,	NULL, 's' },
		{ 0 }
	};
	struct cyl_spool_opts opts = { .fsync = CYL_SPOOL_FSYNC_NEVER };
	struct cyl_spool_recovery rep;
	uint8_t key[CYL_REC_KEY_LEN];
	bool have_key = false, loose;
	unsigned long long first, last;
	struct cyl_spool *sp;
	char err[512], *p, *end;
	uint32_t device;
	int opt, i;

	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (opt == 'k') {
			if (cyl_key_read(optarg, key, &loose, err, sizeof(err))) {
				fprintf(stderr, "mkspool: %s\n", err);
				return 1;
			}
			have_key = true;
		} else if (opt == 's') {
			opts.segment_bytes = strtoull(optarg, NULL, 0);
		} else {
			usage();
		}
	}
	if (optind + 2 > argc)
		usage();
	if (cyl_spool_open(&sp, argv[optind], &opts, &rep, err, sizeof(err))) {
		fprintf(stderr, "mkspool: %s\n", err);
		return 1;
	}
	if (rep.what[0])
		fprintf(stderr, "mkspool: %s\n", rep.what);
	for (i = optind + 1; i < argc; i++) {
		device = (uint32_t)strtoul(argv[i], &end, 10);
		if (*end != ':')
			usage();
		first = last = strtoull(end + 1, &p, 10);
		if (*p == '-')
			last = strtoull(p + 1, &p, 10);
		if ((*p && *p != ':') || !first || last < first)
			usage();
		for (; first <= last; first++)
			if (put(sp, have_key ? key : NULL, device, first,
				*p ? parse_flags(p + 1) : CYL_REC_F_SEALED))
				return 1;
	}
	cyl_spool_close(sp);
	return 0;
}
