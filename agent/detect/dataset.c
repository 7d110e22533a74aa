// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "detect/dataset.h"

void cyl_dataset_free(struct cyl_dataset *d)
{
	size_t i;

	if (!d)
		return;
	if (d->names)
		for (i = 0; i < d->cols; i++)
			free(d->names[i]);
	free(d->names);
	free(d->x);
	free(d->label);
	memset(d, 0, sizeof(*d));
}
