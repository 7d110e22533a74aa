/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The agent's YAML policy: parse and validate, no daemon state.
 *
 * This slice knows "version", "devices" with each device's serial guard
 * settings, "usb", "risk" (the risk register, risk/register.h),
 * "mender" (the safe-update gate, mender/gate.h) and "ssi" (SSI access
 * to CP-ABE keys, policy/ssi.h); later
 * sections arrive with later releases and are rejected until then, so a
 * policy written for a newer agent never half-applies on an older one.
 */
#ifndef CYL_POLICY_H
#define CYL_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include <cylcomed/serial.h>

#include "policy/ssi.h"
#include "risk/register.h"
#include "usb/rule.h"

#define CYL_POLICY_VERSION	1
#define CYL_POLICY_MAX_SIZE	(1024 * 1024)
#define CYL_POLICY_NAME_MAX	32
#define CYL_POLICY_TTY_MAX	255
#define CYL_POLICY_MAX_DEVICES	256	/* = CYL_MAX_GUARDED_DEVS */
#define CYL_POLICY_USB_SERIAL_MAX	127

/* Serial guard defaults and limits (Documentation/policy.md). */
#define CYL_POLICY_MAX_LEN_RAW		4096
#define CYL_POLICY_MAX_LEN_LINES	1024
#define CYL_POLICY_MAX_LEN_ASTM		247	/* ASTM E1381's frame limit */
#define CYL_POLICY_MAX_LEN_MLLP		65536
#define CYL_POLICY_RAW_GAP_MS_DEFAULT	50
#define CYL_POLICY_RAW_GAP_MS_MAX	10000
#define CYL_POLICY_WRITE_RATE_MAX	100000

/* A device's record key is the "logon" key "cylcomed:<device name>". */
#define CYL_POLICY_RECORD_KEY_PREFIX	"cylcomed:"

/* A device found by its USB identity (sysfs) rather than a fixed node. */
struct cyl_policy_usb_match {
	bool set;			/* the device has "usb", not "tty" */
	unsigned int vendor;		/* idVendor */
	unsigned int product;		/* idProduct */
	bool has_serial;
	char serial[CYL_POLICY_USB_SERIAL_MAX + 1];	/* exact iSerial text */
	int interface;			/* bInterfaceNumber, -1: any */
};

struct cyl_policy_device {
	char name[CYL_POLICY_NAME_MAX + 1];	/* [a-z0-9._-]{1,32} */
	char tty[CYL_POLICY_TTY_MAX + 1];	/* under /dev/; "" if usb.set */
	unsigned int line;			/* where it was defined */
	struct cyl_policy_usb_match usb;
	struct cyl_serial_cfg serial;		/* as CYL_A_SERIAL_CFG wants it */
	bool critical;				/* no update during a session */
	size_t n_allow;				/* entries of allow[] in use */
	struct cyl_write_allow allow[CYL_ALLOW_MAX];	/* CYL_A_WRITE_ALLOW */
};

/* USB device authorization (Documentation/usb.md). */
#define CYL_POLICY_USB_MAX_RULES	1024

enum cyl_policy_usb_present {
	CYL_USB_PRESENT_APPLY,		/* "apply-policy": as if plugged now */
	CYL_USB_PRESENT_KEEP,		/* "keep": leave them as they are */
	CYL_USB_PRESENT_BLOCK,		/* "block": deauthorize them all */
};

struct cyl_policy_usb_rule {
	struct cyl_usb_rule rule;
	char *text;			/* as written in the policy */
	unsigned int line, column;	/* of the rule's text */
};

struct cyl_policy_usb {
	bool set;			/* the policy has a "usb" section */
	enum cyl_policy_usb_present present;
	enum cyl_usb_target implicit;	/* for a device no rule matches */
	size_t n_rules;
	struct cyl_policy_usb_rule *rules;
	/*
	 * Where "rules" is, for cylctl usb allow|block --permanent: the
	 * first "-" of a block sequence (1-based line, 0-based column), or
	 * rules_line 0 when there is none (absent, empty or flow style).
	 */
	unsigned int rules_line, rules_col;
};

/* The safe-update gate (Documentation/mender.md). */
#define CYL_POLICY_SESSION_WINDOW_DEFAULT	60	/* seconds */
#define CYL_POLICY_SESSION_WINDOW_MAX		3600
#define CYL_POLICY_MENDER_LIST_MAX		64	/* entries of each list */
#define CYL_POLICY_MENDER_NAME_MAX		255	/* bytes of each entry */

/* One of the mender section's lists; absent (!set) allows everything. */
struct cyl_policy_list {
	bool set;
	size_t n;
	char **items;
};

struct cyl_policy_mender {
	bool set;			/* the policy has a "mender" section */
	unsigned int session_window_s;	/* also without the section */
	struct cyl_policy_list artifacts;	/* fnmatch(3) patterns */
	struct cyl_policy_list groups;		/* exact names */
	struct cyl_policy_list device_types;	/* exact names */
};

struct cyl_policy {
	unsigned int version;
	size_t n_devices;
	struct cyl_policy_device *devices;
	struct cyl_policy_usb usb;
	struct cyl_risk_register risk;	/* risk.set: the policy has one */
	struct cyl_policy_mender mender;
	struct cyl_policy_ssi ssi;	/* ssi.set: the policy has one */
};

struct cyl_policy_error {
	unsigned int line;	/* 1-based; 0 when not tied to a position */
	unsigned int column;	/* 1-based; 0 when not tied to a position */
	char text[512];		/* "file:line:col: field: message" */
};

/*
 * Parse @len bytes of @buf; @name is the file name quoted in errors.
 * Returns 0 and fills @out (free with cyl_policy_free()), or a negative
 * errno (-EINVAL bad policy, -EFBIG too large, -ENOMEM) with @err filled.
 * @out is left empty on error.
 */
int cyl_policy_parse(const char *name, const char *buf, size_t len,
		     struct cyl_policy *out, struct cyl_policy_error *err);

/*
 * Load the files @p names (risk.register) into it: after
 * cyl_policy_parse() of a policy that will be used, since parsing reads
 * no file.  0, or a negative errno with @err naming the file and place.
 */
int cyl_policy_load_references(struct cyl_policy *p,
			       struct cyl_policy_error *err);

/*
 * Read and parse @path, and load what it references; I/O errors are
 * reported in @err as well.
 */
int cyl_policy_load_file(const char *path, struct cyl_policy *out,
			 struct cyl_policy_error *err);

void cyl_policy_free(struct cyl_policy *policy);

/*
 * "usb 0403:6001 serial \"SIM0001\" interface 0" for logs and status,
 * truncated to @size.  Returns @buf.
 */
const char *cyl_policy_usb_format(const struct cyl_policy_usb_match *m,
				  char *buf, size_t size);

/*
 * The text of policy @buf (@len bytes, parsed as @p) with @rule put
 * first in usb.rules, so that it wins: a new "- '...'" line before the
 * first rule, or a "usb:" section at the end if the policy has none.
 * Returns 0 with a malloc()ed *@out, or -EINVAL with @err filled when
 * the layout is one it cannot edit (a flow-style or empty rules list, a
 * usb section without rules), or -ENOMEM.
 */
int cyl_policy_usb_prepend_rule(const char *buf, size_t len,
				const struct cyl_policy *p, const char *rule,
				char **out, size_t *out_len,
				char *err, size_t errlen);

/* "apply-policy", "keep", "block". */
const char *cyl_policy_usb_present_name(enum cyl_policy_usb_present present);

#endif /* CYL_POLICY_H */
