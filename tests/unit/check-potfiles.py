#!/usr/bin/env python3
# Fails when a .c, .ui, .desktop.in or .metainfo.xml.in file with translatable strings is missing from
# po/POTFILES.in, or when POTFILES.in names a file that does not exist.
# Output: TAP.
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else '.')
listed = set()
for line in (root / 'po' / 'POTFILES.in').read_text(encoding='utf-8').splitlines():
    line = line.strip()
    if line and not line.startswith('#'):
        listed.add(line)

C_MARK = re.compile(r'(?<![A-Za-z0-9_])(_|N_|C_|NC_|Q_|g_dngettext|ngettext)\s*\(\s*"')
UI_MARK = re.compile(r'translatable\s*=\s*"(yes|true|1)"')
# Desktop files and AppStream metainfo: every one has a translatable name.
DESKTOP_MARK = re.compile(r'^(Name|GenericName|Comment|Keywords)=', re.M)
METAINFO_MARK = re.compile(r'<(name|summary|caption|p)>')

candidates = []
for pattern, mark in (('src/**/*.c', C_MARK), ('ui/**/*.ui', UI_MARK),
                      ('data/**/*.desktop.in', DESKTOP_MARK),
                      ('data/**/*.metainfo.xml.in', METAINFO_MARK)):
    for path in sorted(root.glob(pattern)):
        if mark.search(path.read_text(encoding='utf-8')):
            candidates.append(path.relative_to(root).as_posix())

checks = [(f'{path} is in POTFILES.in', path in listed) for path in candidates]
checks += [(f'POTFILES.in entry {path} exists', (root / path).is_file()) for path in sorted(listed)]

print(f'1..{len(checks)}')
failed = 0
for number, (what, ok) in enumerate(checks, 1):
    print(f'{"ok" if ok else "not ok"} {number} - {what}')
    failed += not ok
sys.exit(1 if failed else 0)
