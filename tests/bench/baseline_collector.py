#!/usr/bin/env python3
"""The baseline the collection benchmark compares Vigil with: what a short script does to export sign-ins.
Standard library only: a client-credentials token, then GET every page of signIns (following @odata.nextLink),
each record written as a JSON line; one fsync at the end.

    baseline_collector.py URL CA_FILE TENANT CLIENT_ID SECRET OUT_FILE
"""
import json
import os
import ssl
import sys
import urllib.parse
import urllib.request

url, ca_file, tenant, client_id, secret, out_path = sys.argv[1:7]
context = ssl.create_default_context(cafile=ca_file)

form = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": client_id,
                               "client_secret": secret, "scope": "https://graph.microsoft.com/.default"})
with urllib.request.urlopen(f"{url}/{tenant}/oauth2/v2.0/token", form.encode(), context=context) as response:
    token = json.load(response)["access_token"]

query = urllib.parse.quote("signInEventTypes/any(t: t eq 'interactiveUser' or t eq 'nonInteractiveUser' or "
                           "t eq 'servicePrincipal' or t eq 'managedIdentity')")
next_url = f"{url}/beta/auditLogs/signIns?$top=1000&$filter={query}"
records = 0
with open(out_path, "w", encoding="utf-8") as out:
    while next_url:
        request = urllib.request.Request(next_url, headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, context=context) as response:
            page = json.load(response)
        for record in page["value"]:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            records += 1
        next_url = page.get("@odata.nextLink")
    out.flush()
    os.fsync(out.fileno())
print(records)
