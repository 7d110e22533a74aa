// SPDX-License-Identifier: GPL-2.0
/*
 * FAME CP-ABE costs on one core: keygen, encrypt (encapsulation) and
 * decrypt for keys of N attributes and a policy "and" of the same N
 * attributes (every row used by decryption: the worst case), with the
 * sizes of keys and ciphertexts; decrypt is also given as a multiple of
 * one pairing measured in the same run.  Then a sealed file's payload
 * throughput against raw AES-256-GCM in the same run.
 *
 *   make bench-tools && build/tests/bench/abe
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "abe/encoding.h"
#include "abe/pairing.h"
#include "abe/seal.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what)
{
	fprintf(stderr, "abe bench: %s failed\n", what);
	exit(1);
}

static double pairing_ms(void)
{
	cyl_fp12 e;
	double t0 = now();
	int i, n = 50;

	for (i = 0; i < n; i++)
		cyl_pairing(&e, &cyl_g1_generator, &cyl_g2_generator);
	return (now() - t0) * 1e3 / n;
}

static void fame_row(const struct cyl_fame_pk *pk, const struct cyl_fame_msk *msk,
		     size_t n, double pairing)
{
	struct cyl_abe_key_meta meta = { .subject = (char *)"" };
	struct cyl_abe_policy *policy;
	struct cyl_fame_key key;
	struct cyl_fame_ct ct;
	char **attrs = malloc(n * sizeof(*attrs)), *text = malloc(n * 16 + 1);
	double t0, kg, enc, dec;
	uint8_t *buf;
	size_t i, klen, clen;
	cyl_fp12 kem, got;
	int reps = n >= 50 ? 2 : 5, r;

	text[0] = '\0';
	for (i = 0; i < n; i++) {
		attrs[i] = malloc(16);
		snprintf(attrs[i], 16, "attr:%u", (unsigned int)(i % 1000));
		if (i)
			strcat(text, " and ");
		strcat(text, attrs[i]);
	}
	if (cyl_abe_policy_parse(text, &policy, NULL, 0))
		die("policy");
	t0 = now();
	for (r = 0; r < reps; r++) {
		if (cyl_fame_keygen(&key, msk, (const char *const *)attrs, n))
			die("keygen");
		if (r + 1 < reps)
			cyl_fame_key_free(&key);
	}
	kg = (now() - t0) * 1e3 / reps;
	t0 = now();
	for (r = 0; r < reps; r++) {
		if (cyl_fame_encrypt(&ct, &kem, pk, policy))
			die("encrypt");
		if (r + 1 < reps)
			cyl_fame_ct_free(&ct);
	}
	enc = (now() - t0) * 1e3 / reps;
	t0 = now();
	for (r = 0; r < reps; r++)
		if (cyl_fame_decrypt(&got, &key, &ct) || !cyl_fp12_eq(&got, &kem))
			die("decrypt");
	dec = (now() - t0) * 1e3 / reps;
	if (cyl_abe_key_encode(&key, &meta, &buf, &klen))
		die("key encoding");
	free(buf);
	if (cyl_abe_ct_encode(&ct, &buf, &clen))
		die("ciphertext encoding");
	free(buf);
	printf("%6zu %11.1f %11.1f %11.1f %9.1fx %10zu %10zu\n", n, kg, enc, dec,
	       dec / pairing, klen, clen);
	cyl_fame_key_free(&key);
	cyl_fame_ct_free(&ct);
	cyl_abe_policy_free(policy);
	for (i = 0; i < n; i++)
		free(attrs[i]);
	free(attrs);
	free(text);
}

static double raw_gcm_mbps(const uint8_t *data, size_t len)
{
	static const uint8_t key[32], iv[12];
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	uint8_t *out = malloc(len + 16), tag[16];
	double t0 = now();
	int n, reps = 20, r;

	for (r = 0; r < reps; r++) {
		EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, iv);
		EVP_EncryptUpdate(ctx, out, &n, data, (int)len);
		EVP_EncryptFinal_ex(ctx, out + n, &n);
		EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, tag);
	}
	EVP_CIPHER_CTX_free(ctx);
	free(out);
	return (double)len * reps / (now() - t0) / 1e6;
}

static double seal_mbps(const struct cyl_fame_pk *pk, uint8_t *data, size_t len)
{
	struct cyl_abe_policy *policy;
	char err[256];
	FILE *in, *out;
	double t0;

	if (cyl_abe_policy_parse("role:dpo", &policy, NULL, 0))
		die("policy");
	in = fmemopen(data, len, "rb");
	out = fopen("/dev/null", "wb");
	t0 = now();
	if (cyl_seal(in, out, pk, policy, err, sizeof(err)))
		die(err);
	t0 = now() - t0;
	fclose(in);
	fclose(out);
	cyl_abe_policy_free(policy);
	return (double)len / t0 / 1e6;
}

int main(void)
{
	static const size_t sizes[] = { 2, 10, 50 };
	struct cyl_fame_msk msk;
	struct cyl_fame_pk pk;
	size_t i, len = 64u << 20;
	uint8_t *data;
	double pairing, raw, sealed;

	if (cyl_fame_setup(&pk, &msk))
		die("setup");
	pairing = pairing_ms();
	printf("FAME CP-ABE on BLS12-381 (one pairing: %.3f ms in this run)\n\n", pairing);
	printf("%6s %11s %11s %11s %10s %10s %10s\n", "attrs", "keygen ms", "encrypt ms",
	       "decrypt ms", "dec/pair", "key bytes", "ct bytes");
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		fame_row(&pk, &msk, sizes[i], pairing);
	cyl_fame_msk_clear(&msk);

	data = calloc(1, len);
	raw = raw_gcm_mbps(data, len);
	sealed = seal_mbps(&pk, data, len);
	printf("\nsealed file, 64 MiB payload: %.0f MB/s; raw AES-256-GCM: %.0f MB/s "
	       "(ratio %.2f)\n", sealed, raw, sealed / raw);
	free(data);
	return 0;
}
