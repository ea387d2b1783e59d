#!/usr/bin/env python3
"""Prints what the demo collected: events per organization and connector, and a few samples.
Standard library only. (The reports of issue #8 replace this.)"""
import collections
import json
import sys

path = sys.argv[1]
counts = collections.Counter()
samples = {}
actions = collections.defaultdict(collections.Counter)
with open(path, encoding="utf-8") as events:
    for line in events:
        event = json.loads(line)
        key = (event["organization"], event.get("source_group", ""), event["connector"])
        counts[key] += 1
        actions[key][event["action"]] += 1
        samples.setdefault(key, event)

print(f"{'ORGANIZATION':<16} {'SOURCE GROUP':<14} {'CONNECTOR':<16} {'EVENTS':>7}  ACTIONS")
for key in sorted(counts):
    top = ", ".join(f"{name} {n}" for name, n in actions[key].most_common(4))
    print(f"{key[0]:<16} {key[1]:<14} {key[2]:<16} {counts[key]:>7}  {top}")
print()
for key in sorted(samples):
    event = samples[key]
    where = f"{key[0]} / {key[1]} / {key[2]}"
    if event["connector"] == "entra_logons":
        print(f"{where}: {event['time']}  {event['action']} of {event['who'] or '-'} to '{event['what']}' "
              f"from {event['workstation'] or '-'}")
    else:
        print(f"{where}: {event['time']}  {event['action']} {event['object_type']} '{event['what']}' "
              f"by {event['who'] or '-'} from {event['workstation'] or '-'} ({event['status']})")
    details = json.dumps(event.get("details"), ensure_ascii=False)
    print(f"    details: {details[:150]}{'...' if len(details) > 150 else ''}")
