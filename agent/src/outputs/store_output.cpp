#include "outputs/store_output.hpp"

#include "outputs/record_fields.hpp"
#include "store/event_store.hpp"
#include "store/pg_event_store.hpp"

#include <vigil/plugin.hpp>

#include <memory>
#include <string>
#include <vector>

namespace vigil {

namespace {

class StoreOutput {
public:
    static constexpr vigil_plugin_kind kind = VIGIL_KIND_OUTPUT;
    static constexpr const char* name = "store";
    static constexpr const char* version = "1.0.0";
    static constexpr const char* description = "The event store that reports read (SQLite, or PostgreSQL with dsn)";
    static constexpr int64_t kDayMs = 86'400'000;
    static constexpr vigil_config_key config_keys[] = {
        sdk::key("path", VIGIL_VALUE_PATH, nullptr, "the SQLite file (default: events.db in data_dir)"),
        sdk::key("dsn", VIGIL_VALUE_STRING, "",
                 "a PostgreSQL connection string (host=... dbname=... user=...; password through ${env:} or "
                 "${file:}): the store goes there instead, shared by every agent that names it"),
        sdk::key("retention", VIGIL_VALUE_DURATION, "400d",
                 "how long events are kept, by their time (at least a day; default: 400d, a year and a season)", false,
                 kDayMs, 100 * 365 * kDayMs),
    };

    StoreOutput(sdk::Host host, const sdk::Config& config)
        : host_(host),
          path_(config.get_string("path")),
          dsn_(config.get_string("dsn")),
          retention_ms_(config.get_duration_ms("retention")) {
        if (path_.empty() && dsn_.empty())
            throw sdk::Error(VIGIL_ERR_INVALID_ARGUMENT, "'path' is empty: name the store's file");
    }

    void open(std::string_view /*resume_token: the store is idempotent by id, so it needs none*/) {
        // PostgreSQL connects at the first batch: a database that is down when the agent starts must not stop it.
        if (store_ || !dsn_.empty()) return;
        try {
            store_ = std::make_unique<EventStore>(path_, false);
        } catch (const std::exception& failure) {
            throw sdk::Error(VIGIL_ERR_IO, std::string(failure.what()) +
                                               ": check that the agent's user can write there, or move the store "
                                               "with the output's path:");
        }
    }

    vigil_status write(std::span<const vigil_record* const> records) {
        if (!store_) connect();
        try {
            // An event already past the retention (a backfill reaching far back) is not stored only to be deleted.
            const int64_t oldest_kept_ms = host_.now_ms() - retention_ms_;
            kept_.clear();
            for (const vigil_record* record : records) {
                if (record->time_ms >= oldest_kept_ms) kept_.push_back(record);
            }
            if (kept_.size() < records.size()) {
                host_.info(std::to_string(records.size() - kept_.size()) +
                           " events older than the store's retention were not stored");
            }
            std::string reason;
            const EventDatabase::InsertCounts counts = store_->insert(
                kept_.size(),
                [&](size_t i, StoredEventView& out) { read_record_fields(reader_, *kept_[i], out, reason); });
            if (counts.duplicates > 0) {
                host_.info(std::to_string(counts.duplicates) + " events already in the store were not stored again");
            }
            prune_now_and_then();
        } catch (const sdk::Error&) {
            throw;
        } catch (const std::exception& failure) {
            if (!dsn_.empty()) store_.reset();  // connect again at the next open(): the server may have restarted
            throw sdk::Error(VIGIL_ERR_IO, failure.what());
        }
        return VIGIL_OK;
    }

private:
    void connect() {
        try {
            store_ = std::make_unique<PgEventStore>(dsn_);
        } catch (const std::exception& failure) {
            // The runner retries with backoff while the events wait in the spool.
            throw sdk::Error(VIGIL_ERR_UNAVAILABLE, failure.what());
        }
    }

    // At most hourly: deleting a day's events is a large transaction, not something to do per batch.
    void prune_now_and_then() {
        const int64_t now = host_.now_ms();
        if (now - last_prune_ms_ < 3'600'000) return;
        last_prune_ms_ = now;
        if (const size_t removed = store_->prune(now - retention_ms_); removed > 0) {
            host_.info(std::to_string(removed) + " events older than the store's retention were deleted");
        }
    }

    sdk::Host host_;
    std::string path_;
    std::string dsn_;  // never logged: it may hold a password
    int64_t retention_ms_;
    int64_t last_prune_ms_ = 0;
    std::unique_ptr<EventDatabase> store_;  // opened by open(): create() does no I/O
    EventRecordReader reader_;
    std::vector<const vigil_record*> kept_;  // the records of a batch within the retention; reused
};

}  // namespace

const vigil_plugin_descriptor* store_output_descriptor() {
    return sdk::describe<StoreOutput>();
}

}  // namespace vigil
