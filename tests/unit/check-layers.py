#!/usr/bin/env python3
"""The layers of docs/ARCHITECTURE.md, checked on the sources (TAP).

- src/core includes no GTK, libadwaita or poppler header;
- src/app and src/cli include no private header of the core (the build
  does not give them the core's folders, so this only names the culprit);
- src/app does not include ck-export-full.h (whole ID numbers in exports
  are consentctl's alone);
- only the store's own files include ck-store-impl-private.h;
- no source cites the project's first design note (outside the repository):
  docs/ARCHITECTURE.md is the one to cite.

Usage: check-layers.py SOURCE_ROOT
"""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
include = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', re.M)


def sources(folder):
    return sorted(p for p in (root / folder).rglob('*') if p.suffix in ('.c', '.h'))


def includes(path):
    return include.findall(path.read_text(encoding='utf-8'))


checks = []


def check(name, offenders):
    checks.append((name, offenders))


check('src/core includes no GTK, libadwaita or poppler header',
      [f'{p.relative_to(root)}: {h}' for p in sources('src/core') for h in includes(p)
       if h.startswith(('gtk/', 'adwaita', 'poppler', 'gdk/'))])

check('src/app and src/cli include no private header of the core',
      [f'{p.relative_to(root)}: {h}' for folder in ('src/app', 'src/cli') for p in sources(folder)
       for h in includes(p) if h.startswith('ck-') and h.endswith('-private.h')])

check('src/app does not include ck-export-full.h',
      [f'{p.relative_to(root)}' for p in sources('src/app') if 'ck-export-full.h' in includes(p)])

check('only the store includes ck-store-impl-private.h',
      [f'{p.relative_to(root)}' for folder in ('src', 'tests', 'bench') for p in sources(folder)
       if 'ck-store-impl-private.h' in includes(p)
       and not (p.parent == root / 'src/core/store' and p.name.startswith('ck-store'))])

OLD_NOTE = 'design' + '.md'   # spelt apart, so that this file does not cite it either
check('no source cites the first design note, only docs/ARCHITECTURE.md',
      [f'{p.relative_to(root)}' for folder in ('src', 'tests', 'bench') for p in sources(folder)
       if OLD_NOTE in p.read_text(encoding='utf-8')])

print(f'1..{len(checks)}')
status = 0
for n, (name, offenders) in enumerate(checks, 1):
    if offenders:
        status = 1
        print(f'not ok {n} - {name}')
        for o in offenders:
            print(f'# {o}')
    else:
        print(f'ok {n} - {name}')
sys.exit(status)
