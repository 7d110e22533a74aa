/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The policy's "ssi" section (Documentation/policy.md): who may issue
 * which credential type, how verified claims become CP-ABE attributes,
 * the master key the gateway issues keys with, lifetimes and bounds,
 * where did:web documents and status lists are cached, and the optional
 * loopback HTTP listener.  Parsed on top of the schema walk
 * (policy/walk.h); no I/O: the master key file is the daemon's to read
 * (ssi/issue.h), into @msk.
 */
#ifndef CYL_POLICY_SSI_H
#define CYL_POLICY_SSI_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include <yaml.h>

#include "ssi/mapping.h"

struct cyl_yw;			/* policy/walk.h */
struct cyl_fame_msk;		/* abe/fame.h */

#define CYL_POLICY_SSI_TYPES_MAX	64	/* trusted_issuers entries */
#define CYL_POLICY_SSI_ISSUERS_MAX	64	/* DIDs of one type */
#define CYL_POLICY_SSI_MAP_MAX		256	/* mapping rows */
#define CYL_POLICY_SSI_NAME_MAX		128	/* a credential type, a claim name */
#define CYL_POLICY_SSI_DID_MAX		2048	/* an issuer's DID */
#define CYL_POLICY_SSI_DOMAIN_MAX	255
#define CYL_POLICY_SSI_PATH_MAX		4095

/* Seconds. */
#define CYL_POLICY_SSI_KEY_LIFETIME_DEFAULT	(8 * 3600)
#define CYL_POLICY_SSI_KEY_LIFETIME_MIN		60
#define CYL_POLICY_SSI_KEY_LIFETIME_MAX		(7 * 86400)
#define CYL_POLICY_SSI_CHALLENGE_TTL_DEFAULT	120
#define CYL_POLICY_SSI_CHALLENGE_TTL_MIN	10
#define CYL_POLICY_SSI_CHALLENGE_TTL_MAX	3600
#define CYL_POLICY_SSI_STATUS_AGE_DEFAULT	86400
#define CYL_POLICY_SSI_STATUS_AGE_MIN		60
#define CYL_POLICY_SSI_STATUS_AGE_MAX		(30 * 86400)

#define CYL_POLICY_SSI_DID_WEB_DEFAULT		"/var/lib/cylcomed/did-web"
#define CYL_POLICY_SSI_STATUS_DIR_DEFAULT	"/var/lib/cylcomed/status-lists"

/* One trusted_issuers entry: the DIDs that may issue credentials of @type. */
struct cyl_policy_ssi_issuers {
	char *type;
	size_t n;
	char **dids;
};

struct cyl_policy_ssi {
	bool set;			/* the policy has an "ssi" section */
	char *domain;			/* the presentations' proof domain */
	char *master_key;		/* absolute path of the armoured master key */
	unsigned int master_key_line, master_key_column;	/* of its value */
	size_t n_issuers;
	struct cyl_policy_ssi_issuers *issuers;
	size_t n_map;
	struct cyl_ssi_map_rule *map;
	unsigned int key_lifetime_s;
	unsigned int challenge_ttl_s;
	unsigned int status_max_age_s;
	char *did_web_cache;		/* directory */
	char *status_lists;		/* directory */
	bool http;			/* a loopback HTTP listener */
	struct sockaddr_storage http_addr;
	socklen_t http_addrlen;
	char http_text[64];		/* as written: "127.0.0.1:9465" */
	/*
	 * The decoded master key, NULL until the daemon loads it (policy
	 * load); cyl_policy_ssi_free() wipes it with the policy.
	 */
	struct cyl_fame_msk *msk;
};

/* Parse the section @node (named "ssi" in errors) into @out. */
int cyl_policy_ssi_parse(struct cyl_yw *c, yaml_node_t *node, struct cyl_policy_ssi *out);

/* Wipes the master key and frees the rest; @s is left empty. */
void cyl_policy_ssi_free(struct cyl_policy_ssi *s);

#endif /* CYL_POLICY_SSI_H */
