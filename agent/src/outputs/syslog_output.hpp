#pragma once

#include <vigil/plugin.h>

namespace vigil {

// The built-in `syslog` output: each event as one RFC 5424 message over UDP, TCP (octet-counted) or TLS, its body
// the JSON event record or a CEF line. At least once: a batch cut short by a broken connection is sent again whole,
// and receivers de-duplicate by the event id (the record's id, CEF's externalId).
const vigil_plugin_descriptor* syslog_output_descriptor();

}  // namespace vigil
