// SPDX-License-Identifier: GPL-2.0
/*
 * A USB device's descriptors blob (descriptors.h): the device
 * descriptor, then configurations, each a configuration descriptor and
 * the descriptors it holds, wTotalLength bytes in all.
 *
 * The device wrote every byte, so every length is checked against what
 * is left before anything is read.  Where the kernel is lenient (it
 * skips a short interface descriptor, ignores excess bytes) we refuse:
 * a device we cannot describe exactly is one the caller blocks.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <openssl/evp.h>

#include "usb/descriptors.h"
#include "util/errbuf.h"
#include "util/le.h"

#define DT_DEVICE	1
#define DT_CONFIG	2
#define DT_INTERFACE	4

#define DEVICE_SIZE	18	/* USB_DT_DEVICE_SIZE */
#define CONFIG_SIZE	9	/* USB_DT_CONFIG_SIZE */
#define INTERFACE_SIZE	9	/* USB_DT_INTERFACE_SIZE */

struct parser {
	const uint8_t *buf;
	size_t len;
	struct cyl_usb_descriptors *out;
	char *err;
	size_t errlen;
};

/* Add (class, subclass, protocol) of the interface descriptor at @d. */
static int add_iface(struct parser *p, size_t off)
{
	const uint8_t *d = p->buf + off;
	struct cyl_usb_descriptors *out = p->out;
	struct cyl_usb_iface t = { d[5], d[6], d[7] };
	size_t i;

	for (i = 0; i < out->n_ifaces; i++) {
		if (out->ifaces[i].cls == t.cls &&
		    out->ifaces[i].subcls == t.subcls &&
		    out->ifaces[i].proto == t.proto)
			return 0;	/* an alternate setting, or a repeat */
	}
	if (out->n_ifaces == CYL_USB_IFACE_MAX)
		return cyl_errf(-EINVAL, p->err, p->errlen,
				"offset %zu: more than %d distinct interfaces",
				off, CYL_USB_IFACE_MAX);
	out->ifaces[out->n_ifaces++] = t;
	return 0;
}

static int parse_device(struct parser *p)
{
	const uint8_t *d = p->buf;
	struct cyl_usb_descriptors *out = p->out;

	if (p->len < DEVICE_SIZE)
		return cyl_errf(-EINVAL, p->err, p->errlen,
				"offset 0: %zu bytes, too short for a device descriptor",
				p->len);
	if (d[0] != DEVICE_SIZE)
		return cyl_errf(-EINVAL, p->err, p->errlen,
				"offset 0: device descriptor of %u bytes, expected %d",
				d[0], DEVICE_SIZE);
	if (d[1] != DT_DEVICE)
		return cyl_errf(-EINVAL, p->err, p->errlen,
				"offset 0: descriptor type %u, expected %d (device)",
				d[1], DT_DEVICE);
	out->dev_class = d[4];
	out->dev_subclass = d[5];
	out->dev_proto = d[6];
	out->vendor = cyl_get_le16(d + 8);
	out->product = cyl_get_le16(d + 10);
	out->bcd_device = cyl_get_le16(d + 12);
	return 0;
}

/*
 * The configuration at @off, @total bytes long (already checked to be in
 * the buffer): its descriptors must tile it exactly.
 */
static int parse_config_body(struct parser *p, size_t off, size_t total)
{
	size_t pos = off + p->buf[off], end = off + total;
	const uint8_t *d;
	int ret;

	while (pos < end) {
		d = p->buf + pos;
		if (end - pos < 2)
			return cyl_errf(-EINVAL, p->err, p->errlen,
					"offset %zu: 1 byte left in the configuration, too short for a descriptor",
					pos);
		if (d[0] < 2)
			return cyl_errf(-EINVAL, p->err, p->errlen,
					"offset %zu: descriptor of %u bytes, expected at least 2",
					pos, d[0]);
		if (d[0] > end - pos)
			return cyl_errf(-EINVAL, p->err, p->errlen,
					"offset %zu: descriptor of %u bytes crosses the end of the configuration at offset %zu",
					pos, d[0], end);
		if (d[1] == DT_INTERFACE) {
			if (d[0] < INTERFACE_SIZE)
				return cyl_errf(-EINVAL, p->err, p->errlen,
						"offset %zu: interface descriptor of %u bytes, expected at least %d",
						pos, d[0], INTERFACE_SIZE);
			if ((ret = add_iface(p, pos)) != 0)
				return ret;
		}
		pos += d[0];
	}
	return 0;
}

/* The configuration starting at @off; its length in *@total. */
static int parse_config(struct parser *p, size_t off, size_t *total)
{
	const uint8_t *d = p->buf + off;
	size_t left = p->len - off;

	if (left < CONFIG_SIZE)
		return cyl_errf(-EINVAL, p->err, p->errlen,
				"offset %zu: %zu trailing bytes, too short for a configuration descriptor",
				off, left);
	if (d[1] != DT_CONFIG)
		return cyl_errf(-EINVAL, p->err, p->errlen,
				"offset %zu: descriptor type %u, expected %d (configuration)",
				off, d[1], DT_CONFIG);
	if (d[0] < CONFIG_SIZE)
		return cyl_errf(-EINVAL, p->err, p->errlen,
				"offset %zu: configuration descriptor of %u bytes, expected at least %d",
				off, d[0], CONFIG_SIZE);
	*total = cyl_get_le16(d + 2);
	if (*total < d[0])
		return cyl_errf(-EINVAL, p->err, p->errlen,
				"offset %zu: wTotalLength %zu is less than the configuration descriptor's %u bytes",
				off, *total, d[0]);
	if (*total > left)
		return cyl_errf(-EINVAL, p->err, p->errlen,
				"offset %zu: wTotalLength %zu, but only %zu bytes left",
				off, *total, left);
	return parse_config_body(p, off, *total);
}

static int hash_blob(struct parser *p)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0, i;

	if (EVP_Digest(p->buf, p->len, md, &md_len, EVP_sha256(), NULL) != 1 ||
	    md_len * 2 != CYL_USB_HASH_HEX)
		return cyl_errf(-EIO, p->err, p->errlen, "SHA-256 failed");
	for (i = 0; i < md_len; i++) {
		p->out->hash[2 * i] = digits[md[i] >> 4];
		p->out->hash[2 * i + 1] = digits[md[i] & 15];
	}
	p->out->hash[CYL_USB_HASH_HEX] = '\0';
	return 0;
}

int cyl_usb_descriptors_parse(const uint8_t *buf, size_t len,
			      struct cyl_usb_descriptors *out,
			      char *err, size_t errlen)
{
	struct parser p = {
		.buf = buf, .len = len, .out = out, .err = err, .errlen = errlen,
	};
	size_t off = DEVICE_SIZE, total = 0;
	unsigned int n_configs = 0, declared;
	int ret;

	memset(out, 0, sizeof(*out));
	if (errlen)
		err[0] = '\0';
	if ((ret = parse_device(&p)) != 0)
		goto out;
	declared = buf[17];	/* bNumConfigurations */

	/*
	 * The kernel shows the configurations it read, so fewer than
	 * declared is fine; more it never shows, so more is not a blob
	 * sysfs wrote.
	 */
	while (off < len) {
		if ((ret = parse_config(&p, off, &total)) != 0)
			goto out;
		if (n_configs == declared) {
			ret = cyl_errf(-EINVAL, err, errlen,
				       "offset %zu: configuration %u, but bNumConfigurations is %u",
				       off, n_configs + 1, declared);
			goto out;
		}
		off += total;
		n_configs++;
	}
	out->n_configs = n_configs;
	ret = hash_blob(&p);
out:
	if (ret)
		memset(out, 0, sizeof(*out));
	return ret;
}
