// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for CP-ABE's decoders: the public, master and user
 * key layouts, the ciphertext layout, key armour and a sealed file's
 * header, chosen by the first byte.  Besides memory errors it checks that
 * whatever a decoder accepts is canonical: encoding it again gives the
 * very bytes it came from (so no two encodings mean the same key), and
 * that a refusal says where.
 */
#include "abe/encoding.c"
#include "abe/armour.c"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "abe/seal.h"

#define check(cond) do {		\
	if (!(cond))			\
		__builtin_trap();	\
} while (0)

static void same(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	check(alen == blen && !memcmp(a, b, alen));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cyl_abe_key_meta meta;
	struct cyl_fame_key key;
	struct cyl_fame_msk msk;
	struct cyl_fame_pk pk;
	struct cyl_fame_ct ct;
	uint8_t *out, *again, *header;
	size_t len, len2, hlen;
	char err[256] = "", *text;
	FILE *f;

	if (size < 1)
		return 0;
	switch (data[0] % 6) {
	case 0:
		if (!cyl_abe_pk_decode(&pk, data + 1, size - 1, err, sizeof(err))) {
			check(!cyl_abe_pk_encode(&pk, &out, &len));
			same(out, len, data + 1, size - 1);
			free(out);
		} else {
			check(strstr(err, "offset"));
		}
		break;
	case 1:
		if (!cyl_abe_msk_decode(&msk, data + 1, size - 1, err, sizeof(err))) {
			check(!cyl_abe_msk_encode(&msk, &out, &len));
			same(out, len, data + 1, size - 1);
			free(out);
		} else {
			check(strstr(err, "offset"));
		}
		break;
	case 2:
		if (!cyl_abe_key_decode(&key, &meta, data + 1, size - 1, err, sizeof(err))) {
			check(!cyl_abe_key_encode(&key, &meta, &out, &len));
			same(out, len, data + 1, size - 1);
			free(out);
			cyl_fame_key_free(&key);
			cyl_abe_key_meta_free(&meta);
		} else {
			check(strstr(err, "offset"));
		}
		break;
	case 3:
		if (!cyl_abe_ct_decode(&ct, data + 1, size - 1, err, sizeof(err))) {
			check(!cyl_abe_ct_encode(&ct, &out, &len));
			same(out, len, data + 1, size - 1);
			free(out);
			cyl_fame_ct_free(&ct);
		} else {
			check(strstr(err, "offset"));
		}
		break;
	case 4:
		if (!cyl_armour_decode((const char *)data + 1, size - 1, CYL_ARMOUR_KEY, &out,
				       &len, err, sizeof(err))) {
			check(!cyl_armour_encode(CYL_ARMOUR_KEY, out, len, &text));
			check(!cyl_armour_decode(text, strlen(text), CYL_ARMOUR_KEY, &again,
						 &len2, err, sizeof(err)));
			same(out, len, again, len2);
			free(text);
			free(out);
			free(again);
		} else {
			check(err[0]);
		}
		break;
	case 5:
		f = fmemopen((void *)(data + 1), size - 1 ? size - 1 : 1, "rb");
		if (!f)
			return 0;
		if (!cyl_seal_read_header(f, &ct, &header, &hlen, err, sizeof(err))) {
			check(hlen <= size - 1 && !memcmp(header, data + 1, hlen));
			free(header);
			cyl_fame_ct_free(&ct);
		} else {
			check(err[0]);
		}
		fclose(f);
		break;
	}
	return 0;
}
