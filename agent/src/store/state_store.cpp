#include "store/state_store.hpp"

#include "crypto/sha256.hpp"
#include "store/json_members.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

namespace vigil {

namespace {

constexpr const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS source(organization TEXT NOT NULL, source_group TEXT NOT NULL, tenant_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS snapshots(taken_ms INTEGER PRIMARY KEY, where_name TEXT NOT NULL, cursor BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS versions(
    kind TEXT NOT NULL, id TEXT NOT NULL, valid_from INTEGER NOT NULL, valid_to INTEGER,
    object_type TEXT NOT NULL, name TEXT NOT NULL, json TEXT NOT NULL,
    PRIMARY KEY (kind, id, valid_from)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS versions_from ON versions(valid_from);
CREATE INDEX IF NOT EXISTS versions_to ON versions(valid_to) WHERE valid_to IS NOT NULL;
)SQL";

// Two independent 64-bit hashes of kind and id: 128 bits, so that telling half a million objects apart by key has
// odds of a collision far below a disk's error rate, at 16 bytes each instead of the strings.
uint64_t fnv1a(std::string_view kind, std::string_view id) {
    uint64_t hash = 1469598103934665603ULL;
    for (const std::string_view part : {kind, std::string_view("\0", 1), id}) {
        for (const char c : part) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    }
    return hash;
}

StateObjectView row_object(const sqlite::Statement& row) {
    return StateObjectView{row.column_text(0), row.column_text(1), row.column_text(2), row.column_text(3),
                           row.column_text(4)};
}

}  // namespace

std::string StateStore::path_for(const std::string& data_dir, const StateSource& source) {
    const std::string dir = data_dir + "/state";
    std::filesystem::create_directories(dir);
    // The tenant id for a person looking at the folder; the hash tells apart one tenant under two organizations.
    const std::string key = source.organization + '\0' + source.source_group + '\0' + source.tenant_id;
    return dir + "/" + source.tenant_id + "-" + crypto::sha256_hex(key, 6) + ".db";
}

std::vector<std::string> StateStore::all_paths(const std::string& data_dir) {
    std::vector<std::string> paths;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(data_dir + "/state", error)) {
        if (entry.path().extension() == ".db") paths.push_back(entry.path().string());
    }
    std::sort(paths.begin(), paths.end());
    return paths;
}

StateStore::StateStore(const std::string& path, const StateSource& source, bool read_only)
    : path_(path), source_(source), db_(path, read_only) {
    if (read_only) {
        sqlite::Statement select(db_, "SELECT organization, source_group, tenant_id FROM source");
        if (select.step()) {
            source_ = StateSource{std::string(select.column_text(0)), std::string(select.column_text(1)),
                                  std::string(select.column_text(2))};
        }
        return;
    }
    db_.exec("PRAGMA journal_mode=WAL");
    db_.exec("PRAGMA synchronous=FULL");  // a finished snapshot and its cursor survive a power loss
    db_.exec(kSchema);
    sqlite::Statement count(db_, "SELECT count(*) FROM source");
    count.step();
    const bool empty = count.column_int(0) == 0;
    count.reset();
    if (empty) {
        sqlite::Statement insert(db_, "INSERT INTO source VALUES (?, ?, ?)");
        insert.bind(1, source.organization);
        insert.bind(2, source.source_group);
        insert.bind(3, source.tenant_id);
        insert.run();
    }
}

StateStore::~StateStore() {
    abandon();
}

StateStore::SeenKey StateStore::seen_key(std::string_view kind, std::string_view id) {
    std::string joined(kind);
    joined += '\0';
    joined += id;
    return SeenKey{std::hash<std::string>{}(joined), fnv1a(kind, id)};
}

void StateStore::prepare_writes() {
    if (find_current_) return;
    find_current_ = std::make_unique<sqlite::Statement>(
        db_, "SELECT valid_from, json FROM versions WHERE kind = ? AND id = ? AND valid_to IS NULL");
    insert_version_ = std::make_unique<sqlite::Statement>(
        db_,
        "INSERT INTO versions(kind, id, valid_from, valid_to, object_type, name, json) "
        "VALUES (?, ?, ?, NULL, ?, ?, ?)");
    rewrite_version_ = std::make_unique<sqlite::Statement>(
        db_, "UPDATE versions SET object_type = ?, name = ?, json = ? WHERE kind = ? AND id = ? AND valid_from = ?");
    close_version_ = std::make_unique<sqlite::Statement>(
        db_, "UPDATE versions SET valid_to = ? WHERE kind = ? AND id = ? AND valid_from = ?");
    delete_version_ =
        std::make_unique<sqlite::Statement>(db_, "DELETE FROM versions WHERE kind = ? AND id = ? AND valid_from = ?");
}

void StateStore::begin(int64_t taken_ms, std::string_view where) {
    if (in_snapshot()) throw std::logic_error("a state snapshot is already open for " + path_);
    const auto taken = snapshots();
    if (!taken.empty() && taken_ms <= taken.back()) {
        throw std::runtime_error("a state snapshot must be taken after the last one (" + std::to_string(taken.back()) +
                                 " ms) in " + path_ + ": is the clock behind?");
    }
    prepare_writes();
    transaction_ = std::make_unique<sqlite::Transaction>(db_);
    snapshot_ms_ = taken_ms;
    sqlite::Statement insert(db_, "INSERT INTO snapshots(taken_ms, where_name, cursor) VALUES (?, ?, '')");
    insert.bind(1, taken_ms);
    insert.bind(2, where);
    insert.run();
}

void StateStore::put(const StateObjectView& object) {
    if (!in_snapshot()) throw std::logic_error("state put outside a snapshot");
    sqlite::Statement& find = *find_current_;
    find.bind(1, object.kind);
    find.bind(2, object.id);
    std::optional<int64_t> current_from;
    bool same = false;
    if (find.step()) {
        current_from = find.column_int(0);
        same = find.column_text(1) == object.json;
    }
    find.reset();
    const auto bind_key = [&](sqlite::Statement& statement, int first, int64_t valid_from) {
        statement.bind(first, object.kind);
        statement.bind(first + 1, object.id);
        statement.bind(first + 2, valid_from);
    };
    if (current_from && same) {  // unchanged: only remember, in memory, that this snapshot saw it
        seen_.insert(seen_key(object.kind, object.id));
        return;
    }
    if (current_from && *current_from == snapshot_ms_) {  // put twice in this snapshot: the last one counts
        rewrite_version_->bind(1, object.object_type);
        rewrite_version_->bind(2, object.name);
        rewrite_version_->bind(3, object.json);
        bind_key(*rewrite_version_, 4, *current_from);
        rewrite_version_->run();
        return;
    }
    if (current_from) {  // changed: the old version ends where the new one starts
        close_version_->bind(1, snapshot_ms_);
        bind_key(*close_version_, 2, *current_from);
        close_version_->run();
    }
    insert_version_->bind(1, object.kind);
    insert_version_->bind(2, object.id);
    insert_version_->bind(3, snapshot_ms_);
    insert_version_->bind(4, object.object_type);
    insert_version_->bind(5, object.name);
    insert_version_->bind(6, object.json);
    insert_version_->run();
}

void StateStore::remove(std::string_view kind, std::string_view id) {
    if (!in_snapshot()) throw std::logic_error("state remove outside a snapshot");
    sqlite::Statement& find = *find_current_;
    find.bind(1, kind);
    find.bind(2, id);
    std::optional<int64_t> current_from;
    if (find.step()) current_from = find.column_int(0);
    find.reset();
    if (!current_from) return;
    sqlite::Statement& statement = *current_from == snapshot_ms_ ? *delete_version_ : *close_version_;
    int index = 1;
    if (&statement == close_version_.get()) close_version_->bind(index++, snapshot_ms_);
    statement.bind(index, kind);
    statement.bind(index + 1, id);
    statement.bind(index + 2, *current_from);
    statement.run();
}

void StateStore::complete_kind(std::string_view kind) {
    if (!in_snapshot()) throw std::logic_error("state complete_kind outside a snapshot");
    // Versions begun in this snapshot were put in it; older current ones were seen if put unchanged.
    std::vector<std::pair<std::string, int64_t>> unseen;
    sqlite::Statement current(
        db_, "SELECT id, valid_from FROM versions WHERE kind = ? AND valid_to IS NULL AND valid_from < ?");
    current.bind(1, kind);
    current.bind(2, snapshot_ms_);
    while (current.step()) {
        if (seen_.count(seen_key(kind, current.column_text(0))) == 0) {
            unseen.emplace_back(std::string(current.column_text(0)), current.column_int(1));
        }
    }
    current.reset();
    for (const auto& [id, valid_from] : unseen) {
        close_version_->bind(1, snapshot_ms_);
        close_version_->bind(2, kind);
        close_version_->bind(3, id);
        close_version_->bind(4, valid_from);
        close_version_->run();
    }
}

void StateStore::finish(std::string_view cursor) {
    if (!in_snapshot()) throw std::logic_error("state finish outside a snapshot");
    sqlite::Statement update(db_, "UPDATE snapshots SET cursor = ? WHERE taken_ms = ?");
    update.bind_blob(1, cursor);
    update.bind(2, snapshot_ms_);
    update.run();
    transaction_->commit();
    transaction_.reset();
    snapshot_ms_ = 0;
    seen_.clear();
}

void StateStore::abandon() {
    transaction_.reset();  // rolls back what the snapshot staged
    snapshot_ms_ = 0;
    seen_.clear();
}

std::string StateStore::cursor() {
    sqlite::Statement select(db_, "SELECT cursor FROM snapshots ORDER BY taken_ms DESC LIMIT 1");
    return select.step() ? std::string(select.column_blob(0)) : std::string();
}

std::vector<int64_t> StateStore::snapshots() {
    std::vector<int64_t> taken;
    sqlite::Statement select(db_, "SELECT taken_ms FROM snapshots WHERE taken_ms != ? ORDER BY taken_ms");
    select.bind(1, snapshot_ms_);  // not the one being written
    while (select.step()) taken.push_back(select.column_int(0));
    return taken;
}

std::optional<int64_t> StateStore::snapshot_at(int64_t t_ms) {
    std::optional<int64_t> found;
    for (const int64_t taken : snapshots()) {
        if (taken <= t_ms) found = taken;
    }
    return found;
}

std::string StateStore::where_of(int64_t snapshot_ms) {
    sqlite::Statement select(db_, "SELECT where_name FROM snapshots WHERE taken_ms = ?");
    select.bind(1, snapshot_ms);
    return select.step() ? std::string(select.column_text(0)) : std::string();
}

void StateStore::read_at(int64_t snapshot_ms, std::string_view kind,
                         const std::function<bool(const StateObjectView&)>& fn, bool by_name) {
    // One kind is a range of the primary key; by name costs a sort, which a report wants and a connector does not.
    std::string sql = "SELECT kind, id, object_type, name, json FROM versions WHERE ";
    sql += kind.empty() ? "?1 = ''" : "kind = ?1";
    sql += " AND valid_from <= ?2 AND (valid_to IS NULL OR valid_to > ?2)";
    if (by_name) sql += " ORDER BY kind, name, id";
    sqlite::Statement select(db_, sql.c_str());
    select.bind(1, kind);
    select.bind(2, snapshot_ms);
    while (select.step()) {
        if (!fn(row_object(select))) break;
    }
}

void StateStore::changes(int64_t snapshot_ms, const std::function<void(const StateChange&)>& fn) {
    const auto taken = snapshots();
    if (taken.empty() || taken.front() >= snapshot_ms) return;  // the first snapshot is the baseline
    // New versions: added objects, or modified ones (joined with the version they replace).
    sqlite::Statement added(db_,
                            "SELECT n.kind, n.id, n.object_type, n.name, n.json, o.json FROM versions n "
                            "LEFT JOIN versions o ON o.kind = n.kind AND o.id = n.id AND o.valid_to = n.valid_from "
                            "WHERE n.valid_from = ?1 ORDER BY n.kind, n.name, n.id");
    added.bind(1, snapshot_ms);
    while (added.step()) {
        StateChange change;
        change.kind = added.column_text(0);
        change.id = added.column_text(1);
        change.object_type = added.column_text(2);
        change.name = added.column_text(3);
        if (added.column_is_null(5)) {
            change.action = StateChange::Action::added;
            change.new_json = added.column_text(4);
            fn(change);
            continue;
        }
        change.action = StateChange::Action::modified;
        for (const PropertyChange& property : changed_members(added.column_text(5), added.column_text(4))) {
            change.property = property.name;
            change.old_json = property.old_json;
            change.new_json = property.new_json;
            fn(change);
        }
    }
    sqlite::Statement removed(
        db_,
        "SELECT o.kind, o.id, o.object_type, o.name, o.json FROM versions o "
        "WHERE o.valid_to = ?1 AND NOT EXISTS (SELECT 1 FROM versions n "
        "WHERE n.kind = o.kind AND n.id = o.id AND n.valid_from = ?1) ORDER BY o.kind, o.name, o.id");
    removed.bind(1, snapshot_ms);
    while (removed.step()) {
        StateChange change;
        change.action = StateChange::Action::removed;
        change.kind = removed.column_text(0);
        change.id = removed.column_text(1);
        change.object_type = removed.column_text(2);
        change.name = removed.column_text(3);
        change.old_json = removed.column_text(4);
        fn(change);
    }
}

void StateStore::prune(int64_t cutoff_ms) {
    if (in_snapshot()) throw std::logic_error("state prune during a snapshot");
    const auto taken = snapshots();
    if (taken.empty()) return;
    // The oldest snapshot kept: the first at or after the cutoff, or the last one if all are older.
    int64_t oldest_kept = taken.back();
    for (const int64_t snapshot : taken) {
        if (snapshot >= cutoff_ms) {
            oldest_kept = snapshot;
            break;
        }
    }
    sqlite::Transaction transaction(db_);
    sqlite::Statement forget_versions(db_, "DELETE FROM versions WHERE valid_to IS NOT NULL AND valid_to <= ?");
    forget_versions.bind(1, oldest_kept);
    forget_versions.run();
    sqlite::Statement forget_snapshots(db_, "DELETE FROM snapshots WHERE taken_ms < ?");
    forget_snapshots.bind(1, oldest_kept);
    forget_snapshots.run();
    transaction.commit();
}

}  // namespace vigil
