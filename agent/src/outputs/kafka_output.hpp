#pragma once

#include <vigil/plugin.h>

namespace vigil {

// The built-in `kafka` output: each event as one message (key: the event id, value: the record or its OCSF/ECS
// mapping) to a topic per connector, through librdkafka's idempotent producer. A batch is confirmed when every
// message's delivery report says the brokers have it (acks=all); otherwise it is sent again (at least once).
const vigil_plugin_descriptor* kafka_output_descriptor();

}  // namespace vigil
