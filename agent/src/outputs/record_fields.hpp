#pragma once

#include "store/event_record_reader.hpp"

#include <vigil/plugin.hpp>

#include <string>
#include <string_view>

namespace vigil {

// The fields of one record a built-in output received: the record's JSON read by reader, and the id, connector and
// time the host gives beside it. Views valid until reader's next read. Throws sdk::Error naming the event when the
// record is not one (the host serialized it itself, so only corrupt memory gets here).
inline void read_record_fields(EventRecordReader& reader, const vigil_record& record, StoredEventView& out,
                               std::string& reason) {
    out = {};
    const std::string_view id(record.id.data, record.id.size);
    if (!reader.read(std::string_view(record.json.data, record.json.size), out, reason))
        throw sdk::Error(VIGIL_ERR_INTERNAL, "event " + std::string(id) + " is not a valid record: " + reason);
    out.id = id;
    out.connector = std::string_view(record.connector.data, record.connector.size);
    out.time_ms = record.time_ms;
}

}  // namespace vigil
