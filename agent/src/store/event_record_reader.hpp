#pragma once

#include "store/event_store.hpp"

#include <simdjson.h>

#include <string>
#include <string_view>

namespace vigil {

// Reads the fields the store indexes out of one serialized event record (contract section 4). The parser and its
// padded buffer are reused from record to record: no allocation per event once warm. The views it fills point
// into the reader (strings, unescaped: valid until the next read()) or into `record` itself (details and raw, as
// JSON text).
class EventRecordReader {
public:
    // Fills out from record; false (with reason set) when the record is not a JSON object with string fields.
    // id, connector and time_ms come from the spool, not from here.
    bool read(std::string_view record, StoredEventView& out, std::string& reason);

private:
    simdjson::ondemand::parser parser_;
    simdjson::padded_string buffer_;
    size_t capacity_ = 0;
};

}  // namespace vigil
