#include "scenario.hpp"

#include "signin_filter.hpp"
#include "util/duration.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <stdexcept>

namespace vigil::emulator {

namespace {

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

}  // namespace

const Tenant* Scenario::find_tenant(const std::string& id_or_domain) const {
    const std::string wanted = lower(id_or_domain);
    for (const auto& tenant : tenants) {
        if (lower(tenant.id) == wanted || lower(tenant.domain) == wanted) return &tenant;
    }
    return nullptr;
}

Scenario Scenario::load(const std::string& path) {
    YAML::Node root;
    try {
        root = YAML::LoadFile(path);
    } catch (const YAML::Exception& failure) {
        throw std::runtime_error(path + ": " + failure.what());
    }
    const std::string base = std::filesystem::path(path).parent_path().string();
    Scenario scenario;
    if (root["token_lifetime"]) scenario.token_lifetime_s = root["token_lifetime"].as<int64_t>();
    if (root["token_valid_ms"]) scenario.token_valid_ms = root["token_valid_ms"].as<int64_t>();
    if (root["gzip"]) scenario.gzip = root["gzip"].as<bool>();
    for (const auto& node : root["tenants"]) {
        Tenant tenant;
        tenant.id = node["id"].as<std::string>();
        tenant.domain = node["domain"] ? node["domain"].as<std::string>() : "";
        tenant.premium = node["premium"] ? node["premium"].as<bool>() : true;
        for (const auto& app_node : node["applications"]) {
            Application app;
            app.client_id = app_node["client_id"].as<std::string>();
            if (app_node["secret"]) app.secret = app_node["secret"].as<std::string>();
            if (app_node["secret_expired"]) app.secret_expired = app_node["secret_expired"].as<bool>();
            if (app_node["certificate"]) {
                std::filesystem::path certificate = app_node["certificate"].as<std::string>();
                if (certificate.is_relative()) certificate = std::filesystem::path(base) / certificate;
                app.certificate_file = certificate.string();
            }
            if (app_node["permissions"]) {
                app.all_permissions = false;
                app.permissions = app_node["permissions"].as<std::vector<std::string>>();
            }
            tenant.applications.push_back(std::move(app));
        }
        if (const YAML::Node from = node["records_from"]) {
            // An instant (2026-01-01T00:00:00Z) or an offset from the emulator's start (-2h, +10m).
            const std::string text = from.as<std::string>();
            if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
                const auto offset = parse_duration_ms(text.substr(1));
                if (!offset) throw std::runtime_error(path + ": records_from: '" + text + "' is not like -2h or +10m");
                tenant.records_from_offset_ms = text[0] == '-' ? -*offset : *offset;
            } else {
                const auto instant = parse_utc_ms(text);
                if (!instant) throw std::runtime_error(path + ": records_from: '" + text + "' is not a UTC time");
                tenant.records_from_ms = *instant;
            }
        }
        if (node["audit_records"]) tenant.audit_records = node["audit_records"].as<int>();
        if (node["signin_records"]) tenant.signin_records = node["signin_records"].as<int>();
        if (node["late_every"]) tenant.late_every = node["late_every"].as<int>();
        if (node["late_by_ms"]) tenant.late_by_ms = node["late_by_ms"].as<int64_t>();
        if (node["duplicate_every"]) tenant.duplicate_every = node["duplicate_every"].as<int>();
        if (node["link_ttl_ms"]) tenant.link_ttl_ms = node["link_ttl_ms"].as<int64_t>();
        if (const YAML::Node directory = node["directory"]) {
            if (directory["users"]) tenant.directory.users = directory["users"].as<int>();
            if (directory["groups"]) tenant.directory.groups = directory["groups"].as<int>();
            if (directory["applications"]) tenant.directory.applications = directory["applications"].as<int>();
            if (directory["groups_per_user"]) tenant.directory.groups_per_user = directory["groups_per_user"].as<int>();
        }
        if (node["delta_ttl_ms"]) tenant.delta_ttl_ms = node["delta_ttl_ms"].as<int64_t>();
        if (const YAML::Node limits = node["limits"]) {
            if (limits["report_requests"]) tenant.limits.report_requests = limits["report_requests"].as<int>();
            if (limits["resource_units"]) tenant.limits.resource_units = limits["resource_units"].as<int>();
            if (limits["window_ms"]) tenant.limits.window_ms = limits["window_ms"].as<int64_t>();
        }
        if (const YAML::Node faults = node["faults"]) {
            if (faults["throttle_every"]) tenant.faults.throttle_every = faults["throttle_every"].as<int>();
            if (faults["retry_after"]) tenant.faults.retry_after = faults["retry_after"].as<std::string>();
            if (faults["unavailable_every"]) tenant.faults.unavailable_every = faults["unavailable_every"].as<int>();
            if (faults["malformed_every"]) tenant.faults.malformed_every = faults["malformed_every"].as<int>();
            if (faults["reset_every"]) tenant.faults.reset_every = faults["reset_every"].as<int>();
            if (faults["drop_every"]) tenant.faults.drop_every = faults["drop_every"].as<int>();
        }
        scenario.tenants.push_back(std::move(tenant));
    }
    return scenario;
}

}  // namespace vigil::emulator
