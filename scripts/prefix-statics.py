#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Keeps the naming rule of Documentation/internals.rst: every function,
static ones included, starts with kvmirq_ and its file's subsystem.

  scripts/prefix-statics.py --check
      lists the unprefixed static functions of kvmirq/ (KUnit suites
      excepted); exits 1 if there are any.
  scripts/prefix-statics.py FILE PREFIX [STRIP] [old=new ...]
      renames FILE's unprefixed statics to PREFIX + the name without a
      leading STRIP (or to the given new name), in FILE and the KUnit
      suite it includes; refuses a name that exists already.
  make -s checkpatch | scripts/prefix-statics.py --realign
      re-indents the continuation lines checkpatch reports as misaligned
      (what a longer name leaves behind).
"""
import glob
import os
import re
import sys

DEF_ONE_LINE = re.compile(r'^static\b[^;={(]*?\b([a-z_][a-z0-9_]*)\s*\(', re.M)
DEF_TWO_LINES = re.compile(r'^static\b[^;={(\n]*\n([a-z_][a-z0-9_]*)\(', re.M)


def statics(text):
    names = set(DEF_ONE_LINE.findall(text)) | set(DEF_TWO_LINES.findall(text))
    return sorted(n for n in names if not n.startswith('kvmirq_'))


def sources():
    return sorted(glob.glob('kvmirq/**/*.[ch]', recursive=True))


def check():
    bad = 0
    for path in sources():
        if '/tests/' in path:
            continue
        names = statics(open(path).read())
        if names:
            print('%s: %s' % (path, ' '.join(names)))
            bad += len(names)
    return 1 if bad else 0


def rename(path, prefix, args):
    new_of = dict(a.split('=', 1) for a in args if '=' in a)
    strips = [a for a in args if '=' not in a]
    text = open(path).read()
    files = [path] + [os.path.join(os.path.dirname(path), inc)
                      for inc in re.findall(r'#include "(tests/[^"]+)"', text)]
    tree = {p: open(p).read() for p in sources()}
    mapping = {}
    for old in statics(text):
        base = old
        for s in strips:
            if base.startswith(s):
                base = base[len(s):]
                break
        new = new_of.get(old, prefix + base)
        clash = [p for p, t in tree.items() if re.search(r'\b%s\b' % new, t)]
        if clash or new in mapping.values():
            sys.exit('%s -> %s: the name exists (%s); give old=new' %
                     (old, new, ' '.join(clash) or 'twice'))
        mapping[old] = new
    if not mapping:
        return 0
    # Not after '.', '->' or '/', nor before '.c'/'.h': members, paths.
    names = '|'.join(sorted(mapping, key=len, reverse=True))
    rx = re.compile(r'(?<![\w.>/])(%s)\b(?!\.[ch]\b)' % names)
    for f in files:
        t = open(f).read()
        open(f, 'w').write(rx.sub(lambda m: mapping[m.group(1)], t))
    for old, new in mapping.items():
        print(old, '->', new)
    print('check comments and strings by eye: an ordinary word may be a name')
    return 0


def column(s):
    c = 0
    for ch in s:
        c = (c // 8 + 1) * 8 if ch == '\t' else c + 1
    return c


def indent(n):
    return '\t' * (n // 8) + ' ' * (n % 8)


def open_paren_column(lines, i):
    depth = 0
    for j in range(i - 1, -1, -1):
        s = lines[j]
        for k in range(len(s) - 1, -1, -1):
            if s[k] == ')':
                depth += 1
            elif s[k] == '(':
                if depth == 0:
                    return column(s[:k + 1])
                depth -= 1
    return None


def realign():
    todo = {}
    for line in sys.stdin:
        m = re.match(r'(\S+?):(\d+): CHECK:PARENTHESIS_ALIGNMENT', line)
        if m:
            todo.setdefault(m.group(1), []).append(int(m.group(2)) - 1)
    for path, rows in todo.items():
        lines = open(path).read().split('\n')
        for i in rows:
            col = open_paren_column(lines, i)
            if col is not None:
                lines[i] = indent(col) + lines[i].lstrip()
        open(path, 'w').write('\n'.join(lines))
    return 0


def main():
    if sys.argv[1:] == ['--check']:
        return check()
    if sys.argv[1:] == ['--realign']:
        return realign()
    if len(sys.argv) >= 3 and not sys.argv[1].startswith('-'):
        return rename(sys.argv[1], sys.argv[2], sys.argv[3:])
    sys.exit(__doc__)


if __name__ == '__main__':
    sys.exit(main())
