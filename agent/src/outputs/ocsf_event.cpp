// The event record mapped to OCSF 1.1 (https://schema.ocsf.io/1.1.0). docs/formats.md has the table.
#include "outputs/event_format.hpp"
#include "util/json_writer.hpp"

#include "util/rfc3339.hpp"

#include <charconv>

namespace vigil {

namespace {

constexpr int kCategoryIam = 3;
constexpr int kOther = 99;

struct OcsfClass {
    int uid;
    std::string_view name;
    int activity_id;
    std::string_view activity_name;
};

// The class an event belongs to, and its activity, from the connector's action and object type.
OcsfClass class_of(const StoredEventView& event) {
    const std::string_view action = event.action;
    const bool added = action == "Added";
    const bool removed = action == "Removed";
    const bool modified = action == "Modified";
    if (is_logon(event)) return {3002, "Authentication", 1, "Logon"};
    if (event.object_type == "User") {
        if (added) return {3001, "Account Change", 1, "Create"};
        if (removed) return {3001, "Account Change", 6, "Delete"};
        return {3001, "Account Change", kOther, modified ? "Update" : action};
    }
    if (event.object_type == "Group") {
        if (added) return {3006, "Group Management", 6, "Create"};
        if (removed) return {3006, "Group Management", 5, "Delete"};
        return {3006, "Group Management", kOther, modified ? "Update" : action};
    }
    if (event.object_type == "Role") {
        if (added) return {3005, "User Access Management", 1, "Assign Privileges"};
        if (removed) return {3005, "User Access Management", 2, "Revoke Privileges"};
        return {3005, "User Access Management", kOther, modified ? "Update" : action};
    }
    if (added) return {3004, "Entity Management", 1, "Create"};
    if (removed) return {3004, "Entity Management", 4, "Delete"};
    if (modified) return {3004, "Entity Management", 3, "Update"};
    return {3004, "Entity Management", kOther, action};
}

void endpoint(JsonWriter& json, std::string_view key, const StoredEventView& event, const LogonFacts& facts) {
    const std::string_view ip = leading_ip(event.workstation);
    if (event.workstation.empty() && facts.country.empty()) return;
    json.begin_object(key);
    json.string("ip", ip);
    if (ip != event.workstation) json.string("name", event.workstation);
    if (!facts.country.empty() || !facts.city.empty()) {
        json.begin_object("location");
        json.string("country", facts.country);
        json.string("city", facts.city);
        json.end_object();
    }
    json.end_object();
}

void named(JsonWriter& json, std::string_view key, std::string_view name) {
    if (name.empty()) return;
    json.begin_object(key);
    json.string("name", name);
    json.end_object();
}

}  // namespace

void append_ocsf(std::string& out, const StoredEventView& event, const LogonFacts& facts) {
    const OcsfClass type = class_of(event);
    const bool failed = event.status == "failure";
    JsonWriter json(out);
    json.begin();
    json.integer("category_uid", kCategoryIam);
    json.string("category_name", "Identity & Access Management");
    json.integer("class_uid", type.uid);
    json.string("class_name", type.name);
    json.integer("activity_id", type.activity_id);
    json.string("activity_name", type.activity_name);
    json.integer("type_uid", type.uid * 100 + type.activity_id);
    thread_local std::string type_name;
    type_name.assign(type.name).append(": ").append(type.activity_name);
    json.string("type_name", type_name);
    json.integer("time", event.time_ms);
    thread_local std::string time;  // scratch, reused: no allocation per event once warm
    time.clear();
    append_rfc3339_ms(time, event.time_ms);
    json.string("time_dt", time);
    json.integer("severity_id", failed ? 2 : 1);
    json.string("severity", failed ? "Low" : "Informational");
    json.integer("status_id", failed ? 2 : 1);
    json.string("status", failed ? "Failure" : "Success");
    if (facts.has_error_code) {
        char code[24];
        const auto [end, ignored] = std::to_chars(code, code + sizeof(code), facts.error_code);
        json.string("status_code", std::string_view(code, static_cast<size_t>(end - code)));
    }
    json.string("status_detail", facts.failure_reason);
    thread_local std::string message;
    message.assign(event.action);
    if (!is_logon(event) && !event.object_type.empty()) message.append(" ").append(event.object_type);
    if (!event.what.empty()) message.append(": ").append(event.what);
    json.string("message", message);

    json.begin_object("metadata");
    json.string("version", "1.1.0");
    json.string("uid", event.id);
    json.string("log_name", event.connector);
    json.begin_object("product");
    json.string("name", "Vigil");
    json.string("vendor_name", "Vigil");
    json.end_object();
    json.end_object();

    json.begin_object("cloud");
    json.string("provider", "Azure");
    json.begin_object("account");
    json.string("uid", event.tenant_id);
    json.string("name", event.where);
    json.end_object();
    named(json, "org", event.organization);
    json.end_object();

    if (is_logon(event)) {
        named(json, "user", event.who);
        named(json, "service", facts.application);
        endpoint(json, "src_endpoint", event, facts);
    } else {
        if (!event.who.empty()) {
            json.begin_object("actor");
            named(json, "user", event.who);
            json.end_object();
        }
        endpoint(json, "src_endpoint", event, facts);
        switch (type.uid) {
            case 3001:
                named(json, "user", event.what);
                break;
            case 3006:
                named(json, "group", event.what);
                break;
            case 3005:
                if (!event.what.empty()) {
                    json.begin_array("privileges");
                    json.string_item(event.what);
                    json.end_array();
                }
                break;
            default:
                json.begin_object("entity");
                json.string("name", event.what);
                json.string("type", event.object_type);
                json.end_object();
        }
    }
    json.begin_object("unmapped");
    json.string("connector", event.connector);
    json.string("organization", event.organization);
    json.string("source_group", event.source_group);
    json.string("action", event.action);
    json.string("object_type", event.object_type);
    json.json("details", event.details_json);
    json.end_object();
    if (!event.raw_json.empty()) json.string("raw_data", event.raw_json);
    json.end();
}

}  // namespace vigil
