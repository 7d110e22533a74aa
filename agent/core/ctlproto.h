/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Control protocol between cylctl and cylcomedd, pure functions only.
 *
 * One request per connection over a Unix stream socket: a single JSON
 * object on one line, at most CYL_CTL_MAX_REQUEST bytes including the
 * newline, e.g. {"cmd":"status"}.  The reply is one JSON object and a
 * newline: {"ok":true,...} or {"ok":false,"error":"..."}.
 *
 * As in OpenSSH's monitor, the daemon accepts only the commands in a
 * table, each listing the credentials that may run it.
 */
#ifndef CYL_CTLPROTO_H
#define CYL_CTLPROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <jansson.h>

/* Enough for a policy of CYL_POLICY_MAX_SIZE bytes, JSON-escaped. */
#define CYL_CTL_MAX_REQUEST	(2 * 1024 * 1024 + 64 * 1024)	/* bytes, newline included */
#define CYL_CTL_MAX_REPLY	(4 * 1024 * 1024)	/* "policy_show" carries a policy */
#define CYL_CTL_ADMIN_GROUP	"cylcomed"
#define CYL_CTL_SOCKET		"/run/cylcomed/control.sock"

/* "ssi_present": the presentation's JSON text, as SSI reads it (ssi/json.h) */
#define CYL_CTL_PRESENTATION_MAX	(256 * 1024)

/* "events": {"n":1..CYL_CTL_EVENTS_MAX,"type":T,"device":D,"follow":bool} */
#define CYL_CTL_EVENTS_MAX	200
#define CYL_CTL_EVENTS_DEFAULT	20

enum cyl_ctl_cmd {
	CYL_CTL_STATUS,
	CYL_CTL_POLICY_LOAD,	/* name, content: validate and apply atomically */
	CYL_CTL_POLICY_SHOW,	/* the active policy's text and generation */
	CYL_CTL_POLICY_ROLLBACK,	/* re-apply the previous policy */
	CYL_CTL_EVENTS,		/* recent events, or a stream of new ones */
	CYL_CTL_STATS,		/* the counters behind /metrics */
	CYL_CTL_KEY_LOADED,	/* push a device's keyring key to the module */
	CYL_CTL_USB_LIST,	/* USB devices, interfaces, verdicts */
	CYL_CTL_USB_SET,	/* port, target, permanent: allow or block one */
	CYL_CTL_UPDATE_GATE,	/* may a Mender update proceed now? */
	CYL_CTL_UPDATE_EVENT,	/* a Mender state reached: rollback, failure */
	CYL_CTL_SSI_CHALLENGE,	/* a one-time challenge for a presentation */
	CYL_CTL_SSI_PRESENT,	/* presentation: verified, a CP-ABE key issued */
	__CYL_CTL_CMD_MAX,
};

/* Credentials a peer presents; a command accepts any of those it lists. */
enum cyl_ctl_cred {
	CYL_CRED_ROOT		= 1 << 0,	/* uid 0 */
	CYL_CRED_ADMIN_GROUP	= 1 << 1,	/* member of group "cylcomed" */
};

/*
 * One argument a command accepts besides "cmd": its JSON type (JSON_TRUE
 * stands for a boolean) and bounds (integer value, string length in
 * bytes, or an object's number of members).
 */
struct cyl_ctl_arg {
	const char *name;
	json_type type;
	long long min, max;
	bool required;
};

struct cyl_ctl_cmd_desc {
	const char *name;
	enum cyl_ctl_cmd cmd;
	unsigned int creds;	/* mask of enum cyl_ctl_cred */
	const struct cyl_ctl_arg *args;	/* NULL-name terminated, or NULL */
};

struct cyl_ctl_request {
	const struct cyl_ctl_cmd_desc *desc;
	json_t *obj;		/* the whole request; arguments are members */
};

/* Look a command up in the table; NULL if unknown. */
const struct cyl_ctl_cmd_desc *cyl_ctl_cmd_find(const char *name);

/* Credentials of a peer from its SO_PEERCRED uid/gid and groups. */
unsigned int cyl_ctl_peer_creds(uid_t uid, gid_t gid, const gid_t *groups,
				size_t n_groups, bool have_admin_gid,
				gid_t admin_gid);

bool cyl_ctl_permitted(const struct cyl_ctl_cmd_desc *desc,
		       unsigned int peer_creds);

/*
 * Parse one request: @buf holds @len bytes ending with the newline.
 * Returns 0 and fills @req (release with cyl_ctl_request_free()), or
 * -EMSGSIZE / -EBADMSG / -EINVAL / -ENOMEM with a message in @err.
 */
int cyl_ctl_parse_request(const char *buf, size_t len,
			  struct cyl_ctl_request *req, char *err, size_t errlen);
void cyl_ctl_request_free(struct cyl_ctl_request *req);

/*
 * Replies as malloc'ed, newline-terminated strings, NULL on ENOMEM.
 * cyl_ctl_reply_ok() takes over @body (may be NULL) and puts "ok" first.
 */
char *cyl_ctl_reply_ok(json_t *body, size_t *len);
char *cyl_ctl_reply_error(const char *msg, size_t *len);

/* A request line for @cmd without arguments, for the client. */
char *cyl_ctl_request_build(const char *cmd, size_t *len);

/* A request line from a whole request object (arguments included). */
char *cyl_ctl_request_dump(json_t *req, size_t *len);

/*
 * Parse a reply (trailing newline optional).  Returns 0 and the object
 * in @reply for {"ok":true}; -EREMOTEIO with the daemon's error in @err
 * for {"ok":false}; -EBADMSG / -EMSGSIZE for a malformed reply.
 */
int cyl_ctl_parse_reply(const char *buf, size_t len, json_t **reply,
			char *err, size_t errlen);

#endif /* CYL_CTLPROTO_H */
