#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>

namespace vigil::connectors {

// A page of a Graph listing read in one pass with simdjson On-Demand: each record of "value" as an object to walk
// field by field, and the exact bytes it was received as. For high-volume listings (sign-ins), where building a DOM
// and scanning the page again for each record's bytes cost more than the normalizing. Stage 1 (finding the
// structure) is chosen for the CPU at run time. The page is copied once into a padded buffer that is reused.
class RecordStream {
public:
    // Calls on_record(simdjson::ondemand::object& record, std::string_view raw) for each record, in order; it
    // returns false to stop. Strings read from a record stay valid until the next page. False, with error set, when
    // the page is not a JSON object with a "value" array of objects, or is cut short.
    template <class OnRecord>
    bool read(std::string_view page, OnRecord&& on_record, std::string& error);

private:
    bool start(std::string_view page, simdjson::ondemand::array& values, std::string& error);
    static std::string_view trimmed(std::string_view raw);

    simdjson::ondemand::parser parser_;
    simdjson::ondemand::document document_;
    std::string buffer_;
};

template <class OnRecord>
bool RecordStream::read(std::string_view page, OnRecord&& on_record, std::string& error) {
    simdjson::ondemand::array values;
    if (!start(page, values, error)) return false;
    for (auto element : values) {
        simdjson::ondemand::object record;
        std::string_view raw;
        // raw_json() walks to the end of the record (cheap: stage 1 indexed it); reset() returns to its start.
        if (element.get_object().get(record) != simdjson::SUCCESS || record.raw_json().get(raw) != simdjson::SUCCESS ||
            record.reset().error() != simdjson::SUCCESS) {
            error = "a record of the page is not a well-formed JSON object";
            return false;
        }
        if (!on_record(record, trimmed(raw))) return true;
    }
    return true;
}

}  // namespace vigil::connectors
