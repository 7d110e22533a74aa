// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's serial guard (see serial.h): attach policy devices, adopt
 * what the module already guards, follow hot-plug, report and spool.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <netlink/attr.h>

#include <cylcomed/genl.h>
#include <cylcomed/record.h>

#include "core/daemon.h"
#include "core/log.h"
#include "serial/find.h"
#include "serial/kevent.h"
#include "serial/kmod_serial.h"
#include "serial/records.h"
#include "serial/serial.h"
#include "core/uevent.h"

#define KEY_PREFIX	"cylcomed:"

/* What the daemon knows of one policy device. */
struct sdev {
	char name[CYL_POLICY_NAME_MAX + 1];
	uint32_t id;
	bool attached;
	char tty[64];			/* "ttyUSB0" while attached */
	uint32_t key_serial;
	bool warned_missing;		/* said once that its tty is absent */
	bool warned_key;		/* said once that it has no key */
	char bpf_tty[64];		/* the node lsm_guard watches for it */
};

struct cyl_serial {
	struct cyl_daemon *d;
	struct cyl_kmod_ctl *ctl;	/* NULL while the module is not loaded */
	int ldisc;
	struct sdev *devs;
	size_t n_devs;
	int uevent_fd;
	struct cyl_loop_handler uevent_h;
	struct cyl_records *records;
};

uint32_t cyl_serial_device_id(const char *name)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	while (*name)
		h = (h ^ (unsigned char)*name++) * 16777619u;
	return h ? h : 1;
}

static struct sdev *sdev_find(struct cyl_serial *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n_devs; i++)
		if (!strcmp(s->devs[i].name, name))
			return &s->devs[i];
	return NULL;
}

static struct sdev *sdev_by_id(struct cyl_serial *s, uint32_t id)
{
	size_t i;

	for (i = 0; i < s->n_devs; i++)
		if (s->devs[i].id == id)
			return &s->devs[i];
	return NULL;
}

/* The per-device table follows the policy; known state carries over. */
static int sdev_follow_policy(struct cyl_serial *s, const struct cyl_policy *p)
{
	struct sdev *devs;
	size_t i;

	devs = calloc(p->n_devices ? p->n_devices : 1, sizeof(*devs));
	if (!devs)
		return -ENOMEM;
	for (i = 0; i < p->n_devices; i++) {
		struct sdev *old = sdev_find(s, p->devices[i].name);

		if (old)
			devs[i] = *old;
		snprintf(devs[i].name, sizeof(devs[i].name), "%s",
			 p->devices[i].name);
		devs[i].id = cyl_serial_device_id(devs[i].name);
	}
	free(s->devs);
	s->devs = devs;
	s->n_devs = p->n_devices;
	return 0;
}

/* Talk to the module, if it is loaded: 0, -ENOENT, or -errno. */
static int open_ctl(struct cyl_serial *s)
{
	int ret;

	ret = cyl_kmod_ctl_open(&s->ctl);
	if (ret)
		return ret;
	ret = cyl_kmod_ctl_ldisc(s->ctl, &s->ldisc);
	if (ret) {
		log_err_f("cylcomed.ko: cannot read its line discipline: %s",
			  strerror(-ret));
		cyl_kmod_ctl_close(s->ctl);
		s->ctl = NULL;
		return ret;
	}
	log_info_f("cylcomed.ko: line discipline %d", s->ldisc);
	return 0;
}

/* Ask the module to seal DEVICE's records with its keyring key. */
static int push_key(struct cyl_serial *s, struct sdev *sd, bool quiet_absent,
		    char *err, size_t errlen)
{
	char desc[sizeof(KEY_PREFIX) + CYL_POLICY_NAME_MAX];
	int ret;

	snprintf(desc, sizeof(desc), KEY_PREFIX "%s", sd->name);
	ret = cyl_kmod_set_key(s->ctl, sd->id, desc, err, errlen);
	if (!ret) {
		sd->warned_key = false;
		sd->key_serial = 1;	/* the dump in the next sync has the real one */
		log_info_f("%s: records sealed with keyring key %s", sd->name,
			   desc);
	} else if (ret == -ENOKEY && quiet_absent) {
		if (!sd->warned_key)
			log_warn_f("%s: no record key (\"cylctl key load %s\"): records are not sealed",
				   sd->name, sd->name);
		sd->warned_key = true;
	}
	return ret;
}

/* Switch @path to the module's discipline and hand it over; 0 or -errno. */
static int attach_path(struct cyl_serial *s, struct sdev *sd,
		       const struct cyl_policy_device *pd, const char *path)
{
	int fd, cur = -1, ntty = N_TTY, ret;
	bool switched = false;
	char err[384];

	fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, TIOCGETD, &cur) == 0 && cur != s->ldisc) {
		if (ioctl(fd, TIOCSETD, &s->ldisc)) {
			ret = -errno;
			log_err_f("%s: %s: cannot set line discipline %d: %s",
				  pd->name, path, s->ldisc, strerror(errno));
			goto out;
		}
		switched = true;
	}
	ret = cyl_kmod_attach(s->ctl, fd, sd->id, pd->name, &pd->serial,
			      pd->allow, pd->n_allow, err, sizeof(err));
	if (ret) {
		log_err_f("%s: %s: %s", pd->name, path, err);
		if (switched)
			ioctl(fd, TIOCSETD, &ntty);
		goto out;
	}
	sd->attached = true;
	snprintf(sd->tty, sizeof(sd->tty), "%s", strrchr(path, '/') + 1);
	sd->warned_missing = false;
	push_key(s, sd, true, err, sizeof(err));
out:
	/* The module keeps its own reference; ours is not needed. */
	close(fd);
	return ret;
}

/* Attach @pd at its tty, or at the first tty its USB identity matches. */
static void attach_device(struct cyl_serial *s, struct sdev *sd,
			  const struct cyl_policy_device *pd)
{
	char names[8][32], path[PATH_MAX];
	size_t n = 0, i;
	int ret = -ENOENT;

	if (!pd->usb.set) {
		ret = attach_path(s, sd, pd, pd->tty);
	} else if (cyl_serial_find("/sys", &pd->usb, names, 8, &n) == 0) {
		for (i = 0; i < n && ret; i++) {
			snprintf(path, sizeof(path), "/dev/%s", names[i]);
			ret = attach_path(s, sd, pd, path);
		}
	}
	if (ret == -ENOENT && !sd->warned_missing) {
		char usb[128];

		log_warn_f("%s: %s is not present: guarded once it appears",
			   pd->name, pd->usb.set ?
			   cyl_policy_usb_format(&pd->usb, usb, sizeof(usb)) :
			   pd->tty);
		sd->warned_missing = true;
	}
}

/*
 * The open guard (lsm_guard) watches device nodes; a device matched by
 * USB identity has one only while it is attached.  Swap in a new guarded
 * set when those nodes changed.
 */
static void follow_usb_nodes(struct cyl_daemon *d)
{
	struct cyl_serial *s = d->serial;
	char (*paths)[72];
	const char **found;
	bool changed = false, *guarded;
	size_t i;

	for (i = 0; i < s->n_devs; i++)
		if (d->policy.devices[i].usb.set &&
		    strcmp(s->devs[i].bpf_tty, s->devs[i].tty))
			changed = true;
	if (!changed || !d->lsm)
		return;
	paths = calloc(s->n_devs, sizeof(*paths));
	found = calloc(s->n_devs, sizeof(*found));
	if (!paths || !found)
		goto out;
	for (i = 0; i < s->n_devs; i++) {
		if (!d->policy.devices[i].usb.set || !s->devs[i].tty[0])
			continue;
		snprintf(paths[i], sizeof(paths[i]), "/dev/%s", s->devs[i].tty);
		found[i] = paths[i];
	}
	if (cyl_devices_guard(d->lsm, &d->policy, found, &guarded) == 0) {
		free(d->guarded);
		d->guarded = guarded;
		for (i = 0; i < s->n_devs; i++)
			memcpy(s->devs[i].bpf_tty, s->devs[i].tty,
			       sizeof(s->devs[i].bpf_tty));
	}
out:
	free(paths);
	free(found);
}

void cyl_serial_sync(struct cyl_daemon *d, bool settings)
{
	struct cyl_serial *s = d->serial;
	struct cyl_kmod_guard *guards = NULL;
	size_t n = 0, i;
	char err[384];

	if (!s)
		return;
	if (!s->ctl && open_ctl(s))
		return;
	if (sdev_follow_policy(s, &d->policy)) {
		log_err_f("serial guard: out of memory");
		return;
	}
	if (cyl_kmod_guards(s->ctl, &guards, &n)) {
		log_err_f("serial guard: cannot list the module's ttys");
		return;
	}
	for (i = 0; i < s->n_devs; i++) {
		s->devs[i].attached = false;
		if (settings)	/* a new policy: lsm_guard's set starts over */
			s->devs[i].bpf_tty[0] = '\0';
	}

	/* What the module holds: adopt it, or let it go if the policy did. */
	for (i = 0; i < n; i++) {
		struct sdev *sd = sdev_by_id(s, guards[i].id);
		const struct cyl_policy_device *pd = NULL;
		size_t k;

		for (k = 0; sd && k < d->policy.n_devices; k++)
			if (!strcmp(d->policy.devices[k].name, sd->name))
				pd = &d->policy.devices[k];
		if (!pd || strcmp(guards[i].name, pd->name)) {
			log_info_f("%s: %s is no longer in the policy: detaching",
				   guards[i].name, guards[i].tty);
			if (cyl_kmod_detach(s->ctl, guards[i].id, err, sizeof(err)))
				log_err_f("%s: %s", guards[i].name, err);
			continue;
		}
		if (settings &&
		    cyl_kmod_set_config(s->ctl, sd->id, &pd->serial, pd->allow,
					pd->n_allow, err, sizeof(err)))
			log_err_f("%s: %s", pd->name, err);
		if (!sd->attached && !sd->tty[0])
			log_info_f("%s: %s already guarded by the module: adopted",
				   pd->name, guards[i].tty);
		sd->attached = true;
		snprintf(sd->tty, sizeof(sd->tty), "%s", guards[i].tty);
		sd->key_serial = guards[i].key_serial;
		if (!sd->key_serial)
			push_key(s, sd, true, err, sizeof(err));
	}
	free(guards);

	for (i = 0; i < s->n_devs; i++) {
		if (!s->devs[i].attached) {
			s->devs[i].tty[0] = '\0';
			attach_device(s, &s->devs[i], &d->policy.devices[i]);
		}
	}
	follow_usb_nodes(d);
}

static const char *writer_exe(uint32_t pid, char *buf, size_t size)
{
	char link[32];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%u/exe", pid);
	n = readlink(link, buf, size - 1);
	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return buf;
}

static void on_device_event(struct cyl_daemon *d, struct nlattr **tb)
{
	struct cyl_serial *s = d->serial;
	struct cyl_kdev_event ev;
	char exe[PATH_MAX];
	struct sdev *sd;
	json_t *obj;

	if (cyl_kdev_event_decode(tb, &ev)) {
		log_warn_f("malformed device event from the module ignored");
		return;
	}
	sd = s ? sdev_by_id(s, ev.device_id) : NULL;
	obj = cyl_kdev_event_json(&ev, sd ? sd->name : NULL,
				  ev.has_writer ?
				  writer_exe(ev.pid, exe, sizeof(exe)) : NULL);
	if (obj)
		cyl_daemon_emit(d, obj);	/* takes @obj over */
	if (ev.type == CYL_KEV_DETACHED && sd && ev.reason != CYL_DETACH_AGENT) {
		sd->attached = false;
		sd->tty[0] = '\0';
		log_warn_f("%s: %s no longer guarded (%s); guarded again when it returns",
			   sd->name, ev.tty, cyl_kdev_detach_reason(ev.reason));
	}
}

void cyl_serial_on_kmsg(struct cyl_daemon *d, uint8_t cmd, struct nlattr **tb)
{
	struct cyl_serial *s = d->serial;
	struct sdev *sd;

	if (cmd == CYL_CMD_EVENT) {
		on_device_event(d, tb);
		return;
	}
	if (!s)
		return;
	sd = sdev_by_id(s, nla_get_u32(tb[CYL_A_DEVICE_ID]));
	cyl_records_on_msg(d, s->records, sd ? sd->name : NULL, tb);
}

static int on_uevent(struct cyl_loop_handler *h, uint32_t events)
{
	struct cyl_serial *s = container_of(h, struct cyl_serial, uevent_h);
	struct cyl_daemon *d = s->d;
	bool tty_added = false;
	struct cyl_uevent ev;
	char buf[8192];
	int ret;

	while ((ret = cyl_uevent_read(s->uevent_fd, buf, sizeof(buf), &ev)) != -EAGAIN) {
		if (ret)
			continue;
		if (!strcmp(ev.subsystem, "tty") && !strcmp(ev.action, "add"))
			tty_added = true;
	}
	if (tty_added)
		cyl_serial_sync(d, false);
	return 0;
}

int cyl_serial_open(struct cyl_daemon *d)
{
	struct cyl_serial *s;
	int ret;

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->uevent_fd = -1;
	s->d = d;
	d->serial = s;

	ret = cyl_records_open(&s->records, d, d->opts->spool_dir,
			       d->opts->spool_fsync);
	if (ret)
		return ret;

	s->uevent_fd = cyl_uevent_open();
	if (s->uevent_fd < 0) {
		log_warn_f("uevents: %s: hot-plugged devices are guarded on the next policy load",
			   strerror(-s->uevent_fd));
	} else {
		s->uevent_h.fn = on_uevent;
		ret = cyl_loop_add(&d->loop, s->uevent_fd, EPOLLIN, &s->uevent_h);
		if (ret)
			return ret;
	}

	ret = open_ctl(s);
	if (ret == -ENOENT) {
		log_warn_f("cylcomed.ko is not loaded: serial devices are not guarded");
		return 0;
	}
	return ret;
}

void cyl_serial_close(struct cyl_daemon *d)
{
	struct cyl_serial *s = d->serial;

	if (!s)
		return;
	if (s->uevent_fd >= 0) {
		if (d->loop.epfd >= 0)
			cyl_loop_del(&d->loop, s->uevent_fd);
		close(s->uevent_fd);
	}
	cyl_records_close(s->records);
	cyl_kmod_ctl_close(s->ctl);
	free(s->devs);
	free(s);
	d->serial = NULL;
}

int cyl_serial_key_loaded(struct cyl_daemon *d, const char *device,
			  char *err, size_t errlen)
{
	struct cyl_serial *s = d->serial;
	struct sdev *sd = s ? sdev_find(s, device) : NULL;
	int ret;

	if (!sd) {
		snprintf(err, errlen, "%s: no such device in the policy", device);
		return -ENOENT;
	}
	if (!s->ctl || !sd->attached) {
		snprintf(err, errlen, "%s: not guarded now; the key is used when it is attached",
			 device);
		return -ENODEV;
	}
	ret = push_key(s, sd, false, err, errlen);
	if (ret == -ENOKEY)
		snprintf(err, errlen, "%s: no logon key \"" KEY_PREFIX "%s\" in root's user keyring",
			 device, device);
	return ret;
}

int cyl_serial_last_record(struct cyl_daemon *d, const char *device,
			   struct timespec *at)
{
	return cyl_records_last_at(d->serial ? d->serial->records : NULL,
				   cyl_serial_device_id(device), at);
}

json_t *cyl_serial_records_json(struct cyl_daemon *d)
{
	return cyl_records_json(d->serial ? d->serial->records : NULL);
}

static json_t *stats_json(const struct cyl_serial_stats *st)
{
	return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}",
			 "rx_bytes", (json_int_t)st->rx_bytes,
			 "rx_frames", (json_int_t)st->rx_frames,
			 "rx_bad_frames", (json_int_t)st->rx_bad_frames,
			 "rx_dropped_frames", (json_int_t)st->rx_dropped_frames,
			 "tx_bytes", (json_int_t)st->tx_bytes,
			 "tx_writes", (json_int_t)st->tx_writes,
			 "tx_refused", (json_int_t)st->tx_refused,
			 "records", (json_int_t)st->records,
			 "records_dropped", (json_int_t)st->records_dropped,
			 "records_unsealed", (json_int_t)st->records_unsealed,
			 "events_dropped", (json_int_t)st->events_dropped);
}

json_t *cyl_serial_devices_json(struct cyl_daemon *d)
{
	struct cyl_serial *s = d->serial;
	struct cyl_kmod_guard *guards = NULL;
	json_t *all = json_object();
	size_t n = 0, i, k;

	if (!all || !s)
		return all;
	/* The module's own view, in one dump: what it holds, its counters. */
	if (s->ctl && cyl_kmod_guards(s->ctl, &guards, &n))
		n = 0;
	for (i = 0; i < s->n_devs; i++) {
		const struct sdev *sd = &s->devs[i];
		const struct cyl_kmod_guard *g = NULL;

		for (k = 0; k < n && !g; k++)
			if (guards[k].id == sd->id)
				g = &guards[k];
		if (json_object_set_new(all, sd->name, json_pack(
				"{s:b,s:s?,s:I,s:b,s:o*}", "attached", g != NULL,
				"tty", g ? g->tty : NULL,
				"device_id", (json_int_t)sd->id,
				"sealed", g && g->key_serial != 0,
				"stats", g ? stats_json(&g->stats) : NULL))) {
			json_decref(all);
			all = NULL;
			break;
		}
	}
	free(guards);
	return all;
}
