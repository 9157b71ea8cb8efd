#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Make a bzImage whose kernel is already decompressed.

Debian's bzImage carries vmlinux XZ-compressed; under Bochs (about 100
emulated MIPS) the decompressor alone takes most of a minute. This tool
decompresses it on the host and writes a bzImage that any boot loader
loads as usual: the original real-mode setup sectors with a patched header,
then fastkernel_stub.S, then the flat image of vmlinux's loadable segments.

  fastkernel.py /boot/vmlinuz-<kver> OUT

Needs python3 (lzma) and binutils (as, ld).
"""
import lzma
import os
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

# Offsets in the setup header (Documentation/x86/boot.rst).
HDR_SETUP_SECTS = 0x1f1
HDR_SYSSIZE = 0x1f4
HDR_MAGIC = 0x202
HDR_VERSION = 0x206
HDR_RELOCATABLE = 0x234
HDR_XLOADFLAGS = 0x236
HDR_PAYLOAD = 0x248
HDR_INIT_SIZE = 0x260
HDR_HANDOVER = 0x264
HDR_KERNEL_INFO = 0x268
PT_LOAD = 1


def load_segments(vmlinux):
    """Return (entry, [(paddr, file bytes, memsz)]) of an ELF64 vmlinux."""
    if vmlinux[:4] != b"\x7fELF" or vmlinux[4] != 2:
        sys.exit("fastkernel: the payload is not an ELF64 vmlinux")
    entry, phoff = struct.unpack_from("<QQ", vmlinux, 0x18)
    phentsize, phnum = struct.unpack_from("<HH", vmlinux, 0x36)
    segs = []
    for i in range(phnum):
        (ptype, _flags, off, _vaddr, paddr, filesz,
         memsz, _align) = struct.unpack_from("<IIQQQQQQ", vmlinux,
                                             phoff + i * phentsize)
        if ptype == PT_LOAD:
            segs.append((paddr, vmlinux[off:off + filesz], memsz))
    if not segs:
        sys.exit("fastkernel: vmlinux has no loadable segment")
    # vmlinux.lds makes the ELF entry the physical address of startup_64.
    return entry, segs


def flatten(segs):
    """Lay the segments out as one image; return (load, image, mem_len)."""
    load = min(s[0] for s in segs)
    mem_end = max(s[0] + s[2] for s in segs)
    img = bytearray(max(s[0] + len(s[1]) for s in segs) - load)
    for paddr, data, _memsz in segs:
        img[paddr - load:paddr - load + len(data)] = data
    # Trailing zeroes need not travel: the stub zeroes up to mem_end.
    img = bytes(img).rstrip(b"\0")
    img += b"\0" * (-len(img) % 4096)
    mem_len = mem_end - load
    mem_len += -mem_len % 4096
    return load, img, mem_len


def assemble_stub(load, img_len, mem_len, entry):
    with tempfile.TemporaryDirectory() as tmp:
        obj = os.path.join(tmp, "stub.o")
        raw = os.path.join(tmp, "stub.bin")
        subprocess.run(["as", "--64", "-o", obj,
                        "--defsym", "IMG_LEN=%d" % img_len,
                        "--defsym", "MEM_LEN=%d" % mem_len,
                        "--defsym", "LOAD=%d" % load,
                        "--defsym", "ENTRY=%d" % entry,
                        os.path.join(HERE, "fastkernel_stub.S")], check=True)
        subprocess.run(["ld", "-m", "elf_x86_64", "-Ttext", "0",
                        "-e", "stub_start", "--oformat", "binary", "-o", raw, obj], check=True)
        with open(raw, "rb") as f:
            stub = f.read()
    return stub + b"\0" * (-len(stub) % 4096)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip())
    src, dst = sys.argv[1], sys.argv[2]
    with open(src, "rb") as f:
        bz = f.read()
    if bz[HDR_MAGIC:HDR_MAGIC + 4] != b"HdrS":
        sys.exit("fastkernel: %s is not a bzImage" % src)
    version = struct.unpack_from("<H", bz, HDR_VERSION)[0]
    if version < 0x20c:
        sys.exit("fastkernel: boot protocol %#x is older than 2.12" % version)
    setup_len = ((bz[HDR_SETUP_SECTS] or 4) + 1) * 512
    pay_off, pay_len = struct.unpack_from("<II", bz, HDR_PAYLOAD)
    payload = bz[setup_len + pay_off:setup_len + pay_off + pay_len]
    if not payload.startswith(b"\xfd7zXZ\0"):
        sys.exit("fastkernel: the payload is not XZ-compressed")

    # The kernel appends the decompressed size after the XZ stream: read
    # one stream and ignore what follows.
    xz = lzma.LZMADecompressor(format=lzma.FORMAT_XZ)
    vmlinux = xz.decompress(payload)
    if not xz.eof:
        sys.exit("fastkernel: the XZ payload is truncated")
    entry, segs = load_segments(vmlinux)
    load, img, mem_len = flatten(segs)
    stub = assemble_stub(load, len(img), mem_len, entry)
    pm = stub + img
    pm += b"\0" * (-len(pm) % 16)

    setup = bytearray(bz[:setup_len])
    struct.pack_into("<I", setup, HDR_SYSSIZE, len(pm) // 16)
    # Not relocatable: the loader puts us at 1 MiB, where the stub expects.
    setup[HDR_RELOCATABLE] = 0
    # No 64-bit or EFI handover entry: only the 32-bit one exists now.
    struct.pack_into("<H", setup, HDR_XLOADFLAGS, 0)
    struct.pack_into("<II", setup, HDR_PAYLOAD, 0, 0)
    struct.pack_into("<I", setup, HDR_HANDOVER, 0)
    if version >= 0x20f:
        struct.pack_into("<I", setup, HDR_KERNEL_INFO, 0)
    # Memory needed from 1 MiB up: the moved image and its bss end highest.
    init_size = load + mem_len - 0x100000
    struct.pack_into("<I", setup, HDR_INIT_SIZE, init_size + (-init_size % 4096))

    with open(dst + ".tmp", "wb") as f:
        f.write(bytes(setup) + pm)
    os.replace(dst + ".tmp", dst)
    print("fastkernel: %s: %d KiB image at %#x, entry %#x, %d KiB in memory"
          % (dst, len(img) // 1024, load, entry, mem_len // 1024))


if __name__ == "__main__":
    main()
