// SPDX-License-Identifier: GPL-2.0
/*
 * FAME CP-ABE (Agrawal-Chase 2017, section 4, k = 2) as a key
 * encapsulation.  Notation follows the paper: [Br]_2 is k0, sk_y and sk'
 * are k and kp, ct_0 is c0, ct_i is c.  Decryption computes
 *   e(sk'_t * prod sk_{rho(i),t}^w_i, ct_0,t) / e(prod ct_{i,l}^w_i, k0_l)
 * over t, l = 1..3, which is e(g,h)^(d1 a1 s1 + d2 a2 s2 + d3 (s1 + s2)),
 * the encapsulated element, when sum w_i M_i = (1, 0, ..., 0).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "abe/fame.h"
#include "abe/h2c.h"
#include "abe/pairing.h"

#define ATTR_HASH_MAX	256	/* "A" || attribute || 0 || l || t */

static int hash_g1(cyl_g1 *r, const uint8_t *msg, size_t len)
{
	return cyl_hash_to_g1(r, msg, len, (const uint8_t *)CYL_FAME_DST,
			      sizeof(CYL_FAME_DST) - 1);
}

/* H(y, l, t), l in 1..3, t in 1..2. */
static int hash_attr(cyl_g1 *r, const char *attr, int l, int t)
{
	uint8_t msg[ATTR_HASH_MAX];
	size_t n = strlen(attr);

	if (n + 4 > sizeof(msg))
		return -EINVAL;
	msg[0] = 'A';
	memcpy(msg + 1, attr, n);
	msg[n + 1] = 0;
	msg[n + 2] = (uint8_t)l;
	msg[n + 3] = (uint8_t)t;
	return hash_g1(r, msg, n + 4);
}

/* H(0, j, l, t): the hash standing for column j (1-based) of the MSP. */
static int hash_column(cyl_g1 *r, size_t j, int l, int t)
{
	uint8_t msg[7] = { 'U', (uint8_t)(j >> 24), (uint8_t)(j >> 16),
			   (uint8_t)(j >> 8), (uint8_t)j, (uint8_t)l, (uint8_t)t };

	return hash_g1(r, msg, sizeof(msg));
}

/* r += a * k for a public coefficient, with the common 0 and +-1 cheap. */
static void g1_add_mul_public(cyl_g1 *r, const cyl_g1 *a, const cyl_fr *k)
{
	cyl_fr minus_one;
	cyl_g1 t;

	if (cyl_fr_is_zero(k))
		return;
	cyl_fr_neg(&minus_one, &cyl_fr_one);
	if (cyl_fr_eq(k, &cyl_fr_one)) {
		cyl_g1_add(r, r, a);
	} else if (cyl_fr_eq(k, &minus_one)) {
		cyl_g1_neg(&t, a);
		cyl_g1_add(r, r, &t);
	} else {
		cyl_g1_mul(&t, a, k);
		cyl_g1_add(r, r, &t);
	}
}

static int random_scalars(cyl_fr *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (cyl_fr_random_nonzero(&s[i]))
			return -EIO;
	return 0;
}

void cyl_fame_pk_from_msk(struct cyl_fame_pk *pk, const struct cyl_fame_msk *msk)
{
	cyl_g1 t;
	int i;

	for (i = 0; i < 2; i++) {
		cyl_g2_mul(&pk->h_a[i], &cyl_g2_generator, &msk->a[i]);
		/* e(g,h)^(d_i a_i + d3) = e(g^(d_i) ^ a_i * g^d3, h) */
		cyl_g1_mul(&t, &msk->g_d[i], &msk->a[i]);
		cyl_g1_add(&t, &t, &msk->g_d[2]);
		cyl_pairing(&pk->e_gh_ka[i], &t, &cyl_g2_generator);
	}
	OPENSSL_cleanse(&t, sizeof(t));
}

int cyl_fame_setup(struct cyl_fame_pk *pk, struct cyl_fame_msk *msk)
{
	cyl_fr d[3];
	int i;

	if (random_scalars(msk->a, 2) || random_scalars(msk->b, 2) ||
	    random_scalars(d, 3)) {
		cyl_fame_msk_clear(msk);
		OPENSSL_cleanse(d, sizeof(d));
		return -EIO;
	}
	for (i = 0; i < 3; i++)
		cyl_g1_mul(&msk->g_d[i], &cyl_g1_generator, &d[i]);
	OPENSSL_cleanse(d, sizeof(d));
	cyl_fame_pk_from_msk(pk, msk);
	return 0;
}

void cyl_fame_msk_clear(struct cyl_fame_msk *msk)
{
	OPENSSL_cleanse(msk, sizeof(*msk));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * out = base + sum_l hash(l, t)^(br_l / a_t) + g^(sigma / a_t): the shape
 * shared by sk_{y,t} (base = O, attribute hashes) and sk'_t (base = g^d_t,
 * the first column's hashes).
 */
static int key_component(cyl_g1 *out, const cyl_g1 *base, const char *attr,
			 const cyl_fr br[3], const cyl_fr *inv_a, const cyl_fr *sigma,
			 int t)
{
	cyl_g1 h, m;
	cyl_fr e;
	int l, ret = 0;

	*out = *base;
	for (l = 0; l < 3 && !ret; l++) {
		ret = attr ? hash_attr(&h, attr, l + 1, t + 1) :
			     hash_column(&h, 1, l + 1, t + 1);
		cyl_fr_mul(&e, &br[l], inv_a);
		cyl_g1_mul(&m, &h, &e);
		cyl_g1_add(out, out, &m);
	}
	cyl_fr_mul(&e, sigma, inv_a);
	cyl_g1_mul(&m, &cyl_g1_generator, &e);
	cyl_g1_add(out, out, &m);
	OPENSSL_cleanse(&e, sizeof(e));
	OPENSSL_cleanse(&m, sizeof(m));
	return ret;
}

int cyl_fame_keygen(struct cyl_fame_key *key, const struct cyl_fame_msk *msk,
		    const char *const *attrs, size_t n)
{
	cyl_fr r[2], br[3], inv_a[2], sigma, neg;
	size_t i;
	int t, ret;

	memset(key, 0, sizeof(*key));
	key->attrs = calloc(n ? n : 1, sizeof(*key->attrs));
	key->k = calloc(n ? n : 1, sizeof(*key->k));
	if (!key->attrs || !key->k) {
		cyl_fame_key_free(key);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		key->attrs[i] = strdup(attrs[i]);
		if (!key->attrs[i]) {
			key->n_attrs = i;
			cyl_fame_key_free(key);
			return -ENOMEM;
		}
	}
	key->n_attrs = n;
	qsort(key->attrs, n, sizeof(*key->attrs), cmp_str);
	for (i = 1; i < n; i++)
		if (!strcmp(key->attrs[i - 1], key->attrs[i])) {
			cyl_fame_key_free(key);
			return -EINVAL;
		}

	ret = random_scalars(r, 2);
	if (ret)
		goto out;
	cyl_fr_mul(&br[0], &msk->b[0], &r[0]);
	cyl_fr_mul(&br[1], &msk->b[1], &r[1]);
	cyl_fr_add(&br[2], &r[0], &r[1]);
	for (t = 0; t < 3; t++)
		cyl_g2_mul(&key->k0[t], &cyl_g2_generator, &br[t]);
	cyl_fr_inv(&inv_a[0], &msk->a[0]);
	cyl_fr_inv(&inv_a[1], &msk->a[1]);

	for (i = 0; i < n && !ret; i++) {
		ret = random_scalars(&sigma, 1);
		for (t = 0; t < 2 && !ret; t++)
			ret = key_component(&key->k[i][t], &cyl_g1_infinity,
					    key->attrs[i], br, &inv_a[t], &sigma, t);
		cyl_fr_neg(&neg, &sigma);
		cyl_g1_mul(&key->k[i][2], &cyl_g1_generator, &neg);
	}
	if (!ret)
		ret = random_scalars(&sigma, 1);
	for (t = 0; t < 2 && !ret; t++)
		ret = key_component(&key->kp[t], &msk->g_d[t], NULL, br, &inv_a[t],
				    &sigma, t);
	if (!ret) {
		cyl_fr_neg(&neg, &sigma);
		cyl_g1_mul(&key->kp[2], &cyl_g1_generator, &neg);
		cyl_g1_add(&key->kp[2], &key->kp[2], &msk->g_d[2]);
	}
out:
	OPENSSL_cleanse(r, sizeof(r));
	OPENSSL_cleanse(br, sizeof(br));
	OPENSSL_cleanse(inv_a, sizeof(inv_a));
	OPENSSL_cleanse(&sigma, sizeof(sigma));
	OPENSSL_cleanse(&neg, sizeof(neg));
	if (ret)
		cyl_fame_key_free(key);
	return ret;
}

void cyl_fame_key_free(struct cyl_fame_key *key)
{
	size_t i;

	if (key->attrs)
		for (i = 0; i < key->n_attrs; i++)
			free(key->attrs[i]);
	free(key->attrs);
	if (key->k)
		OPENSSL_cleanse(key->k, key->n_attrs * sizeof(*key->k));
	free(key->k);
	OPENSSL_cleanse(key, sizeof(*key));
}

int cyl_fame_encrypt(struct cyl_fame_ct *ct, cyl_fp12 *kem,
		     const struct cyl_fame_pk *pk, const struct cyl_abe_policy *policy)
{
	struct cyl_abe_msp *msp;
	cyl_g1 (*u)[3][2] = NULL;	/* u[j][l][t] = H(0, j+1, l+1, t+1) */
	cyl_g1 base, h, m;
	cyl_fp12 part;
	uint8_t sb[CYL_FR_BYTES];
	cyl_fr s[2], sum;
	size_t i, j;
	int l, t, ret;

	memset(ct, 0, sizeof(*ct));
	ret = cyl_abe_msp_from_policy(policy, &msp);
	if (ret)
		return ret;
	ct->policy = cyl_abe_policy_to_string(policy);
	ct->rows = msp->rows;
	ct->c = calloc(msp->rows, sizeof(*ct->c));
	u = calloc(msp->cols, sizeof(*u));
	if (!ct->policy || !ct->c || !u) {
		ret = -ENOMEM;
		goto out;
	}
	ret = random_scalars(s, 2);
	if (ret)
		goto out;

	cyl_g2_mul(&ct->c0[0], &pk->h_a[0], &s[0]);
	cyl_g2_mul(&ct->c0[1], &pk->h_a[1], &s[1]);
	cyl_fr_add(&sum, &s[0], &s[1]);
	cyl_g2_mul(&ct->c0[2], &cyl_g2_generator, &sum);

	cyl_fr_to_bytes(sb, &s[0]);
	cyl_gt_pow(kem, &pk->e_gh_ka[0], sb);
	cyl_fr_to_bytes(sb, &s[1]);
	cyl_gt_pow(&part, &pk->e_gh_ka[1], sb);
	cyl_fp12_mul(kem, kem, &part);

	for (j = 0; j < msp->cols && !ret; j++)
		for (l = 0; l < 3 && !ret; l++)
			for (t = 0; t < 2 && !ret; t++)
				ret = hash_column(&u[j][l][t], j + 1, l + 1, t + 1);

	/* ct_{i,l} = prod_t (H(rho(i), l, t) * prod_j U(j, l, t)^M_ij)^s_t */
	for (i = 0; i < msp->rows && !ret; i++) {
		for (l = 0; l < 3 && !ret; l++) {
			ct->c[i][l] = cyl_g1_infinity;
			for (t = 0; t < 2 && !ret; t++) {
				ret = hash_attr(&h, msp->rho[i], l + 1, t + 1);
				base = h;
				for (j = 0; j < msp->cols; j++)
					g1_add_mul_public(&base, &u[j][l][t],
							  &msp->m[i * msp->cols + j]);
				cyl_g1_mul(&m, &base, &s[t]);
				cyl_g1_add(&ct->c[i][l], &ct->c[i][l], &m);
			}
		}
	}
out:
	OPENSSL_cleanse(s, sizeof(s));
	OPENSSL_cleanse(&sum, sizeof(sum));
	OPENSSL_cleanse(sb, sizeof(sb));
	OPENSSL_cleanse(&part, sizeof(part));
	free(u);
	cyl_abe_msp_free(msp);
	if (ret) {
		OPENSSL_cleanse(kem, sizeof(*kem));
		cyl_fame_ct_free(ct);
	}
	return ret;
}

static int find_attr(const struct cyl_fame_key *key, const char *attr)
{
	char *const *p = bsearch(&attr, key->attrs, key->n_attrs, sizeof(*key->attrs),
				 cmp_str);

	return p ? (int)(p - key->attrs) : -1;
}

int cyl_fame_decrypt(cyl_fp12 *kem, const struct cyl_fame_key *key,
		     const struct cyl_fame_ct *ct)
{
	struct cyl_abe_policy *policy = NULL;
	struct cyl_abe_msp *msp = NULL;
	cyl_g1 p[6], m;
	cyl_g2 q[6];
	cyl_fr *w = NULL;
	size_t i;
	int l, k, ret;

	ret = cyl_abe_policy_parse(ct->policy, &policy, NULL, 0);
	if (ret)
		return -EINVAL;
	ret = cyl_abe_msp_from_policy(policy, &msp);
	if (ret)
		goto out;
	if (msp->rows != ct->rows) {
		ret = -EINVAL;
		goto out;
	}
	w = calloc(msp->rows, sizeof(*w));
	if (!w) {
		ret = -ENOMEM;
		goto out;
	}
	ret = cyl_abe_msp_reconstruct(msp, (const char *const *)key->attrs,
				      key->n_attrs, w);
	if (ret) {
		ret = ret == -ENOENT ? -EACCES : ret;
		goto out;
	}

	/* p[0..2] = sk'_t * prod sk_{rho(i),t}^w_i, p[3..5] = (prod ct_{i,l}^w_i)^-1 */
	for (l = 0; l < 3; l++) {
		p[l] = key->kp[l];
		p[3 + l] = cyl_g1_infinity;
		q[l] = ct->c0[l];
		q[3 + l] = key->k0[l];
	}
	for (i = 0; i < msp->rows; i++) {
		if (cyl_fr_is_zero(&w[i]))
			continue;
		k = find_attr(key, msp->rho[i]);
		if (k < 0) {	/* reconstruct() used a row the key lacks */
			ret = -EACCES;
			goto out;
		}
		for (l = 0; l < 3; l++) {
			g1_add_mul_public(&p[l], &key->k[k][l], &w[i]);
			g1_add_mul_public(&p[3 + l], &ct->c[i][l], &w[i]);
		}
	}
	for (l = 0; l < 3; l++) {
		m = p[3 + l];
		cyl_g1_neg(&p[3 + l], &m);
	}
	cyl_pairing_multi(kem, p, q, 6);
	OPENSSL_cleanse(p, sizeof(p));
out:
	free(w);
	if (msp)
		cyl_abe_msp_free(msp);
	cyl_abe_policy_free(policy);
	return ret;
}

void cyl_fame_ct_free(struct cyl_fame_ct *ct)
{
	free(ct->policy);
	free(ct->c);
	memset(ct, 0, sizeof(*ct));
}
