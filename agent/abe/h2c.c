// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 9380 hashing to BLS12-381, written from the RFC: expand_message_xmd
 * (5.3.1) over OpenSSL's SHA-256, hash_to_field (5.2) with L = 64, the
 * simplified SWU map onto the isogenous curves E1' and E2' (6.6.2, 6.6.3,
 * 8.8.1, 8.8.2), the 11- and 3-isogenies of appendices E.2 and E.3, and
 * cofactor clearing: h_eff for G1, the psi method of appendix G.3
 * (Budroni-Pintore) for G2.  SSWU takes the one-exponentiation forms for
 * q = 3 mod 4 (Fp) and q = 9 mod 16 (Fp2) of the drafts' "optimized sample
 * code" appendix (draft-irtf-cfrg-hash-to-curve-10), which compute what
 * 6.6.2 with the sqrt_ratio of appendix F.2.1 does; the step numbers in
 * the comments are theirs.
 *
 * The maps take no branch on field values: the exceptional cases and the
 * choice of square root go through cmov.  Exponentiations use the
 * "_vartime" powers, whose timing depends on the public exponent only.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "abe/h2c.h"

#define XMD_B		32		/* b_in_bytes, SHA-256 output */
#define XMD_S		64		/* s_in_bytes, SHA-256 block */
#define XMD_MAX		(255 * XMD_B)
#define H2C_L		64		/* ceil((ceil(log2(p)) + k) / 8), k = 128 */

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* expand_message_xmd */

struct chunk {
	const void *p;
	size_t n;
};

static bool sha256(EVP_MD_CTX *ctx, uint8_t out[XMD_B], const struct chunk *c, size_t n)
{
	size_t i;

	if (!EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
		return false;
	for (i = 0; i < n; i++)
		if (!EVP_DigestUpdate(ctx, c[i].p, c[i].n))
			return false;
	return EVP_DigestFinal_ex(ctx, out, NULL);
}

static int expand_oversize_dst(uint8_t *out, size_t len_in_bytes,
			      const uint8_t *msg, size_t msg_len,
			      const uint8_t *dst, size_t dst_len);

int cyl_expand_message_xmd(uint8_t *out, size_t len_in_bytes,
			   const uint8_t *msg, size_t msg_len,
			   const uint8_t *dst, size_t dst_len)
{
	static const uint8_t z_pad[XMD_S];
	uint8_t b0[XMD_B], bi[XMD_B] = { 0 }, x[XMD_B];
	uint8_t lib[2] = { len_in_bytes >> 8, len_in_bytes & 0xff };
	uint8_t dlen = dst_len, zero = 0, idx;
	/* DST_prime = DST || I2OSP(len(DST), 1) */
	struct chunk c0[] = {
		{ z_pad, sizeof(z_pad) }, { msg, msg_len }, { lib, 2 }, { &zero, 1 },
		{ dst, dst_len }, { &dlen, 1 },
	};
	struct chunk ci[] = { { x, XMD_B }, { &idx, 1 }, { dst, dst_len }, { &dlen, 1 } };
	size_t ell, i, j, off;
	EVP_MD_CTX *ctx;
	int ret = -EIO;

	if (!len_in_bytes || len_in_bytes > XMD_MAX || !dst_len)
		return -EINVAL;
	if (dst_len > 255)
		return expand_oversize_dst(out, len_in_bytes, msg, msg_len, dst, dst_len);
	ell = (len_in_bytes + XMD_B - 1) / XMD_B;
	ctx = EVP_MD_CTX_new();
	if (!ctx)
		return -EIO;
	/* b_0 = H(Z_pad || msg || l_i_b_str || I2OSP(0, 1) || DST_prime) */
	if (!sha256(ctx, b0, c0, ARRAY_SIZE(c0)))
		goto out;
	/*
	 * b_i = H(strxor(b_0, b_(i-1)) || I2OSP(i, 1) || DST_prime); bi starts
	 * at zero, so that b_1 = H(b_0 || I2OSP(1, 1) || DST_prime).
	 */
	for (i = 1, off = 0; i <= ell; i++, off += XMD_B) {
		for (j = 0; j < XMD_B; j++)
			x[j] = b0[j] ^ bi[j];
		idx = i;
		if (!sha256(ctx, bi, ci, ARRAY_SIZE(ci)))
			goto out;
		memcpy(out + off, bi, len_in_bytes - off < XMD_B ? len_in_bytes - off : XMD_B);
	}
	ret = 0;
out:
	EVP_MD_CTX_free(ctx);
	return ret;
}

/* RFC 9380 5.3.3: a DST over 255 bytes is replaced by its hash. */
static int expand_oversize_dst(uint8_t *out, size_t len_in_bytes,
			       const uint8_t *msg, size_t msg_len,
			       const uint8_t *dst, size_t dst_len)
{
	static const char tag[] = "H2C-OVERSIZE-DST-";
	uint8_t small[XMD_B];
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok;

	ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) &&
	     EVP_DigestUpdate(ctx, tag, sizeof(tag) - 1) &&
	     EVP_DigestUpdate(ctx, dst, dst_len) &&
	     EVP_DigestFinal_ex(ctx, small, NULL);
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return -EIO;
	return cyl_expand_message_xmd(out, len_in_bytes, msg, msg_len, small, sizeof(small));
}

/* hash_to_field: n elements of Fp, each from L = 64 bytes, in order. */
static int hash_to_fp(cyl_fp *e, size_t n, const uint8_t *msg, size_t msg_len,
		      const uint8_t *dst, size_t dst_len)
{
	uint8_t buf[4 * H2C_L];
	size_t i;
	int ret;

	ret = cyl_expand_message_xmd(buf, n * H2C_L, msg, msg_len, dst, dst_len);
	if (ret)
		return ret;
	for (i = 0; i < n; i++)
		cyl_fp_from_bytes_wide(&e[i], buf + i * H2C_L);
	return 0;
}

/*
 * Constants: the isogeny coefficients exactly as printed in RFC 9380
 * appendices E.2 and E.3 (k_(1,i) .. k_(4,i), i from 0 up), with the
 * denominators' leading 1 written out; parsed once.
 */
#define G1_XNUM		11
#define G1_XDEN		10
#define G1_YNUM		15
#define G1_YDEN		15
#define G2_XNUM		3
#define G2_XDEN		2
#define G2_YNUM		3
#define G2_YDEN		3

static const unsigned int g1_deg[4] = { G1_XNUM, G1_XDEN, G1_YNUM, G1_YDEN };
static const unsigned int g2_deg[4] = { G2_XNUM, G2_XDEN, G2_YNUM, G2_YDEN };

static const char *const g1_iso_hex[4][16] = {
	{	/* x_num */
		"0x11a05f2b1e833340b809101dd99815856b303e88a2d7005f"
		"f2627b56cdb4e2c85610c2d5f2e62d6eaeac1662734649b7",
		"0x17294ed3e943ab2f0588bab22147a81c7c17e75b2f6a8417"
		"f565e33c70d1e86b4838f2a6f318c356e834eef1b3cb83bb",
		"0xd54005db97678ec1d1048c5d10a9a1bce032473295983e56"
		"878e501ec68e25c958c3e3d2a09729fe0179f9dac9edcb0",
		"0x1778e7166fcc6db74e0609d307e55412d7f5e4656a8dbf25"
		"f1b33289f1b330835336e25ce3107193c5b388641d9b6861",
		"0xe99726a3199f4436642b4b3e4118e5499db995a1257fb3f0"
		"86eeb65982fac18985a286f301e77c451154ce9ac8895d9",
		"0x1630c3250d7313ff01d1201bf7a74ab5db3cb17dd952799b"
		"9ed3ab9097e68f90a0870d2dcae73d19cd13c1c66f652983",
		"0xd6ed6553fe44d296a3726c38ae652bfb11586264f0f8ce19"
		"008e218f9c86b2a8da25128c1052ecaddd7f225a139ed84",
		"0x17b81e7701abdbe2e8743884d1117e53356de5ab275b4db1"
		"a682c62ef0f2753339b7c8f8c8f475af9ccb5618e3f0c88e",
		"0x80d3cf1f9a78fc47b90b33563be990dc43b756ce79f5574a"
		"2c596c928c5d1de4fa295f296b74e956d71986a8497e317",
		"0x169b1f8e1bcfa7c42e0c37515d138f22dd2ecb803a0c5c99"
		"676314baf4bb1b7fa3190b2edc0327797f241067be390c9e",
		"0x10321da079ce07e272d8ec09d2565b0dfa7dccdde6787f96"
		"d50af36003b14866f69b771f8c285decca67df3f1605fb7b",
		"0x6e08c248e260e70bd1e962381edee3d31d79d7e22c837bc2"
		"3c0bf1bc24c6b68c24b1b80b64d391fa9c8ba2e8ba2d229",
	},
	{	/* x_den */
		"0x8ca8d548cff19ae18b2e62f4bd3fa6f01d5ef4ba35b48ba9"
		"c9588617fc8ac62b558d681be343df8993cf9fa40d21b1c",
		"0x12561a5deb559c4348b4711298e536367041e8ca0cf0800c"
		"0126c2588c48bf5713daa8846cb026e9e5c8276ec82b3bff",
		"0xb2962fe57a3225e8137e629bff2991f6f89416f5a718cd1f"
		"ca64e00b11aceacd6a3d0967c94fedcfcc239ba5cb83e19",
		"0x3425581a58ae2fec83aafef7c40eb545b08243f16b165515"
		"4cca8abc28d6fd04976d5243eecf5c4130de8938dc62cd8",
		"0x13a8e162022914a80a6f1d5f43e7a07dffdfc759a12062bb"
		"8d6b44e833b306da9bd29ba81f35781d539d395b3532a21e",
		"0xe7355f8e4e667b955390f7f0506c6e9395735e9ce9cad4d0"
		"a43bcef24b8982f7400d24bc4228f11c02df9a29f6304a5",
		"0x772caacf16936190f3e0c63e0596721570f5799af53a1894"
		"e2e073062aede9cea73b3538f0de06cec2574496ee84a3a",
		"0x14a7ac2a9d64a8b230b3f5b074cf01996e7f63c21bca68a8"
		"1996e1cdf9822c580fa5b9489d11e2d311f7d99bbdcc5a5e",
		"0xa10ecf6ada54f825e920b3dafc7a3cce07f8d1d7161366b7"
		"4100da67f39883503826692abba43704776ec3a79a1d641",
		"0x95fc13ab9e92ad4476d6e3eb3a56680f682b4ee96f7d0377"
		"6df533978f31c1593174e4b4b7865002d6384d168ecdd0a",
		"0x1",
	},
	{	/* y_num */
		"0x90d97c81ba24ee0259d1f094980dcfa11ad138e48a869522"
		"b52af6c956543d3cd0c7aee9b3ba3c2be9845719707bb33",
		"0x134996a104ee5811d51036d776fb46831223e96c254f383d"
		"0f906343eb67ad34d6c56711962fa8bfe097e75a2e41c696",
		"0xcc786baa966e66f4a384c86a3b49942552e2d658a31ce2c3"
		"44be4b91400da7d26d521628b00523b8dfe240c72de1f6",
		"0x1f86376e8981c217898751ad8746757d42aa7b90eeb791c0"
		"9e4a3ec03251cf9de405aba9ec61deca6355c77b0e5f4cb",
		"0x8cc03fdefe0ff135caf4fe2a21529c4195536fbe3ce50b87"
		"9833fd221351adc2ee7f8dc099040a841b6daecf2e8fedb",
		"0x16603fca40634b6a2211e11db8f0a6a074a7d0d4afadb7bd"
		"76505c3d3ad5544e203f6326c95a807299b23ab13633a5f0",
		"0x4ab0b9bcfac1bbcb2c977d027796b3ce75bb8ca2be184cb5"
		"231413c4d634f3747a87ac2460f415ec961f8855fe9d6f2",
		"0x987c8d5333ab86fde9926bd2ca6c674170a05bfe3bdd81ff"
		"d038da6c26c842642f64550fedfe935a15e4ca31870fb29",
		"0x9fc4018bd96684be88c9e221e4da1bb8f3abd16679dc26c1"
		"e8b6e6a1f20cabe69d65201c78607a360370e577bdba587",
		"0xe1bba7a1186bdb5223abde7ada14a23c42a0ca7915af6fe0"
		"6985e7ed1e4d43b9b3f7055dd4eba6f2bafaaebca731c30",
		"0x19713e47937cd1be0dfd0b8f1d43fb93cd2fcbcb6caf493f"
		"d1183e416389e61031bf3a5cce3fbafce813711ad011c132",
		"0x18b46a908f36f6deb918c143fed2edcc523559b8aaf0c246"
		"2e6bfe7f911f643249d9cdf41b44d606ce07c8a4d0074d8e",
		"0xb182cac101b9399d155096004f53f447aa7b12a3426b08ec"
		"02710e807b4633f06c851c1919211f20d4c04f00b971ef8",
		"0x245a394ad1eca9b72fc00ae7be315dc757b3b080d4c15801"
		"3e6632d3c40659cc6cf90ad1c232a6442d9d3f5db980133",
		"0x5c129645e44cf1102a159f748c4a3fc5e673d81d7e86568d"
		"9ab0f5d396a7ce46ba1049b6579afb7866b1e715475224b",
		"0x15e6be4e990f03ce4ea50b3b42df2eb5cb181d8f84965a39"
		"57add4fa95af01b2b665027efec01c7704b456be69c8b604",
	},
	{	/* y_den */
		"0x16112c4c3a9c98b252181140fad0eae9601a6de578980be6"
		"eec3232b5be72e7a07f3688ef60c206d01479253b03663c1",
		"0x1962d75c2381201e1a0cbd6c43c348b885c84ff731c4d59c"
		"a4a10356f453e01f78a4260763529e3532f6102c2e49a03d",
		"0x58df3306640da276faaae7d6e8eb15778c4855551ae7f310"
		"c35a5dd279cd2eca6757cd636f96f891e2538b53dbf67f2",
		"0x16b7d288798e5395f20d23bf89edb4d1d115c5dbddbcd30e"
		"123da489e726af41727364f2c28297ada8d26d98445f5416",
		"0xbe0e079545f43e4b00cc912f8228ddcc6d19c9f0f69bbb05"
		"42eda0fc9dec916a20b15dc0fd2ededda39142311a5001d",
		"0x8d9e5297186db2d9fb266eaac783182b70152c65550d881c"
		"5ecd87b6f0f5a6449f38db9dfa9cce202c6477faaf9b7ac",
		"0x166007c08a99db2fc3ba8734ace9824b5eecfdfa8d0cf8ef"
		"5dd365bc400a0051d5fa9c01a58b1fb93d1a1399126a775c",
		"0x16a3ef08be3ea7ea03bcddfabba6ff6ee5a4375efa1f4fd7"
		"feb34fd206357132b920f5b00801dee460ee415a15812ed9",
		"0x1866c8ed336c61231a1be54fd1d74cc4f9fb0ce4c6af5920"
		"abc5750c4bf39b4852cfe2f7bb9248836b233d9d55535d4a",
		"0x167a55cda70a6e1cea820597d94a84903216f763e13d87bb"
		"5308592e7ea7d4fbc7385ea3d529b35e346ef48bb8913f55",
		"0x4d2f259eea405bd48f010a01ad2911d9c6dd039bb61a6290"
		"e591b36e636a5c871a5c29f4f83060400f8b49cba8f6aa8",
		"0xaccbb67481d033ff5852c1e48c50c477f94ff8aefce42d28"
		"c0f9a88cea7913516f968986f7ebbea9684b529e2561092",
		"0xad6b9514c767fe3c3613144b45f1496543346d98adf02267"
		"d5ceef9a00d9b8693000763e3b90ac11e99b138573345cc",
		"0x2660400eb2e4f3b628bdd0d53cd76f2bf565b94e72927c1c"
		"b748df27942480e420517bd8714cc80d1fadc1326ed06f7",
		"0xe0fa1d816ddc03e6b24255e0d7819c171c40f65e273b8533"
		"24efcd6356caa205ca2f570f13497804415473a1d634b8f",
		"0x1",
	},
};

static const char *const g2_iso_hex[4][4][2] = {
	{	/* x_num */
		{ "0x5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a8"
		  "8b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97d6",
		  "0x5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a8"
		  "8b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97d6" },
		{ "0x0",
		  "0x11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f"
		  "9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71a" },
		{ "0x11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f"
		  "9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71e",
		  "0x8ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063fc"
		  "d104635a790520c0a395554e5c6aaaa9354ffffffffe38d" },
		{ "0x171d6541fa38ccfaed6dea691f5fb614cb14b4e7f4e810aa"
		  "22d6108f142b85757098e38d0f671c7188e2aaaaaaaa5ed1",
		  "0x0" },
	},
	{	/* x_den */
		{ "0x0",
		  "0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf"
		  "6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa63" },
		{ "0xc",
		  "0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf"
		  "6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa9f" },
		{ "0x1",
		  "0x0" },
	},
	{	/* y_num */
		{ "0x1530477c7ab4113b59a4c18b076d11930f7da5d4a07f649b"
		  "f54439d87d27e500fc8c25ebf8c92f6812cfc71c71c6d706",
		  "0x1530477c7ab4113b59a4c18b076d11930f7da5d4a07f649b"
		  "f54439d87d27e500fc8c25ebf8c92f6812cfc71c71c6d706" },
		{ "0x0",
		  "0x5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a8"
		  "8b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97be" },
		{ "0x11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f"
		  "9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71c",
		  "0x8ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063fc"
		  "d104635a790520c0a395554e5c6aaaa9354ffffffffe38f" },
		{ "0x124c9ad43b6cf79bfbf7043de3811ad0761b0f37a1e26286"
		  "b0e977c69aa274524e79097a56dc4bd9e1b371c71c718b10",
		  "0x0" },
	},
	{	/* y_den */
		{ "0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf"
		  "6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa8fb",
		  "0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf"
		  "6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa8fb" },
		{ "0x0",
		  "0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf"
		  "6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa9d3" },
		{ "0x12",
		  "0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf"
		  "6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa99" },
		{ "0x1",
		  "0x0" },
	},
};

/* E1' (8.8.1) */
static const char g1_a_hex[] =
	"0x144698a3b8e9433d693a02c96d4982b0ea985383ee66a8d8"
	"e8981aefd881ac98936f8da0e0f97f5cf428082d584c1d";
static const char g1_b_hex[] =
	"0x12e2908d11688030018b12e8753eee3b2016c1f0f24f4070"
	"a0b9c14fcef35ef55a23215a316ceaa5d1cc48e98e172be0";

static struct {
	/* Named as in the SSWU forms: c1 the exponent, c2.. the roots. */
	struct {
		cyl_fp a, b, z, minus_a, za, c2;
		uint64_t c1[CYL_FP_LIMBS];
		cyl_fp k[4][G1_YNUM + 1];
	} g1;
	struct {
		cyl_fp2 a, b, z, minus_a, za, c2, c3, c4, c5;
		uint64_t c1[2 * CYL_FP_LIMBS];
		cyl_fp2 k[4][G2_YNUM + 1];
	} g2;
} consts;

static pthread_once_t k_once = PTHREAD_ONCE_INIT;

/* The constants are fixed text: failing to parse them is a bug. */
static void must(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "h2c: bad constant %s\n", what);
		abort();
	}
}

/* r = (a - s) >> sh over n limbs, a's low sh bits being s: exact, no borrow. */
static void sub_shr(uint64_t *r, const uint64_t *a, size_t n, uint64_t s, unsigned int sh)
{
	size_t i;

	for (i = 0; i < n; i++)
		r[i] = ((i ? a[i] : a[i] - s) >> sh) | (i + 1 < n ? a[i + 1] << (64 - sh) : 0);
}

/* p^2 in 12 limbs. */
static void p_squared(uint64_t r[2 * CYL_FP_LIMBS])
{
	const uint64_t *p = cyl_fp_modulus;
	unsigned __int128 t;
	uint64_t carry;
	size_t i, j;

	memset(r, 0, 2 * CYL_FP_LIMBS * sizeof(*r));
	for (i = 0; i < CYL_FP_LIMBS; i++) {
		carry = 0;
		for (j = 0; j < CYL_FP_LIMBS; j++) {
			t = (unsigned __int128)p[i] * p[j] + r[i + j] + carry;
			r[i + j] = (uint64_t)t;
			carry = t >> 64;
		}
		r[i + CYL_FP_LIMBS] = carry;
	}
}

static void fp2_from_u64s(cyl_fp2 *r, uint64_t c0, uint64_t c1)
{
	cyl_fp_from_u64(&r->c0, c0);
	cyl_fp_from_u64(&r->c1, c1);
}

static void init_g1(void)
{
	unsigned int i, j;
	cyl_fp t;

	must(cyl_fp_from_hex(&consts.g1.a, g1_a_hex), "A'");
	must(cyl_fp_from_hex(&consts.g1.b, g1_b_hex), "B'");
	cyl_fp_from_u64(&consts.g1.z, 11);
	cyl_fp_neg(&consts.g1.minus_a, &consts.g1.a);
	cyl_fp_mul(&consts.g1.za, &consts.g1.z, &consts.g1.a);
	/* c1 = (p - 3) / 4, c2 = sqrt(-Z^3) */
	sub_shr(consts.g1.c1, cyl_fp_modulus, CYL_FP_LIMBS, 3, 2);
	cyl_fp_sqr(&t, &consts.g1.z);
	cyl_fp_mul(&t, &t, &consts.g1.z);
	cyl_fp_neg(&t, &t);
	must(cyl_fp_sqrt(&consts.g1.c2, &t), "sqrt(-Z^3)");
	for (i = 0; i < 4; i++)
		for (j = 0; j <= g1_deg[i]; j++)
			must(cyl_fp_from_hex(&consts.g1.k[i][j], g1_iso_hex[i][j]), "E.2");
}

static void init_g2(void)
{
	uint64_t q[2 * CYL_FP_LIMBS];
	unsigned int i, j;
	cyl_fp2 z3, t;

	fp2_from_u64s(&consts.g2.a, 0, 240);
	fp2_from_u64s(&consts.g2.b, 1012, 1012);
	fp2_from_u64s(&t, 2, 1);
	cyl_fp2_neg(&consts.g2.z, &t);
	cyl_fp2_neg(&consts.g2.minus_a, &consts.g2.a);
	cyl_fp2_mul(&consts.g2.za, &consts.g2.z, &consts.g2.a);
	/*
	 * c1 = (q - 9) / 16 with q = p^2; c2 = sqrt(-1) = I, c3 = sqrt(c2),
	 * c4 = sqrt(Z^3 / c3), c5 = sqrt(Z^3 / (c2 * c3)).  Which root of
	 * each does not matter: the map tries all four and fixes the sign.
	 */
	p_squared(q);
	sub_shr(consts.g2.c1, q, 2 * CYL_FP_LIMBS, 9, 4);
	fp2_from_u64s(&consts.g2.c2, 0, 1);
	must(cyl_fp2_sqrt(&consts.g2.c3, &consts.g2.c2), "sqrt(c2)");
	cyl_fp2_sqr(&z3, &consts.g2.z);
	cyl_fp2_mul(&z3, &z3, &consts.g2.z);
	cyl_fp2_inv(&t, &consts.g2.c3);
	cyl_fp2_mul(&t, &t, &z3);
	must(cyl_fp2_sqrt(&consts.g2.c4, &t), "c4");
	cyl_fp2_mul(&t, &consts.g2.c2, &consts.g2.c3);
	cyl_fp2_inv(&t, &t);
	cyl_fp2_mul(&t, &t, &z3);
	must(cyl_fp2_sqrt(&consts.g2.c5, &t), "c5");
	for (i = 0; i < 4; i++) {
		for (j = 0; j <= g2_deg[i]; j++) {
			must(cyl_fp_from_hex(&consts.g2.k[i][j].c0, g2_iso_hex[i][j][0]), "E.3");
			must(cyl_fp_from_hex(&consts.g2.k[i][j].c1, g2_iso_hex[i][j][1]), "E.3");
		}
	}
}

static void init_constants(void)
{
	init_g1();
	init_g2();
}

static void constants(void)
{
	pthread_once(&k_once, init_constants);
}

/* Simplified SWU onto E1', q = 3 mod 4: the point (xn / xd, y). */
static void sswu_g1(cyl_fp *xn, cyl_fp *xd, cyl_fp *y, const cyl_fp *u)
{
	cyl_fp tv1, tv2, tv3, tv4, x1n, x2n, gxd, gx1, y1, y2;
	bool e;

	cyl_fp_sqr(&tv1, u);				/* 1 */
	cyl_fp_mul(&tv3, &consts.g1.z, &tv1);
	cyl_fp_sqr(&tv2, &tv3);
	cyl_fp_add(xd, &tv2, &tv3);
	cyl_fp_add(&x1n, xd, &cyl_fp_one);		/* 5 */
	cyl_fp_mul(&x1n, &x1n, &consts.g1.b);
	cyl_fp_mul(xd, xd, &consts.g1.minus_a);
	e = cyl_fp_is_zero(xd);				/* u = 0 or Z u^2 = -1 */
	cyl_fp_cmov(xd, xd, &consts.g1.za, e);
	cyl_fp_sqr(&tv2, xd);				/* 10 */
	cyl_fp_mul(&gxd, &tv2, xd);			/* xd^3 */
	cyl_fp_mul(&tv2, &consts.g1.a, &tv2);
	cyl_fp_sqr(&gx1, &x1n);
	cyl_fp_add(&gx1, &gx1, &tv2);
	cyl_fp_mul(&gx1, &gx1, &x1n);			/* 15 */
	cyl_fp_mul(&tv2, &consts.g1.b, &gxd);
	cyl_fp_add(&gx1, &gx1, &tv2);			/* g(x1) * xd^3 */
	cyl_fp_sqr(&tv4, &gxd);
	cyl_fp_mul(&tv2, &gx1, &gxd);
	cyl_fp_mul(&tv4, &tv4, &tv2);			/* 20: gx1 * gxd^3 */
	cyl_fp_pow_vartime(&y1, &tv4, consts.g1.c1, CYL_FP_LIMBS);
	cyl_fp_mul(&y1, &y1, &tv2);
	cyl_fp_mul(&x2n, &tv3, &x1n);
	cyl_fp_mul(&y2, &y1, &consts.g1.c2);
	cyl_fp_mul(&y2, &y2, &tv1);			/* 25 */
	cyl_fp_mul(&y2, &y2, u);
	cyl_fp_sqr(&tv2, &y1);
	cyl_fp_mul(&tv2, &tv2, &gxd);
	e = cyl_fp_eq(&tv2, &gx1);			/* g(x1) square: x = x1 */
	cyl_fp_cmov(xn, &x2n, &x1n, e);			/* 30 */
	cyl_fp_cmov(y, &y2, &y1, e);
	e = cyl_fp_sgn0(u) == cyl_fp_sgn0(y);
	cyl_fp_neg(&tv2, y);
	cyl_fp_cmov(y, &tv2, y, e);
}

/* t^2 * gxd == g, i.e. t / xd^(3/2) is a root of g / xd^3. */
static bool fp2_is_root(const cyl_fp2 *t, const cyl_fp2 *gxd, const cyl_fp2 *g)
{
	cyl_fp2 s;

	cyl_fp2_sqr(&s, t);
	cyl_fp2_mul(&s, &s, gxd);
	return cyl_fp2_eq(&s, g);
}

/* Simplified SWU onto E2', q = 9 mod 16: the point (xn / xd, y). */
static void sswu_g2(cyl_fp2 *xn, cyl_fp2 *xd, cyl_fp2 *y, const cyl_fp2 *u)
{
	cyl_fp2 tv1, tv2, tv3, tv4, tv5, x1n, gxd, gx1, gx2;
	bool e;

	cyl_fp2_sqr(&tv1, u);				/* 1 */
	cyl_fp2_mul(&tv3, &consts.g2.z, &tv1);
	cyl_fp2_sqr(&tv5, &tv3);
	cyl_fp2_add(xd, &tv5, &tv3);
	cyl_fp2_add(&x1n, xd, &cyl_fp2_one);		/* 5 */
	cyl_fp2_mul(&x1n, &x1n, &consts.g2.b);
	cyl_fp2_mul(xd, xd, &consts.g2.minus_a);
	e = cyl_fp2_is_zero(xd);
	cyl_fp2_cmov(xd, xd, &consts.g2.za, e);
	cyl_fp2_sqr(&tv2, xd);				/* 10 */
	cyl_fp2_mul(&gxd, &tv2, xd);
	cyl_fp2_mul(&tv2, &consts.g2.a, &tv2);
	cyl_fp2_sqr(&gx1, &x1n);
	cyl_fp2_add(&gx1, &gx1, &tv2);
	cyl_fp2_mul(&gx1, &gx1, &x1n);			/* 15 */
	cyl_fp2_mul(&tv2, &consts.g2.b, &gxd);
	cyl_fp2_add(&gx1, &gx1, &tv2);
	cyl_fp2_sqr(&tv4, &gxd);
	cyl_fp2_mul(&tv2, &tv4, &gxd);			/* gxd^3 */
	cyl_fp2_sqr(&tv4, &tv4);			/* 20: gxd^4 */
	cyl_fp2_mul(&tv2, &tv2, &tv4);			/* gxd^7 */
	cyl_fp2_mul(&tv2, &tv2, &gx1);
	cyl_fp2_sqr(&tv4, &tv4);			/* gxd^8 */
	cyl_fp2_mul(&tv4, &tv2, &tv4);			/* gx1 * gxd^15 */
	cyl_fp2_pow_vartime(y, &tv4, consts.g2.c1, 2 * CYL_FP_LIMBS);	/* 25 */
	cyl_fp2_mul(y, y, &tv2);			/* sqrt(gx1) up to a 4th root of 1 */
	cyl_fp2_mul(&tv4, y, &consts.g2.c2);
	cyl_fp2_cmov(y, y, &tv4, fp2_is_root(&tv4, &gxd, &gx1));	/* 28-31 */
	cyl_fp2_mul(&tv4, y, &consts.g2.c3);
	cyl_fp2_cmov(y, y, &tv4, fp2_is_root(&tv4, &gxd, &gx1));	/* 33-36 */
	cyl_fp2_mul(&tv4, &tv4, &consts.g2.c2);
	cyl_fp2_cmov(y, y, &tv4, fp2_is_root(&tv4, &gxd, &gx1));	/* 38-41 */
	cyl_fp2_mul(&gx2, &gx1, &tv5);
	cyl_fp2_mul(&gx2, &gx2, &tv3);			/* gx1 * Z^3 * u^6 */
	cyl_fp2_mul(&tv5, y, &tv1);
	cyl_fp2_mul(&tv5, &tv5, u);			/* 45 */
	cyl_fp2_mul(&tv1, &tv5, &consts.g2.c4);
	cyl_fp2_mul(&tv4, &tv1, &consts.g2.c2);
	cyl_fp2_cmov(&tv1, &tv1, &tv4, fp2_is_root(&tv4, &gxd, &gx2));	/* 48-51 */
	cyl_fp2_mul(&tv4, &tv5, &consts.g2.c5);
	cyl_fp2_cmov(&tv1, &tv1, &tv4, fp2_is_root(&tv4, &gxd, &gx2));	/* 53-56 */
	cyl_fp2_mul(&tv4, &tv4, &consts.g2.c2);
	cyl_fp2_cmov(&tv1, &tv1, &tv4, fp2_is_root(&tv4, &gxd, &gx2));	/* 58-61 */
	e = fp2_is_root(y, &gxd, &gx1);			/* 62-64: g(x1) square */
	cyl_fp2_cmov(y, &tv1, y, e);
	cyl_fp2_mul(&tv2, &tv3, &x1n);
	cyl_fp2_cmov(xn, &tv2, &x1n, e);
	e = cyl_fp2_sgn0(u) == cyl_fp2_sgn0(y);
	cyl_fp2_neg(&tv2, y);
	cyl_fp2_cmov(y, &tv2, y, e);
}

/*
 * sum k[i] * xn^i * xd^(n - i) for i = 0..n, by Horner's rule: the
 * polynomial at x = xn / xd, times xd^n.  xdp[j] = xd^j.
 */
static void g1_poly(cyl_fp *r, const cyl_fp *k, unsigned int n, const cyl_fp *xn,
		    const cyl_fp *xdp)
{
	unsigned int i;
	cyl_fp t;

	*r = k[n];
	for (i = n; i-- > 0;) {
		cyl_fp_mul(r, r, xn);
		cyl_fp_mul(&t, &k[i], &xdp[n - i]);
		cyl_fp_add(r, r, &t);
	}
}

static void g2_poly(cyl_fp2 *r, const cyl_fp2 *k, unsigned int n, const cyl_fp2 *xn,
		    const cyl_fp2 *xdp)
{
	unsigned int i;
	cyl_fp2 t;

	*r = k[n];
	for (i = n; i-- > 0;) {
		cyl_fp2_mul(r, r, xn);
		cyl_fp2_mul(&t, &k[i], &xdp[n - i]);
		cyl_fp2_add(r, r, &t);
	}
}

/*
 * The isogeny at (xn / xd, y), projectively (Wahby-Boneh 4.3): x = X_num /
 * (X_den * xd) (degrees 11 and 10, or 3 and 2), y = y * Y_num / Y_den (equal
 * degrees), then (X : Y : Z) = (xn' yd', yn' xd', xd' yd').  A zero
 * denominator means a point of the isogeny's kernel, which 6.6.3 maps to
 * the identity: SSWU reaches the 11-isogeny's rational kernel for a few u,
 * never the 3-isogeny's (whose points are not over Fp2).  The denominators
 * are h^2 and h^3 for the kernel polynomial h, so they vanish
 * together and X = 0 already: only Y needs setting, to 1.
 */
static void iso_g1(cyl_g1 *r, const cyl_fp *xn, const cyl_fp *xd, const cyl_fp *y)
{
	cyl_fp xdp[G1_YDEN + 1], num, den, ynum, yden;
	unsigned int i;

	xdp[1] = *xd;
	for (i = 2; i <= G1_YDEN; i++)
		cyl_fp_mul(&xdp[i], &xdp[i - 1], xd);
	g1_poly(&num, consts.g1.k[0], G1_XNUM, xn, xdp);
	g1_poly(&den, consts.g1.k[1], G1_XDEN, xn, xdp);
	g1_poly(&ynum, consts.g1.k[2], G1_YNUM, xn, xdp);
	g1_poly(&yden, consts.g1.k[3], G1_YDEN, xn, xdp);
	cyl_fp_mul(&den, &den, xd);
	cyl_fp_mul(&ynum, &ynum, y);
	cyl_fp_mul(&r->X, &num, &yden);
	cyl_fp_mul(&r->Y, &ynum, &den);
	cyl_fp_mul(&r->Z, &den, &yden);
	cyl_fp_cmov(&r->Y, &r->Y, &cyl_fp_one, cyl_fp_is_zero(&r->Z));
}

static void iso_g2(cyl_g2 *r, const cyl_fp2 *xn, const cyl_fp2 *xd, const cyl_fp2 *y)
{
	cyl_fp2 xdp[G2_YDEN + 1], num, den, ynum, yden;
	unsigned int i;

	xdp[1] = *xd;
	for (i = 2; i <= G2_YDEN; i++)
		cyl_fp2_mul(&xdp[i], &xdp[i - 1], xd);
	g2_poly(&num, consts.g2.k[0], G2_XNUM, xn, xdp);
	g2_poly(&den, consts.g2.k[1], G2_XDEN, xn, xdp);
	g2_poly(&ynum, consts.g2.k[2], G2_YNUM, xn, xdp);
	g2_poly(&yden, consts.g2.k[3], G2_YDEN, xn, xdp);
	cyl_fp2_mul(&den, &den, xd);
	cyl_fp2_mul(&ynum, &ynum, y);
	cyl_fp2_mul(&r->X, &num, &yden);
	cyl_fp2_mul(&r->Y, &ynum, &den);
	cyl_fp2_mul(&r->Z, &den, &yden);
	cyl_fp2_cmov(&r->Y, &r->Y, &cyl_fp2_one, cyl_fp2_is_zero(&r->Z));
}

void cyl_map_to_curve_g1(cyl_g1 *r, const cyl_fp *u)
{
	cyl_fp xn, xd, y;

	constants();
	sswu_g1(&xn, &xd, &y, u);
	iso_g1(r, &xn, &xd, &y);
}

void cyl_map_to_curve_g2(cyl_g2 *r, const cyl_fp2 *u)
{
	cyl_fp2 xn, xd, y;

	constants();
	sswu_g2(&xn, &xd, &y, u);
	iso_g2(r, &xn, &xd, &y);
}

/* h_eff = 1 - x = 0xd201000000010001 (8.8.1) */
void cyl_clear_cofactor_g1(cyl_g1 *r, const cyl_g1 *a)
{
	static const uint64_t h_eff = 0xd201000000010001;

	cyl_g1_mul_vartime(r, a, &h_eff, 1);
}

/*
 * Appendix G.3, c1 = x = -0xd201000000010000 and t1 = c1 P = -(|x| P):
 * Q = psi2(2P) - psi(P) + c1 (t1 + psi(P)) - t1 - P, which is h_eff P.
 */
void cyl_clear_cofactor_g2(cyl_g2 *r, const cyl_g2 *a)
{
	static const uint64_t abs_x = 0xd201000000010000;
	cyl_g2 xp, psi_p, t, u, v;

	cyl_g2_mul_vartime(&xp, a, &abs_x, 1);		/* t1 = -xp */
	cyl_g2_psi(&psi_p, a);				/* t2 */
	cyl_g2_dbl(&t, a);
	cyl_g2_psi(&u, &t);
	cyl_g2_psi(&t, &u);				/* t3 = psi2(2P) */
	cyl_g2_neg(&v, &psi_p);
	cyl_g2_add(&u, &t, &v);				/* t3 = t3 - t2 */
	cyl_g2_neg(&v, &xp);
	cyl_g2_add(&t, &psi_p, &v);			/* t2 = t1 + t2 */
	cyl_g2_mul_vartime(&v, &t, &abs_x, 1);
	cyl_g2_neg(&t, &v);				/* t2 = c1 * t2 */
	cyl_g2_add(&v, &u, &t);				/* t3 = t3 + t2 */
	cyl_g2_add(&t, &v, &xp);			/* t3 = t3 - t1 */
	cyl_g2_neg(&v, a);
	cyl_g2_add(r, &t, &v);				/* Q = t3 - P */
}

int cyl_hash_to_g1(cyl_g1 *r, const uint8_t *msg, size_t msg_len,
		   const uint8_t *dst, size_t dst_len)
{
	cyl_g1 q0, q1, s;
	cyl_fp u[2];
	int ret;

	ret = hash_to_fp(u, 2, msg, msg_len, dst, dst_len);
	if (ret)
		return ret;
	cyl_map_to_curve_g1(&q0, &u[0]);
	cyl_map_to_curve_g1(&q1, &u[1]);
	cyl_g1_add(&s, &q0, &q1);
	cyl_clear_cofactor_g1(r, &s);
	return 0;
}

int cyl_encode_to_g1(cyl_g1 *r, const uint8_t *msg, size_t msg_len,
		     const uint8_t *dst, size_t dst_len)
{
	cyl_g1 q;
	cyl_fp u;
	int ret;

	ret = hash_to_fp(&u, 1, msg, msg_len, dst, dst_len);
	if (ret)
		return ret;
	cyl_map_to_curve_g1(&q, &u);
	cyl_clear_cofactor_g1(r, &q);
	return 0;
}

/* Fp2 elements take two consecutive Fp elements, real part first. */
int cyl_hash_to_g2(cyl_g2 *r, const uint8_t *msg, size_t msg_len,
		   const uint8_t *dst, size_t dst_len)
{
	cyl_fp2 u[2];
	cyl_fp e[4];
	cyl_g2 q0, q1, s;
	int ret;

	ret = hash_to_fp(e, 4, msg, msg_len, dst, dst_len);
	if (ret)
		return ret;
	u[0].c0 = e[0];
	u[0].c1 = e[1];
	u[1].c0 = e[2];
	u[1].c1 = e[3];
	cyl_map_to_curve_g2(&q0, &u[0]);
	cyl_map_to_curve_g2(&q1, &u[1]);
	cyl_g2_add(&s, &q0, &q1);
	cyl_clear_cofactor_g2(r, &s);
	return 0;
}
