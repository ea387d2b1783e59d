#pragma once

#include "directory_model.hpp"

#include <vigil/plugin.hpp>

#include <simdjson.h>

#include <string>
#include <utility>
#include <vector>

namespace vigil::connectors {

// The deltaLinks a snapshot ends with, kept by the host with the snapshot (its sync cursor). Empty: read in full.
struct SyncCursor {
    std::string users;
    std::string groups;

    static SyncCursor parse(std::string_view text);  // anything unreadable is an empty cursor: a full sync
    std::string text() const;
};

// Reads one tenant's directory into the host's state store (and the model the risk metrics read), part by part.
// Users and groups (with their memberships) go by delta rounds from the cursor's links, or in full when there is
// none or Graph says the token expired (410 syncStateNotFound, resyncRequired); the rest is read in full each time
// and its kind completed, so what disappeared is removed. A part that cannot be read for a missing permission or
// licence is recorded in the model as unread (its metrics become unknown) and keeps its stored state; users and
// groups are essential: their failure throws sdk::Error and the snapshot is abandoned.
class DirectorySync {
public:
    DirectorySync(sdk::Host host, DirectoryModel& model) : host_(host), model_(model) {}

    // Reads the tenant's verified domains; returns the default one ("" when unreadable). Before the snapshot opens:
    // the default domain names its events.
    std::string read_domains();
    // Stores what read_domains() found (kind "domain"), inside the snapshot.
    void store_domains();
    void users(std::string& delta_link);
    void service_principals();
    void groups(std::string& delta_link);
    void roles();
    void applications();
    void mfa_registrations();
    void sign_in_activity();

private:
    void put(std::string_view kind, std::string_view id, std::string_view object_type, std::string_view name,
             std::string_view json) const;
    void remove(std::string_view kind, std::string_view id) const;
    void complete(std::string_view kind) const;
    // Loads a kind's stored objects into the model before a delta round; returns how many.
    int64_t load_users();
    int64_t load_groups();
    bool read_users(const std::string& path, std::string& delta_link, int64_t expected);
    bool read_groups(const std::string& path, std::string& delta_link, int64_t expected);
    [[noreturn]] void fail(vigil_status status, const std::string& error) const;
    // After reading a part the snapshot can do without: true when it was read. Otherwise (a stopping host throws)
    // the reason goes to unread, for the metrics that need the part, and to the log. The model is a run's own, so
    // an unread part is simply never set.
    bool part_read(vigil_status status, const std::string& error, const std::string& what, Unread& unread,
                   const char* hint = "") const;
    void skipped(const char* what, simdjson::dom::element record) const;

    sdk::Host host_;
    DirectoryModel& model_;
    std::vector<std::pair<std::string, std::string>> domains_;  // name, state
    bool domains_read_ = false;
};

}  // namespace vigil::connectors
