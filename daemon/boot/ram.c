// SPDX-License-Identifier: GPL-2.0
/* Guest RAM helpers every loader uses: checked pointers, the E820 map. */
#include <stdarg.h>
#include <stdio.h>

#include "boot.h"
#include "devmodel.h"

#define GIB4 0x100000000ull

/**
 * hvd_ram_ptr() - the host address of guest-physical [@gpa, @gpa + @len)
 * @ram: guest RAM
 * @gpa: guest-physical address
 * @len: bytes, all of which must be RAM on one side of the PCI hole
 *
 * Return: the host pointer, or NULL if RAM does not back the whole range.
 */
void *hvd_ram_ptr(const struct hvd_ram *ram, uint64_t gpa, uint64_t len)
{
	uint64_t high = ram->size - ram->below_4g;

	if (gpa < ram->below_4g) {
		if (len > ram->below_4g - gpa)
			return NULL;
		return ram->host + gpa;
	}
	if (gpa < GIB4 || gpa - GIB4 >= high || len > high - (gpa - GIB4))
		return NULL;
	return ram->host + ram->below_4g + (gpa - GIB4);
}

/**
 * hvd_e820_map() - the memory map a PC's firmware would report
 * @ram: guest RAM
 * @out: HVD_E820_MAX entries
 *
 * RAM below the EBDA, the BIOS area (with the ACPI tables) reserved, RAM
 * from 1 MiB to the PCI hole, and RAM from 4 GiB.
 *
 * Return: entries written.
 */
unsigned int hvd_e820_map(const struct hvd_ram *ram, struct hvd_e820 *out)
{
	unsigned int n = 0;

	out[n++] = (struct hvd_e820){ 0, HVD_EBDA_START, HVD_E820_RAM };
	out[n++] = (struct hvd_e820){ HVD_EBDA_START,
				      HVD_HIGH_START - HVD_EBDA_START,
				      HVD_E820_RESERVED };
	if (ram->below_4g > HVD_HIGH_START)
		out[n++] = (struct hvd_e820){ HVD_HIGH_START,
					      ram->below_4g - HVD_HIGH_START,
					      HVD_E820_RAM };
	if (ram->size > ram->below_4g)
		out[n++] = (struct hvd_e820){ GIB4, ram->size - ram->below_4g,
					      HVD_E820_RAM };
	/* The IOAPIC and local APIC pages, as firmware reserves them. */
	out[n++] =
		(struct hvd_e820){ HVD_IOAPIC_BASE, 0x1000, HVD_E820_RESERVED };
	out[n++] =
		(struct hvd_e820){ HVD_LAPIC_BASE, 0x1000, HVD_E820_RESERVED };
	return n;
}

/**
 * hvd_ram_top_below() - the end of RAM below 4 GiB, capped
 * @ram: guest RAM
 * @limit: the highest address a user can reach, plus one
 *
 * Return: min(end of low RAM, @limit).
 */
uint64_t hvd_ram_top_below(const struct hvd_ram *ram, uint64_t limit)
{
	return ram->below_4g < limit ? ram->below_4g : limit;
}

/**
 * hvd_boot_err() - format a loader's message
 * @err: the buffer, or NULL
 * @len: its size
 * @fmt: printf format
 */
void hvd_boot_err(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!err || !len)
		return;
	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
}
