// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the USB descriptors blob parser: arbitrary bytes
 * as a device's sysfs "descriptors".  Besides memory errors it checks
 * what the parser promises against a walk of its own: a blob accepted is
 * whole configurations and nothing else, no more than bNumConfigurations
 * of them; the triples are exactly the distinct ones of its interface
 * descriptors, first seen first; the hash is the blob's SHA-256; and a
 * blob refused leaves nothing behind and says where.
 */
#include "usb/descriptors.c"
#include "util/errbuf.c"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <openssl/sha.h>	/* not EVP: a second opinion on the hash */

#define check(cond) do {		\
	if (!(cond))			\
		__builtin_trap();	\
} while (0)

static bool same(struct cyl_usb_iface a, struct cyl_usb_iface b)
{
	return a.cls == b.cls && a.subcls == b.subcls && a.proto == b.proto;
}

/* Walk the configurations of an accepted blob: the parser's own claims. */
static void check_accepted(const uint8_t *buf, size_t len,
			   const struct cyl_usb_descriptors *d)
{
	struct cyl_usb_iface seen[CYL_USB_IFACE_MAX], t;
	size_t off = 18, pos, end, n_seen = 0, i, j;
	unsigned int n_configs = 0;
	unsigned char md[32];
	char hex[65];

	check(len >= 18 && buf[0] == 18 && buf[1] == 1);
	check(d->vendor == (buf[8] | buf[9] << 8));
	check(d->product == (buf[10] | buf[11] << 8));
	check(d->bcd_device == (buf[12] | buf[13] << 8));
	check(d->dev_class == buf[4] && d->dev_subclass == buf[5] &&
	      d->dev_proto == buf[6]);

	while (off < len) {
		check(len - off >= 9 && buf[off + 1] == 2 && buf[off] >= 9);
		end = off + (buf[off + 2] | buf[off + 3] << 8);
		check(end <= len && end >= off + buf[off]);
		for (pos = off + buf[off]; pos < end; pos += buf[pos]) {
			check(end - pos >= 2 && buf[pos] >= 2 &&
			      buf[pos] <= end - pos);
			if (buf[pos + 1] != 4)
				continue;
			check(buf[pos] >= 9);
			t.cls = buf[pos + 5];
			t.subcls = buf[pos + 6];
			t.proto = buf[pos + 7];
			for (i = 0; i < n_seen && !same(seen[i], t); i++)
				;
			if (i == n_seen) {
				check(n_seen < CYL_USB_IFACE_MAX);
				seen[n_seen++] = t;
			}
		}
		check(pos == end);
		off = end;
		n_configs++;
	}
	check(off == len);
	check(d->n_configs == n_configs && n_configs <= buf[17]);

	check(d->n_ifaces == n_seen && d->n_ifaces <= CYL_USB_IFACE_MAX);
	for (i = 0; i < d->n_ifaces; i++) {
		check(same(d->ifaces[i], seen[i]));
		check(d->ifaces[i].cls >= 0 && d->ifaces[i].cls <= 0xff);
		check(d->ifaces[i].subcls >= 0 && d->ifaces[i].subcls <= 0xff);
		check(d->ifaces[i].proto >= 0 && d->ifaces[i].proto <= 0xff);
		for (j = 0; j < i; j++)
			check(!same(d->ifaces[i], d->ifaces[j]));
	}

	check(SHA256(buf, len, md));
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	check(!strcmp(d->hash, hex));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct cyl_usb_descriptors zero;
	struct cyl_usb_descriptors d, d2;
	char err[160], small[8];
	unsigned long off;
	int ret;

	memset(err, 'x', sizeof(err));
	ret = cyl_usb_descriptors_parse(data, size, &d, err, sizeof(err));
	check(ret == 0 || ret == -EINVAL);
	if (!ret) {
		check_accepted(data, size, &d);
	} else {
		check(!memcmp(&d, &zero, sizeof(d)));
		/* "offset N: ..." with N inside the blob (or 0). */
		check(memchr(err, '\0', sizeof(err)));
		check(sscanf(err, "offset %lu: ", &off) == 1);
		check(off == 0 || off < size);
	}

	/* The error buffer changes nothing but the message. */
	check(cyl_usb_descriptors_parse(data, size, &d2, NULL, 0) == ret);
	check(!memcmp(&d, &d2, sizeof(d)));
	check(cyl_usb_descriptors_parse(data, size, &d2, small,
					sizeof(small)) == ret);
	check(!memcmp(&d, &d2, sizeof(d)));
	check(memchr(small, '\0', sizeof(small)));
	return 0;
}
