// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the risk log verifier, from memory buffers (no
 * files).  An input is
 *   byte 0      flags: 1 check signatures (else none are checked, so
 *               that roots and proofs are reached with made-up heads),
 *               2 no heads file, 4 entries only
 *   bytes 1..4  the entries file's length (u32 LE, cut to what follows)
 *   the rest    the entries file, then the heads file.
 * Signatures use a fixed key (the seed below); the seed corpus holds logs
 * written by mkrisklog with that key, so mutations start from good logs.
 *
 * Besides memory errors it checks the verifier's promises: counts that
 * add up, entries inside the buffer, and for a good head (whose root the
 * entries give) inclusion proofs and consistency proofs that verify.
 */
#define _GNU_SOURCE	/* util/file.c: renameat2() */
#include "risk/merkle.c"
#include "risk/format.c"
#include "risk/verify.c"
#include "util/errbuf.c"
#include "util/file.c"

#include <stddef.h>
#include <stdint.h>

static const uint8_t seed[32] = "cylcomed risk log fuzzing key!!";
static EVP_PKEY *key;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, sizeof(seed));
	return key ? 0 : -1;
}

static void check_entries(const struct cyl_risk_view *v, const uint8_t *e, size_t elen)
{
	const struct cyl_risk_summary *s = cyl_risk_view_summary(v);
	const uint8_t *data;
	uint64_t i, off;
	uint32_t len;

	if (s->bad_entries > s->entries)
		__builtin_trap();
	for (i = 0; i < s->entries; i++) {
		if (cyl_risk_view_entry(v, i, &data, &len, &off))
			__builtin_trap();
		if (off < CYL_RISK_HDR_LEN || !len || len > CYL_RISKLOG_ENTRY_MAX ||
		    off + CYL_RISK_FRAME_OVERHEAD + len > elen || data != e + off + 4)
			__builtin_trap();
	}
	if (!cyl_risk_view_entry(v, s->entries, &data, &len, &off))
		__builtin_trap();
}

/* A good head's root is the tree's: every proof against it must verify. */
static void check_proofs(const struct cyl_risk_view *v)
{
	const struct cyl_risk_summary *s = cyl_risk_view_summary(v);
	const struct cyl_risk_head *h, *g;
	struct cyl_risk_proof p;
	size_t i, j, good = 0;
	char err[256];
	bool ok;

	for (i = 0; i < cyl_risk_view_heads(v); i++) {
		h = cyl_risk_view_head(v, i, &ok);
		if (!ok)
			continue;
		good++;
		if (h->size > s->entries)
			__builtin_trap();
		for (j = 0; j < i; j++) {
			g = cyl_risk_view_head(v, j, &ok);
			if (!ok || g->size > h->size)
				continue;
			if (cyl_risk_prove_consistency(v, g->size, h->size, &p, err, sizeof(err)) ||
			    !p.verified)
				__builtin_trap();
		}
	}
	if (good != s->good_heads || (good && s->latest == CYL_RISK_NONE))
		__builtin_trap();
	if (s->latest == CYL_RISK_NONE)
		return;
	h = cyl_risk_view_head(v, s->latest, &ok);
	if (!ok || h->size != s->signed_size)
		__builtin_trap();
	for (i = 0; i < h->size && i < 64; i++)
		if (cyl_risk_prove_inclusion(v, i, &p, err, sizeof(err)) || !p.verified)
			__builtin_trap();
	if (!cyl_risk_prove_inclusion(v, h->size, &p, err, sizeof(err)))
		__builtin_trap();
}

static void count(void *ctx, const struct cyl_risk_problem *p)
{
	if (!p->msg[0] || (p->file && strcmp(p->file, EF) && strcmp(p->file, HF)))
		__builtin_trap();
	++*(uint64_t *)ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cyl_risk_verify_opts o = { .report = count };
	const struct cyl_risk_summary *s;
	struct cyl_risk_view *v;
	uint64_t reported = 0;
	uint8_t flags;
	size_t elen;

	if (size < 5)
		return 0;
	flags = data[0];
	o.pubkey = flags & 1 ? key : NULL;
	o.entries_only = flags & 4;
	o.ctx = &reported;
	elen = cyl_get_le32(data + 1);
	data += 5;
	size -= 5;
	if (elen > size)
		elen = size;
	if (cyl_risk_verify_mem(data, elen, flags & 2 ? NULL : data + elen,
				size - elen, &o, &v))
		return 0;	/* out of memory */
	s = cyl_risk_view_summary(v);
	if (reported != s->problems + s->notes || s->good_heads > s->heads)
		__builtin_trap();
	check_entries(v, data, elen);
	if (!o.entries_only)
		check_proofs(v);
	cyl_risk_view_free(v);
	return 0;
}
