// SPDX-License-Identifier: GPL-2.0
/*
 * Control protocol: request parsing, the command table, reply building.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctlproto.h"
#include "util/quote.h"
#include "util/errbuf.h"


#define ADMINS	(CYL_CRED_ROOT | CYL_CRED_ADMIN_GROUP)

static const struct cyl_ctl_arg policy_load_args[] = {
	/* the file name quoted in errors, and the policy's text */
	{ "name",	JSON_STRING,	1, 4096, true },
	{ "content",	JSON_STRING,	0, 2 * 1024 * 1024, true },
	{ NULL, JSON_NULL, 0, 0, false }
};

static const struct cyl_ctl_arg events_args[] = {
	{ "n",		JSON_INTEGER,	1, CYL_CTL_EVENTS_MAX, false },
	{ "type",	JSON_STRING,	1, 64, false },
	{ "device",	JSON_STRING,	1, 255, false },
	{ "follow",	JSON_TRUE,	0, 0, false },
	{ NULL, JSON_NULL, 0, 0, false }
};

static const struct cyl_ctl_arg key_loaded_args[] = {
	{ "device",	JSON_STRING,	1, 32, true },
	{ NULL, JSON_NULL, 0, 0, false }
};

static const struct cyl_ctl_arg usb_set_args[] = {
	{ "port",	JSON_STRING,	1, 31, true },
	{ "target",	JSON_STRING,	1, 8, true },
	{ "permanent",	JSON_TRUE,	0, 0, false },
	{ NULL, JSON_NULL, 0, 0, false }
};

/* What Mender says of an artifact; "provides" is checked by the handler. */
static const struct cyl_ctl_arg update_gate_args[] = {
	{ "artifact_name",	JSON_STRING,	1, 255, false },
	{ "artifact_group",	JSON_STRING,	1, 255, false },
	{ "device_type",	JSON_STRING,	1, 255, false },
	{ "provides",		JSON_OBJECT,	0, 64, false },
	{ NULL, JSON_NULL, 0, 0, false }
};

static const struct cyl_ctl_arg update_event_args[] = {
	{ "state",		JSON_STRING,	1, 64, true },
	{ "artifact_name",	JSON_STRING,	1, 255, false },
	{ NULL, JSON_NULL, 0, 0, false }
};

static const struct cyl_ctl_arg ssi_present_args[] = {
	{ "presentation",	JSON_STRING,	1, CYL_CTL_PRESENTATION_MAX, true },
	{ NULL, JSON_NULL, 0, 0, false }
};

/* Every command the daemon accepts, its arguments and who may run it. */
static const struct cyl_ctl_cmd_desc cmds[] = {
	{ "status", CYL_CTL_STATUS, ADMINS, NULL },
	{ "policy_load", CYL_CTL_POLICY_LOAD, ADMINS, policy_load_args },
	{ "policy_show", CYL_CTL_POLICY_SHOW, ADMINS, NULL },
	{ "policy_rollback", CYL_CTL_POLICY_ROLLBACK, ADMINS, NULL },
	{ "events", CYL_CTL_EVENTS, ADMINS, events_args },
	{ "stats", CYL_CTL_STATS, ADMINS, NULL },
	{ "key_loaded", CYL_CTL_KEY_LOADED, ADMINS, key_loaded_args },
	{ "usb_list", CYL_CTL_USB_LIST, ADMINS, NULL },
	{ "usb_set", CYL_CTL_USB_SET, ADMINS, usb_set_args },
	{ "update_gate", CYL_CTL_UPDATE_GATE, ADMINS, update_gate_args },
	{ "update_event", CYL_CTL_UPDATE_EVENT, ADMINS, update_event_args },
	{ "ssi_challenge", CYL_CTL_SSI_CHALLENGE, ADMINS, NULL },
	{ "ssi_present", CYL_CTL_SSI_PRESENT, ADMINS, ssi_present_args },
};

const struct cyl_ctl_cmd_desc *cyl_ctl_cmd_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (!strcmp(cmds[i].name, name))
			return &cmds[i];
	}
	return NULL;
}

unsigned int cyl_ctl_peer_creds(uid_t uid, gid_t gid, const gid_t *groups,
				size_t n_groups, bool have_admin_gid,
				gid_t admin_gid)
{
	unsigned int creds = 0;
	size_t i;

	if (uid == 0)
		creds |= CYL_CRED_ROOT;
	if (!have_admin_gid)
		return creds;
	if (gid == admin_gid)
		creds |= CYL_CRED_ADMIN_GROUP;
	for (i = 0; i < n_groups; i++) {
		if (groups[i] == admin_gid)
			creds |= CYL_CRED_ADMIN_GROUP;
	}
	return creds;
}

bool cyl_ctl_permitted(const struct cyl_ctl_cmd_desc *desc,
		       unsigned int peer_creds)
{
	return desc && (desc->creds & peer_creds);
}



static const char *const type_names[] = {
	[JSON_INTEGER] = "an integer", [JSON_STRING] = "a string",
	[JSON_TRUE] = "a boolean", [JSON_OBJECT] = "an object",
};

static const struct cyl_ctl_arg *find_arg(const struct cyl_ctl_request *req,
					  const char *key)
{
	const struct cyl_ctl_arg *a = req->desc->args;

	for (; a && a->name; a++) {
		if (!strcmp(a->name, key))
			return a;
	}
	return NULL;
}

static int check_arg(const struct cyl_ctl_request *req,
		     const struct cyl_ctl_arg *a, json_t *val, char *err,
		     size_t errlen)
{
	const char *cmd = req->desc->name;
	long long v;

	if (a->type == JSON_TRUE ? !json_is_boolean(val) :
				   json_typeof(val) != a->type)
		return cyl_errf(-EINVAL, err, errlen,
			    "argument \"%s\" of command \"%s\" must be %s",
			    a->name, cmd, type_names[a->type]);
	if (a->type == JSON_INTEGER) {
		v = json_integer_value(val);
		if (v < a->min || v > a->max)
			return cyl_errf(-EINVAL, err, errlen,
				    "argument \"%s\" of command \"%s\" must be between %lld and %lld",
				    a->name, cmd, a->min, a->max);
	}
	if (a->type == JSON_OBJECT) {
		v = json_object_size(val);
		if (v < a->min || v > a->max)
			return cyl_errf(-EINVAL, err, errlen,
				    "argument \"%s\" of command \"%s\" must have %lld to %lld members",
				    a->name, cmd, a->min, a->max);
	}
	if (a->type == JSON_STRING) {
		v = json_string_length(val);
		/* A NUL inside would cut the string short in C. */
		if (v < a->min || v > a->max ||
		    strlen(json_string_value(val)) != (size_t)v)
			return cyl_errf(-EINVAL, err, errlen,
				    "argument \"%s\" of command \"%s\" must be %lld to %lld bytes without NUL",
				    a->name, cmd, a->min, a->max);
	}
	return 0;
}

/* Arguments must be in the command's table and valid; required ones present. */
static int check_args(const struct cyl_ctl_request *req, char *err,
		      size_t errlen)
{
	const struct cyl_ctl_arg *a;
	char q[CYL_QUOTE_SIZE];
	const char *key;
	json_t *val;
	int ret;

	json_object_foreach(req->obj, key, val) {
		if (!strcmp(key, "cmd"))
			continue;
		a = find_arg(req, key);
		if (!a)
			return cyl_errf(-EINVAL, err, errlen,
				    "unknown argument %s for command \"%s\"",
				    cyl_quote(q, sizeof(q), key, strlen(key)), req->desc->name);
		if ((ret = check_arg(req, a, val, err, errlen)) != 0)
			return ret;
	}
	for (a = req->desc->args; a && a->name; a++) {
		if (a->required && !json_object_get(req->obj, a->name))
			return cyl_errf(-EINVAL, err, errlen,
				    "command \"%s\" needs argument \"%s\"",
				    req->desc->name, a->name);
	}
	return 0;
}

int cyl_ctl_parse_request(const char *buf, size_t len,
			  struct cyl_ctl_request *req, char *err, size_t errlen)
{
	const char *nl, *name;
	char q[CYL_QUOTE_SIZE];
	json_error_t jerr;
	json_t *cmd;
	int ret;

	memset(req, 0, sizeof(*req));
	if (len > CYL_CTL_MAX_REQUEST)
		return cyl_errf(-EMSGSIZE, err, errlen,
			    "request is larger than %d bytes", CYL_CTL_MAX_REQUEST);
	nl = memchr(buf, '\n', len);
	if (!nl)
		return cyl_errf(-EBADMSG, err, errlen,
			    "request is not terminated by a newline");
	if (nl != buf + len - 1)
		return cyl_errf(-EBADMSG, err, errlen,
			    "unexpected data after the request line");

	req->obj = json_loadb(buf, nl - buf,
			      JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
	if (!req->obj)
		return cyl_errf(-EBADMSG, err, errlen, "request is not JSON: %s",
			    jerr.text);

	ret = cyl_errf(-EBADMSG, err, errlen, "request is not a JSON object");
	if (!json_is_object(req->obj))
		goto out;
	cmd = json_object_get(req->obj, "cmd");
	ret = cyl_errf(-EINVAL, err, errlen, "missing \"cmd\"");
	if (!cmd)
		goto out;
	ret = cyl_errf(-EINVAL, err, errlen, "\"cmd\" must be a string");
	if (!json_is_string(cmd))
		goto out;
	name = json_string_value(cmd);
	req->desc = cyl_ctl_cmd_find(name);
	ret = cyl_errf(-EINVAL, err, errlen, "unknown command %s",
		   cyl_quote(q, sizeof(q), name, strlen(name)));
	/* A NUL inside the string would hide a suffix from strcmp(). */
	if (!req->desc || strlen(name) != json_string_length(cmd))
		goto out;
	ret = check_args(req, err, errlen);
out:
	if (ret)
		cyl_ctl_request_free(req);
	else if (errlen)
		err[0] = '\0';
	return ret;
}

void cyl_ctl_request_free(struct cyl_ctl_request *req)
{
	json_decref(req->obj);
	memset(req, 0, sizeof(*req));
}

/* Compact JSON plus the terminating newline. */
static char *dump_line(json_t *obj, size_t *len)
{
	char *s, *line;
	size_t n;

	s = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!s)
		return NULL;
	n = strlen(s);
	line = realloc(s, n + 2);
	if (!line) {
		free(s);
		return NULL;
	}
	line[n] = '\n';
	line[n + 1] = '\0';
	if (len)
		*len = n + 1;
	return line;
}

char *cyl_ctl_reply_ok(json_t *body, size_t *len)
{
	char *line = NULL;
	json_t *reply;

	reply = json_pack("{s:b}", "ok", 1);
	if (!reply)
		goto out;
	if (body && json_object_update(reply, body))
		goto out;
	json_object_set_new(reply, "ok", json_true());
	line = dump_line(reply, len);
out:
	json_decref(reply);
	json_decref(body);
	return line;
}

char *cyl_ctl_reply_error(const char *msg, size_t *len)
{
	json_t *reply, *str;
	char *line;

	/* json_string() refuses invalid UTF-8; never send an empty reply. */
	str = json_string(msg);
	if (!str)
		str = json_string("invalid error message");
	reply = json_pack("{s:b,s:o}", "ok", 0, "error", str);
	if (!reply)
		return NULL;
	line = dump_line(reply, len);
	json_decref(reply);
	return line;
}

char *cyl_ctl_request_build(const char *cmd, size_t *len)
{
	json_t *req;
	char *line;

	req = json_pack("{s:s}", "cmd", cmd);
	if (!req)
		return NULL;
	line = dump_line(req, len);
	json_decref(req);
	return line;
}

char *cyl_ctl_request_dump(json_t *req, size_t *len)
{
	return dump_line(req, len);
}

int cyl_ctl_parse_reply(const char *buf, size_t len, json_t **reply,
			char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *obj, *ok, *msg;
	int ret;

	*reply = NULL;
	if (len > CYL_CTL_MAX_REPLY)
		return cyl_errf(-EMSGSIZE, err, errlen,
			    "reply is larger than %d bytes", CYL_CTL_MAX_REPLY);
	if (len && buf[len - 1] == '\n')
		len--;
	obj = json_loadb(buf, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES,
			 &jerr);
	if (!obj)
		return cyl_errf(-EBADMSG, err, errlen, "reply is not JSON: %s",
			    jerr.text);

	ok = json_object_get(obj, "ok");
	ret = cyl_errf(-EBADMSG, err, errlen, "reply has no boolean \"ok\"");
	if (!json_is_object(obj) || !json_is_boolean(ok))
		goto out;
	if (json_is_false(ok)) {
		msg = json_object_get(obj, "error");
		ret = cyl_errf(-EREMOTEIO, err, errlen, "%s",
			   json_is_string(msg) ? json_string_value(msg) :
						 "unspecified error");
		goto out;
	}
	*reply = obj;
	obj = NULL;
	if (errlen)
		err[0] = '\0';
	ret = 0;
out:
	json_decref(obj);
	return ret;
}
