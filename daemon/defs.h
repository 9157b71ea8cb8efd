/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VM definitions: one human-editable file per VM, "key = value" lines,
 * '#' comments (hvd.conf(5) in the README documents the keys).
 */
#ifndef HVD_DEFS_H
#define HVD_DEFS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HVD_NAME_MAX		32	/* HV_VM_NAME_LEN with its NUL */
#define HVD_CMDLINE_LEN		4096
#define HVD_MAX_VCPUS		64
#define HVD_MIN_MEM		(16ull << 20)
#define HVD_MAX_MEM		(1ull << 40)
#define HVD_MAX_DISKS		8
#define HVD_SERIAL_ID_LEN	20	/* VIRTIO_BLK_ID_BYTES */

/**
 * enum hvd_serial - where COM1 goes
 * @HVD_SERIAL_STDIO: hvd's stdin and stdout (foreground runs)
 * @HVD_SERIAL_PTY: a pseudo-terminal (hvctl console attaches to it)
 * @HVD_SERIAL_FILE: appended to a file; no input
 * @HVD_SERIAL_NULL: discarded; no input
 */
enum hvd_serial {
	HVD_SERIAL_STDIO,
	HVD_SERIAL_PTY,
	HVD_SERIAL_FILE,
	HVD_SERIAL_NULL,
};

/**
 * enum hvd_on_reboot - what a guest reboot does
 * @HVD_REBOOT_RESTART: reset the VM and boot it again
 * @HVD_REBOOT_STOP: stop the VM (exit status 0 in the foreground)
 */
enum hvd_on_reboot {
	HVD_REBOOT_RESTART,
	HVD_REBOOT_STOP,
};

/**
 * enum hvd_net_vhost - who moves the virtio-net's packets (net = ...,vhost=)
 * @HVD_VHOST_AUTO: the kernel's vhost-net where /dev/vhost-net opens, else
 *	hvd's worker (the default)
 * @HVD_VHOST_ON: vhost-net, or the VM does not start
 * @HVD_VHOST_OFF: hvd's worker
 */
enum hvd_net_vhost {
	HVD_VHOST_AUTO,
	HVD_VHOST_ON,
	HVD_VHOST_OFF,
};

/**
 * struct hvd_disk - a virtio-blk disk of a definition
 * @path: its image (a regular file or a block device)
 * @readonly: the guest may not write it
 * @serial: its serial number, or "" (the device then reports none)
 * @direct: opened with O_DIRECT, past the host's page cache
 */
struct hvd_disk {
	char path[PATH_MAX];
	bool readonly;
	char serial[HVD_SERIAL_ID_LEN + 1];
	bool direct;
};

/**
 * struct hvd_def - a VM definition
 * @name: the VM's name (letters, digits, '-', '_', '.')
 * @kernel: path of the kernel (bzImage, PVH vmlinux or multiboot)
 * @initrd: path of the initrd, or ""
 * @cmdline: the kernel command line
 * @vcpus: processors
 * @mem: bytes of RAM
 * @serial: HVD_SERIAL_*
 * @serial_path: the file, for HVD_SERIAL_FILE
 * @on_reboot: HVD_REBOOT_*
 * @restart_on_crash: a crashed worker is started again
 * @autostart: hvd starts it when it starts
 * @disks: its disks, in PCI slot order
 * @nr_disks: entries of @disks
 * @rng: it has a virtio-rng device
 * @vconsole: its virtio-console: "" (none), "pty" or "file:PATH"
 * @tap: the tap device of its virtio-net, or "" (none)
 * @mac: its MAC address
 * @has_mac: @mac was given (otherwise one is made from the name)
 * @vhost: HVD_VHOST_*: whether vhost-net serves it
 * @sandbox: its worker confines itself (worker/sandbox.c)
 */
struct hvd_def {
	char name[HVD_NAME_MAX];
	char kernel[PATH_MAX];
	char initrd[PATH_MAX];
	char cmdline[HVD_CMDLINE_LEN];
	unsigned int vcpus;
	uint64_t mem;
	enum hvd_serial serial;
	char serial_path[PATH_MAX];
	enum hvd_on_reboot on_reboot;
	bool restart_on_crash;
	bool autostart;
	struct hvd_disk disks[HVD_MAX_DISKS];
	unsigned int nr_disks;
	bool rng;
	char vconsole[PATH_MAX + 8];
	char tap[16];
	uint8_t mac[6];
	bool has_mac;
	enum hvd_net_vhost vhost;
	bool sandbox;
};

void hvd_def_init(struct hvd_def *d);
int hvd_def_set(struct hvd_def *d, const char *key, const char *value,
		char *err, size_t errlen);
int hvd_def_parse(const char *text, struct hvd_def *d, char *err,
		  size_t errlen);
int hvd_def_check(const struct hvd_def *d, char *err, size_t errlen);
int hvd_def_load(const char *path, struct hvd_def *d, char *err,
		 size_t errlen);
int hvd_def_format(const struct hvd_def *d, char *buf, size_t len);
int hvd_parse_size(const char *s, uint64_t *out);
bool hvd_name_valid(const char *name);

#endif /* HVD_DEFS_H */
