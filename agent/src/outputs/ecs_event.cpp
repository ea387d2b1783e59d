// The event record mapped to the Elastic Common Schema 8 (https://www.elastic.co/guide/en/ecs/current/). The table
// is in docs/formats.md.
#include "outputs/event_format.hpp"
#include "util/json_writer.hpp"

#include "util/rfc3339.hpp"

#include <charconv>

namespace vigil {

namespace {

// event.type for a directory change: what happened, then to what kind of object.
void append_iam_types(JsonWriter& json, const StoredEventView& event) {
    json.begin_array("type");
    if (event.action == "Added")
        json.string_item("creation");
    else if (event.action == "Removed")
        json.string_item("deletion");
    else if (event.action == "Modified" || event.action == "Restored")
        json.string_item("change");
    else
        json.string_item("info");
    if (event.object_type == "User") json.string_item("user");
    if (event.object_type == "Group") json.string_item("group");
    if (event.object_type == "Role") json.string_item("admin");
    json.end_array();
}

}  // namespace

void append_ecs(std::string& out, const StoredEventView& event, const LogonFacts& facts) {
    const bool logon = is_logon(event);
    JsonWriter json(out);
    json.begin();
    thread_local std::string time;  // scratch, reused: no allocation per event once warm
    time.clear();
    append_rfc3339_ms(time, event.time_ms);
    json.string("@timestamp", time);
    thread_local std::string message;
    message.assign(event.action);
    if (!logon && !event.object_type.empty()) message.append(" ").append(event.object_type);
    if (!event.what.empty()) message.append(": ").append(event.what);
    json.string("message", message);

    json.begin_object("event");
    json.string("id", event.id);
    json.string("kind", "event");
    json.begin_array("category");
    json.string_item(logon ? "authentication" : "iam");
    json.end_array();
    if (logon) {
        json.begin_array("type");
        json.string_item("start");
        json.end_array();
    } else {
        append_iam_types(json, event);
    }
    json.string("action", event.action);
    json.string("outcome", event.status == "failure" ? "failure" : event.status == "success" ? "success" : "unknown");
    json.string("reason", facts.failure_reason);
    json.string("module", "vigil");
    thread_local std::string dataset;
    dataset.assign("vigil.").append(event.connector);
    json.string("dataset", dataset);
    if (!event.raw_json.empty()) json.string("original", event.raw_json);
    json.end_object();

    if (facts.has_error_code) {
        json.begin_object("error");
        char code[24];
        const auto [end, ignored] = std::to_chars(code, code + sizeof(code), facts.error_code);
        json.string("code", std::string_view(code, static_cast<size_t>(end - code)));
        json.end_object();
    }

    const std::string_view ip = leading_ip(event.workstation);
    if (!event.workstation.empty() || !facts.country.empty()) {
        json.begin_object("source");
        json.string("ip", ip);
        json.string("address", event.workstation);
        if (!facts.country.empty() || !facts.city.empty()) {
            json.begin_object("geo");
            json.string("country_iso_code", facts.country);
            json.string("city_name", facts.city);
            json.end_object();
        }
        json.end_object();
    }

    if (!event.who.empty() ||
        (!logon && !event.what.empty() && (event.object_type == "User" || event.object_type == "Group"))) {
        json.begin_object("user");
        json.string("name", event.who);
        if (!logon && !event.what.empty()) {
            if (event.object_type == "User") {
                json.begin_object("target");
                json.string("name", event.what);
                json.end_object();
            } else if (event.object_type == "Group") {
                json.begin_object("target");
                json.begin_object("group");
                json.string("name", event.what);
                json.end_object();
                json.end_object();
            }
        }
        json.end_object();
    }

    json.begin_object("cloud");
    json.string("provider", "azure");
    json.begin_object("account");
    json.string("id", event.tenant_id);
    json.string("name", event.where);
    json.end_object();
    json.end_object();

    if (!event.organization.empty()) {
        json.begin_object("organization");
        json.string("name", event.organization);
        json.end_object();
    }
    json.begin_object("observer");
    json.string("vendor", "Vigil");
    json.string("product", "Vigil");
    json.string("type", "audit collector");
    json.end_object();

    json.begin_object("vigil");
    json.string("connector", event.connector);
    json.string("source_group", event.source_group);
    json.string("object_type", event.object_type);
    json.string("what", event.what);
    json.string("application", facts.application);
    json.json("details", event.details_json);
    json.end_object();
    json.end();
}

}  // namespace vigil
