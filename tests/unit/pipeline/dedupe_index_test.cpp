#include "pipeline/dedupe_index.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

namespace vigil {
namespace {

const JobIdentity kJob{"Contoso", "", "t", "c"};
const int64_t kHourMs = 3'600'000;
const int64_t kBaseMs = 1'767'225'600'000;

// Drives a DedupeIndex the way the spool does, with this fixture as the spool's writer.
class DedupeIndexTest : public testing::Test {
protected:
    DedupeIndexTest() : db_(dir_.file("ids.db"), false) {
        db_.exec(
            "CREATE TABLE seen_batches(job_id INTEGER NOT NULL, min_time INTEGER NOT NULL, "
            "max_time INTEGER NOT NULL, ids BLOB NOT NULL)");
    }

    static SerializedBatch batch_of(const std::vector<std::pair<std::string, int64_t>>& events) {
        SerializedBatch batch;
        for (const auto& [id, time_ms] : events) {
            Event event;
            event.id = id;
            event.time_ms = time_ms;
            serialize_event(event, kJob, batch);
        }
        return batch;
    }

    // Filters a batch and makes its new ids pending; returns the ids found new.
    std::vector<std::string> add(DedupeIndex& index, const std::vector<std::pair<std::string, int64_t>>& events,
                                 int64_t job_id = 1) {
        const SerializedBatch batch = batch_of(events);
        std::vector<uint32_t> rows;
        index.filter(job_id, batch, rows);
        if (!rows.empty()) pending_.push_back(index.add_pending(++ticket_, job_id, batch, rows));
        std::vector<std::string> fresh;
        for (const uint32_t row : rows) fresh.push_back(events[row].first);
        return fresh;
    }
    // The writer stores what is pending and promotes it.
    void store(DedupeIndex& index) {
        sqlite::Statement insert(db_, "INSERT INTO seen_batches(job_id, min_time, max_time, ids) VALUES (?,?,?,?)");
        for (const auto& row : pending_) {
            insert.bind(1, row.job_id);
            insert.bind(2, row.min_time);
            insert.bind(3, row.max_time);
            insert.bind_blob(4, row.blob);
            insert.run();
            index.promote(row.ticket, sqlite3_last_insert_rowid(db_.handle()));
        }
        pending_.clear();
    }
    std::vector<std::string> commit(DedupeIndex& index, const std::vector<std::pair<std::string, int64_t>>& events,
                                    int64_t job_id = 1) {
        auto fresh = add(index, events, job_id);
        store(index);
        return fresh;
    }

    test::TempDir dir_;
    sqlite::Database db_;
    std::vector<DedupeIndex::Row> pending_;
    uint64_t ticket_ = 0;
};

TEST_F(DedupeIndexTest, RecognisesOverlapsRepeatsAndOtherJobs) {
    DedupeIndex index(db_, 1 << 20);
    EXPECT_EQ(commit(index, {{"a", kBaseMs}, {"b", kBaseMs + 1}, {"a", kBaseMs}}),
              (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(commit(index, {{"b", kBaseMs + 1}, {"c", kBaseMs + 2}}), (std::vector<std::string>{"c"}));
    EXPECT_EQ(commit(index, {{"a", kBaseMs}}, 2), (std::vector<std::string>{"a"})) << "another job";
    EXPECT_EQ(commit(index, {{"a", kBaseMs + 5}}), (std::vector<std::string>{"a"}))
        << "an id with another time is another event";
}

TEST_F(DedupeIndexTest, PendingBatchesCountAtOnceAndDiscardedOnesDoNot) {
    DedupeIndex index(db_, 1 << 20);
    EXPECT_EQ(add(index, {{"a", kBaseMs}}), (std::vector<std::string>{"a"}));
    EXPECT_EQ(add(index, {{"a", kBaseMs}, {"b", kBaseMs + 1}}), (std::vector<std::string>{"b"}))
        << "not yet durable, yet already known";
    index.discard_pending();  // the writer failed: none of it was stored
    pending_.clear();
    EXPECT_EQ(add(index, {{"a", kBaseMs}, {"b", kBaseMs + 1}}), (std::vector<std::string>{"a", "b"}));
}

TEST_F(DedupeIndexTest, DescendingPagesAndOutOfOrderBatchesAreHandled) {
    DedupeIndex index(db_, 1 << 20);
    // Sign-ins come newest first; a later run re-reads an older stretch in the middle.
    EXPECT_EQ(commit(index, {{"e5", kBaseMs + 5000}, {"e4", kBaseMs + 4000}}).size(), 2u);
    EXPECT_EQ(commit(index, {{"e2", kBaseMs + 2000}, {"e1", kBaseMs + 1000}}).size(), 2u);
    EXPECT_EQ(commit(index, {{"e4", kBaseMs + 4000}, {"e3", kBaseMs + 3000}, {"e2", kBaseMs + 2000}}),
              (std::vector<std::string>{"e3"}));
}

TEST_F(DedupeIndexTest, SurvivesARestartAndATinyCache) {
    {
        DedupeIndex index(db_, 1 << 20);
        for (int page = 0; page < 20; ++page) {
            std::vector<std::pair<std::string, int64_t>> events;
            for (int i = 0; i < 50; ++i) {
                events.emplace_back("p" + std::to_string(page) + "-" + std::to_string(i), kBaseMs + page * 1000 + i);
            }
            ASSERT_EQ(commit(index, events).size(), 50u);
        }
    }
    DedupeIndex index(db_, 1);  // a cache that holds one batch at a time: slower, still exact
    std::vector<std::pair<std::string, int64_t>> overlap;
    for (int page = 0; page < 20; page += 3) {
        overlap.emplace_back("p" + std::to_string(page) + "-7", kBaseMs + page * 1000 + 7);
    }
    overlap.emplace_back("new", kBaseMs + 19'999);
    EXPECT_EQ(commit(index, overlap), (std::vector<std::string>{"new"}));
    EXPECT_LE(index.cached_bytes(), 4096u);
}

TEST_F(DedupeIndexTest, ExpiresWhatIsMoreThanTheWindowBehindTheNewest) {
    DedupeIndex index(db_, 1 << 20);
    commit(index, {{"old", kBaseMs}});
    commit(index, {{"mid", kBaseMs + kHourMs / 2}});
    commit(index, {{"new", kBaseMs + 2 * kHourMs}});
    const auto cutoffs = index.expire(kHourMs, {1});
    ASSERT_EQ(cutoffs.size(), 1u);
    EXPECT_EQ(cutoffs[0], (std::pair<int64_t, int64_t>{1, kBaseMs + kHourMs}));
    EXPECT_EQ(commit(index, {{"old", kBaseMs}, {"new", kBaseMs + 2 * kHourMs}}), (std::vector<std::string>{"old"}));
}

}  // namespace
}  // namespace vigil
