// SPDX-License-Identifier: GPL-2.0
/*
 * Finding a policy device's tty by its USB identity in sysfs (find.h).
 *
 * Everything read here comes from a device that may be hostile: values
 * are bounded, parsed strictly, and quoted when printed.
 */
#define _GNU_SOURCE	/* versionsort */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "serial/find.h"
#include "util/quote.h"

/* From a tty's "device" to its USB interface: usb-serial ports are one up. */
#define CLIMB_MAX	3

/* Attribute @name of sysfs directory @dir into @buf, without its newline. */
static int read_attr(const char *dir, const char *name, char *buf, size_t size)
{
	char path[PATH_MAX];
	ssize_t len;
	int fd, ret;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	len = read(fd, buf, size);
	ret = len < 0 ? -errno : 0;
	close(fd);
	if (ret)
		return ret;
	if (len > 0 && buf[len - 1] == '\n')
		len--;
	if ((size_t)len >= size)
		return -EOVERFLOW;
	if (memchr(buf, '\0', len))
		return -EINVAL;
	buf[len] = '\0';
	return 0;
}

/* A hex attribute of 1..@digits digits, as idVendor or bInterfaceNumber. */
static int read_hex(const char *dir, const char *name, size_t digits,
		    unsigned int *out)
{
	char buf[16];
	size_t len;
	int ret;

	if ((ret = read_attr(dir, name, buf, sizeof(buf))) != 0)
		return ret;
	len = strlen(buf);
	if (!len || len > digits ||
	    strspn(buf, "0123456789abcdefABCDEF") != len)
		return -EINVAL;
	*out = strtoul(buf, NULL, 16);
	return 0;
}

/* A USB attribute we need is missing or malformed: not a USB tty we know. */
static int not_usb(int ret)
{
	return ret == -ENOENT || ret == -EINVAL || ret == -EOVERFLOW ?
	       -ENODEV : ret;
}

static bool exists(const char *dir, const char *name)
{
	char path[PATH_MAX];
	struct stat st;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return false;
	return !stat(path, &st);
}

/* Cut the last component of @path; false when that would leave @root. */
static bool up(char *path, size_t root_len)
{
	char *slash = strrchr(path, '/');

	if (!slash || (size_t)(slash - path) <= root_len)
		return false;
	*slash = '\0';
	return true;
}

static bool valid_tty_name(const char *name)
{
	size_t len = strlen(name);

	return len && len < CYL_TTY_NAME_SIZE && !strchr(name, '/') &&
	       strcmp(name, ".") && strcmp(name, "..");
}

/* cyl_serial_usb_identity() below the resolved sysfs root @root. */
static int identity_at(const char *root, const char *name,
		       struct cyl_usb_identity *id)
{
	char path[PATH_MAX], dev[PATH_MAX], busnum[16], devpath[32];
	size_t root_len = strlen(root);
	struct stat st;
	unsigned int x;
	int i, ret;

	memset(id, 0, sizeof(*id));
	if (!valid_tty_name(name))
		return -EINVAL;
	if (snprintf(path, sizeof(path), "%s/class/tty/%s", root, name) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	if (lstat(path, &st))
		return -errno;
	/* Virtual ttys (tty0, ptmx, console) have no device. */
	if (strlen(path) + sizeof("/device") > sizeof(path))
		return -ENAMETOOLONG;
	strcat(path, "/device");
	if (!realpath(path, dev))
		return errno == ENOENT ? -ENODEV : -errno;
	if (strncmp(dev, root, root_len) || dev[root_len] != '/')
		return -ENODEV;

	/* Up to the USB interface, never past a USB device. */
	for (i = 0; !exists(dev, "bInterfaceNumber"); i++) {
		if (i == CLIMB_MAX || exists(dev, "idVendor") ||
		    !up(dev, root_len))
			return -ENODEV;
	}
	if ((ret = read_hex(dev, "bInterfaceNumber", 2, &x)) != 0)
		return not_usb(ret);
	id->interface = x;

	/* Its parent is the USB device. */
	if (!up(dev, root_len))
		return -ENODEV;
	ret = read_hex(dev, "idVendor", 4, &id->vendor);
	if (!ret)
		ret = read_hex(dev, "idProduct", 4, &id->product);
	if (ret)
		return not_usb(ret);

	ret = read_attr(dev, "serial", id->serial, sizeof(id->serial));
	if (!ret)
		id->has_serial = true;
	else if (ret != -ENOENT && ret != -EOVERFLOW && ret != -EINVAL)
		return ret;
	else
		id->serial[0] = '\0';	/* none, or none a policy can name */

	/* busnum-devpath, as in the kernel's log; else the directory name. */
	if (!read_attr(dev, "busnum", busnum, sizeof(busnum)) &&
	    !read_attr(dev, "devpath", devpath, sizeof(devpath)) &&
	    snprintf(id->port, sizeof(id->port), "%s-%s", busnum, devpath) <
	    (int)sizeof(id->port))
		return 0;
	snprintf(id->port, sizeof(id->port), "%.*s",
		 (int)sizeof(id->port) - 1, strrchr(dev, '/') + 1);
	return 0;
}

int cyl_serial_usb_identity(const char *sysfs_root, const char *name,
			    struct cyl_usb_identity *id)
{
	char root[PATH_MAX];

	memset(id, 0, sizeof(*id));
	if (!realpath(sysfs_root, root))
		return -errno;
	return identity_at(root, name, id);
}

bool cyl_serial_usb_matches(const struct cyl_usb_identity *id,
			    const struct cyl_policy_usb_match *m)
{
	return m->set && id->vendor == m->vendor && id->product == m->product &&
	       (!m->has_serial ||
		(id->has_serial && !strcmp(id->serial, m->serial))) &&
	       (m->interface < 0 || id->interface == m->interface);
}

static int tty_entry(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

int cyl_serial_find(const char *sysfs_root,
		    const struct cyl_policy_usb_match *m,
		    char names[][CYL_TTY_NAME_SIZE], size_t max, size_t *n)
{
	char root[PATH_MAX], dir[PATH_MAX];
	struct cyl_usb_identity id;
	struct dirent **ents = NULL;
	int i, count, ret;

	*n = 0;
	if (!realpath(sysfs_root, root))
		return -errno;
	if (snprintf(dir, sizeof(dir), "%s/class/tty", root) >= (int)sizeof(dir))
		return -ENAMETOOLONG;
	count = scandir(dir, &ents, tty_entry, versionsort);
	if (count < 0)
		return -errno;

	for (i = 0; i < count; i++) {
		ret = identity_at(root, ents[i]->d_name, &id);
		/* Not on USB, or gone since the listing. */
		if (ret == -ENODEV || ret == -ENOENT || ret == -EINVAL)
			continue;
		if (ret)
			goto out;
		if (!cyl_serial_usb_matches(&id, m))
			continue;
		if (*n < max)
			strcpy(names[*n], ents[i]->d_name);
		(*n)++;
	}
	ret = 0;
out:
	for (i = 0; i < count; i++)
		free(ents[i]);
	free(ents);
	return ret;
}

const char *cyl_serial_usb_format(const struct cyl_usb_identity *id,
				  char *buf, size_t size)
{
	char q[CYL_QUOTE_SIZE] = "";

	if (id->has_serial)
		cyl_quote(q, sizeof(q), id->serial, strlen(id->serial));
	snprintf(buf, size, "usb %s %04x:%04x%s%s interface %d", id->port,
		 id->vendor, id->product, id->has_serial ? " serial " : "", q,
		 id->interface);
	return buf;
}
