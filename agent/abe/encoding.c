// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "abe/codec.h"
#include "abe/encoding.h"
#include "abe/msp.h"
#include "util/errbuf.h"

#define MAGIC_LEN	4
#define MAX_ATTRS	CYL_ABE_ATTRS_MAX

/* --- a writer into a buffer sized in advance --- */

struct writer {
	uint8_t *buf;
	size_t off;
};

static void put(struct writer *w, const void *p, size_t n)
{
	memcpy(w->buf + w->off, p, n);
	w->off += n;
}

static void put_u8(struct writer *w, uint8_t v)
{
	put(w, &v, 1);
}

static void put_u16(struct writer *w, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	put(w, b, 2);
}

static void put_u64(struct writer *w, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--)
		put_u8(w, (uint8_t)(v >> (8 * i)));
}

static void put_header(struct writer *w, const char *magic)
{
	put(w, magic, MAGIC_LEN);
	put_u8(w, CYL_ABE_ENCODING_V1);
}

static void put_g1(struct writer *w, const cyl_g1 *p)
{
	cyl_g1_to_compressed(w->buf + w->off, p);
	w->off += CYL_G1_COMPRESSED;
}

static void put_g2(struct writer *w, const cyl_g2 *p)
{
	cyl_g2_to_compressed(w->buf + w->off, p);
	w->off += CYL_G2_COMPRESSED;
}

static int alloc_writer(struct writer *w, size_t len)
{
	w->off = 0;
	w->buf = malloc(len ? len : 1);
	return w->buf ? 0 : -ENOMEM;
}

/* --- a reader that names what it failed to read, and where --- */

struct reader {
	const uint8_t *in;
	size_t len, off;
	const char *what;	/* "public key", "user key", ... */
	char *err;
	size_t errlen;
};

static int fail(struct reader *r, const char *field, const char *why)
{
	return cyl_errf(-EINVAL, r->err, r->errlen, "%s: offset %zu: %s: %s", r->what,
			r->off, field, why);
}

static int need(struct reader *r, size_t n, const char *field)
{
	if (r->len - r->off < n)
		return fail(r, field, "truncated");
	return 0;
}

static int get_u8(struct reader *r, uint8_t *v, const char *field)
{
	if (need(r, 1, field))
		return -EINVAL;
	*v = r->in[r->off++];
	return 0;
}

static int get_u16(struct reader *r, uint16_t *v, const char *field)
{
	if (need(r, 2, field))
		return -EINVAL;
	*v = (uint16_t)(r->in[r->off] << 8 | r->in[r->off + 1]);
	r->off += 2;
	return 0;
}

static int get_u64(struct reader *r, uint64_t *v, const char *field)
{
	int i;

	if (need(r, 8, field))
		return -EINVAL;
	for (*v = 0, i = 0; i < 8; i++)
		*v = *v << 8 | r->in[r->off++];
	return 0;
}

static int get_header(struct reader *r, const char *magic)
{
	uint8_t version;

	if (need(r, MAGIC_LEN, "magic"))
		return -EINVAL;
	if (memcmp(r->in, magic, MAGIC_LEN))
		return fail(r, "magic", "not this kind of file (wrong magic)");
	r->off = MAGIC_LEN;
	if (get_u8(r, &version, "version"))
		return -EINVAL;
	if (version != CYL_ABE_ENCODING_V1) {
		r->off--;
		return fail(r, "version", "unsupported version");
	}
	return 0;
}

static int get_g1(struct reader *r, cyl_g1 *p, const char *field)
{
	const char *why = "invalid";

	if (need(r, CYL_G1_COMPRESSED, field))
		return -EINVAL;
	if (!cyl_g1_decode(p, r->in + r->off, CYL_G1_COMPRESSED, &why))
		return fail(r, field, why);
	r->off += CYL_G1_COMPRESSED;
	return 0;
}

static int get_g2(struct reader *r, cyl_g2 *p, const char *field)
{
	const char *why = "invalid";

	if (need(r, CYL_G2_COMPRESSED, field))
		return -EINVAL;
	if (!cyl_g2_decode(p, r->in + r->off, CYL_G2_COMPRESSED, &why))
		return fail(r, field, why);
	r->off += CYL_G2_COMPRESSED;
	return 0;
}

/* A non-zero canonical scalar (every secret scalar of the scheme is). */
static int get_fr(struct reader *r, cyl_fr *v, const char *field)
{
	if (need(r, CYL_FR_BYTES, field))
		return -EINVAL;
	if (!cyl_fr_from_bytes(v, r->in + r->off))
		return fail(r, field, "scalar not below the group order");
	if (cyl_fr_is_zero(v))
		return fail(r, field, "scalar is zero");
	r->off += CYL_FR_BYTES;
	return 0;
}

static int get_end(struct reader *r)
{
	if (r->off != r->len)
		return fail(r, "end", "trailing bytes");
	return 0;
}

/* A length-prefixed string, copied with a NUL; refuses NUL bytes inside. */
static int get_str(struct reader *r, char **s, size_t len, const char *field)
{
	if (need(r, len, field))
		return -EINVAL;
	if (memchr(r->in + r->off, 0, len))
		return fail(r, field, "contains a NUL byte");
	*s = malloc(len + 1);
	if (!*s)
		return -ENOMEM;
	memcpy(*s, r->in + r->off, len);
	(*s)[len] = '\0';
	r->off += len;
	return 0;
}

/* One attribute, "name:value" as policy.h defines it. */
static bool attr_valid(const char *attr)
{
	char **attrs;
	size_t n;
	bool ok;

	if (cyl_abe_attrs_parse(attr, &attrs, &n, NULL, 0))
		return false;
	ok = n == 1 && !strcmp(attrs[0], attr);
	cyl_abe_attrs_free(attrs, n);
	return ok;
}

/* --- public key --- */

#define PK_LEN	(MAGIC_LEN + 1 + 2 * CYL_G2_COMPRESSED + 2 * CYL_GT_BYTES)

int cyl_abe_pk_encode(const struct cyl_fame_pk *pk, uint8_t **out, size_t *len)
{
	struct writer w;
	int i;

	if (alloc_writer(&w, PK_LEN))
		return -ENOMEM;
	put_header(&w, CYL_ABE_PK_MAGIC);
	for (i = 0; i < 2; i++)
		put_g2(&w, &pk->h_a[i]);
	for (i = 0; i < 2; i++) {
		cyl_gt_to_bytes(w.buf + w.off, &pk->e_gh_ka[i]);
		w.off += CYL_GT_BYTES;
	}
	*out = w.buf;
	*len = w.off;
	return 0;
}

int cyl_abe_pk_decode(struct cyl_fame_pk *pk, const uint8_t *in, size_t len,
		      char *err, size_t errlen)
{
	struct reader r = { in, len, 0, "public key", err, errlen };
	static const char *const h_a[] = { "h_a[0]", "h_a[1]" };
	static const char *const e[] = { "e_gh_ka[0]", "e_gh_ka[1]" };
	int i;

	if (get_header(&r, CYL_ABE_PK_MAGIC))
		return -EINVAL;
	for (i = 0; i < 2; i++)
		if (get_g2(&r, &pk->h_a[i], h_a[i]))
			return -EINVAL;
	for (i = 0; i < 2; i++) {
		if (need(&r, CYL_GT_BYTES, e[i]))
			return -EINVAL;
		if (!cyl_gt_from_bytes(&pk->e_gh_ka[i], in + r.off))
			return fail(&r, e[i], "not an element of GT");
		if (cyl_fp12_is_one(&pk->e_gh_ka[i]))
			return fail(&r, e[i], "is the identity");
		r.off += CYL_GT_BYTES;
	}
	return get_end(&r);
}

/* --- master key --- */

#define MSK_LEN	(MAGIC_LEN + 1 + 4 * CYL_FR_BYTES + 3 * CYL_G1_COMPRESSED)

int cyl_abe_msk_encode(const struct cyl_fame_msk *msk, uint8_t **out, size_t *len)
{
	struct writer w;
	int i;

	if (alloc_writer(&w, MSK_LEN))
		return -ENOMEM;
	put_header(&w, CYL_ABE_MSK_MAGIC);
	for (i = 0; i < 2; i++) {
		cyl_fr_to_bytes(w.buf + w.off, &msk->a[i]);
		w.off += CYL_FR_BYTES;
	}
	for (i = 0; i < 2; i++) {
		cyl_fr_to_bytes(w.buf + w.off, &msk->b[i]);
		w.off += CYL_FR_BYTES;
	}
	for (i = 0; i < 3; i++)
		put_g1(&w, &msk->g_d[i]);
	*out = w.buf;
	*len = w.off;
	return 0;
}

int cyl_abe_msk_decode(struct cyl_fame_msk *msk, const uint8_t *in, size_t len,
		       char *err, size_t errlen)
{
	struct reader r = { in, len, 0, "master key", err, errlen };
	static const char *const names[] = { "a[0]", "a[1]", "b[0]", "b[1]",
					     "g_d[0]", "g_d[1]", "g_d[2]" };
	int i, ret = -EINVAL;

	if (get_header(&r, CYL_ABE_MSK_MAGIC))
		goto out;
	for (i = 0; i < 2; i++)
		if (get_fr(&r, &msk->a[i], names[i]))
			goto out;
	for (i = 0; i < 2; i++)
		if (get_fr(&r, &msk->b[i], names[2 + i]))
			goto out;
	for (i = 0; i < 3; i++) {
		if (get_g1(&r, &msk->g_d[i], names[4 + i]))
			goto out;
		if (cyl_g1_is_infinity(&msk->g_d[i])) {
			fail(&r, names[4 + i], "is the point at infinity");
			goto out;
		}
	}
	ret = get_end(&r);
out:
	if (ret)
		cyl_fame_msk_clear(msk);
	return ret;
}

/* --- user key --- */

int cyl_abe_key_encode(const struct cyl_fame_key *key, const struct cyl_abe_key_meta *meta,
		       uint8_t **out, size_t *len)
{
	size_t i, total, sub = strlen(meta->subject);
	struct writer w;
	int l;

	if (key->n_attrs > MAX_ATTRS || sub > CYL_ABE_SUBJECT_MAX)
		return -EINVAL;
	total = MAGIC_LEN + 1 + 2 + sub + 8 + 2 + 3 * CYL_G2_COMPRESSED +
		3 * CYL_G1_COMPRESSED;
	for (i = 0; i < key->n_attrs; i++) {
		if (strlen(key->attrs[i]) > 255)
			return -EINVAL;
		total += 1 + strlen(key->attrs[i]) + 3 * CYL_G1_COMPRESSED;
	}
	if (alloc_writer(&w, total))
		return -ENOMEM;
	put_header(&w, CYL_ABE_KEY_MAGIC);
	put_u16(&w, (uint16_t)sub);
	put(&w, meta->subject, sub);
	put_u64(&w, meta->not_after);
	put_u16(&w, (uint16_t)key->n_attrs);
	for (i = 0; i < key->n_attrs; i++) {
		put_u8(&w, (uint8_t)strlen(key->attrs[i]));
		put(&w, key->attrs[i], strlen(key->attrs[i]));
	}
	for (l = 0; l < 3; l++)
		put_g2(&w, &key->k0[l]);
	for (l = 0; l < 3; l++)
		put_g1(&w, &key->kp[l]);
	for (i = 0; i < key->n_attrs; i++)
		for (l = 0; l < 3; l++)
			put_g1(&w, &key->k[i][l]);
	*out = w.buf;
	*len = w.off;
	return 0;
}

int cyl_abe_key_decode(struct cyl_fame_key *key, struct cyl_abe_key_meta *meta,
		       const uint8_t *in, size_t len, char *err, size_t errlen)
{
	struct reader r = { in, len, 0, "user key", err, errlen };
	char field[32];
	uint16_t sub, n;
	uint8_t alen;
	size_t i;
	int l, ret = -EINVAL;

	memset(key, 0, sizeof(*key));
	memset(meta, 0, sizeof(*meta));
	if (get_header(&r, CYL_ABE_KEY_MAGIC) || get_u16(&r, &sub, "subject length"))
		goto out;
	if (sub > CYL_ABE_SUBJECT_MAX) {
		fail(&r, "subject length", "too long");
		goto out;
	}
	ret = get_str(&r, &meta->subject, sub, "subject");
	if (ret)
		goto out;
	ret = -EINVAL;
	if (get_u64(&r, &meta->not_after, "not_after") ||
	    get_u16(&r, &n, "attribute count"))
		goto out;
	if (n > MAX_ATTRS) {
		fail(&r, "attribute count", "too many attributes");
		goto out;
	}
	key->attrs = calloc(n ? n : 1, sizeof(*key->attrs));
	key->k = calloc(n ? n : 1, sizeof(*key->k));
	if (!key->attrs || !key->k) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		snprintf(field, sizeof(field), "attribute %zu", i);
		if (get_u8(&r, &alen, field))
			goto out;
		ret = get_str(&r, &key->attrs[i], alen, field);
		if (ret)
			goto out;
		key->n_attrs = i + 1;
		ret = -EINVAL;
		r.off -= alen;
		if (!attr_valid(key->attrs[i])) {
			fail(&r, field, "not a valid \"name:value\" attribute");
			goto out;
		}
		if (i && strcmp(key->attrs[i - 1], key->attrs[i]) >= 0) {
			fail(&r, field, "attributes not sorted and distinct");
			goto out;
		}
		r.off += alen;
	}
	for (l = 0; l < 3; l++) {
		snprintf(field, sizeof(field), "k0[%d]", l);
		if (get_g2(&r, &key->k0[l], field))
			goto out;
	}
	for (l = 0; l < 3; l++) {
		snprintf(field, sizeof(field), "kp[%d]", l);
		if (get_g1(&r, &key->kp[l], field))
			goto out;
	}
	for (i = 0; i < n; i++)
		for (l = 0; l < 3; l++) {
			snprintf(field, sizeof(field), "k[%zu][%d]", i, l);
			if (get_g1(&r, &key->k[i][l], field))
				goto out;
		}
	ret = get_end(&r);
out:
	if (ret) {
		cyl_fame_key_free(key);
		cyl_abe_key_meta_free(meta);
	}
	return ret;
}

void cyl_abe_key_meta_free(struct cyl_abe_key_meta *meta)
{
	free(meta->subject);
	meta->subject = NULL;
}

/* --- ciphertext (the KEM part; seal.c adds the payload) --- */

int cyl_abe_ct_encode(const struct cyl_fame_ct *ct, uint8_t **out, size_t *len)
{
	size_t i, plen = strlen(ct->policy);
	struct writer w;
	int l;

	if (plen > UINT16_MAX || ct->rows > UINT16_MAX)
		return -EINVAL;
	if (alloc_writer(&w, MAGIC_LEN + 1 + 2 + plen + 3 * CYL_G2_COMPRESSED + 2 +
			 ct->rows * 3 * CYL_G1_COMPRESSED))
		return -ENOMEM;
	put_header(&w, CYL_ABE_CT_MAGIC);
	put_u16(&w, (uint16_t)plen);
	put(&w, ct->policy, plen);
	for (l = 0; l < 3; l++)
		put_g2(&w, &ct->c0[l]);
	put_u16(&w, (uint16_t)ct->rows);
	for (i = 0; i < ct->rows; i++)
		for (l = 0; l < 3; l++)
			put_g1(&w, &ct->c[i][l]);
	*out = w.buf;
	*len = w.off;
	return 0;
}

int cyl_abe_ct_decode(struct cyl_fame_ct *ct, const uint8_t *in, size_t len,
		      char *err, size_t errlen)
{
	struct reader r = { in, len, 0, "ciphertext", err, errlen };
	struct cyl_abe_policy *policy = NULL;
	struct cyl_abe_msp *msp = NULL;
	char field[32], why[256] = "does not convert to a span program";
	uint16_t plen, rows;
	size_t i, at;
	int l, ret = -EINVAL;

	memset(ct, 0, sizeof(*ct));
	if (get_header(&r, CYL_ABE_CT_MAGIC) || get_u16(&r, &plen, "policy length"))
		goto out;
	at = r.off;
	ret = get_str(&r, &ct->policy, plen, "policy");
	if (ret)
		goto out;
	ret = cyl_abe_policy_parse(ct->policy, &policy, why, sizeof(why));
	if (!ret)
		ret = cyl_abe_msp_from_policy(policy, &msp);
	if (ret) {
		r.off = at;
		ret = ret == -ENOMEM ? -ENOMEM : fail(&r, "policy", why);
		goto out;
	}
	ret = -EINVAL;
	for (l = 0; l < 3; l++) {
		snprintf(field, sizeof(field), "c0[%d]", l);
		if (get_g2(&r, &ct->c0[l], field))
			goto out;
	}
	if (get_u16(&r, &rows, "row count"))
		goto out;
	if (rows != msp->rows) {
		r.off -= 2;
		fail(&r, "row count", "does not match the policy's");
		goto out;
	}
	ct->c = calloc(rows ? rows : 1, sizeof(*ct->c));
	if (!ct->c) {
		ret = -ENOMEM;
		goto out;
	}
	ct->rows = rows;
	for (i = 0; i < rows; i++)
		for (l = 0; l < 3; l++) {
			snprintf(field, sizeof(field), "c[%zu][%d]", i, l);
			if (get_g1(&r, &ct->c[i][l], field))
				goto out;
		}
	ret = get_end(&r);
out:
	if (msp)
		cyl_abe_msp_free(msp);
	cyl_abe_policy_free(policy);
	if (ret)
		cyl_fame_ct_free(ct);
	return ret;
}
