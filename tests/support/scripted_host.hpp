#pragma once
// A host for testing connector code without an agent: Graph answers come from a script, emitted events and commits
// are recorded. Driven through the real C host table, as a plugin sees it.

#include "plugins/host_context.hpp"

#include <vigil/plugin.hpp>

#include <deque>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace vigil::test {

class ScriptedHost final : public vigil_host_ctx {
public:
    sdk::Host host() { return sdk::Host(host_table(), this); }

    // Answers, in order, the graph_get calls whose path starts with prefix: these pages, then success...
    void answer(const std::string& prefix, std::vector<std::string> pages) {
        answers_.push_back({prefix, Answer{std::move(pages), VIGIL_OK, {}}});
    }
    // ... or these pages, then a failure with this status and error text.
    void fail(const std::string& prefix, vigil_status status, std::string error, std::vector<std::string> pages = {}) {
        answers_.push_back({prefix, Answer{std::move(pages), status, std::move(error)}});
    }
    // What emit() returns for the event with this id.
    void refuse(const std::string& id, vigil_status status) { refusals_.push_back({id, status}); }

    void log(vigil_log_level level, const char* message) override {
        logged.push_back(std::to_string(static_cast<int>(level)) + " " + message);
    }
    int64_t now_ms() override { return now; }
    bool cancelled() override { return false; }
    vigil_status emit(const vigil_event* event) override;
    vigil_status commit(vigil_str checkpoint) override;
    vigil_status checkpoint(vigil_str* out) override {
        *out = vigil_str{stored_checkpoint.data(), stored_checkpoint.size()};
        return VIGIL_OK;
    }
    vigil_status graph_get(const char* path_or_url, vigil_graph_page_fn on_page, void* user_data, char* error,
                           size_t error_capacity) override;

    // The state store, in memory: the current objects, and each call in order ("put user/u1", "complete user").
    vigil_status state_begin(const vigil_state_snapshot* snapshot) override;
    vigil_status state_put(const vigil_state_object* object) override;
    vigil_status state_remove(vigil_str kind, vigil_str id) override;
    vigil_status state_complete_kind(vigil_str kind) override;
    vigil_status state_finish(vigil_str cursor) override;
    vigil_status state_cursor(vigil_str* out) override;
    vigil_status state_read(vigil_str kind, vigil_state_object_fn fn, void* user_data) override;

    bool logged_containing(const std::string& text) const;
    // The ids of a kind's current objects, sorted.
    std::vector<std::string> state_ids(const std::string& kind) const;

    int64_t now = 0;
    std::string stored_checkpoint;
    std::vector<std::string> requests;        // every graph_get, in order
    std::vector<std::string> emitted_ids;     // accepted events, in order
    std::vector<std::string> emitted_wheres;  // their `where`
    std::vector<std::string> commits;         // every commit's checkpoint ("" for a page)
    std::vector<std::string> logged;          // "LEVEL message"
    struct StoredObject {
        std::string object_type, name, json;
    };
    std::map<std::string, std::map<std::string, StoredObject>> state;  // kind -> id -> object
    std::vector<std::string> state_calls;
    std::string state_where;
    std::string cursor;  // the last finished snapshot's

private:
    // One answer to a graph_get: the pages it hands over, then the status it ends with (and its error text).
    struct Answer {
        std::vector<std::string> pages;
        vigil_status status = VIGIL_OK;
        std::string error;
    };
    struct Scripted {
        std::string prefix;
        Answer answer;
    };
    std::deque<Scripted> answers_;
    std::map<std::string, std::set<std::string>> seen_;  // put in the open snapshot, by kind
    bool open_ = false;
    std::vector<std::pair<std::string, vigil_status>> refusals_;
};

}  // namespace vigil::test
