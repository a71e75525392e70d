#!/usr/bin/env python3
"""What takes the space in a cdylib built with symbols (bloaty/cargo-bloat style).

usage: sizes.py UNSTRIPPED.so [STRIPPED.so]
Prints the section sizes of the file, then the code+data symbols grouped by crate
(first path segment of the demangled Rust name; C symbols such as sqlite3_* go
to 'sqlite (C)'), largest first, and the 15 largest functions.
"""
import collections
import re
import subprocess
import sys

so = sys.argv[1]
stripped = sys.argv[2] if len(sys.argv) > 2 else None


def run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def kb(n):
    return f"{n / 1024:8.1f} KiB"


print(f"file: {so}")
if stripped:
    import os
    print(f"stripped file: {stripped}: {os.path.getsize(stripped)} bytes ({os.path.getsize(stripped) / 1e6:.2f} MB)")
print("\nsections (size -A):")
sections = {}
for line in run("size", "-A", so).splitlines()[2:]:
    parts = line.split()
    if len(parts) >= 2 and parts[1].isdigit():
        sections[parts[0]] = int(parts[1])
total_alloc = 0
for name in (".text", ".rodata", ".eh_frame", ".eh_frame_hdr", ".gcc_except_table", ".data.rel.ro",
             ".dynsym", ".dynstr", ".rela.dyn", ".data", ".bss", ".gnu.hash"):
    if name in sections:
        print(f"  {name:20} {kb(sections[name])}")

crate_of = collections.Counter()
biggest = []
sym_re = re.compile(r"^([0-9a-f]+) ([0-9a-f]+) (\w) (.*)$")
for line in run("nm", "-S", "--size-sort", "-C", so).splitlines():
    m = sym_re.match(line)
    if not m:
        continue
    size, kind, name = int(m.group(2), 16), m.group(3), m.group(4)
    if kind.lower() in "bv":  # bss / weak objects without file bytes
        continue
    n = name.lstrip("<&*_ ")
    n = re.sub(r"^(dyn |impl |mut |const )", "", n)
    if n.startswith("UNIFFI_META") or n.startswith("uniffi_") or n.startswith("ffi_rehab_core"):
        crate = "uniffi exports/metadata (rehab_core)"
    elif "::" in n:
        crate = n.split("::", 1)[0]
    elif n.startswith("sqlite3") or re.match(r"^[a-z][A-Za-z0-9]*$", n):
        crate = "sqlite (C) and other C"
    else:
        crate = "other"
    crate_of[crate] += size
    if kind.lower() == "t":
        biggest.append((size, name))

total = sum(crate_of.values())
print(f"\nsymbols by crate (sum {kb(total)} of .text+.rodata+.data symbols; eh_frame/relocations not included):")
for crate, size in crate_of.most_common(20):
    print(f"  {crate[:40]:40} {kb(size)}  {100 * size / total:5.1f}%")
print("\nlargest functions:")
for size, name in sorted(biggest, reverse=True)[:15]:
    print(f"  {kb(size)}  {name[:110]}")
