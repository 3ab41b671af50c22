#!/usr/bin/env python3
"""readme-update.py BINDIR FILE...: rewrite what each ```console example
of a README prints, by running it as tests/readme.sh does (in a scratch
folder with copies of examples/ and data/, BINDIR first on PATH).  For
the maintainer after a change of output; tests/readme.sh then checks it.
"""
import os, shutil, subprocess, sys, tempfile

def main():
    bindir = os.path.abspath(sys.argv[1])
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for path in sys.argv[2:]:
        work = tempfile.mkdtemp()
        for d in ('examples', 'data'):
            shutil.copytree(os.path.join(top, d), os.path.join(work, d))
        env = dict(os.environ, PATH=bindir + ':' + os.environ['PATH'],
                   KN_DATA=os.path.join(work, 'data'), LC_ALL='C.UTF-8',
                   TZ='UTC', COLUMNS='100')
        out, lines, i = [], open(path, encoding='utf-8').read().split('\n'), 0
        while i < len(lines):
            out.append(lines[i])
            if lines[i] != '```console':
                i += 1
                continue
            i += 1
            while i < len(lines) and not lines[i].startswith('```'):
                if not lines[i].startswith('$ '):
                    i += 1		# old output: dropped
                    continue
                cmd = [lines[i][2:]]
                out.append(lines[i])
                while cmd[-1].endswith('\\'):
                    i += 1
                    cmd.append(lines[i])
                    out.append(lines[i])
                i += 1
                r = subprocess.run(['sh', '-c', '\n'.join(cmd)], cwd=work,
                                   env=env, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT)
                text = r.stdout.decode('utf-8', 'replace')
                if text.endswith('\n'):
                    text = text[:-1]
                if text:
                    out.extend(text.split('\n'))
        open(path, 'w', encoding='utf-8').write('\n'.join(out))
        shutil.rmtree(work)

main()
