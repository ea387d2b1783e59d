#pragma once

#include "util/sqlite.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace vigil {

// One object as the store holds it; views valid during the callback that receives it.
struct StateObjectView {
    std::string_view kind;
    std::string_view id;
    std::string_view object_type;
    std::string_view name;
    std::string_view json;
};

// What one snapshot changed against the one before: an object added or removed, or one property of an object
// modified. Values are JSON text: the whole object for added and removed, the property's value for modified
// ("null" when the property is new or gone).
struct StateChange {
    enum class Action { added, removed, modified };
    Action action = Action::added;
    std::string kind;
    std::string id;
    std::string object_type;
    std::string name;
    std::string property;  // modified only
    std::string old_json;  // removed, modified
    std::string new_json;  // added, modified
};

// Where a source's history is and whose it is.
struct StateSource {
    std::string organization;
    std::string source_group;
    std::string tenant_id;
};

// One source's directory history, in its own SQLite file (data_dir/state/...): a source's long snapshot
// transaction never holds up another's. Each object has versions, each current over [valid_from, valid_to) in
// snapshot time (valid_to NULL: still current), so the state at any snapshot is one indexed query and an object
// that did not change costs nothing per snapshot.
//
// Writing is one snapshot at a time: begin(), put/remove/complete_kind as the connector reads, finish() commits
// the whole snapshot with the connector's sync cursor in one transaction (abandon(), or destruction, rolls it
// back). Not thread-safe: one job writes a source's store; readers open their own (read_only).
class StateStore {
public:
    StateStore(const std::string& path, const StateSource& source, bool read_only);
    ~StateStore();
    StateStore(const StateStore&) = delete;
    StateStore& operator=(const StateStore&) = delete;

    // The file of a source's store under data_dir (created with its folder when missing).
    static std::string path_for(const std::string& data_dir, const StateSource& source);
    // Every store under data_dir, for reports.
    static std::vector<std::string> all_paths(const std::string& data_dir);

    const StateSource& source() const { return source_; }

    // ---- writing ----
    // Throws std::runtime_error when taken_ms is not after the last finished snapshot.
    void begin(int64_t taken_ms, std::string_view where);
    void put(const StateObjectView& object);
    void remove(std::string_view kind, std::string_view id);
    void complete_kind(std::string_view kind);
    void finish(std::string_view cursor);
    void abandon();
    bool in_snapshot() const { return snapshot_ms_ != 0; }

    // ---- reading (finished snapshots only) ----
    std::string cursor();
    std::vector<int64_t> snapshots();                  // ascending
    std::optional<int64_t> snapshot_at(int64_t t_ms);  // the last one taken at or before t_ms
    std::string where_of(int64_t snapshot_ms);
    // The objects current at a snapshot, of one kind (empty: every kind), by kind then name (or, by_name false, in
    // the store's order, faster); fn returns false to stop.
    void read_at(int64_t snapshot_ms, std::string_view kind, const std::function<bool(const StateObjectView&)>& fn,
                 bool by_name = true);
    // What the snapshot changed against the one before, property by property. Nothing for the first snapshot.
    void changes(int64_t snapshot_ms, const std::function<void(const StateChange&)>& fn);

    // Forgets snapshots taken before cutoff_ms and the versions only they saw; the state at the oldest snapshot
    // kept stays whole.
    void prune(int64_t cutoff_ms);

private:
    // What an unchanged put left: its key, remembered in memory rather than written (a snapshot that reads 100 k
    // unchanged objects writes nothing for them), for complete_kind() to tell what was not seen.
    struct SeenKey {
        uint64_t a, b;
        bool operator==(const SeenKey&) const = default;
    };
    struct SeenHash {
        size_t operator()(const SeenKey& key) const {
            return static_cast<size_t>(key.a ^ (key.b * 0x9E3779B97F4A7C15ULL));
        }
    };
    static SeenKey seen_key(std::string_view kind, std::string_view id);
    void prepare_writes();

    std::string path_;
    StateSource source_;
    sqlite::Database db_;
    std::unique_ptr<sqlite::Transaction> transaction_;
    int64_t snapshot_ms_ = 0;  // the snapshot being written; 0 when none
    std::unordered_set<SeenKey, SeenHash> seen_;
    std::unique_ptr<sqlite::Statement> find_current_;
    std::unique_ptr<sqlite::Statement> insert_version_;
    std::unique_ptr<sqlite::Statement> rewrite_version_;
    std::unique_ptr<sqlite::Statement> close_version_;
    std::unique_ptr<sqlite::Statement> delete_version_;
};

}  // namespace vigil
