// SPDX-License-Identifier: GPL-2.0
/*
 * USB devices in sysfs (sysfs.h): what a rule matches on, read from
 * sysroot/bus/usb/devices/PORT, and the authorization attributes of
 * Documentation/usb/authorization.rst written.
 *
 * Names come from directory listings and from the command line, so a
 * port or interface name is checked against the kernel's naming before
 * it goes into a path: nothing else (no "..", no "/") reaches open().
 * Strings come from the device and are bounded, never trusted.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "usb/sysfs.h"
#include "util/file.h"

#define DEVICES		"/bus/usb/devices"
#define ATTR_MAX	4096	/* a sysfs text attribute is at most a page */

/*
 * An attribute of a device being removed fails with ENODEV (kernfs has
 * deactivated it) before it fails with ENOENT (it is gone): both mean
 * the device is gone.
 */
static int gone(int ret)
{
	return ret == -ENODEV ? -ENOENT : ret;
}

/* sysroot/bus/usb/devices/@name[/@attr] into @path. */
static int dev_path(char *path, size_t size, const char *sysroot,
		    const char *name, const char *attr)
{
	int n;

	if (attr)
		n = snprintf(path, size, "%s" DEVICES "/%s/%s", sysroot, name,
			     attr);
	else
		n = snprintf(path, size, "%s" DEVICES "/%s", sysroot, name);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* Skip a run of digits at *@s; false if there is none. */
static bool digits(const char **s)
{
	const char *p = *s;

	while (isdigit((unsigned char)**s))
		(*s)++;
	return *s != p;
}

/* "B-P(.P)*" at *@s, the kernel's name for a device (usb_new_device()). */
static bool port_at(const char **s)
{
	if (!digits(s) || *(*s)++ != '-' || !digits(s))
		return false;
	while (**s == '.') {
		(*s)++;
		if (!digits(s))
			return false;
	}
	return true;
}

bool cyl_usb_sys_port_valid(const char *port)
{
	const char *s = port;

	return strlen(port) < CYL_USB_PORT_MAX && port_at(&s) && !*s;
}

/* "PORT:C.I", an interface (usb_set_configuration()); PORT in *@port_len. */
static bool ifname_valid(const char *name, size_t *port_len)
{
	const char *s = name;

	if (strlen(name) >= CYL_USB_IFNAME_MAX || !port_at(&s))
		return false;
	*port_len = s - name;
	if (*port_len >= CYL_USB_PORT_MAX || *s++ != ':' || !digits(&s) ||
	    *s++ != '.' || !digits(&s))
		return false;
	return !*s;
}

/* Is @name an interface of @port? */
static bool iface_of(const char *name, const char *port)
{
	size_t plen;

	return ifname_valid(name, &plen) && plen == strlen(port) &&
	       !strncmp(name, port, plen);
}

/* "usbN", a root hub. */
static bool hub_valid(const char *name)
{
	const char *s = name;

	if (strlen(name) >= CYL_USB_PORT_MAX || strncmp(name, "usb", 3))
		return false;
	s += 3;
	return digits(&s) && !*s;
}

/*
 * Compare names in natural order: digit runs by value, so "1-2" comes
 * before "1-10" and "1-1" before "1-1.1".  (Not strverscmp(): it reads
 * leading zeros as fractions.)
 */
static int natcmp(const char *a, const char *b)
{
	size_t la, lb;
	int c;

	while (*a && *b) {
		if (!isdigit((unsigned char)*a) || !isdigit((unsigned char)*b)) {
			if (*a != *b)
				return (unsigned char)*a - (unsigned char)*b;
			a++;
			b++;
			continue;
		}
		while (*a == '0' && isdigit((unsigned char)a[1]))
			a++;
		while (*b == '0' && isdigit((unsigned char)b[1]))
			b++;
		for (la = 0; isdigit((unsigned char)a[la]); la++)
			;
		for (lb = 0; isdigit((unsigned char)b[lb]); lb++)
			;
		if (la != lb)
			return la < lb ? -1 : 1;
		if ((c = memcmp(a, b, la)) != 0)
			return c;
		a += la;
		b += lb;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

/* "1-01" and "1-1" are equal in value: strcmp() keeps the order total. */
static int dirent_natcmp(const struct dirent **a, const struct dirent **b)
{
	int c = natcmp((*a)->d_name, (*b)->d_name);

	return c ? c : strcmp((*a)->d_name, (*b)->d_name);
}

static void free_dirents(struct dirent **ents, int n)
{
	int i;

	for (i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
}

/*
 * A text attribute into @buf: without its trailing newline, up to a NUL
 * if it has one (sysfs prints strings with %s, so it never does).  One
 * longer than @size - 1 bytes is -EOVERFLOW, or with @cut, cut at a
 * UTF-8 character boundary: the kernel keeps string descriptors of up to
 * 381 bytes (MAX_USB_STRING_SIZE), and a long serial or product name is
 * silently truncated to the CYL_USB_STR_MAX bytes a rule can name.
 */
static int read_text(const char *path, char *buf, size_t size, bool cut)
{
	size_t len;
	char *data;
	int ret;

	if ((ret = cyl_read_file(path, ATTR_MAX, &data, &len)) != 0)
		return ret;
	if (len && data[len - 1] == '\n')
		data[--len] = '\0';
	len = strlen(data);
	ret = -EOVERFLOW;
	if (len >= size && !cut)
		goto out;
	if (len >= size) {
		len = size - 1;
		/*
		 * If the first byte cut off continues a character, cut
		 * before that character's lead byte too.
		 */
		while (len && ((unsigned char)data[len] & 0xc0) == 0x80)
			len--;
	}
	memcpy(buf, data, len);
	buf[len] = '\0';
	ret = 0;
out:
	free(data);
	return ret;
}

static int read_dev_text(const char *sysroot, const char *name,
			 const char *attr, char *buf, size_t size, bool cut)
{
	char path[PATH_MAX];
	int ret;

	if ((ret = dev_path(path, sizeof(path), sysroot, name, attr)) != 0)
		return ret;
	return read_text(path, buf, size, cut);
}

/* A string attribute that is absent when the device has none. */
static int read_dev_string(const char *sysroot, const char *name,
			   const char *attr, char *buf, size_t size)
{
	int ret = read_dev_text(sysroot, name, attr, buf, size, true);

	if (ret == -ENOENT) {
		buf[0] = '\0';
		ret = 0;
	}
	return ret;
}

/* A number in @base, at most @max. */
static int read_dev_num(const char *sysroot, const char *name,
			const char *attr, int base, unsigned long max,
			unsigned long *out)
{
	const char *accept = base == 16 ? "0123456789abcdefABCDEF" :
					  "0123456789";
	char buf[32];
	size_t len;
	int ret;

	ret = read_dev_text(sysroot, name, attr, buf, sizeof(buf), false);
	if (ret == -EOVERFLOW)
		return -EINVAL;
	if (ret)
		return ret;
	/* Digits only: strtoul() would take a sign, spaces and "0x". */
	len = strlen(buf);
	if (!len || strspn(buf, accept) != len)
		return -EINVAL;
	errno = 0;
	*out = strtoul(buf, NULL, base);
	if (errno || *out > max)
		return -EINVAL;
	return 0;
}

static int read_dev_bool(const char *sysroot, const char *name,
			 const char *attr, bool *out)
{
	unsigned long v;
	int ret;

	if ((ret = read_dev_num(sysroot, name, attr, 10, 1, &v)) != 0)
		return ret;
	*out = v;
	return 0;
}

/*
 * @dev's descriptors: a failure to read or parse them is the device's
 * (desc_err), except its absence, which means the device is gone.
 * Without descriptors the rule has nothing to match but the ids, so
 * those are taken from idVendor and idProduct for the caller to show.
 */
static int read_descriptors(const char *sysroot, struct cyl_usb_sysdev *dev)
{
	char path[PATH_MAX], *blob;
	unsigned long v;
	size_t len;
	int ret;

	if ((ret = dev_path(path, sizeof(path), sysroot, dev->port,
			    "descriptors")) != 0)
		return ret;
	/* A binary attribute: cyl_read_file() reads on until EOF. */
	ret = gone(cyl_read_file(path, CYL_USB_DESCRIPTORS_MAX, &blob, &len));
	if (ret == -ENOENT)
		return ret;
	if (ret)
		snprintf(dev->desc_errtext, sizeof(dev->desc_errtext),
			 "descriptors: %s", strerror(-ret));
	else
		ret = cyl_usb_descriptors_parse((const uint8_t *)blob, len,
						&dev->desc, dev->desc_errtext,
						sizeof(dev->desc_errtext));
	free(blob);
	if (!ret)
		return 0;
	dev->desc_err = ret;
	if (!read_dev_num(sysroot, dev->port, "idVendor", 16, 0xffff, &v))
		dev->desc.vendor = v;
	if (!read_dev_num(sysroot, dev->port, "idProduct", 16, 0xffff, &v))
		dev->desc.product = v;
	return 0;
}

static int read_device(const char *sysroot, const char *port,
		       struct cyl_usb_sysdev *out)
{
	unsigned long busnum, devnum, again;
	int ret;

	if ((ret = read_dev_num(sysroot, port, "busnum", 10, INT_MAX,
				&busnum)) != 0 ||
	    (ret = read_dev_num(sysroot, port, "devnum", 10, INT_MAX,
				&devnum)) != 0 ||
	    (ret = read_dev_bool(sysroot, port, "authorized",
				 &out->authorized)) != 0 ||
	    (ret = read_dev_string(sysroot, port, "serial", out->serial,
				   sizeof(out->serial))) != 0 ||
	    (ret = read_dev_string(sysroot, port, "product", out->name,
				   sizeof(out->name))) != 0 ||
	    (ret = read_dev_string(sysroot, port, "manufacturer",
				   out->manufacturer,
				   sizeof(out->manufacturer))) != 0 ||
	    (ret = read_descriptors(sysroot, out)) != 0)
		return ret;
	out->busnum = busnum;
	out->devnum = devnum;

	/*
	 * A device unplugged and another plugged in at the same port while
	 * we read would mix two devices' attributes; the new one has
	 * another address.  Report the one we started with as gone.
	 */
	if ((ret = read_dev_num(sysroot, port, "devnum", 10, INT_MAX,
				&again)) != 0)
		return ret;
	return again == devnum ? 0 : -ENOENT;
}

int cyl_usb_sys_read(const char *sysroot, const char *port,
		     struct cyl_usb_sysdev *out)
{
	int ret;

	memset(out, 0, sizeof(*out));
	if (!cyl_usb_sys_port_valid(port))
		return -EINVAL;
	strcpy(out->port, port);
	if ((ret = read_device(sysroot, port, out)) != 0) {
		memset(out, 0, sizeof(*out));
		return gone(ret);
	}
	return 0;
}

static int port_entry(const struct dirent *d)
{
	return cyl_usb_sys_port_valid(d->d_name);
}

int cyl_usb_sys_list(const char *sysroot, struct cyl_usb_sysdev **out,
		     size_t *n)
{
	struct dirent **ents = NULL;
	struct cyl_usb_sysdev *devs = NULL;
	char path[PATH_MAX];
	int i, count, ret;

	*out = NULL;
	*n = 0;
	if (snprintf(path, sizeof(path), "%s" DEVICES, sysroot) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	count = scandir(path, &ents, port_entry, dirent_natcmp);
	if (count < 0)
		return -errno;
	ret = -ENOMEM;
	devs = calloc(count ? count : 1, sizeof(*devs));
	if (!devs)
		goto out;
	/*
	 * What the device wrote cannot fail a read (bad descriptors are
	 * desc_err, strings are cut), so an error here is the system's.
	 */
	for (i = 0; i < count && *n < CYL_USB_MAX_DEVICES; i++) {
		ret = cyl_usb_sys_read(sysroot, ents[i]->d_name, &devs[*n]);
		if (ret == -ENOENT)
			continue;	/* unplugged since the listing */
		if (ret)
			goto out;
		(*n)++;
	}
	*out = devs;
	devs = NULL;
	ret = 0;
out:
	if (ret)
		*n = 0;
	free(devs);
	free_dirents(ents, count);
	return ret;
}

void cyl_usb_sys_device(const struct cyl_usb_sysdev *dev,
			struct cyl_usb_device *out)
{
	memset(out, 0, sizeof(*out));
	out->vendor = dev->desc.vendor;
	out->product = dev->desc.product;
	out->serial = dev->serial;
	out->name = dev->name;
	out->port = dev->port;
	out->hash = dev->desc.hash;
	out->n_ifaces = dev->desc.n_ifaces;
	memcpy(out->ifaces, dev->desc.ifaces,
	       dev->desc.n_ifaces * sizeof(out->ifaces[0]));
}

/*
 * Write @text to the attribute at @path in one write(), as a store
 * method wants it.  O_TRUNC as the shell's ">" does: sysfs ignores it,
 * and a plain file in a test tree keeps only the last value.
 */
static int write_attr(const char *path, const char *text)
{
	size_t len = strlen(text);
	ssize_t n;
	int fd, ret = 0;

	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, text, len);
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != len)
		ret = -EIO;
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

static int write_dev_attr(const char *sysroot, const char *name,
			  const char *attr, const char *text)
{
	char path[PATH_MAX];
	int ret;

	if ((ret = dev_path(path, sizeof(path), sysroot, name, attr)) != 0)
		return ret;
	return write_attr(path, text);
}

int cyl_usb_sys_lock_hub(const char *sysroot, const char *hub)
{
	int ret;

	if (!hub_valid(hub))
		return -EINVAL;
	ret = write_dev_attr(sysroot, hub, "authorized_default", "0\n");
	if (!ret)
		ret = write_dev_attr(sysroot, hub,
				     "interface_authorized_default", "0\n");
	return ret;
}

static int hub_entry(const struct dirent *d)
{
	return hub_valid(d->d_name);
}

int cyl_usb_sys_lock_down(const char *sysroot)
{
	struct dirent **ents = NULL;
	char path[PATH_MAX];
	int i, count, ret, first;

	/*
	 * The parameter first: it is what a root hub registered from now
	 * on starts with (usb_add_hcd()), so no bus can appear unlocked
	 * behind the scan below.  Not every kernel has it as a file.
	 */
	if (snprintf(path, sizeof(path),
		     "%s/module/usbcore/parameters/authorized_default",
		     sysroot) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	first = write_attr(path, "0\n");
	if (first == -ENOENT)
		first = 0;

	if (snprintf(path, sizeof(path), "%s" DEVICES, sysroot) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	count = scandir(path, &ents, hub_entry, dirent_natcmp);
	if (count < 0)
		return first ? first : -errno;
	/* Lock every hub we can even when one fails. */
	for (i = 0; i < count; i++) {
		ret = cyl_usb_sys_lock_hub(sysroot, ents[i]->d_name);
		if (ret && !first)
			first = ret;
	}
	free_dirents(ents, count);
	return first;
}

int cyl_usb_sys_set_authorized(const char *sysroot, const char *port, bool on)
{
	if (!cyl_usb_sys_port_valid(port))
		return -EINVAL;
	return write_dev_attr(sysroot, port, "authorized", on ? "1\n" : "0\n");
}

int cyl_usb_sys_remove(const char *sysroot, const char *port)
{
	if (!cyl_usb_sys_port_valid(port))
		return -EINVAL;
	return write_dev_attr(sysroot, port, "remove", "1\n");
}

/* The name of @dir/driver's target, "" when unbound. */
static int read_driver(const char *dir, char *buf, size_t size)
{
	char path[PATH_MAX], target[PATH_MAX];
	const char *base;
	ssize_t n;

	buf[0] = '\0';
	if (snprintf(path, sizeof(path), "%s/driver", dir) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return errno == ENOENT ? 0 : -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	snprintf(buf, size, "%.*s", (int)size - 1, base);
	return 0;
}

static int read_iface(const char *sysroot, const char *name,
		      struct cyl_usb_sysiface *out)
{
	static const char *const attr[] = {
		"bInterfaceClass", "bInterfaceSubClass", "bInterfaceProtocol",
	};
	int16_t *field[] = { &out->t.cls, &out->t.subcls, &out->t.proto };
	char path[PATH_MAX];
	unsigned long v;
	size_t i;
	int ret;

	memset(out, 0, sizeof(*out));
	strcpy(out->name, name);
	for (i = 0; i < 3; i++) {
		if ((ret = read_dev_num(sysroot, name, attr[i], 16, 0xff,
					&v)) != 0)
			return ret;
		*field[i] = v;
	}
	if ((ret = read_dev_bool(sysroot, name, "authorized",
				 &out->authorized)) != 0)
		return ret;
	if ((ret = dev_path(path, sizeof(path), sysroot, name, NULL)) != 0)
		return ret;
	return read_driver(path, out->driver, sizeof(out->driver));
}

int cyl_usb_sys_ifaces(const char *sysroot, const char *port,
		       struct cyl_usb_sysiface *out, size_t max, size_t *n)
{
	struct dirent **ents = NULL;
	char path[PATH_MAX];
	int i, count, ret = 0;

	*n = 0;
	if (!cyl_usb_sys_port_valid(port))
		return -EINVAL;
	/* The device's directory holds its interfaces and its children. */
	if ((ret = dev_path(path, sizeof(path), sysroot, port, NULL)) != 0)
		return ret;
	count = scandir(path, &ents, NULL, dirent_natcmp);
	if (count < 0)
		return gone(-errno);
	for (i = 0; i < count; i++) {
		if (!iface_of(ents[i]->d_name, port))
			continue;
		if (*n == max) {
			ret = -ENOBUFS;
			break;
		}
		ret = gone(read_iface(sysroot, ents[i]->d_name, &out[*n]));
		if (ret == -ENOENT) {
			ret = 0;	/* the device was deconfigured */
			continue;
		}
		if (ret) {
			*n = 0;
			break;
		}
		(*n)++;
	}
	free_dirents(ents, count);
	return ret;
}

/*
 * Authorizing an interface does not probe it (usb_authorize_interface()
 * only sets the flag), so ask the bus to: drivers_probe_store() in
 * drivers/base/bus.c.  Its errors:
 *   -ENODEV  no interface of that name on the bus (the device is gone
 *            or was deconfigured): returned, the caller should know;
 *   -EINVAL  device_attach() failed: a probe deferred (the kernel
 *            retries it itself) or raced with an unbind or removal.
 *            Ignored: the interface is authorized, which is what was
 *            asked; whether a driver took it shows in "driver".
 * No driver wanting the interface, or a driver's probe failing, is not
 * an error there at all (the write succeeds).
 */
static int probe_iface(const char *sysroot, const char *ifname)
{
	char path[PATH_MAX], text[CYL_USB_IFNAME_MAX + 1];
	int ret;

	if (snprintf(path, sizeof(path), "%s/bus/usb/drivers_probe", sysroot) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	snprintf(text, sizeof(text), "%s\n", ifname);
	ret = write_attr(path, text);
	return ret == -EINVAL ? 0 : ret;
}

int cyl_usb_sys_set_iface_authorized(const char *sysroot, const char *ifname,
				     bool on)
{
	size_t plen;
	int ret;

	if (!ifname_valid(ifname, &plen))
		return -EINVAL;
	ret = write_dev_attr(sysroot, ifname, "authorized", on ? "1\n" : "0\n");
	if (!ret && on)
		ret = probe_iface(sysroot, ifname);
	return ret;
}
