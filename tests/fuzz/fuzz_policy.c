// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the policy parser: any input must give either a
 * policy or an error message, never a crash or a leak.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "policy/policy.c"
#include "util/file.c"
#include "util/quote.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cyl_policy_error err;
	struct cyl_policy policy;
	size_t i;

	if (cyl_policy_parse("fuzz.yaml", (const char *)data, size, &policy,
			     &err)) {
		/* Errors are always a terminated, non-empty message. */
		if (!err.text[0] || strnlen(err.text, sizeof(err.text)) == sizeof(err.text))
			__builtin_trap();
		return 0;
	}
	/* Whatever was accepted meets the documented constraints. */
	for (i = 0; i < policy.n_devices; i++) {
		if (!valid_name(policy.devices[i].name,
				strlen(policy.devices[i].name)) ||
		    !valid_tty(policy.devices[i].tty,
			       strlen(policy.devices[i].tty)))
			__builtin_trap();
	}
	cyl_policy_free(&policy);
	return 0;
}
