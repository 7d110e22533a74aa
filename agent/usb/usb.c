// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's USB device authorization (see usb.h).
 *
 * Order matters for safety: the root hubs are locked before the agent
 * looks at any device, so a device plugged while the agent starts is
 * never authorized by the kernel behind its back, and a restart never
 * unlocks anything (the agent never writes a 1 to authorized_default).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "core/daemon.h"
#include "core/event.h"
#include "core/log.h"
#include "core/policy_state.h"
#include "core/uevent.h"
#include "usb/sysfs.h"
#include "usb/usb.h"

#define SYSROOT		"/sys"
#define RISK_REF	"rogue-usb-device"	/* Documentation/usb.md */

/* Where a decision came from, when not from usb.rules[i] (i >= 0). */
enum {
	FROM_IMPLICIT = -1,	/* no rule matched */
	FROM_OVERRIDE = -2,	/* cylctl usb allow|block, until unplugged */
	FROM_KEPT = -3,		/* present at start, present_devices: keep */
	FROM_PRESENT = -4,	/* present at start, present_devices: block */
	FROM_BAD = -5,		/* its descriptors do not parse */
};

/* The agent's decision about the device at one port. */
struct udec {
	char port[CYL_USB_PORT_MAX];
	uint16_t vendor, product;
	char serial[CYL_USB_STR_MAX + 1];	/* ties an override to it */
	enum cyl_usb_target target;
	int from;				/* rule index or FROM_* */
	char reason[200];
};

struct cyl_usb {
	struct cyl_daemon *d;
	const char *sysroot;
	bool locked;		/* root hubs locked down by this agent */
	int uevent_fd;
	struct cyl_loop_handler uevent_h;
	struct udec *decs;
	size_t n_decs;
	uint64_t n_allowed, n_blocked, n_rejected;	/* decisions made */
};

static const struct cyl_policy_usb no_rules = {
	.implicit = CYL_USB_BLOCK,
};

/* The rules in force: a policy without a usb section blocks everything
 * once the ports are locked (removing the section never unlocks them). */
static const struct cyl_policy_usb *rules(struct cyl_usb *u)
{
	return u->d->policy.usb.set ? &u->d->policy.usb : &no_rules;
}

static struct udec *udec_find(struct cyl_usb *u, const char *port)
{
	size_t i;

	for (i = 0; i < u->n_decs; i++)
		if (!strcmp(u->decs[i].port, port))
			return &u->decs[i];
	return NULL;
}

static struct udec *udec_get(struct cyl_usb *u, const char *port)
{
	struct udec *dec = udec_find(u, port), *decs;

	if (dec)
		return dec;
	decs = realloc(u->decs, (u->n_decs + 1) * sizeof(*decs));
	if (!decs)
		return NULL;
	u->decs = decs;
	dec = &decs[u->n_decs++];
	memset(dec, 0, sizeof(*dec));
	snprintf(dec->port, sizeof(dec->port), "%s", port);
	return dec;
}

static void udec_forget(struct cyl_usb *u, const char *port)
{
	struct udec *dec = udec_find(u, port);

	if (!dec)
		return;
	*dec = u->decs[--u->n_decs];
}

static bool same_device(const struct udec *dec, const struct cyl_usb_sysdev *dev)
{
	return dec->vendor == dev->desc.vendor &&
	       dec->product == dev->desc.product &&
	       !strcmp(dec->serial, dev->serial);
}

/* Device text for JSON: jansson wants UTF-8; a hostile device may not. */
static json_t *json_text(const char *s)
{
	char buf[CYL_USB_STR_MAX + 1];
	json_t *j = json_string(s);
	size_t i;

	if (j)
		return j;
	snprintf(buf, sizeof(buf), "%s", s);
	for (i = 0; buf[i]; i++)
		if ((unsigned char)buf[i] < 0x20 || (unsigned char)buf[i] >= 0x7f)
			buf[i] = '?';
	return json_string(buf);
}

static void iface_text(struct cyl_usb_iface t, char buf[12])
{
	snprintf(buf, 12, "%02x:%02x:%02x", t.cls & 0xff, t.subcls & 0xff,
		 t.proto & 0xff);
}

/* {"port","id","serial","name","manufacturer","hash","interfaces"} */
static json_t *device_json(const struct cyl_usb_sysdev *dev)
{
	json_t *o, *ifs;
	char id[16], t[12];
	size_t i;

	snprintf(id, sizeof(id), "%04x:%04x", dev->desc.vendor,
		 dev->desc.product);
	ifs = json_array();
	for (i = 0; ifs && !dev->desc_err && i < dev->desc.n_ifaces; i++) {
		iface_text(dev->desc.ifaces[i], t);
		json_array_append_new(ifs, json_string(t));
	}
	o = json_pack("{s:s, s:s?, s:o, s:o, s:o, s:s?, s:o, s:b}",
		      "port", dev->port,
		      "id", dev->desc_err ? NULL : id,
		      "serial", json_text(dev->serial),
		      "name", json_text(dev->name),
		      "manufacturer", json_text(dev->manufacturer),
		      "hash", dev->desc_err ? NULL : dev->desc.hash,
		      "interfaces", ifs ? ifs : json_array(),
		      "authorized", dev->authorized);
	return o;
}

/* The interfaces as they are now: [{"name","class","authorized","driver"}]. */
static json_t *ifaces_json(struct cyl_usb *u, const char *port)
{
	struct cyl_usb_sysiface ifs[CYL_USB_IFACE_MAX];
	json_t *a = json_array();
	size_t n = 0, i;
	char t[12];

	if (!a || cyl_usb_sys_ifaces(u->sysroot, port, ifs, CYL_USB_IFACE_MAX, &n))
		return a;
	for (i = 0; i < n; i++) {
		iface_text(ifs[i].t, t);
		json_array_append_new(a, json_pack("{s:s, s:s, s:b, s:s?}",
						   "name", ifs[i].name, "class", t,
						   "authorized", ifs[i].authorized,
						   "driver", ifs[i].driver[0] ?
						   ifs[i].driver : NULL));
	}
	return a;
}

static json_t *rule_json(struct cyl_usb *u, int from)
{
	const struct cyl_policy_usb *r = rules(u);
	static const char *const names[] = {
		[-FROM_IMPLICIT] = "implicit_target",
		[-FROM_OVERRIDE] = "cylctl",
		[-FROM_KEPT] = "present_devices",
		[-FROM_PRESENT] = "present_devices",
		[-FROM_BAD] = "descriptors",
	};

	if (from >= 0 && (size_t)from < r->n_rules)
		return json_pack("{s:i, s:s, s:i}", "index", from,
				 "text", r->rules[from].text,
				 "line", r->rules[from].line);
	if (from < 0 && -from < (int)(sizeof(names) / sizeof(names[0])))
		return json_pack("{s:s}", "source", names[-from]);
	return json_null();
}

static void emit_decision(struct cyl_usb *u, const struct cyl_usb_sysdev *dev,
			  const struct udec *dec)
{
	json_t *ev;

	ev = cyl_event_new("usb_device", NULL, NULL,
			   dec->target == CYL_USB_ALLOW ? "allow" : "deny",
			   dec->reason);
	if (!ev)
		return;
	json_object_set_new(ev, "target",
			    json_string(cyl_usb_target_name(dec->target)));
	json_object_set_new(ev, "usb", device_json(dev));
	if (dec->target == CYL_USB_ALLOW)
		json_object_set_new(ev, "interfaces", ifaces_json(u, dev->port));
	json_object_set_new(ev, "rule", rule_json(u, dec->from));
	if (dec->target != CYL_USB_ALLOW)
		json_object_set_new(ev, "risk", json_string(RISK_REF));
	cyl_daemon_emit(u->d, ev);
}

/* Which rule decides @dev, and so its target. */
static void decide(struct cyl_usb *u, const struct cyl_usb_sysdev *dev,
		   struct udec *dec)
{
	const struct cyl_policy_usb *r = rules(u);
	struct cyl_usb_device ud;
	size_t i;

	if (dec->from == FROM_OVERRIDE && same_device(dec, dev))
		return;		/* cylctl said so, until it is unplugged */
	dec->vendor = dev->desc.vendor;
	dec->product = dev->desc.product;
	snprintf(dec->serial, sizeof(dec->serial), "%s", dev->serial);
	if (dev->desc_err) {
		dec->target = CYL_USB_BLOCK;
		dec->from = FROM_BAD;
		snprintf(dec->reason, sizeof(dec->reason),
			 "blocked: its descriptors are malformed (%.150s)",
			 dev->desc_errtext);
		return;
	}
	cyl_usb_sys_device(dev, &ud);
	for (i = 0; i < r->n_rules; i++) {
		if (cyl_usb_rule_matches(&r->rules[i].rule, &ud)) {
			dec->target = r->rules[i].rule.target;
			dec->from = i;
			snprintf(dec->reason, sizeof(dec->reason),
				 "%s by usb.rules[%zu] (line %u)",
				 dec->target == CYL_USB_ALLOW ? "allowed" :
				 dec->target == CYL_USB_BLOCK ? "blocked" :
				 "rejected", i, r->rules[i].line);
			return;
		}
	}
	dec->target = r->implicit;
	dec->from = FROM_IMPLICIT;
	snprintf(dec->reason, sizeof(dec->reason),
		 "%s: no rule matches (implicit_target %s)",
		 r->implicit == CYL_USB_REJECT ? "rejected" : "blocked",
		 cyl_usb_target_name(r->implicit));
}

/*
 * Interfaces of an allowed device: those its rule lists get a driver.
 * Two passes: a driver that claims several interfaces (cdc_acm) probes
 * the first before the others are authorized and fails, so every
 * listed interface still without a driver is probed once more.
 */
static int enforce_ifaces(struct cyl_usb *u, const char *port,
			  const struct cyl_usb_rule *rule)
{
	struct cyl_usb_sysiface ifs[CYL_USB_IFACE_MAX];
	size_t n = 0, i;
	int ret, first = 0, pass;

	for (pass = 0; pass < 2; pass++) {
		ret = cyl_usb_sys_ifaces(u->sysroot, port, ifs,
					 CYL_USB_IFACE_MAX, &n);
		if (ret && ret != -ENOBUFS)
			return ret;
		for (i = 0; i < n; i++) {
			bool want = !rule ||
				    cyl_usb_rule_iface_allowed(rule, ifs[i].t);

			if (pass ? !want || ifs[i].driver[0] :
				   want == ifs[i].authorized)
				continue;
			ret = cyl_usb_sys_set_iface_authorized(u->sysroot,
							       ifs[i].name, want);
			if (ret) {
				log_err_f("usb %s: cannot %sauthorize interface %s: %s",
					  port, want ? "" : "de", ifs[i].name,
					  strerror(-ret));
				first = first ? first : ret;
			}
		}
	}
	return first;
}

/* Is @dev still the device at its port (not unplugged and replaced)? */
static bool still_there(struct cyl_usb *u, const struct cyl_usb_sysdev *dev)
{
	struct cyl_usb_sysdev now;

	return !cyl_usb_sys_read(u->sysroot, dev->port, &now) &&
	       now.busnum == dev->busnum && now.devnum == dev->devnum;
}

/* Make sysfs say what @dec decided. */
static int enforce(struct cyl_usb *u, const struct cyl_usb_sysdev *dev,
		   const struct udec *dec)
{
	const struct cyl_policy_usb *r = rules(u);
	const struct cyl_usb_rule *rule = NULL;
	int ret = 0;

	switch (dec->target) {
	case CYL_USB_ALLOW:
		if (dec->from >= 0 && (size_t)dec->from < r->n_rules)
			rule = &r->rules[dec->from].rule;
		if (!dev->authorized && !still_there(u, dev))
			ret = -ENODEV;	/* replaced: its own uevent decides */
		else if (!dev->authorized)
			ret = cyl_usb_sys_set_authorized(u->sysroot, dev->port, true);
		if (!ret)
			ret = enforce_ifaces(u, dev->port, rule);
		break;
	case CYL_USB_BLOCK:
		if (dev->authorized)
			ret = cyl_usb_sys_set_authorized(u->sysroot, dev->port, false);
		break;
	case CYL_USB_REJECT:
		ret = cyl_usb_sys_remove(u->sysroot, dev->port);
		break;
	}
	if (ret)
		log_err_f("usb %s: cannot %s it: %s", dev->port,
			  cyl_usb_target_name(dec->target), strerror(-ret));
	return ret;
}

static void count(struct cyl_usb *u, enum cyl_usb_target t)
{
	if (t == CYL_USB_ALLOW)
		u->n_allowed++;
	else if (t == CYL_USB_BLOCK)
		u->n_blocked++;
	else
		u->n_rejected++;
}

/*
 * Decide @dev and enforce it; report it when it is new or the decision
 * changed (@always: report in any case).
 */
static void handle(struct cyl_usb *u, const struct cyl_usb_sysdev *dev,
		   bool always)
{
	struct udec *dec = udec_get(u, dev->port), before;

	if (!dec) {
		log_err_f("usb %s: out of memory; it stays as it is", dev->port);
		return;
	}
	before = *dec;
	decide(u, dev, dec);
	enforce(u, dev, dec);
	log_info_f("usb %s %04x:%04x \"%s\": %s", dev->port, dev->desc.vendor,
		   dev->desc.product, dev->name, dec->reason);
	if (always || before.target != dec->target || before.from != dec->from) {
		count(u, dec->target);
		emit_decision(u, dev, dec);
	}
	if (dec->target == CYL_USB_REJECT)
		udec_forget(u, dev->port);
}

static void handle_port(struct cyl_usb *u, const char *port)
{
	struct cyl_usb_sysdev dev;
	int ret;

	ret = cyl_usb_sys_read(u->sysroot, port, &dev);
	if (ret == -ENOENT)
		return;		/* gone already */
	if (ret) {
		log_err_f("usb %s: cannot read it: %s; it stays unauthorized",
			  port, strerror(-ret));
		return;
	}
	handle(u, &dev, true);
}

/* The devices present at start, as usb.present_devices says. */
static void handle_present(struct cyl_usb *u)
{
	enum cyl_policy_usb_present how = rules(u)->present;
	struct cyl_usb_sysdev *devs = NULL;
	size_t n = 0, i;
	int ret;

	ret = cyl_usb_sys_list(u->sysroot, &devs, &n);
	if (ret) {
		log_err_f("usb: cannot list devices: %s", strerror(-ret));
		return;
	}
	for (i = 0; i < n; i++) {
		struct udec *dec;

		if (how == CYL_USB_PRESENT_APPLY) {
			handle(u, &devs[i], true);
			continue;
		}
		dec = udec_get(u, devs[i].port);
		if (!dec)
			continue;
		dec->vendor = devs[i].desc.vendor;
		dec->product = devs[i].desc.product;
		snprintf(dec->serial, sizeof(dec->serial), "%s", devs[i].serial);
		if (how == CYL_USB_PRESENT_KEEP) {
			dec->target = devs[i].authorized ? CYL_USB_ALLOW :
							   CYL_USB_BLOCK;
			dec->from = FROM_KEPT;
			snprintf(dec->reason, sizeof(dec->reason),
				 "present at start, kept %s (present_devices: keep)",
				 devs[i].authorized ? "authorized" : "unauthorized");
		} else {
			dec->target = CYL_USB_BLOCK;
			dec->from = FROM_PRESENT;
			snprintf(dec->reason, sizeof(dec->reason),
				 "blocked: present at start (present_devices: block)");
			enforce(u, &devs[i], dec);
		}
		count(u, dec->target);
		emit_decision(u, &devs[i], dec);
	}
	free(devs);
}

static int on_uevent(struct cyl_loop_handler *h, uint32_t events)
{
	struct cyl_usb *u = container_of(h, struct cyl_usb, uevent_h);
	struct cyl_uevent ev;
	char buf[8192];
	int ret;

	while ((ret = cyl_uevent_read(u->uevent_fd, buf, sizeof(buf), &ev)) != -EAGAIN) {
		if (ret || strcmp(ev.subsystem, "usb") || !ev.devtype ||
		    strcmp(ev.devtype, "usb_device"))
			continue;
		if (!strcmp(ev.action, "add") && !strncmp(ev.kernel, "usb", 3)) {
			/* A new bus: lock it before its devices are decided. */
			ret = cyl_usb_sys_lock_hub(u->sysroot, ev.kernel);
			if (ret)
				log_err_f("usb: cannot lock root hub %s: %s",
					  ev.kernel, strerror(-ret));
		} else if (!strcmp(ev.action, "add") &&
			   cyl_usb_sys_port_valid(ev.kernel) &&
			   !udec_find(u, ev.kernel)) {
			/* (one found was decided at start, after this "add") */
			handle_port(u, ev.kernel);
		} else if (!strcmp(ev.action, "remove") &&
			   cyl_usb_sys_port_valid(ev.kernel)) {
			udec_forget(u, ev.kernel);
		}
	}
	return 0;
}

/*
 * Follow uevents, then lock the ports: in that order no device plugged
 * in between is missed (its "add" waits in the socket).  Once per run.
 */
static int activate(struct cyl_usb *u)
{
	struct cyl_daemon *d = u->d;
	int ret;

	u->uevent_fd = cyl_uevent_open();
	if (u->uevent_fd < 0) {
		ret = u->uevent_fd;
		log_err_f("usb: uevents: %s: plugged devices would stay unauthorized",
			  strerror(-ret));
		return ret;
	}
	u->uevent_h.fn = on_uevent;
	ret = cyl_loop_add(&d->loop, u->uevent_fd, EPOLLIN, &u->uevent_h);
	if (ret)
		return ret;
	ret = cyl_usb_sys_lock_down(u->sysroot);
	if (ret) {
		log_err_f("usb: cannot lock the root hubs: %s", strerror(-ret));
		return ret;
	}
	u->locked = true;
	log_info_f("usb: root hubs locked: new devices wait for the policy");
	return 0;
}

int cyl_usb_open(struct cyl_daemon *d)
{
	struct cyl_usb *u;
	int ret;

	u = calloc(1, sizeof(*u));
	if (!u)
		return -ENOMEM;
	u->d = d;
	u->sysroot = SYSROOT;
	u->uevent_fd = -1;
	d->usb = u;
	if (!d->policy.usb.set) {
		log_info_f("usb: the policy has no usb section: USB devices are not managed");
		return 0;
	}
	ret = activate(u);
	if (ret)
		return ret;
	handle_present(u);
	return 0;
}

void cyl_usb_close(struct cyl_daemon *d)
{
	struct cyl_usb *u = d->usb;

	if (!u)
		return;
	if (u->uevent_fd >= 0) {
		if (d->loop.epfd >= 0)
			cyl_loop_del(&d->loop, u->uevent_fd);
		close(u->uevent_fd);
	}
	free(u->decs);
	free(u);
	d->usb = NULL;	/* the ports stay locked */
}

void cyl_usb_policy_changed(struct cyl_daemon *d)
{
	struct cyl_usb *u = d->usb;
	struct cyl_usb_sysdev *devs = NULL;
	size_t n = 0, i;

	if (!u)
		return;
	if (!u->locked) {
		if (!d->policy.usb.set || activate(u))
			return;
	} else if (!d->policy.usb.set) {
		log_warn_f("usb: the policy has no usb section any more; the ports stay locked and every new device is blocked");
	}
	if (cyl_usb_sys_list(u->sysroot, &devs, &n))
		return;
	for (i = 0; i < n; i++)
		handle(u, &devs[i], false);
	free(devs);
}

static json_t *entry_json(struct cyl_usb *u, const struct cyl_usb_sysdev *dev)
{
	struct udec *dec = udec_find(u, dev->port);
	json_t *o = device_json(dev);

	if (!o)
		return NULL;
	json_object_set_new(o, "interfaces_now", ifaces_json(u, dev->port));
	if (dec) {
		json_object_set_new(o, "target",
				    json_string(cyl_usb_target_name(dec->target)));
		json_object_set_new(o, "rule", rule_json(u, dec->from));
		json_object_set_new(o, "reason", json_string(dec->reason));
	} else {
		json_object_set_new(o, "target", json_null());
		json_object_set_new(o, "rule", json_null());
		json_object_set_new(o, "reason", json_string(
			u->locked ? "not decided yet" :
				    "not managed: the policy has no usb section"));
	}
	return o;
}

json_t *cyl_usb_list_json(struct cyl_daemon *d, char *err, size_t errlen)
{
	struct cyl_usb *u = d->usb;
	struct cyl_usb_sysdev *devs = NULL;
	json_t *arr, *o;
	size_t n = 0, i;
	int ret;

	ret = cyl_usb_sys_list(u ? u->sysroot : SYSROOT, &devs, &n);
	if (ret) {
		snprintf(err, errlen, "cannot list USB devices: %s", strerror(-ret));
		return NULL;
	}
	arr = json_array();
	for (i = 0; arr && i < n; i++)
		json_array_append_new(arr, entry_json(u, &devs[i]));
	free(devs);
	o = json_pack("{s:b, s:o}", "active", u && u->locked,
		      "devices", arr ? arr : json_array());
	return o;
}

/* --permanent: a rule for exactly this device, first in the policy file. */
static int set_permanent(struct cyl_usb *u, const struct cyl_usb_sysdev *dev,
			 enum cyl_usb_target target, char *err, size_t errlen)
{
	struct cyl_daemon *d = u->d;
	struct cyl_usb_device ud;
	char rule[CYL_USB_RULE_TEXT_MAX + 1];
	char *text = NULL;
	size_t len, need;
	int ret;

	cyl_usb_sys_device(dev, &ud);
	need = cyl_usb_rule_for_device(&ud, target, CYL_USB_FOR_SERIAL |
				       CYL_USB_FOR_NAME | CYL_USB_FOR_HASH,
				       rule, sizeof(rule));
	if (need >= sizeof(rule)) {
		snprintf(err, errlen, "the rule for %s would be longer than %d bytes; edit the policy by hand",
			 dev->port, CYL_USB_RULE_TEXT_MAX);
		return -E2BIG;
	}
	ret = cyl_policy_usb_prepend_rule(d->pstate.text, d->pstate.len,
					  &d->policy, rule, &text, &len,
					  err, errlen);
	if (ret == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	if (ret)
		return ret;
	udec_forget(u, dev->port);	/* the rule decides from now on */
	ret = cyl_policy_state_load(d, d->opts->config, text, len, err, errlen);
	free(text);
	if (!ret)
		log_info_f("usb %s: rule added to %s: %s", dev->port,
			   d->opts->config, rule);
	return ret;
}

json_t *cyl_usb_set(struct cyl_daemon *d, const char *port,
		    const char *target, bool permanent, char *err,
		    size_t errlen)
{
	struct cyl_usb *u = d->usb;
	struct cyl_usb_sysdev dev;
	enum cyl_usb_target t;
	struct udec *dec;
	int ret;

	if (!strcmp(target, "allow")) {
		t = CYL_USB_ALLOW;
	} else if (!strcmp(target, "block")) {
		t = CYL_USB_BLOCK;
	} else {
		snprintf(err, errlen, "target must be allow or block");
		return NULL;
	}
	if (!u || !u->locked) {
		snprintf(err, errlen, "USB devices are not managed: the policy has no usb section");
		return NULL;
	}
	if (!cyl_usb_sys_port_valid(port)) {
		snprintf(err, errlen, "\"%.40s\" is not a USB device port (like 1-1 or 3-1.2; see cylctl usb list)",
			 port);
		return NULL;
	}
	ret = cyl_usb_sys_read(u->sysroot, port, &dev);
	if (ret) {
		snprintf(err, errlen, "no USB device at port %s%s%s", port,
			 ret == -ENOENT ? "" : ": ",
			 ret == -ENOENT ? "" : strerror(-ret));
		return NULL;
	}
	if (permanent) {
		if (set_permanent(u, &dev, t, err, errlen))
			return NULL;
	} else {
		dec = udec_get(u, port);
		if (!dec) {
			snprintf(err, errlen, "out of memory");
			return NULL;
		}
		dec->vendor = dev.desc.vendor;
		dec->product = dev.desc.product;
		snprintf(dec->serial, sizeof(dec->serial), "%s", dev.serial);
		dec->target = t;
		dec->from = FROM_OVERRIDE;
		snprintf(dec->reason, sizeof(dec->reason),
			 "%s by cylctl usb %s, until it is unplugged",
			 t == CYL_USB_ALLOW ? "allowed" : "blocked", target);
		if (enforce(u, &dev, dec)) {
			snprintf(err, errlen, "could not %s %s (see the agent's log)",
				 target, port);
			return NULL;
		}
		count(u, t);
		emit_decision(u, &dev, dec);
	}
	if (cyl_usb_sys_read(u->sysroot, port, &dev))
		return json_pack("{s:s}", "port", port);
	return entry_json(u, &dev);
}

json_t *cyl_usb_status_json(struct cyl_daemon *d)
{
	struct cyl_usb *u = d->usb;

	if (!u)
		return json_pack("{s:b}", "active", false);
	return json_pack("{s:b, s:s, s:I, s:I, s:I, s:I}",
			 "active", u->locked,
			 "present_devices",
			 cyl_policy_usb_present_name(rules(u)->present),
			 "rules", (json_int_t)rules(u)->n_rules,
			 "allowed", (json_int_t)u->n_allowed,
			 "blocked", (json_int_t)u->n_blocked,
			 "rejected", (json_int_t)u->n_rejected);
}
