// SPDX-License-Identifier: GPL-2.0
/*
 * Bitstring Status Lists: the cached list credentials and their bits.
 * The bitstring is never held whole: it is inflated through a small
 * buffer, keeping the one byte asked for and counting the rest, so a
 * list costs the same memory whatever its size up to the bound.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/sha.h>
#include <zlib.h>

#include "ssi/json.h"
#include "ssi/multibase.h"
#include "ssi/status.h"
#include "ssi/verify.h"
#include "util/errbuf.h"
#include "util/file.h"

void cyl_ssi_status_cache_name(const char *url, char out[70])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[SHA256_DIGEST_LENGTH];
	size_t i;

	SHA256((const unsigned char *)url, strlen(url), md);
	for (i = 0; i < sizeof(md); i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	memcpy(out + 2 * sizeof(md), ".json", sizeof(".json"));
}

int cyl_ssi_status_load(const char *dir, const char *url, json_t **doc,
			char *err, size_t errlen)
{
	char name[70], path[PATH_MAX], perr[160];
	size_t len;
	char *buf;
	int ret;

	*doc = NULL;
	cyl_ssi_status_cache_name(url, name);
	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return cyl_errf(-ENAMETOOLONG, err, errlen, "%s/%s: path too long", dir, name);
	ret = cyl_read_file(path, CYL_SSI_JSON_MAX, &buf, &len);
	if (ret == -ENOENT)
		return cyl_errf(ret, err, errlen, "not cached (%s)", path);
	if (ret == -EFBIG)
		return cyl_errf(ret, err, errlen, "%s: over %d bytes", path, CYL_SSI_JSON_MAX);
	if (ret)
		return cyl_errf(ret, err, errlen, "%s: %s", path, strerror(-ret));
	*doc = cyl_ssi_json_parse(buf, len, perr, sizeof(perr));
	free(buf);
	if (!*doc)
		return cyl_errf(-EINVAL, err, errlen, "%s: %s", path, perr);
	return 0;
}

/* Inflate the GZIP member @in, keeping byte @want; its length in *@total. */
static int inflate_list(const uint8_t *in, size_t len, uint64_t want, uint8_t *byte,
			uint64_t *total, char *err, size_t errlen)
{
	uint8_t chunk[8192];
	z_stream zs = { 0 };
	size_t got;
	int ret;

	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
		return cyl_errf(-ENOMEM, err, errlen, "encodedList: zlib: out of memory");
	zs.next_in = (Bytef *)in;
	zs.avail_in = len;
	*total = 0;
	do {
		zs.next_out = chunk;
		zs.avail_out = sizeof(chunk);
		ret = inflate(&zs, Z_NO_FLUSH);
		if (ret != Z_OK && ret != Z_STREAM_END) {
			ret = cyl_errf(ret == Z_MEM_ERROR ? -ENOMEM : -EINVAL, err, errlen,
				       "encodedList: not GZIP (%s)",
				       ret == Z_BUF_ERROR ? "truncated" : zs.msg ? zs.msg : "zlib");
			goto out;
		}
		got = sizeof(chunk) - zs.avail_out;
		if (want >= *total && want - *total < got)
			*byte = chunk[want - *total];
		*total += got;
		if (*total > CYL_STATUS_MAX_BYTES) {
			ret = cyl_errf(-EINVAL, err, errlen, "encodedList: over %d bytes inflated",
				       CYL_STATUS_MAX_BYTES);
			goto out;
		}
	} while (ret != Z_STREAM_END);
	ret = 0;
	if (zs.avail_in)
		ret = cyl_errf(-EINVAL, err, errlen, "encodedList: %u bytes after the GZIP member",
			       zs.avail_in);
out:
	inflateEnd(&zs);
	return ret;
}

int cyl_ssi_status_bit(const char *encoded, uint64_t index, int *bit, char *err, size_t errlen)
{
	uint8_t *gz, byte = 0;
	char merr[128];
	uint64_t total;
	size_t len;
	int ret;

	if (encoded[0] != 'u')
		return cyl_errf(-EINVAL, err, errlen, "encodedList: not base64url multibase");
	ret = cyl_multibase_decode(encoded, &gz, &len, merr, sizeof(merr));
	if (ret)
		return cyl_errf(ret, err, errlen, "encodedList: %s", merr);
	ret = inflate_list(gz, len, index / 8, &byte, &total, err, errlen);
	free(gz);
	if (ret)
		return ret;
	if (total < CYL_STATUS_MIN_BYTES)
		return cyl_errf(-EINVAL, err, errlen, "encodedList: %llu bytes, at least %d needed",
				(unsigned long long)total, CYL_STATUS_MIN_BYTES);
	if (index >= total * 8)
		return cyl_errf(-ERANGE, err, errlen, "index %llu out of range (%llu entries)",
				(unsigned long long)index, (unsigned long long)total * 8);
	*bit = byte >> (7 - index % 8) & 1;
	return 0;
}

int cyl_ssi_status_encode(const uint64_t *set, size_t n, size_t n_bytes, char **encoded,
			  char *err, size_t errlen)
{
	uint8_t *bits, *gz;
	z_stream zs = { 0 };
	size_t i, cap;
	int ret;

	if (n_bytes < CYL_STATUS_MIN_BYTES || n_bytes > CYL_STATUS_MAX_BYTES)
		return cyl_errf(-EINVAL, err, errlen, "a status list is %d to %d bytes",
				CYL_STATUS_MIN_BYTES, CYL_STATUS_MAX_BYTES);
	for (i = 0; i < n; i++)
		if (set[i] >= (uint64_t)n_bytes * 8)
			return cyl_errf(-EINVAL, err, errlen, "index %llu past the list's %zu "
					"entries", (unsigned long long)set[i], n_bytes * 8);
	cap = compressBound((uLong)n_bytes) + 32;	/* and the GZIP header */
	bits = calloc(1, n_bytes);
	gz = malloc(cap);
	if (!bits || !gz) {
		free(bits);
		free(gz);
		return cyl_errf(-ENOMEM, err, errlen, "out of memory");
	}
	for (i = 0; i < n; i++)	/* index 0 is the first byte's top bit */
		bits[set[i] / 8] |= (uint8_t)(0x80 >> (set[i] % 8));
	ret = deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8,
			   Z_DEFAULT_STRATEGY);
	if (ret == Z_OK) {
		zs.next_in = bits;
		zs.avail_in = (uInt)n_bytes;
		zs.next_out = gz;
		zs.avail_out = (uInt)cap;
		ret = deflate(&zs, Z_FINISH) == Z_STREAM_END ? Z_OK : Z_BUF_ERROR;
		deflateEnd(&zs);
	}
	ret = ret == Z_OK ? cyl_multibase_encode('u', gz, zs.total_out, encoded) : -EIO;
	free(bits);
	free(gz);
	if (ret)
		return cyl_errf(ret, err, errlen, "cannot encode the list: %s", strerror(-ret));
	return 0;
}
