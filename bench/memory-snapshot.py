#!/usr/bin/env python3
"""Resident memory of every process of a running ParPlatform, grouped by what it is.

Usage: python3 bench/memory-snapshot.py [--match TEXT ...] [--watch SECONDS --every SECONDS]
--match TEXT (repeatable) counts only processes whose command line or environment contains one of the texts (the
checkout's path, a benchmark's run folder), so a second platform on the machine is not mixed in.
RSS counts shared pages in every process that maps them; PSS divides them among the sharers, so PSS sums to the
machine's real use. PostgreSQL and RabbitMQ are summed over their processes (backends, Erlang VM, epmd).
With --watch it samples every --every seconds and prints first, last and peak per group (to show growth over a run).
"""
import os, re, sys, time

MATCH = [sys.argv[i + 1].encode() for i, arg in enumerate(sys.argv) if arg == '--match']

def matches(pid):
    try:
        text = open(f'/proc/{pid}/cmdline', 'rb').read() + open(f'/proc/{pid}/environ', 'rb').read()
    except OSError:
        return False
    return any(m in text for m in MATCH)

def parent_of(pid):
    try:
        stat = open(f'/proc/{pid}/stat').read()
        return stat[stat.rindex(')') + 2:].split(' ')[1]
    except (OSError, ValueError, IndexError):
        return '0'

def selected():
    """Every process, or those matching --match and their descendants (PostgreSQL's backends, Erlang's helpers)."""
    pids = list(filter(str.isdigit, os.listdir('/proc')))
    if not MATCH:
        return pids
    parents = {pid: parent_of(pid) for pid in pids}
    chosen = {pid for pid in pids if matches(pid)}
    grew = True
    while grew:
        more = {pid for pid in pids if pid not in chosen and parents[pid] in chosen}
        chosen |= more
        grew = bool(more)
    return [pid for pid in pids if pid in chosen]

def groups():
    found = {}
    for pid in selected():
        try:
            cmd = open(f'/proc/{pid}/cmdline', 'rb').read().split(b'\0')
            rollup = open(f'/proc/{pid}/smaps_rollup').read()
        except OSError:
            continue
        args = [a.decode(errors='replace') for a in cmd if a]
        if not args:
            continue
        line = ' '.join(args)
        exe = os.path.basename(args[0])
        name = None
        if exe.startswith('ParPlatform.') and exe != 'ParPlatform.AppHost':
            name = exe[len('ParPlatform.'):]                      # a service, the gateway or the console
        elif 'ParPlatform.AppHost' in line and exe == 'dotnet' and ' run ' not in f' {line} ':
            name = 'AppHost'
        elif exe == 'dotnet' and ' run ' in f' {line} ' and '--project' in line:
            name = 'dotnet run wrappers (Aspire starts projects so)'
        elif exe == 'postgres' or line.startswith('postgres: '):
            name = 'postgresql (all processes)'
        elif exe in ('beam.smp', 'erl_child_setup', 'epmd', 'inet_gethost'):
            name = 'rabbitmq (all processes)'
        elif exe == 'dcp':
            name = 'aspire dcp (api server, controllers, monitors)'
        elif exe == 'Aspire.Dashboard':
            name = 'aspire dashboard'
        if name is None:
            continue
        rss = int(re.search(r'^Rss:\s+(\d+)', rollup, re.M).group(1))
        pss = int(re.search(r'^Pss:\s+(\d+)', rollup, re.M).group(1))
        survey_mode = ''
        try:
            env = open(f'/proc/{pid}/environ', 'rb').read().split(b'\0')
            for e in env:
                if e.startswith(b'Survey__Mode='):
                    survey_mode = ' (' + e.split(b'=', 1)[1].decode() + ')'
        except OSError:
            pass
        key = name + (survey_mode if name == 'Survey' else '')
        count, r, p = found.get(key, (0, 0, 0))
        found[key] = (count + 1, r + rss, p + pss)
    return found

def main():
    if '--watch' in sys.argv:
        total = float(sys.argv[sys.argv.index('--watch') + 1])
        every = float(sys.argv[sys.argv.index('--every') + 1]) if '--every' in sys.argv else 10
        samples = []
        end = time.time() + total
        while time.time() < end:
            samples.append(groups()); time.sleep(every)
        # The value at each quarter of the run as well: a plateau (bounded) reads differently from a steady climb.
        print(f'{"process":40} {"first":>7} {"1/4":>7} {"1/2":>7} {"3/4":>7} {"last":>7} {"peak":>7}  PSS MB')
        for key in sorted(samples[-1]):
            series = [s[key][2] / 1024 for s in samples if key in s]
            at = lambda share: series[min(len(series) - 1, int(share * len(series)))]
            print(f'{key:40} {series[0]:7.0f} {at(0.25):7.0f} {at(0.5):7.0f} {at(0.75):7.0f} {series[-1]:7.0f} {max(series):7.0f}')
        return
    found = groups()
    print(f'{"process":40} {"count":>5} {"RSS MB":>8} {"PSS MB":>8}')
    for key in sorted(found):
        count, rss, pss = found[key]
        print(f'{key:40} {count:5} {rss/1024:8.0f} {pss/1024:8.0f}')
    print(f'{"total":40} {sum(v[0] for v in found.values()):5} {sum(v[1] for v in found.values())/1024:8.0f} {sum(v[2] for v in found.values())/1024:8.0f}')

main()
